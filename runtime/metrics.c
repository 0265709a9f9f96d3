/* The running script's globals as Prometheus metrics (syn --serve): the
 * text exposition format (version 0.0.4) over a minimal HTTP server that
 * the session's own loop serves, one request at a time, between events.
 * Scalars are gauges, arrays labelled series (key, or key1, key2, ...),
 * statistics Prometheus histograms (their log or linear buckets, cumulative)
 * or, without buckets, summaries of count and sum. */
#define _GNU_SOURCE   /* accept4 */
#include "runtime/metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/memory.h"

static void label_value(syn_buffer *out, const char *text)
{
    syn_buffer_append_char(out, '"');
    for (const char *c = text; *c; c++) {
        if (*c == '\\' || *c == '"')
            syn_buffer_append_char(out, '\\');
        if (*c == '\n')
            syn_buffer_append_string(out, "\\n");
        else
            syn_buffer_append_char(out, *c);
    }
    syn_buffer_append_char(out, '"');
}

/* {key="bash"} or {key1="bash",key2="7"}, with `extra` (le="..") last. */
static void labels(syn_buffer *out, const syn_maps *maps, uint32_t index, const uint8_t *key, const char *extra)
{
    const syn_ir_global *global = &maps->program->globals[index];
    if (!global->key_count && !extra)
        return;
    syn_buffer_append_char(out, '{');
    if (global->key_count && key) {
        syn_map_value keys[SYN_IR_MAX_ARGUMENTS + 1];
        syn_maps_decode_key(maps, index, key, keys);
        for (uint32_t k = 0; k < global->key_count; k++) {
            if (k)
                syn_buffer_append_char(out, ',');
            if (global->key_count == 1)
                syn_buffer_append_string(out, "key=");
            else
                syn_buffer_printf(out, "key%u=", k + 1);
            if (global->key_kinds[k] == SYN_IR_STRING) {
                char *text = syn_calloc(1, maps->program->max_string_length + 1);
                memcpy(text, keys[k].string, strnlen(keys[k].string, maps->program->max_string_length));
                label_value(out, text);
                free(text);
            } else {
                syn_buffer_printf(out, "\"%lld\"", (long long)keys[k].number);
            }
        }
    }
    if (extra)
        syn_buffer_printf(out, "%s%s", global->key_count && key ? "," : "", extra);
    syn_buffer_append_char(out, '}');
}

static void histogram(syn_buffer *out, const syn_maps *maps, uint32_t index, const uint8_t *key,
                      const syn_statistic *statistic)
{
    const syn_ir_global *global = &maps->program->globals[index];
    if (statistic->buckets && statistic->bucket_count) {
        uint32_t count = statistic->bucket_count, first = count, last = 0;
        for (uint32_t i = 0; i < count; i++) {
            if (statistic->buckets[i]) {
                first = first < i ? first : i;
                last = i;
            }
        }
        int64_t *lows = syn_calloc(count + 1, sizeof(int64_t));
        syn_maps_bucket_lows(global, lows, count);
        long long cumulative = 0;
        for (uint32_t i = first; i <= last && i + 1 < count; i++) {
            cumulative += statistic->buckets[i];
            char bound[48];
            /* Integers: a bucket from its low up to the next one's low - 1. */
            snprintf(bound, sizeof(bound), "le=\"%lld\"", (long long)(lows[i + 1] - 1));
            syn_buffer_printf(out, "syn_%s_bucket", global->name);
            labels(out, maps, index, key, bound);
            syn_buffer_printf(out, " %lld\n", cumulative);
        }
        syn_buffer_printf(out, "syn_%s_bucket", global->name);
        labels(out, maps, index, key, "le=\"+Inf\"");
        syn_buffer_printf(out, " %lld\n", (long long)statistic->count);
        free(lows);
    }
    syn_buffer_printf(out, "syn_%s_sum", global->name);
    labels(out, maps, index, key, NULL);
    syn_buffer_printf(out, " %lld\n", (long long)statistic->sum);
    syn_buffer_printf(out, "syn_%s_count", global->name);
    labels(out, maps, index, key, NULL);
    syn_buffer_printf(out, " %lld\n", (long long)statistic->count);
}

