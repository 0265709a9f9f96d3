/* Functions the host gives scripts (syn_register_function): called from
 * begin and timer probes, failing into try/catch, refused in kernel probes
 * with a located error, and the registration's own checks.  Userspace
 * probes only, so no privileges are needed for most; the kernel probe case
 * stops at the check. */
#include <stdlib.h>
#include <string.h>

#include "syn/syn.h"
#include "tap.h"

static char output[4096];
static size_t output_length;
static char errors[4096];
static size_t errors_length;

static void capture(const char *data, size_t length, void *user_data)
{
    (void)user_data;
    if (output_length + length < sizeof(output)) {
        memcpy(output + output_length, data, length);
        output_length += length;
        output[output_length] = '\0';
    }
}

static void keep_error(const syn_diagnostic *diagnostic, void *user_data)
{
    (void)user_data;
    size_t length = strlen(diagnostic->rendered);
    if (errors_length + length < sizeof(errors)) {
        memcpy(errors + errors_length, diagnostic->rendered, length);
        errors_length += length;
        errors[errors_length] = '\0';
    }
}

typedef struct host {
    int calls;
    char name[64];
} host;

static syn_status port(syn_state *state, const syn_value *arguments, unsigned count, syn_value *result,
                       void *user_data)
{
    (void)state;
    (void)arguments;
    (void)count;
    host *data = user_data;
    data->calls++;
    result->number = 8080;
    return SYN_OK;
}

static syn_status name_of(syn_state *state, const syn_value *arguments, unsigned count, syn_value *result,
                          void *user_data)
{
    (void)state;
    host *data = user_data;
    snprintf(data->name, sizeof(data->name), "worker-%lld-%s", count ? arguments[0].number : -1,
             count > 1 ? arguments[1].string : "");
    result->string = data->name;
    return SYN_OK;
}

static syn_status failing(syn_state *state, const syn_value *arguments, unsigned count, syn_value *result,
                          void *user_data)
{
    (void)state;
    (void)arguments;
    (void)count;
    (void)user_data;
    result->string = "the backend is down";
    return SYN_ERROR_RUNTIME;
}

static syn_state *new_state(host *data)
{
    syn_state *state = syn_new();
    syn_set_output_handler(state, capture, NULL);
    syn_set_diagnostic_handler(state, keep_error, NULL);
    syn_value_kind name_parameters[] = {SYN_VALUE_LONG, SYN_VALUE_STRING};
    is_int(syn_register_function(state, "host_port", SYN_VALUE_LONG, NULL, 0, port, data), SYN_OK,
           "register host_port()");
    is_int(syn_register_function(state, "host_name", SYN_VALUE_STRING, name_parameters, 2, name_of, data), SYN_OK,
           "register host_name(long, string)");
    is_int(syn_register_function(state, "host_fail", SYN_VALUE_LONG, NULL, 0, failing, data), SYN_OK,
           "register host_fail()");
    return state;
}

int main(void)
{
    host data = {0};
    syn_state *state = new_state(&data);
    is_int(syn_register_function(state, "printf", SYN_VALUE_LONG, NULL, 0, port, &data), SYN_ERROR_USAGE,
           "a builtin's name: SYN_ERROR_USAGE");
    is_int(syn_register_function(state, "host_port", SYN_VALUE_LONG, NULL, 0, port, &data), SYN_ERROR_USAGE,
           "registered twice: SYN_ERROR_USAGE");
    is_int(syn_register_function(state, "not a name", SYN_VALUE_LONG, NULL, 0, port, &data), SYN_ERROR_USAGE,
           "not a name: SYN_ERROR_USAGE");
    const char *script = "global ticks\n"
                         "probe begin { printf(\"%d %s\\n\", host_port(), host_name(7, \"eu\")) }\n"
                         "probe begin { try { host_fail() } catch (why) { printf(\"caught: %s\\n\", why) } }\n"
                         "probe timer.ms(10) { ticks += host_port() if (ticks >= 3 * 8080) exit() }\n"
                         "probe end { printf(\"ticks %d\\n\", ticks) }\n";
    is_int(syn_load_string(state, "<host>", script, strlen(script)), SYN_OK, "a script calling them loads");
    is_int(syn_run(state, 5000), SYN_OK, "and runs");
    is_string(output, "8080 worker-7-eu\ncaught: host_fail() failed: the backend is down\nticks 24240\n",
              "begin, catch and a timer called them; the end saw what they returned");
    is_int(data.calls, 4, "host_port() ran 4 times (begin and three timer ticks)");
    syn_free(state);

    state = new_state(&data);
    errors_length = 0;
    const char *wrong = "probe begin { host_name(1) }\n";
    syn_load_string(state, "<wrong>", wrong, strlen(wrong));
    is_int(syn_check(state), SYN_ERROR_SEMANTIC, "the wrong number of arguments: SYN_ERROR_SEMANTIC");
    ok(strstr(errors, "<wrong>:1:15: error: host_name() takes 2 arguments, not 1") != NULL, "located: %s", errors);
    syn_free(state);

    state = new_state(&data);
    errors_length = 0;
    const char *kernel = "probe kernel.trace(\"syscalls:sys_enter_getppid\") { printf(\"%d\\n\", host_port()) }\n";
    syn_load_string(state, "<kernel>", kernel, strlen(kernel));
    is_int(syn_dump(state, 3), SYN_ERROR_SEMANTIC, "called from a kernel probe: refused when compiled");
    ok(strstr(errors, "<kernel>:1:67: error: host_port() is a function of the program embedding syn") != NULL,
       "located at the call: %s", errors);
    syn_free(state);
    return done_testing();
}
