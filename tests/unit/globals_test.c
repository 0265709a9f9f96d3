/* A running script's globals read and written from the host through the
 * public API (syn_global_*, syn_statistic_get), on the real kernel: a
 * probe counts this process's getppid() calls into them. */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syn/syn.h"
#include "tap.h"

static char output[4096];
static size_t output_length;

static void capture(const char *data, size_t length, void *user_data)
{
    (void)user_data;
    if (output_length + length < sizeof(output)) {
        memcpy(output + output_length, data, length);
        output_length += length;
        output[output_length] = '\0';
    }
}

static void quiet(const syn_diagnostic *diagnostic, void *user_data)
{
    (void)diagnostic;
    (void)user_data;
}

static syn_value number(long long value)
{
    return (syn_value){.kind = SYN_VALUE_LONG, .number = value};
}

static syn_value text(const char *value)
{
    return (syn_value){.kind = SYN_VALUE_STRING, .string = value};
}

typedef struct visited {
    int count;
    long long sum;
    bool saw_helper;
} visited;

static bool visit(const syn_value *keys, unsigned key_count, const syn_value *value, void *user_data)
{
    visited *seen = user_data;
    seen->count++;
    seen->sum += value->number;
    if (key_count == 2 && keys[0].kind == SYN_VALUE_STRING && strcmp(keys[0].string, "host") == 0 &&
        keys[1].number == 7)
        seen->saw_helper = true;
    return true;
}

