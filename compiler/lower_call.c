/* Lowering of calls: the print family into output events, the other
 * builtins into BUILTIN instructions, and user functions (inlined into
 * kernel probes, called from userspace ones). */
#include <stdio.h>
#include <string.h>

#include "compiler/lower_internal.h"
#include "util/memory.h"

/* Inlining is how kernel probes call functions; this bounds its depth. */
enum { SYN_MAX_INLINE_DEPTH = 32 };

static syn_ir_register zero(syn_function_lowering *f, syn_ir_register_kind kind, const syn_location *location)
{
    syn_ir_instruction *instruction = syn_lower_emit(f, kind == SYN_IR_STRING ? SYN_IR_STRING_CONSTANT : SYN_IR_CONSTANT,
                                                     location);
    instruction->dest = syn_lower_register(f, kind);
    if (kind == SYN_IR_STRING)
        instruction->immediate = syn_ir_string(f->lowerer->program, "");
    return instruction->dest;
}

static syn_ir_register string_constant(syn_function_lowering *f, const char *text, const syn_location *location)
{
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_STRING_CONSTANT, location);
    instruction->dest = syn_lower_register(f, SYN_IR_STRING);
    instruction->immediate = syn_ir_string(f->lowerer->program, text);
    return instruction->dest;
}

/* ---- TCP state names ------------------------------------------------------------- */

/* The kernel's TCP states (include/net/tcp_states.h), whose numbers are ABI. */
static const char *const tcp_states[] = {
    NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND_INACTIVE",
};

/* tcp_state_str(s) is the name as tcpstates prints it ("SYN_RECV", "UNKNOWN" for
 * others); tcp_sockstate_str(s) is SystemTap's tapset function ("TCP_SYN_RECV",
 * "UNDEF").  A chain of comparisons, so both back ends run it. */
static syn_ir_register tcp_state_name(syn_function_lowering *f, const syn_expr *expr, bool systemtap_style)
{
    const syn_location *location = &expr->location;
    syn_ir_register state = syn_lower_expr(f, expr->call.arguments.items[0]);
    syn_ir_register result = string_constant(f, systemtap_style ? "UNDEF" : "UNKNOWN", location);
    uint32_t end = syn_ir_block_new(f->function);
    char name[32];
    for (uint32_t value = 1; value < sizeof(tcp_states) / sizeof(tcp_states[0]); value++) {
        /* Registers only are kept across emits, which may move earlier instructions. */
        syn_ir_register number = syn_lower_register(f, SYN_IR_LONG), equal = syn_lower_register(f, SYN_IR_LONG);
        syn_ir_instruction *constant = syn_lower_emit(f, SYN_IR_CONSTANT, location);
        constant->dest = number;
        constant->immediate = value;
        syn_ir_instruction *compare = syn_lower_emit(f, SYN_IR_COMPARE, location);
        compare->dest = equal;
        compare->a = state;
        compare->b = number;
        compare->op = SYN_IR_EQUAL;
        uint32_t matched = syn_ir_block_new(f->function), next = syn_ir_block_new(f->function);
        syn_ir_instruction *branch = syn_lower_emit(f, SYN_IR_BRANCH, location);
        branch->a = equal;
        branch->target_true = matched;
        branch->target_false = next;
        f->block = matched;
        snprintf(name, sizeof(name), "%s%s", systemtap_style ? "TCP_" : "", tcp_states[value]);
        syn_ir_instruction *text = syn_lower_emit(f, SYN_IR_STRING_CONSTANT, location);
        text->dest = result;
        text->immediate = syn_ir_string(f->lowerer->program, name);
        syn_lower_emit(f, SYN_IR_JUMP, location)->target_true = end;
        f->block = next;
    }
    syn_lower_emit(f, SYN_IR_JUMP, location)->target_true = end;
    f->block = end;
    return result;
}

/* ---- output events ------------------------------------------------------------ */

