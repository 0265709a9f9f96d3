/* Functions the embedding host gives scripts (syn_register_function): kept
 * per state, resolved by the semantic pass like builtins and run by the
 * interpreter through its host (runtime/session.c). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "compiler/builtins.h"
#include "runtime/interpreter.h"
#include "runtime/state.h"
#include "util/memory.h"

static bool valid_name(const char *name)
{
    if (!name || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
        return false;
    for (const char *c = name; *c; c++) {
        if (!isalnum((unsigned char)*c) && *c != '_')
            return false;
    }
    return true;
}

static syn_type type_of(syn_value_kind kind)
{
    return kind == SYN_VALUE_STRING ? SYN_TYPE_STRING : SYN_TYPE_LONG;
}

syn_status syn_register_function(syn_state *state, const char *name, syn_value_kind result,
                                 const syn_value_kind *parameters, unsigned parameter_count,
                                 syn_host_function function, void *user_data)
{
    if (!valid_name(name) || !function || parameter_count > SYN_BUILTIN_MAX_PARAMETERS ||
        (parameter_count && !parameters)) {
        syn_error(&state->diagnostics, NULL, "syn_register_function: a function needs a name made of letters, "
                                             "digits and '_', a callback and at most %d parameters",
                  SYN_BUILTIN_MAX_PARAMETERS);
        return SYN_ERROR_USAGE;
    }
    if (syn_builtin_lookup(name)) {
        syn_error(&state->diagnostics, NULL, "syn_register_function: %s() is a builtin of the language", name);
        return SYN_ERROR_USAGE;
    }
    for (unsigned i = 0; i < state->host_count; i++) {
        if (strcmp(state->host_signatures[i].name, name) == 0) {
            syn_error(&state->diagnostics, NULL, "syn_register_function: %s() is registered already", name);
            return SYN_ERROR_USAGE;
        }
    }
    state->host_signatures = syn_realloc(state->host_signatures,
                                         (state->host_count + 1) * sizeof(*state->host_signatures));
    state->host_calls = syn_realloc(state->host_calls, (state->host_count + 1) * sizeof(*state->host_calls));
    syn_host_signature *signature = &state->host_signatures[state->host_count];
    memset(signature, 0, sizeof(*signature));
    signature->name = syn_strdup(name);
    signature->return_type = type_of(result);
    signature->parameter_count = parameter_count;
    for (unsigned i = 0; i < parameter_count; i++)
        signature->parameters[i] = type_of(parameters[i]);
    state->host_calls[state->host_count] = (syn_host_call){.function = function, .user_data = user_data,
                                                           .result = result};
    for (unsigned i = 0; i < parameter_count; i++)
        state->host_calls[state->host_count].parameters[i] = parameters[i];
    state->host_count++;
    return SYN_OK;
}

bool syn_state_call_host(syn_state *state, uint32_t index, const syn_builtin_value *arguments, uint32_t count,
                         int64_t *number, char *string, size_t string_size, char *message, size_t message_size)
{
    if (index >= state->host_count)
        return false;
    const syn_host_call *call = &state->host_calls[index];
    syn_value values[SYN_BUILTIN_MAX_PARAMETERS];
    for (uint32_t i = 0; i < count && i < SYN_BUILTIN_MAX_PARAMETERS; i++)
        values[i] = (syn_value){.kind = call->parameters[i], .number = arguments[i].number,
                                .string = call->parameters[i] == SYN_VALUE_STRING ? arguments[i].string : NULL};
    syn_value result = {.kind = call->result};
    syn_status status = call->function(state, values, count, &result, call->user_data);
    if (status != SYN_OK) {
        snprintf(message, message_size, "%s() failed: %s", state->host_signatures[index].name,
                 result.string ? result.string : syn_status_string(status));
        return false;
    }
    if (call->result == SYN_VALUE_STRING && string && string_size)
        snprintf(string, string_size, "%s", result.string ? result.string : "");
    else
        *number = result.number;
    return true;
}

void syn_state_release_hosts(syn_state *state)
{
    for (unsigned i = 0; i < state->host_count; i++)
        free((char *)state->host_signatures[i].name);
    free(state->host_signatures);
    free(state->host_calls);
}
