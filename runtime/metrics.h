/* syn --serve: a running script's globals as Prometheus metrics over HTTP
 * (runtime/metrics.c). */
#ifndef SYN_RUNTIME_METRICS_H
#define SYN_RUNTIME_METRICS_H

#include <stddef.h>

#include "runtime/maps.h"
#include "util/buffer.h"

/* The globals in Prometheus's text format (version 0.0.4). */
void syn_metrics_render(syn_buffer *out, const syn_maps *maps);
/* A non-blocking listening socket on HOST:PORT, or -1 with error. */
int syn_metrics_listen(const char *address, char *error, size_t error_size);
/* Answers every connection waiting on `listening` with the metrics. */
void syn_metrics_answer(int listening, const syn_maps *maps);

#endif