int main(void)
{
    if (geteuid() != 0) {
        printf("1..0 # SKIP loading BPF programs needs root (CAP_BPF and CAP_PERFMON)\n");
        return 0;
    }
    syn_state *state = syn_new();
    syn_set_output_handler(state, capture, NULL);
    syn_set_diagnostic_handler(state, quiet, NULL);
    syn_set_target_pid(state, getpid());
    const char *script =
        "global calls, label = \"start\", pairs, names, sizes, per_key\n"
        "probe kernel.trace(\"syscalls:sys_enter_getppid\") {\n"
        "    if (pid() != target()) next\n"
        "    calls++\n"
        "    pairs[\"kernel\", calls] = calls * 10\n"
        "    sizes <<< calls * 100\n"
        "    per_key[calls % 2] <<< calls\n"
        "}\n"
        "probe end { printf(\"%d %s %d %s\\n\", calls, label, pairs[\"host\", 7], names[3]) print(@hist_log(sizes))"
        " println(@count(per_key[0])) }\n";
    syn_value value;
    bool present;
    is_int(syn_global_get(state, "calls", NULL, 0, &value, &present), SYN_ERROR_STATE,
           "before syn_start: SYN_ERROR_STATE");
    is_int(syn_load_string(state, "<script>", script, strlen(script)), SYN_OK, "the script loads");
    is_int(syn_start(state), SYN_OK, "and starts");
    for (int i = 0; i < 4; i++)
        syscall(SYS_getppid);
    for (int i = 0; i < 5; i++)
        syn_service(state, 10);

    syn_global_info info;
    is_int(syn_global_describe(state, "pairs", &info), SYN_OK, "describe an array");
    ok(info.kind == SYN_GLOBAL_ARRAY && info.key_count == 2 && info.key_kinds[0] == SYN_VALUE_STRING &&
           info.key_kinds[1] == SYN_VALUE_LONG && info.value_kind == SYN_VALUE_LONG,
       "pairs is an array [string, long] of longs");
    is_int(syn_global_describe(state, "sizes", &info), SYN_OK, "describe a statistic");
    is_int(info.kind, SYN_GLOBAL_STATISTIC, "sizes is a statistic");

    is_int(syn_global_get(state, "calls", NULL, 0, &value, &present), SYN_OK, "read a scalar");
    is_int(value.number, 4, "calls: the probe's 4");
    is_int(syn_global_get(state, "label", NULL, 0, &value, &present), SYN_OK, "read a string scalar");
    is_string(value.string, "start", "label: its initial value");
    syn_value keys[2] = {text("kernel"), number(3)};
    is_int(syn_global_get(state, "pairs", keys, 2, &value, &present), SYN_OK, "read an array element");
    is_int(value.number, 30, "pairs[\"kernel\", 3] = 30");
    ok(present, "and it is there");
    keys[1] = number(99);
    syn_global_get(state, "pairs", keys, 2, &value, &present);
    ok(!present && value.number == 0, "an element not there reads as 0, not present");

    syn_value label = text("host-set");
    is_int(syn_global_set(state, "label", NULL, 0, &label), SYN_OK, "write a string scalar");
    syn_value host_keys[2] = {text("host"), number(7)};
    syn_value seventy = number(70);
    is_int(syn_global_set(state, "pairs", host_keys, 2, &seventy), SYN_OK, "write an array element");
    syn_value name_key = number(3), name = text("three");
    is_int(syn_global_set(state, "names", &name_key, 1, &name), SYN_OK, "write a string array element");

    visited seen = {0};
    is_int(syn_global_foreach(state, "pairs", visit, &seen), SYN_OK, "iterate over an array");
    ok(seen.count == 5 && seen.sum == 10 + 20 + 30 + 40 + 70 && seen.saw_helper,
       "five elements, the host's among them (count %d, sum %lld)", seen.count, seen.sum);

    syn_statistic_values stats;
    is_int(syn_statistic_get(state, "sizes", NULL, 0, &stats), SYN_OK, "read a statistic");
    ok(stats.count == 4 && stats.sum == 1000 && stats.min == 100 && stats.max == 400 && stats.average == 250,
       "count 4, sum 1000, min 100, max 400, average 250");
    long long in_buckets = 0;
    int bucket_64 = -1;
    for (unsigned i = 0; i < stats.bucket_count; i++) {
        in_buckets += stats.buckets[i];
        if (stats.bucket_lows[i] == 64)
            bucket_64 = (int)i;
    }
    ok(stats.log_histogram && stats.bucket_count == 128 && in_buckets == 4, "a log histogram holding all 4");
    ok(bucket_64 >= 0 && stats.buckets[bucket_64] == 1 && stats.buckets[bucket_64 + 1] == 1 &&
           stats.buckets[bucket_64 + 2] == 2 && stats.bucket_lows[bucket_64 + 2] == 256,
       "100 in 64.., 200 in 128.., 300 and 400 in 256..");
    syn_value odd = number(1);
    is_int(syn_statistic_get(state, "per_key", &odd, 1, &stats), SYN_OK, "read a keyed statistic");
    ok(stats.count == 2 && stats.sum == 4, "per_key[1]: calls 1 and 3");

    is_int(syn_global_get(state, "nothing", NULL, 0, &value, &present), SYN_ERROR_USAGE, "unknown name: SYN_ERROR_USAGE");
    syn_value wrong[2] = {number(1), number(2)};
    is_int(syn_global_get(state, "pairs", wrong, 2, &value, &present), SYN_ERROR_USAGE,
           "a key of the wrong kind: SYN_ERROR_USAGE");
    is_int(syn_global_get(state, "pairs", wrong, 1, &value, &present), SYN_ERROR_USAGE,
           "too few keys: SYN_ERROR_USAGE");
    syn_value wrong_value = text("x");
    is_int(syn_global_set(state, "calls", NULL, 0, &wrong_value), SYN_ERROR_USAGE,
           "a string into a number: SYN_ERROR_USAGE");
    is_int(syn_global_get(state, "sizes", NULL, 0, &value, &present), SYN_ERROR_USAGE,
           "a statistic through syn_global_get: SYN_ERROR_USAGE");

    keys[1] = number(1);
    is_int(syn_global_delete(state, "pairs", keys, 2), SYN_OK, "delete an element");
    seen = (visited){0};
    syn_global_foreach(state, "pairs", visit, &seen);
    is_int(seen.count, 4, "four left");

    output_length = 0;
    is_int(syn_stop(state), SYN_OK, "syn_stop");
    ok(strncmp(output, "4 host-set 70 three\n", 20) == 0, "the end probe sees what the host wrote: %.20s", output);
    ok(output_length > 3 && strcmp(output + output_length - 3, "\n2\n") == 0, "and the keyed statistic: 2 even calls");
    is_int(syn_global_get(state, "calls", NULL, 0, &value, &present), SYN_ERROR_STATE,
           "after syn_stop: SYN_ERROR_STATE");
    syn_free(state);
    return done_testing();
}
