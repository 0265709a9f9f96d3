/* sprintf and friends in kernel probes go through the kernel's
 * bpf_snprintf, whose format language is a subset of SystemTap's (flags
 * - + space 0, a width, d i u x X c s p; no precision, '*' or %o %b %m).
 * This turns an output event into that language. */
#ifndef SYN_COMPILER_BPF_FORMAT_H
#define SYN_COMPILER_BPF_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/ir.h"
#include "util/buffer.h"

/* The kernel takes at most this many values per call. */
enum { SYN_BPF_FORMAT_MAX_ARGUMENTS = 12 };

/* False with the reason when the event needs what bpf_snprintf lacks. */
bool syn_bpf_translate_format(const syn_ir_event *event, syn_buffer *out, char *error, size_t error_size);

#endif