static uint32_t new_event(syn_function_lowering *f, syn_ir_event_kind kind, const char *format, bool newline,
                          uint32_t argument_count, const syn_location *location)
{
    syn_ir_program *program = f->lowerer->program;
    program->events = syn_realloc(program->events, (program->event_count + 1) * sizeof(*program->events));
    syn_ir_event *event = &program->events[program->event_count];
    memset(event, 0, sizeof(*event));
    event->kind = kind;
    event->format = format ? syn_arena_strdup(&program->arena, format) : NULL;
    event->newline = newline;
    event->argument_count = argument_count;
    event->argument_kinds = syn_arena_alloc(&program->arena, (argument_count + 1) * sizeof(*event->argument_kinds));
    event->histogram_globals = syn_arena_alloc(&program->arena, (argument_count + 1) * sizeof(uint32_t));
    event->histogram_key_counts = syn_arena_alloc(&program->arena, (argument_count + 1) * sizeof(uint32_t));
    event->location = *location;
    return program->event_count++;
}

static bool is_histogram(const syn_expr *expr)
{
    return expr->kind == SYN_EXPR_STAT && (expr->stat.op == SYN_STAT_HIST_LOG || expr->stat.op == SYN_STAT_HIST_LINEAR);
}

/* printf, print, printd and their s- forms; returns the string of the s-forms. */
static syn_ir_register lower_output(syn_function_lowering *f, const syn_expr *expr, const syn_builtin *builtin)
{
    const syn_expr_list *arguments = &expr->call.arguments;
    const char *name = builtin->name;
    bool to_string = name[0] == 's';
    bool newline = strcmp(name, "println") == 0 || strcmp(name, "sprintln") == 0 || strcmp(name, "printdln") == 0;
    syn_ir_event_kind kind = builtin->kind == SYN_BUILTIN_FORMAT    ? SYN_IR_EVENT_PRINTF
                           : builtin->kind == SYN_BUILTIN_DELIMITED ? SYN_IR_EVENT_PRINTD
                                                                    : SYN_IR_EVENT_PRINT;
    uint32_t first = kind == SYN_IR_EVENT_PRINT ? 0 : 1;
    const char *format = first ? arguments->items[0]->string.data : NULL;
    uint32_t count = arguments->count - first;
    uint32_t event_index = new_event(f, kind, format, newline, count, &expr->location);
    /* The values, then the keys of the histogram elements printed. */
    syn_ir_register values[2 * SYN_IR_MAX_ARGUMENTS];
    uint32_t key_total = 0;
    if (count > SYN_IR_MAX_ARGUMENTS) {
        syn_lower_error(f, &expr->location, "%s() takes at most %d values", name, SYN_IR_MAX_ARGUMENTS);
        return SYN_IR_NO_REGISTER;
    }
    for (uint32_t i = 0; i < count; i++) {
        const syn_expr *argument = arguments->items[first + i];
        syn_ir_event *event = &f->lowerer->program->events[event_index];
        if (is_histogram(argument)) {
            if (f->in_kernel)
                syn_lower_kernel_only_userspace(f, &argument->location, "printing a histogram");
            event->histogram_globals[i] = syn_lower_histogram(f, argument) + 1;
            event->argument_kinds[i] = SYN_IR_LONG;
            values[i] = SYN_IR_NO_REGISTER;
            const syn_expr *operand = argument->stat.operand;
            if (operand->kind == SYN_EXPR_INDEX) {
                syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
                uint32_t key_count = syn_lower_keys(f, &operand->index.keys, keys);
                if (count + key_total + key_count > 2 * SYN_IR_MAX_ARGUMENTS) {
                    syn_lower_error(f, &argument->location, "%s() prints too many histogram elements at once", name);
                    return SYN_IR_NO_REGISTER;
                }
                event = &f->lowerer->program->events[event_index];
                event->histogram_key_counts[i] = key_count;
                memcpy(values + count + key_total, keys, key_count * sizeof(*keys));
                key_total += key_count;
            }
            continue;
        }
        values[i] = syn_lower_expr(f, argument);
        f->lowerer->program->events[event_index].argument_kinds[i] = syn_lower_kind(argument->type);
    }
    syn_ir_instruction *instruction = syn_lower_emit(f, to_string ? SYN_IR_FORMAT : SYN_IR_PRINT, &expr->location);
    instruction->event = event_index;
    syn_lower_set_arguments(f, instruction, values, count + key_total);
    if (!to_string)
        return SYN_IR_NO_REGISTER;
    instruction->dest = syn_lower_register(f, SYN_IR_STRING);
    return instruction->dest;
}

