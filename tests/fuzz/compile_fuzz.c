/* libFuzzer target: scripts that pass checking go on through lowering and
 * BPF code generation into the kernel's verifier (syn_dump stage 4: loaded,
 * never attached).  Each must be accepted, or rejected with a located
 * error: a verifier rejection or a lowering error without a place in the
 * script is a finding, as is any crash, sanitizer report or leak.  Needs
 * root (the verifier); without it the loads fail and only the compiler is
 * exercised.
 *
 *   ./configure CC=clang --enable-fuzz \
 *       CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined"
 *   make tests/fuzz/compile_fuzz
 *   sh tests/fuzz/seeds.sh . corpus
 *   tests/fuzz/compile_fuzz corpus -timeout=10 -rss_limit_mb=2048
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syn/syn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct verdict {
    unsigned errors;
    unsigned located_errors;
    char first[512];
} verdict;

static void note_diagnostic(const syn_diagnostic *diagnostic, void *user_data)
{
    verdict *seen = user_data;
    if (diagnostic->severity != SYN_SEVERITY_ERROR)
        return;
    if (!seen->errors)
        snprintf(seen->first, sizeof(seen->first), "%s", diagnostic->rendered);
    seen->errors++;
    if (diagnostic->file && diagnostic->line)
        seen->located_errors++;
}

static void discard_output(const char *data, size_t length, void *user_data)
{
    (void)data;
    (void)length;
    (void)user_data;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    verdict seen = {0};
    syn_state *state = syn_new();
    if (!state)
        abort();
    syn_set_diagnostic_handler(state, note_diagnostic, &seen);
    syn_set_output_handler(state, discard_output, NULL);
    if (syn_load_string(state, "fuzz.syn", (const char *)data, size) == SYN_OK && syn_check(state) == SYN_OK) {
        seen = (verdict){0};
        syn_status status = syn_dump(state, 4);
        /* Lowering and the verifier are about the script: they must say where. */
        if ((status == SYN_ERROR_SEMANTIC || status == SYN_ERROR_VERIFIER) && !seen.located_errors) {
            fprintf(stderr, "\n==== %s without a located error (%u errors); the first:\n%s\n==== script:\n%.*s\n====\n",
                    syn_status_string(status), seen.errors, seen.first, (int)size, (const char *)data);
            abort();
        }
        if (status != SYN_OK && !seen.errors) {
            fprintf(stderr, "syn_dump(4) failed (%s) without reporting an error\n", syn_status_string(status));
            abort();
        }
    }
    syn_free(state);
    return 0;
}
