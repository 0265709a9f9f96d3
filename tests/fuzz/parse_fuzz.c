/* libFuzzer target: arbitrary bytes through the public API, as a host would
 * use it (load, -p1, check, -p2), plus the round-trip property of -p1:
 * whatever -p1 prints for an accepted script must load again and print the
 * same text.  Any crash, sanitizer report, leak or broken round trip is a
 * finding.
 *
 *   ./configure CC=clang --enable-fuzz \
 *       CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined"
 *   make tests/fuzz/parse_fuzz
 *   sh tests/fuzz/seeds.sh . corpus
 *   tests/fuzz/parse_fuzz corpus -timeout=10 -rss_limit_mb=2048
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syn/syn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct output {
    char *data;
    size_t length;
    size_t capacity;
} output;

static void collect_output(const char *data, size_t length, void *user_data)
{
    output *out = user_data;
    if (out->length + length + 1 > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 256;
        while (capacity < out->length + length + 1)
            capacity *= 2;
        char *grown = realloc(out->data, capacity);
        if (!grown)
            abort();
        out->data = grown;
        out->capacity = capacity;
    }
    memcpy(out->data + out->length, data, length);
    out->length += length;
    out->data[out->length] = '\0';
}

static void discard_diagnostic(const syn_diagnostic *diagnostic, void *user_data)
{
    /* Touch what a host would read, so that a bad pointer shows up here. */
    volatile size_t sink = 0;
    if (diagnostic->message)
        sink += strlen(diagnostic->message);
    if (diagnostic->rendered)
        sink += strlen(diagnostic->rendered);
    if (diagnostic->file)
        sink += strlen(diagnostic->file);
    (void)sink;
    (void)user_data;
}

/* Script arguments, so that $1 @1 $# @# in inputs do something. */
static const char *const arguments[] = {"1", "\"two\"", "x + 3"};

/* A state configured the same way every time: nothing depends on the
 * machine the fuzzer runs on. */
static syn_state *new_state(output *out)
{
    syn_state *state = syn_new();
    if (!state)
        abort();
    syn_set_diagnostic_handler(state, discard_diagnostic, NULL);
    syn_set_output_handler(state, collect_output, out);
    if (syn_set_kernel_release(state, "5.4.0-100-generic") != SYN_OK ||
        syn_set_architecture(state, "x86_64") != SYN_OK ||
        syn_set_arguments(state, (int)(sizeof(arguments) / sizeof(arguments[0])), arguments) != SYN_OK)
        abort();
    return state;
}

/* The printed tree after the "# file NAME" line, which names the chunk;
 * its length goes to *length (the text may hold NUL bytes). */
static const char *after_file_line(const output *out, size_t *length)
{
    if (!out->data)
        return NULL;
    const char *file_line = strstr(out->data, "# file ");
    if (!file_line)
        return NULL;
    const char *end = memchr(file_line, '\n', out->length - (size_t)(file_line - out->data));
    const char *tree = end ? end + 1 : out->data + out->length;
    *length = out->length - (size_t)(tree - out->data);
    return tree;
}

static void round_trip_failed(const char *why, const output *first, const output *second)
{
    fprintf(stderr, "\n==== -p1 round trip broken: %s\n==== first -p1:\n%s\n==== second -p1:\n%s\n====\n", why,
            first->data ? first->data : "(none)", second->data ? second->data : "(none)");
    abort();
}

/* -p1 output must load again (with the same arguments; they were already
 * substituted) and print the same tree. */
static void check_round_trip(const output *first)
{
    size_t tree_length = 0;
    const char *tree = after_file_line(first, &tree_length);
    if (!tree)
        round_trip_failed("no '# file' line in the -p1 output", first, first);

    output second = {0};
    syn_state *state = new_state(&second);
    syn_status status = syn_load_string(state, "round-trip", first->data, first->length);
    if (status != SYN_OK) {
        syn_free(state);
        round_trip_failed("the printed script does not load", first, &second);
    }
    if (syn_dump(state, 1) != SYN_OK) {
        syn_free(state);
        round_trip_failed("the second -p1 failed", first, &second);
    }
    syn_free(state);
    size_t again_length = 0;
    const char *again = after_file_line(&second, &again_length);
    if (!again || again_length != tree_length || memcmp(tree, again, tree_length) != 0)
        round_trip_failed("the printed script prints differently", first, &second);
    free(second.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    output parsed = {0};
    output checked = {0};
    syn_state *state = new_state(&parsed);

    if (syn_load_string(state, "fuzz.syn", (const char *)data, size) == SYN_OK) {
        if (syn_dump(state, 1) != SYN_OK)
            abort();
        syn_set_output_handler(state, collect_output, &checked);
        if (syn_check(state) == SYN_OK) {
            if (syn_dump(state, 2) != SYN_OK)
                abort();
        } else if (syn_error_count(state) == 0) {
            /* A failed check must have said why. */
            fprintf(stderr, "syn_check failed without reporting an error\n");
            abort();
        }
    } else if (syn_error_count(state) == 0) {
        fprintf(stderr, "syn_load_string failed without reporting an error\n");
        abort();
    }
    syn_free(state);

    if (parsed.length)
        check_round_trip(&parsed);
    free(parsed.data);
    free(checked.data);
    return 0;
}