syn_ir_register syn_lower_format(syn_function_lowering *f, const char *format, const syn_ir_register *values,
                                 const syn_ir_register_kind *kinds, uint32_t count, const syn_location *location)
{
    uint32_t event_index = new_event(f, SYN_IR_EVENT_PRINTF, format, false, count, location);
    syn_ir_event *event = &f->lowerer->program->events[event_index];
    for (uint32_t i = 0; i < count; i++)
        event->argument_kinds[i] = kinds[i];
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_FORMAT, location);
    instruction->event = event_index;
    syn_lower_set_arguments(f, instruction, values, count);
    instruction->dest = syn_lower_register(f, SYN_IR_STRING);
    return instruction->dest;
}

/* warn(msg) goes to standard error; log(msg) is println(msg). */
static void lower_message(syn_function_lowering *f, const syn_expr *expr, bool warning)
{
    uint32_t event = new_event(f, warning ? SYN_IR_EVENT_WARNING : SYN_IR_EVENT_PRINT, NULL, !warning, 1,
                               &expr->location);
    f->lowerer->program->events[event].argument_kinds[0] = SYN_IR_STRING;
    syn_ir_register message = syn_lower_expr(f, expr->call.arguments.items[0]);
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_PRINT, &expr->location);
    instruction->event = event;
    syn_lower_set_arguments(f, instruction, &message, 1);
}

/* ---- builtins ------------------------------------------------------------------ */

static const char *probe_function_name(const syn_function_lowering *f)
{
    const syn_point *point = f->point;
    if (!point)
        return "";
    if (point->function)
        return point->function;
    return point->event ? point->event : "";
}