static void element(syn_buffer *out, const syn_maps *maps, uint32_t index, const uint8_t *key)
{
    const syn_ir_global *global = &maps->program->globals[index];
    static const uint8_t scalar[8] = {0};
    if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
        syn_statistic statistic;
        if (syn_maps_stat_read(maps, index, key ? key : scalar, &statistic))
            histogram(out, maps, index, key, &statistic);
        syn_statistic_release(&statistic);
        return;
    }
    char *text = syn_calloc(1, maps->program->max_string_length + 1);
    int64_t number = 0;
    if (!global->key_count) {
        if (global->value_kind == SYN_IR_STRING)
            memcpy(text, syn_maps_global_string(maps, index),
                   strnlen(syn_maps_global_string(maps, index), maps->program->max_string_length));
        else
            number = syn_maps_global_long(maps, index);
    } else {
        syn_map_value value = {0};
        syn_maps_lookup(maps, index, key, &value, global->value_kind == SYN_IR_STRING ? text : NULL);
        number = value.number;
    }
    syn_buffer_printf(out, "syn_%s", global->name);
    if (global->value_kind == SYN_IR_STRING) {
        /* A string is a label of a series whose value is 1, as Prometheus's info metrics. */
        syn_buffer value_label;
        syn_buffer_init(&value_label);
        syn_buffer_append_string(&value_label, "value=");
        label_value(&value_label, text);
        labels(out, maps, index, key, value_label.data);
        syn_buffer_release(&value_label);
        syn_buffer_append_string(out, " 1\n");
    } else {
        labels(out, maps, index, key, NULL);
        syn_buffer_printf(out, " %lld\n", (long long)number);
    }
    free(text);
}

void syn_metrics_render(syn_buffer *out, const syn_maps *maps)
{
    const syn_ir_program *program = maps->program;
    for (uint32_t i = 0; i < program->global_count; i++) {
        const syn_ir_global *global = &program->globals[i];
        if (strncmp(global->name, "__", 2) == 0)
            continue;   /* the library's own, and @entry's */
        bool statistic = global->kind == SYN_IR_GLOBAL_STATISTIC;
        syn_buffer_printf(out, "# TYPE syn_%s %s\n", global->name,
                          !statistic ? "gauge" : global->histogram_buckets ? "histogram" : "summary");
        if (!global->key_count) {
            element(out, maps, i, NULL);
            continue;
        }
        uint8_t *keys;
        uint32_t count = syn_maps_keys(maps, i, &keys);
        for (uint32_t k = 0; k < count; k++)
            element(out, maps, i, keys + (size_t)k * maps->key_sizes[i]);
        free(keys);
    }
}

int syn_metrics_listen(const char *address, char *error, size_t error_size)
{
    char host[256];
    const char *colon = address ? strrchr(address, ':') : NULL;
    if (!colon || (size_t)(colon - address) >= sizeof(host)) {
        snprintf(error, error_size, "'%s' is not HOST:PORT (127.0.0.1:9464, or :9464 for every address)",
                 address ? address : "");
        return -1;
    }
    memcpy(host, address, (size_t)(colon - address));
    host[colon - address] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    struct sockaddr_in where = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (*end || port <= 0 || port > 65535 ||
        (host[0] && inet_pton(AF_INET, host, &where.sin_addr) != 1)) {
        snprintf(error, error_size, "'%s' is not HOST:PORT with an IPv4 address and a port", address);
        return -1;
    }
    if (!host[0])
        where.sin_addr.s_addr = htonl(INADDR_ANY);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, (struct sockaddr *)&where, sizeof(where)) != 0 || listen(fd, 16) != 0) {
        snprintf(error, error_size, "cannot serve metrics on %s: %s", address, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

void syn_metrics_answer(int listening, const syn_maps *maps)
{
    int client;
    while ((client = accept4(listening, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
        /* The request itself does not matter: every path gets the metrics.
         * Its first bytes are awaited briefly so that the client sees them read. */
        struct pollfd request = {.fd = client, .events = POLLIN};
        char ignored[4096];
        if (poll(&request, 1, 200) > 0) {
            ssize_t got = read(client, ignored, sizeof(ignored));
            (void)got;
        }
        syn_buffer body;
        syn_buffer_init(&body);
        syn_metrics_render(&body, maps);
        syn_buffer response;
        syn_buffer_init(&response);
        syn_buffer_printf(&response,
                          "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                          body.length);
        syn_buffer_append(&response, body.data ? body.data : "", body.length);
        size_t sent = 0;
        while (sent < response.length) {
            ssize_t wrote = write(client, response.data + sent, response.length - sent);
            if (wrote <= 0)
                break;
            sent += (size_t)wrote;
        }
        syn_buffer_release(&response);
        syn_buffer_release(&body);
        close(client);
    }
}