static syn_ir_register lower_builtin(syn_function_lowering *f, const syn_expr *expr, const syn_builtin *builtin)
{
    const char *name = builtin->name;
    const syn_location *location = &expr->location;
    if (builtin->kind != SYN_BUILTIN_PLAIN)
        return lower_output(f, expr, builtin);
    if (strcmp(name, "exit") == 0) {
        syn_lower_emit(f, SYN_IR_EXIT, location);
        return SYN_IR_NO_REGISTER;
    }
    if (strcmp(name, "error") == 0) {
        syn_ir_register message = syn_lower_expr(f, expr->call.arguments.items[0]);
        syn_ir_instruction *raise = syn_lower_emit(f, SYN_IR_ERROR, location);
        raise->a = message;
        syn_lower_mark_fault(f, raise);
        /* Caught, the handler takes over; uncaught, the probe ends here. */
        if (raise->fault_message != SYN_IR_NO_REGISTER)
            syn_lower_emit(f, SYN_IR_JUMP, location)->target_true = raise->fault_block;
        else
            syn_lower_emit(f, SYN_IR_RETURN, location);
        return SYN_IR_NO_REGISTER;
    }
    if (strcmp(name, "warn") == 0 || strcmp(name, "log") == 0) {
        lower_message(f, expr, name[0] == 'w');
        return SYN_IR_NO_REGISTER;
    }
    if (strcmp(name, "pp") == 0)
        return string_constant(f, f->point ? f->point->name : "", location);
    if (strcmp(name, "pn") == 0)
        return string_constant(f, f->probe ? f->probe->written : "", location);
    if (strcmp(name, "tcp_state_str") == 0 || strcmp(name, "tcp_sockstate_str") == 0)
        return tcp_state_name(f, expr, strcmp(name, "tcp_sockstate_str") == 0);
    if (syn_lower_is_byte_order(name))
        return syn_lower_byte_order(f, expr);
    if (strcmp(name, "is_return") == 0) {
        syn_ir_instruction *value = syn_lower_emit(f, SYN_IR_CONSTANT, location);
        value->dest = syn_lower_register(f, SYN_IR_LONG);
        value->immediate = f->point && f->point->is_return;
        return value->dest;
    }
    if (strcmp(name, "probefunc") == 0 || strcmp(name, "ppfunc") == 0)
        return string_constant(f, probe_function_name(f), location);
    syn_ir_register register_value;
    if (syn_lower_register_call(f, expr, name, &register_value))
        return register_value;
    if (strncmp(name, "packet_", 7) == 0 && (!f->point || f->point->context != SYN_CONTEXT_PACKET)) {
        syn_lower_error(f, location, "%s() reads the packet of a net.ingress or net.egress probe, not of %s", name,
                        f->point ? f->point->name : "a function called from userspace probes");
        return zero(f, SYN_IR_LONG, location);
    }
    if (f->in_kernel ? !builtin->in_kernel : !builtin->in_userspace) {
        if (f->in_kernel)
            syn_lower_kernel_only_userspace(f, location, name);
        else
            syn_lower_error(f, location, "%s() reads kernel or user memory and can only run in a kernel probe",
                            name);
        return zero(f, syn_lower_kind(builtin->return_type), location);
    }
    syn_ir_register arguments[SYN_BUILTIN_MAX_PARAMETERS];
    uint32_t count = expr->call.arguments.count;
    for (uint32_t i = 0; i < count; i++)
        arguments[i] = syn_lower_expr(f, expr->call.arguments.items[i]);
    syn_ir_instruction *call = syn_lower_emit(f, SYN_IR_BUILTIN, location);
    call->op = syn_builtin_index(builtin);
    syn_lower_set_arguments(f, call, arguments, count);
    syn_lower_mark_fault(f, call);
    if (builtin->return_type != SYN_TYPE_UNKNOWN)
        call->dest = syn_lower_register(f, syn_lower_kind(builtin->return_type));
    return call->dest;
}

/* ---- user functions -------------------------------------------------------------- */

static syn_ir_register inline_call(syn_function_lowering *f, const syn_expr *expr, const syn_function_info *info)
{
    for (const syn_inline_frame *frame = f->inline_frame; frame; frame = frame->outer) {
        if (frame->function == info) {
            syn_lower_error(f, &expr->location,
                            "function '%s' calls itself; a kernel probe cannot run recursive functions",
                            info->function->name);
            return SYN_IR_NO_REGISTER;
        }
    }
    if (f->inline_depth >= SYN_MAX_INLINE_DEPTH) {
        syn_lower_error(f, &expr->location, "function calls nest more than %d deep", SYN_MAX_INLINE_DEPTH);
        return SYN_IR_NO_REGISTER;
    }
    syn_ir_register values[SYN_IR_MAX_ARGUMENTS];
    uint32_t count = expr->call.arguments.count;
    for (uint32_t i = 0; i < count; i++)
        values[i] = syn_lower_expr(f, expr->call.arguments.items[i]);

    syn_inline_frame frame = {
        .function = info,
        .exit_block = syn_ir_block_new(f->function),
        .result = SYN_IR_NO_REGISTER,
        .outer = f->inline_frame,
    };
    bool returns_value = info->return_type == SYN_TYPE_LONG || info->return_type == SYN_TYPE_STRING;
    if (returns_value)
        frame.result = zero(f, syn_lower_kind(info->return_type), &expr->location);
    for (uint32_t i = 0; i < count; i++) {
        syn_ir_instruction *move = syn_lower_emit(f, SYN_IR_MOVE, &expr->location);
        move->dest = syn_lower_local(f, info->parameters[i]);
        move->a = values[i];
    }
    for (uint32_t i = 0; i < info->locals.count; i++) {
        const syn_symbol *local = info->locals.items[i];
        syn_ir_instruction *clear = syn_lower_emit(f, local->type == SYN_TYPE_STRING ? SYN_IR_STRING_CONSTANT
                                                                                     : SYN_IR_CONSTANT,
                                                   &expr->location);
        clear->dest = syn_lower_local(f, local);
        if (local->type == SYN_TYPE_STRING)
            clear->immediate = syn_ir_string(f->lowerer->program, "");
    }
    /* Loops of the caller are not the callee's to break out of. */
    uint32_t saved_loops = f->loop_count;
    f->loop_count = 0;
    f->inline_frame = &frame;
    f->inline_depth++;
    syn_lower_statement(f, info->function->body);
    f->inline_depth--;
    f->inline_frame = frame.outer;
    f->loop_count = saved_loops;
    syn_lower_emit(f, SYN_IR_JUMP, &expr->location)->target_true = frame.exit_block;
    f->block = frame.exit_block;
    return frame.result;
}

static syn_ir_register call_userspace(syn_function_lowering *f, const syn_expr *expr, const syn_function_info *info)
{
    syn_ir_register values[SYN_IR_MAX_ARGUMENTS];
    uint32_t count = expr->call.arguments.count;
    for (uint32_t i = 0; i < count; i++)
        values[i] = syn_lower_expr(f, expr->call.arguments.items[i]);
    uint32_t function = syn_lower_userspace_function(f->lowerer, info);
    syn_ir_instruction *call = syn_lower_emit(f, SYN_IR_CALL, &expr->location);
    call->function = function;
    syn_lower_set_arguments(f, call, values, count);
    syn_lower_mark_fault(f, call);
    if (info->return_type == SYN_TYPE_LONG || info->return_type == SYN_TYPE_STRING)
        call->dest = syn_lower_register(f, syn_lower_kind(info->return_type));
    return call->dest;
}

/* A function of the host runs in syn's process: userspace probes only. */
static syn_ir_register host_call(syn_function_lowering *f, const syn_expr *expr)
{
    const syn_host_signature *host =
        &f->lowerer->checked->host_functions[expr->call.host_function - 1];
    if (f->in_kernel) {
        syn_lower_error(f, &expr->location,
                        "%s() is a function of the program embedding syn: it runs in userspace probes (begin, end, "
                        "timers), not in %s", host->name, f->point ? f->point->name : "a kernel probe");
        return zero(f, syn_lower_kind(host->return_type), &expr->location);
    }
    syn_ir_register arguments[SYN_BUILTIN_MAX_PARAMETERS];
    uint32_t count = expr->call.arguments.count;
    for (uint32_t i = 0; i < count; i++)
        arguments[i] = syn_lower_expr(f, expr->call.arguments.items[i]);
    syn_ir_instruction *call = syn_lower_emit(f, SYN_IR_HOST_CALL, &expr->location);
    call->op = expr->call.host_function - 1;
    syn_lower_set_arguments(f, call, arguments, count);
    syn_lower_mark_fault(f, call);
    call->dest = syn_lower_register(f, syn_lower_kind(host->return_type));
    return call->dest;
}

syn_ir_register syn_lower_call(syn_function_lowering *f, const syn_expr *expr, bool value_used)
{
    (void)value_used;
    if (expr->call.function) {
        const syn_function_info *info = expr->call.function->info;
        return f->in_kernel ? inline_call(f, expr, info) : call_userspace(f, expr, info);
    }
    if (expr->call.host_function)
        return host_call(f, expr);
    if (f->in_kernel && expr->call.kernel_function) {
        syn_expr call = *expr;
        call.call.function = expr->call.kernel_function;
        return inline_call(f, &call, call.call.function->info);
    }
    return lower_builtin(f, expr, syn_builtin_lookup(expr->call.name));
}
