#define _GNU_SOURCE
#include "runtime/interpreter.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/builtins.h"
#include "compiler/statistics.h"
#include "runtime/render.h"
#include "util/buffer.h"
#include "util/memory.h"

/* SystemTap's MAXNESTING: how deep user functions may call each other. */
enum { SYN_MAX_CALL_NESTING = 10, SYN_INTERRUPT_CHECK = 4096 };

typedef struct iterator {
    bool active;
    uint32_t global;
    uint8_t *keys;            /* sorted, key_sizes[global] bytes each */
    uint32_t count;
    uint32_t position;
    char *value_buffer;
} iterator;

typedef struct regex_entry {
    uint32_t string;
    regex_t compiled;
    bool valid;
} regex_entry;

struct syn_interpreter {
    const syn_ir_program *program;
    syn_maps *maps;
    syn_interpreter_host host;
    syn_diagnostics *diagnostics;
    regex_entry *regexes;
    uint32_t regex_count;
    uint32_t depth;
    const syn_ir_probe *probe;
    uint64_t steps;
};

typedef struct value {
    int64_t number;
    char *string;             /* a buffer of max_string_length bytes for string registers */
} value;

typedef struct frame {
    const syn_ir_function *function;
    value *registers;
    iterator *iterators;
    uint32_t iterator_count;
} frame;

/* A runtime error: its message and where it happened. */
typedef struct fault {
    bool raised;
    char message[512];
    syn_location location;
} fault;

syn_interpreter *syn_interpreter_new(const syn_ir_program *program, syn_maps *maps,
                                     const syn_interpreter_host *host, syn_diagnostics *diagnostics)
{
    syn_interpreter *interpreter = syn_calloc(1, sizeof(*interpreter));
    interpreter->program = program;
    interpreter->maps = maps;
    interpreter->host = *host;
    interpreter->diagnostics = diagnostics;
    return interpreter;
}

void syn_interpreter_free(syn_interpreter *interpreter)
{
    if (!interpreter)
        return;
    for (uint32_t i = 0; i < interpreter->regex_count; i++) {
        if (interpreter->regexes[i].valid)
            regfree(&interpreter->regexes[i].compiled);
    }
    free(interpreter->regexes);
    free(interpreter);
}

static uint32_t string_size(const syn_interpreter *interpreter)
{
    return interpreter->program->max_string_length;
}

static void raise_fault(fault *problem, const syn_ir_instruction *instruction, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void raise_fault(fault *problem, const syn_ir_instruction *instruction, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(problem->message, sizeof(problem->message), format, args);
    va_end(args);
    problem->raised = true;
    problem->location = instruction->location;
}

static void set_string(const syn_interpreter *interpreter, value *target, const char *text)
{
    size_t limit = string_size(interpreter) - 1;
    size_t length = strnlen(text, limit);
    memmove(target->string, text, length);
    target->string[length] = '\0';
}

/* ---- frames ----------------------------------------------------------------- */

static void frame_open(syn_interpreter *interpreter, frame *current, const syn_ir_function *function)
{
    current->function = function;
    current->registers = syn_calloc(function->register_count + 1, sizeof(value));
    for (uint32_t r = 0; r < function->register_count; r++) {
        if (function->registers[r] == SYN_IR_STRING)
            current->registers[r].string = syn_calloc(1, string_size(interpreter));
    }
    current->iterators = NULL;
    current->iterator_count = 0;
}

static void iterator_release(iterator *it)
{
    free(it->keys);
    free(it->value_buffer);
    memset(it, 0, sizeof(*it));
}

static void frame_close(frame *current)
{
    for (uint32_t r = 0; r < current->function->register_count; r++)
        free(current->registers[r].string);
    free(current->registers);
    for (uint32_t i = 0; i < current->iterator_count; i++)
        iterator_release(&current->iterators[i]);
    free(current->iterators);
}

/* ---- maps ----------------------------------------------------------------------- */

static void keys_of(const frame *current, const syn_ir_instruction *instruction, syn_map_value *keys)
{
    for (uint32_t k = 0; k < instruction->argument_count; k++) {
        syn_ir_register reg = instruction->arguments[k];
        keys[k].number = reg == SYN_IR_NO_REGISTER ? 0 : current->registers[reg].number;
        keys[k].string = reg == SYN_IR_NO_REGISTER ? "" : current->registers[reg].string;
    }
}

static bool has_wildcard(const syn_ir_instruction *instruction)
{
    for (uint32_t k = 0; k < instruction->argument_count; k++) {
        if (instruction->arguments[k] == SYN_IR_NO_REGISTER)
            return true;
    }
    return false;
}

/* Does a stored key match a slice's keys ('*' matches anything)? */
static bool key_matches(const syn_interpreter *interpreter, uint32_t global, const uint8_t *key,
                        const frame *current, const syn_ir_register *slice, uint32_t slice_count)
{
    syn_map_value decoded[SYN_IR_MAX_ARGUMENTS];
    syn_maps_decode_key(interpreter->maps, global, key, decoded);
    for (uint32_t k = 0; k < slice_count; k++) {
        if (slice[k] == SYN_IR_NO_REGISTER)
            continue;
        const value *wanted = &current->registers[slice[k]];
        if (decoded[k].string ? strcmp(decoded[k].string, wanted->string) != 0 : decoded[k].number != wanted->number)
            return false;
    }
    return true;
}

static uint32_t matching_keys(syn_interpreter *interpreter, uint32_t global, const frame *current,
                              const syn_ir_register *slice, uint32_t slice_count, uint8_t **keys)
{
    uint32_t size = interpreter->maps->key_sizes[global];
    uint32_t count = syn_maps_keys(interpreter->maps, global, keys);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t *key = *keys + (size_t)i * size;
        if (!slice_count || key_matches(interpreter, global, key, current, slice, slice_count)) {
            if (kept != i)
                memmove(*keys + (size_t)kept * size, key, size);
            kept++;
        }
    }
    return kept;
}

static void map_load(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction)
{
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS], loaded;
    keys_of(current, instruction, keys);
    uint8_t *key = syn_malloc(interpreter->maps->key_sizes[instruction->global]);
    syn_maps_encode_key(interpreter->maps, instruction->global, keys, key);
    value *target = &current->registers[instruction->dest];
    syn_maps_lookup(interpreter->maps, instruction->global, key, &loaded, target->string);
    if (!target->string)
        target->number = loaded.number;
    free(key);
}

static bool map_store(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction,
                      bool add, fault *problem)
{
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    keys_of(current, instruction, keys);
    uint32_t global = instruction->global;
    uint8_t *key = syn_malloc(interpreter->maps->key_sizes[global]);
    syn_maps_encode_key(interpreter->maps, global, keys, key);
    const value *source = &current->registers[instruction->a];
    syn_map_value stored = {.number = source->number, .string = source->string};
    if (add) {
        syn_map_value old;
        syn_maps_lookup(interpreter->maps, global, key, &old, NULL);
        stored.number = (int64_t)((uint64_t)stored.number + (uint64_t)old.number); /* wraps, as in BPF */
    }
    bool ok = syn_maps_store(interpreter->maps, global, key, &stored);
    free(key);
    if (!ok)
        raise_fault(problem, instruction, "array overflow, check MAXMAPENTRIES (array '%s' is full)",
                    interpreter->program->globals[global].name);
    return ok;
}

static void map_delete(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction)
{
    uint32_t global = instruction->global;
    if (has_wildcard(instruction)) {
        uint8_t *keys;
        uint32_t count = matching_keys(interpreter, global, current, instruction->arguments,
                                       instruction->argument_count, &keys);
        for (uint32_t i = 0; i < count; i++)
            syn_maps_delete(interpreter->maps, global, keys + (size_t)i * interpreter->maps->key_sizes[global]);
        free(keys);
        return;
    }
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    keys_of(current, instruction, keys);
    uint8_t *key = syn_malloc(interpreter->maps->key_sizes[global]);
    syn_maps_encode_key(interpreter->maps, global, keys, key);
    syn_maps_delete(interpreter->maps, global, key);
    free(key);
}

static int64_t map_exists(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction)
{
    uint32_t global = instruction->global;
    if (has_wildcard(instruction)) {
        uint8_t *keys;
        uint32_t count = matching_keys(interpreter, global, current, instruction->arguments,
                                       instruction->argument_count, &keys);
        free(keys);
        return count > 0;
    }
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    keys_of(current, instruction, keys);
    uint8_t *key = syn_malloc(interpreter->maps->key_sizes[global]);
    syn_maps_encode_key(interpreter->maps, global, keys, key);
    bool found;
    if (interpreter->program->globals[global].kind == SYN_IR_GLOBAL_STATISTIC) {
        syn_statistic statistic;
        found = syn_maps_stat_read(interpreter->maps, global, key, &statistic);
        syn_statistic_release(&statistic);
    } else {
        syn_map_value ignored;
        char *buffer = syn_malloc(string_size(interpreter));
        found = syn_maps_lookup(interpreter->maps, global, key, &ignored, buffer);
        free(buffer);
    }
    free(key);
    return found;
}

static bool statistic_add(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction,
                          fault *problem)
{
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    keys_of(current, instruction, keys);
    uint32_t global = instruction->global;
    uint8_t *key = syn_calloc(1, interpreter->maps->key_sizes[global] + 4);
    syn_maps_encode_key(interpreter->maps, global, keys, key);
    bool ok = syn_maps_stat_add(interpreter->maps, global, key, current->registers[instruction->a].number);
    free(key);
    if (!ok)
        raise_fault(problem, instruction, "array overflow, check MAXMAPENTRIES (statistic '%s' is full)",
                    interpreter->program->globals[global].name);
    return ok;
}

static int64_t statistic_value(const syn_statistic *statistic, syn_stat_op op, int64_t shift)
{
    switch (op) {
    case SYN_STAT_COUNT: return statistic->count;
    case SYN_STAT_SUM: return statistic->sum;
    case SYN_STAT_MIN: return statistic->min;
    case SYN_STAT_MAX: return statistic->max;
    case SYN_STAT_AVG: return statistic->count ? statistic->sum / statistic->count : 0;
    case SYN_STAT_VARIANCE: {
        if (statistic->count < 2)
            return 0;
        /* SystemTap's optional argument scales the values up by 2^shift first. */
        /* 64-bit arithmetic that wraps, as SystemTap's C does in practice. */
        uint64_t count = (uint64_t)statistic->count;
        uint64_t sum = (uint64_t)statistic->sum << (shift & 63);
        uint64_t squares = (uint64_t)statistic->sum_squares << ((2 * shift) & 63);
        int64_t numerator = (int64_t)(squares * count - sum * sum);
        int64_t denominator = (int64_t)(count * (count - 1));
        if (denominator == 0 || (numerator == INT64_MIN && denominator == -1))
            return 0;
        return numerator / denominator;
    }
    default: return 0;
    }
}

static bool statistic_read(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction,
                           fault *problem)
{
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    keys_of(current, instruction, keys);
    uint32_t global = instruction->global;
    uint8_t *key = syn_calloc(1, interpreter->maps->key_sizes[global] + 4);
    syn_maps_encode_key(interpreter->maps, global, keys, key);
    syn_statistic statistic;
    bool found = syn_maps_stat_read(interpreter->maps, global, key, &statistic);
    free(key);
    syn_stat_op op = (syn_stat_op)instruction->op;
    int64_t result = 0;
    if (op == SYN_STAT_HIST_LOG || op == SYN_STAT_HIST_LINEAR) {
        int64_t bucket = current->registers[instruction->b].number;
        if (bucket >= 0 && (uint64_t)bucket < statistic.bucket_count)
            result = statistic.buckets[bucket];
    } else if (!found && op != SYN_STAT_COUNT && op != SYN_STAT_SUM) {
        raise_fault(problem, instruction, "empty aggregate: @%s of '%s' has no values", syn_stat_op_name(op),
                    interpreter->program->globals[global].name);
    } else {
        result = statistic_value(&statistic, op, instruction->immediate);
    }
    syn_statistic_release(&statistic);
    current->registers[instruction->dest].number = result;
    return !problem->raised;
}

/* ---- foreach ------------------------------------------------------------------ */

typedef struct sort_entry {
    uint8_t *key;
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    int64_t number;
    char *string;
} sort_entry;

typedef struct sort_order {
    int column;
    int direction;
} sort_order;

static int compare_values(int64_t a_number, const char *a_string, int64_t b_number, const char *b_string)
{
    if (a_string || b_string)
        return strcmp(a_string ? a_string : "", b_string ? b_string : "");
    return (a_number > b_number) - (a_number < b_number);
}

static int compare_entries(const void *left, const void *right, void *context)
{
    const sort_entry *a = left, *b = right;
    const sort_order *order = context;
    int result;
    if (order->column < 0)
        result = compare_values(a->number, a->string, b->number, b->string);
    else
        result = compare_values(a->keys[order->column].number, a->keys[order->column].string,
                                b->keys[order->column].number, b->keys[order->column].string);
    return result * order->direction;
}

/* The value a sort on the value uses: the element, or an aggregate of a
 * statistic (@count unless the script names another). */
static void entry_value(syn_interpreter *interpreter, uint32_t global, sort_entry *entry, syn_stat_op aggregate)
{
    const syn_ir_global *description = &interpreter->program->globals[global];
    if (description->kind == SYN_IR_GLOBAL_STATISTIC) {
        syn_statistic statistic;
        syn_maps_stat_read(interpreter->maps, global, entry->key, &statistic);
        entry->number = statistic_value(&statistic, aggregate ? aggregate : SYN_STAT_COUNT, 0);
        syn_statistic_release(&statistic);
        return;
    }
    syn_map_value loaded;
    if (description->value_kind == SYN_IR_STRING)
        entry->string = syn_malloc(string_size(interpreter));
    syn_maps_lookup(interpreter->maps, global, entry->key, &loaded, entry->string);
    entry->number = loaded.number;
}

static void iterate_begin(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction)
{
    uint32_t index = (uint32_t)instruction->immediate;
    if (index >= current->iterator_count) {
        current->iterators = syn_realloc(current->iterators, (index + 1) * sizeof(iterator));
        memset(current->iterators + current->iterator_count, 0,
               (index + 1 - current->iterator_count) * sizeof(iterator));
        current->iterator_count = index + 1;
    }
    iterator *it = &current->iterators[index];
    iterator_release(it);
    uint32_t global = instruction->global;
    uint32_t size = interpreter->maps->key_sizes[global];
    it->active = true;
    it->global = global;
    it->count = matching_keys(interpreter, global, current, instruction->arguments, instruction->argument_count,
                              &it->keys);
    if (instruction->sort.direction && it->count > 1) {
        sort_entry *entries = syn_calloc(it->count, sizeof(*entries));
        for (uint32_t i = 0; i < it->count; i++) {
            entries[i].key = it->keys + (size_t)i * size;
            syn_maps_decode_key(interpreter->maps, global, entries[i].key, entries[i].keys);
            if (instruction->sort.column < 0)
                entry_value(interpreter, global, &entries[i], instruction->sort.aggregate);
        }
        sort_order order = {.column = instruction->sort.column < 0 ? -1 : instruction->sort.column - 1,
                            .direction = instruction->sort.direction};
        qsort_r(entries, it->count, sizeof(*entries), compare_entries, &order);
        uint8_t *sorted = syn_malloc((size_t)it->count * size);
        for (uint32_t i = 0; i < it->count; i++) {
            memcpy(sorted + (size_t)i * size, entries[i].key, size);
            free(entries[i].string);
        }
        free(entries);
        free(it->keys);
        it->keys = sorted;
    }
    if (instruction->a != SYN_IR_NO_REGISTER) {
        int64_t limit = current->registers[instruction->a].number;
        if (limit < 0)
            limit = 0;
        if ((uint64_t)limit < it->count)
            it->count = (uint32_t)limit;
    }
}

/* Fills the loop's key and value variables; false when done. */
static bool iterate_next(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction)
{
    iterator *it = &current->iterators[instruction->immediate];
    if (!it->active || it->position >= it->count)
        return false;
    uint32_t global = it->global;
    const uint8_t *key = it->keys + (size_t)it->position++ * interpreter->maps->key_sizes[global];
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    syn_maps_decode_key(interpreter->maps, global, key, keys);
    uint32_t key_count = instruction->argument_count - 1;
    for (uint32_t k = 0; k < key_count; k++) {
        value *target = &current->registers[instruction->arguments[k]];
        if (target->string)
            set_string(interpreter, target, keys[k].string);
        else
            target->number = keys[k].number;
    }
    syn_ir_register value_register = instruction->arguments[key_count];
    if (value_register != SYN_IR_NO_REGISTER) {
        value *target = &current->registers[value_register];
        syn_map_value loaded;
        syn_maps_lookup(interpreter->maps, global, key, &loaded, target->string);
        if (!target->string)
            target->number = loaded.number;
    }
    return true;
}

/* ---- output ----------------------------------------------------------------------- */

static bool render(syn_interpreter *interpreter, const frame *current, const syn_ir_instruction *instruction,
                   syn_buffer *out, bool json, fault *problem)
{
    const syn_ir_event *event = &interpreter->program->events[instruction->event];
    syn_output_value values[SYN_IR_MAX_ARGUMENTS + 1];
    uint8_t *histogram_keys[SYN_IR_MAX_ARGUMENTS] = {0};
    uint32_t next_key = event->argument_count;
    for (uint32_t i = 0; i < event->argument_count; i++) {
        syn_ir_register reg = instruction->arguments[i];
        memset(&values[i], 0, sizeof(values[i]));
        uint32_t key_count = event->histogram_key_counts[i];
        if (key_count) {
            /* The element's key, encoded as the map keeps it. */
            syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
            for (uint32_t k = 0; k < key_count; k++) {
                const value *key = &current->registers[instruction->arguments[next_key + k]];
                keys[k] = (syn_map_value){.number = key->number, .string = key->string ? key->string : ""};
            }
            next_key += key_count;
            uint32_t global = event->histogram_globals[i] - 1;
            histogram_keys[i] = syn_calloc(1, interpreter->maps->key_sizes[global] + 4);
            syn_maps_encode_key(interpreter->maps, global, keys, histogram_keys[i]);
            values[i].string = (const char *)histogram_keys[i];
        }
        if (reg == SYN_IR_NO_REGISTER)
            continue;
        values[i].is_string = event->argument_kinds[i] == SYN_IR_STRING;
        values[i].number = current->registers[reg].number;
        values[i].string = current->registers[reg].string;
        values[i].length = values[i].string ? strlen(values[i].string) : 0;
    }
    uint32_t empty = 0;
    bool rendered =
        syn_render_event(out, interpreter->program, interpreter->maps, instruction->event, values, &empty, json);
    for (uint32_t i = 0; i < event->argument_count; i++)
        free(histogram_keys[i]);
    if (!rendered) {
        raise_fault(problem, instruction, "empty aggregate: the histogram of '%s' has no values",
                    interpreter->program->globals[empty].name);
        return false;
    }
    return true;
}

static bool print(syn_interpreter *interpreter, const frame *current, const syn_ir_instruction *instruction,
                  fault *problem)
{
    syn_buffer out;
    syn_buffer_init(&out);
    bool warning = interpreter->program->events[instruction->event].kind == SYN_IR_EVENT_WARNING;
    bool ok = render(interpreter, current, instruction, &out, interpreter->host.json && !warning, problem);
    if (ok && out.length) {
        if (warning && interpreter->host.warning)
            interpreter->host.warning(interpreter->host.context, out.data, out.length);
        else if (interpreter->host.output)
            interpreter->host.output(interpreter->host.context, out.data, out.length);
    }
    syn_buffer_release(&out);
    return ok;
}

/* ---- execution ------------------------------------------------------------------- */

static int64_t arithmetic(syn_operator op, int64_t a, int64_t b)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (op) {
    case SYN_OP_ADD: return (int64_t)(ua + ub);
    case SYN_OP_SUBTRACT: return (int64_t)(ua - ub);
    case SYN_OP_MULTIPLY: return (int64_t)(ua * ub);
    case SYN_OP_DIVIDE: return (a == INT64_MIN && b == -1) ? a : a / b;
    case SYN_OP_MODULO: return (a == INT64_MIN && b == -1) ? 0 : a % b;
    case SYN_OP_SHIFT_LEFT: return (int64_t)(ua << (ub & 63));
    case SYN_OP_SHIFT_RIGHT: return a >> (ub & 63);
    case SYN_OP_UNSIGNED_SHIFT_RIGHT: return (int64_t)(ua >> (ub & 63));
    case SYN_OP_BIT_AND: return a & b;
    case SYN_OP_BIT_OR: return a | b;
    case SYN_OP_BIT_XOR: return a ^ b;
    default: return 0;
    }
}

static bool compare(syn_ir_compare op, int order)
{
    switch (op) {
    case SYN_IR_EQUAL: return order == 0;
    case SYN_IR_NOT_EQUAL: return order != 0;
    case SYN_IR_LESS: return order < 0;
    case SYN_IR_LESS_EQUAL: return order <= 0;
    case SYN_IR_GREATER: return order > 0;
    default: return order >= 0;
    }
}

static regex_t *compiled_regex(syn_interpreter *interpreter, uint32_t string, const syn_ir_instruction *instruction,
                               fault *problem)
{
    for (uint32_t i = 0; i < interpreter->regex_count; i++) {
        if (interpreter->regexes[i].string == string)
            return interpreter->regexes[i].valid ? &interpreter->regexes[i].compiled : NULL;
    }
    interpreter->regexes = syn_realloc(interpreter->regexes, (interpreter->regex_count + 1) * sizeof(regex_entry));
    regex_entry *entry = &interpreter->regexes[interpreter->regex_count++];
    entry->string = string;
    entry->valid = regcomp(&entry->compiled, interpreter->program->strings[string], REG_EXTENDED | REG_NOSUB) == 0;
    if (!entry->valid) {
        raise_fault(problem, instruction, "invalid regular expression \"%s\"", interpreter->program->strings[string]);
        return NULL;
    }
    return &entry->compiled;
}

/* A builtin, or a function of the host (SYN_IR_HOST_CALL): the same
 * arguments in, a number or a string out, a message when it fails. */
static bool builtin(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction,
                    fault *problem)
{
    syn_builtin_value arguments[SYN_BUILTIN_MAX_PARAMETERS];
    for (uint32_t i = 0; i < instruction->argument_count && i < SYN_BUILTIN_MAX_PARAMETERS; i++) {
        arguments[i].number = current->registers[instruction->arguments[i]].number;
        arguments[i].string = current->registers[instruction->arguments[i]].string;
    }
    value *target = instruction->dest != SYN_IR_NO_REGISTER ? &current->registers[instruction->dest] : NULL;
    int64_t number = 0;
    char message[256] = "";
    const syn_interpreter_host *host = &interpreter->host;
    bool done;
    if (instruction->opcode == SYN_IR_HOST_CALL)
        done = host->host_function &&
               host->host_function(host->context, instruction->op, arguments, instruction->argument_count, &number,
                                   target ? target->string : NULL, string_size(interpreter), message,
                                   sizeof(message));
    else
        done = syn_userspace_builtin(syn_builtin_at(instruction->op)->name, arguments, instruction->argument_count,
                                     host, &number, target ? target->string : NULL, string_size(interpreter),
                                     message, sizeof(message));
    if (!done) {
        raise_fault(problem, instruction, "%s", message[0] ? message : "the host function failed");
        return false;
    }
    if (target && !target->string)
        target->number = number;
    return true;
}

static bool run_function(syn_interpreter *interpreter, const syn_ir_function *function, value *arguments,
                         value *result, fault *problem);

static bool call(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction, fault *problem)
{
    const syn_ir_function *callee = interpreter->program->functions[instruction->function];
    if (interpreter->depth >= SYN_MAX_CALL_NESTING) {
        raise_fault(problem, instruction, "MAXNESTING exceeded: functions nest more than %d deep calling '%s'",
                    SYN_MAX_CALL_NESTING, callee->name);
        return false;
    }
    value arguments[SYN_IR_MAX_ARGUMENTS];
    for (uint32_t i = 0; i < instruction->argument_count; i++)
        arguments[i] = current->registers[instruction->arguments[i]];
    value *result = instruction->dest != SYN_IR_NO_REGISTER ? &current->registers[instruction->dest] : NULL;
    interpreter->depth++;
    bool ok = run_function(interpreter, callee, arguments, result, problem);
    interpreter->depth--;
    return ok;
}

static void copy_value(const syn_interpreter *interpreter, value *target, const value *source)
{
    if (target->string)
        set_string(interpreter, target, source->string ? source->string : "");
    else
        target->number = source->number;
}

/* @cast(...)->field, kernel_int() and friends in a userspace probe: the
 * host reads the kernel for it.  Faults as the kernel probe's read would. */
static bool kernel_memory(syn_interpreter *interpreter, const syn_ir_instruction *instruction, value *dest,
                          const value *address, fault *problem)
{
    uint64_t at = (uint64_t)address->number + (uint64_t)instruction->immediate;
    char message[256];
    if (instruction->flags & SYN_IR_READ_USER) {
        raise_fault(problem, instruction, "a userspace probe has no user memory to read (it runs in syn)");
        return false;
    }
    if (instruction->opcode == SYN_IR_KERNEL_STRING) {
        if (syn_userspace_read_kernel(&interpreter->host, at, dest->string, string_size(interpreter), true, message,
                                      sizeof(message)))
            return true;
    } else {
        uint8_t bytes[8];
        uint32_t size = instruction->size <= 8 ? instruction->size : 8;
        if (syn_userspace_read_kernel(&interpreter->host, at, bytes, size, false, message, sizeof(message))) {
            dest->number = syn_userspace_kernel_number(bytes, size, instruction->is_signed);
            return true;
        }
    }
    raise_fault(problem, instruction, "%s", message);
    return false;
}

/* Executes one non-terminator instruction; false after a fault. */
static bool execute(syn_interpreter *interpreter, frame *current, const syn_ir_instruction *instruction,
                    fault *problem)
{
    value *registers = current->registers;
    value *dest = instruction->dest != SYN_IR_NO_REGISTER ? &registers[instruction->dest] : NULL;
    const value *a = instruction->a != SYN_IR_NO_REGISTER ? &registers[instruction->a] : NULL;
    const value *b = instruction->b != SYN_IR_NO_REGISTER ? &registers[instruction->b] : NULL;
    syn_maps *maps = interpreter->maps;
    switch (instruction->opcode) {
    case SYN_IR_CONSTANT: dest->number = instruction->immediate; return true;
    case SYN_IR_MOVE: copy_value(interpreter, dest, a); return true;
    case SYN_IR_KERNEL_READ:
    case SYN_IR_KERNEL_STRING:
        return kernel_memory(interpreter, instruction, dest, a, problem);
    case SYN_IR_BINARY:
        if ((instruction->op == SYN_OP_DIVIDE || instruction->op == SYN_OP_MODULO) && b->number == 0) {
            raise_fault(problem, instruction, "division by 0");
            return false;
        }
        dest->number = arithmetic((syn_operator)instruction->op, a->number, b->number);
        return true;
    case SYN_IR_NEGATE: dest->number = (int64_t)(0 - (uint64_t)a->number); return true;
    case SYN_IR_NOT: dest->number = !a->number; return true;
    case SYN_IR_BIT_NOT: dest->number = ~a->number; return true;
    case SYN_IR_COMPARE:
        dest->number = compare((syn_ir_compare)instruction->op, (a->number > b->number) - (a->number < b->number));
        return true;
    case SYN_IR_STRING_CONSTANT:
        set_string(interpreter, dest, interpreter->program->strings[instruction->immediate]);
        return true;
    case SYN_IR_CONCAT: {
        size_t limit = string_size(interpreter) - 1;
        char *joined = syn_malloc(limit + 1);
        size_t first = strnlen(a->string, limit);
        memcpy(joined, a->string, first);
        size_t second = strnlen(b->string, limit - first);
        memcpy(joined + first, b->string, second);
        joined[first + second] = '\0';
        set_string(interpreter, dest, joined);
        free(joined);
        return true;
    }
    case SYN_IR_STRING_COMPARE:
        dest->number = compare((syn_ir_compare)instruction->op, strcmp(a->string, b->string));
        return true;
    case SYN_IR_REGEX: {
        regex_t *regex = compiled_regex(interpreter, (uint32_t)instruction->immediate, instruction, problem);
        if (!regex)
            return false;
        bool matched = regexec(regex, a->string, 0, NULL, 0) == 0;
        dest->number = instruction->op == SYN_IR_EQUAL ? matched : !matched;
        return true;
    }
    case SYN_IR_GLOBAL_LOAD:
        if (dest->string)
            set_string(interpreter, dest, syn_maps_global_string(maps, instruction->global));
        else
            dest->number = syn_maps_global_long(maps, instruction->global);
        return true;
    case SYN_IR_GLOBAL_STORE:
        if (a->string)
            syn_maps_set_global_string(maps, instruction->global, a->string);
        else
            syn_maps_set_global_long(maps, instruction->global, a->number);
        return true;
    case SYN_IR_GLOBAL_ADD:
        syn_maps_set_global_long(maps, instruction->global,
                                 arithmetic(SYN_OP_ADD, syn_maps_global_long(maps, instruction->global), a->number));
        return true;
    case SYN_IR_MAP_LOAD: map_load(interpreter, current, instruction); return true;
    case SYN_IR_MAP_STORE: return map_store(interpreter, current, instruction, false, problem);
    case SYN_IR_MAP_ADD: return map_store(interpreter, current, instruction, true, problem);
    case SYN_IR_MAP_DELETE: map_delete(interpreter, current, instruction); return true;
    case SYN_IR_MAP_CLEAR: syn_maps_clear(maps, instruction->global); return true;
    case SYN_IR_MAP_EXISTS: dest->number = map_exists(interpreter, current, instruction); return true;
    case SYN_IR_STAT_ADD: return statistic_add(interpreter, current, instruction, problem);
    case SYN_IR_STAT_READ: return statistic_read(interpreter, current, instruction, problem);
    case SYN_IR_BUILTIN: return builtin(interpreter, current, instruction, problem);
    case SYN_IR_PRINT: return print(interpreter, current, instruction, problem);
    case SYN_IR_FORMAT: {
        syn_buffer out;
        syn_buffer_init(&out);
        bool ok = render(interpreter, current, instruction, &out, false, problem);
        set_string(interpreter, dest, out.data ? out.data : "");
        syn_buffer_release(&out);
        return ok;
    }
    case SYN_IR_EXIT:
        if (interpreter->host.exit)
            interpreter->host.exit(interpreter->host.context);
        return true;
    case SYN_IR_ERROR:
        raise_fault(problem, instruction, "%s", a->string);
        return false;
    case SYN_IR_CALL: return call(interpreter, current, instruction, problem);
    case SYN_IR_HOST_CALL: return builtin(interpreter, current, instruction, problem);
    case SYN_IR_ITERATE_BEGIN: iterate_begin(interpreter, current, instruction); return true;
    case SYN_IR_ITERATE_END:
        if ((uint32_t)instruction->immediate < current->iterator_count)
            iterator_release(&current->iterators[instruction->immediate]);
        return true;
    default:
        raise_fault(problem, instruction, "internal error: %s cannot run in userspace",
                    syn_ir_opcode_name(instruction->opcode));
        return false;
    }
}

static bool run_function(syn_interpreter *interpreter, const syn_ir_function *function, value *arguments,
                         value *result, fault *problem)
{
    frame current;
    frame_open(interpreter, &current, function);
    for (uint32_t p = 0; p < function->parameter_count && arguments; p++)
        copy_value(interpreter, &current.registers[function->parameters[p]], &arguments[p]);
    uint32_t block = 0;
    bool ok = true;
    for (;;) {
        const syn_ir_block *body = &function->blocks[block];
        uint32_t next_block = UINT32_MAX;
        for (uint32_t i = 0; i < body->count; i++) {
            const syn_ir_instruction *instruction = &body->instructions[i];
            if (++interpreter->steps % SYN_INTERRUPT_CHECK == 0 && interpreter->host.interrupted &&
                *interpreter->host.interrupted) {
                raise_fault(problem, instruction, "interrupted");
                ok = false;
                goto done;
            }
            switch (instruction->opcode) {
            case SYN_IR_JUMP:
                next_block = instruction->target_true;
                break;
            case SYN_IR_BRANCH:
                next_block = current.registers[instruction->a].number ? instruction->target_true
                                                                      : instruction->target_false;
                break;
            case SYN_IR_ITERATE_NEXT:
                next_block = iterate_next(interpreter, &current, instruction) ? instruction->target_true
                                                                              : instruction->target_false;
                break;
            case SYN_IR_RETURN:
                if (result && instruction->a != SYN_IR_NO_REGISTER)
                    copy_value(interpreter, result, &current.registers[instruction->a]);
                goto done;
            default:
                if (execute(interpreter, &current, instruction, problem))
                    continue;
                if (instruction->fault_message == SYN_IR_NO_REGISTER) {
                    ok = false;
                    goto done;
                }
                /* Caught by try: the message goes to the catch variable. */
                set_string(interpreter, &current.registers[instruction->fault_message], problem->message);
                problem->raised = false;
                next_block = instruction->fault_block;
                break;
            }
            if (next_block != UINT32_MAX)
                break;
        }
        if (next_block == UINT32_MAX)
            break;
        block = next_block;
    }
done:
    frame_close(&current);
    return ok;
}

bool syn_interpreter_run(syn_interpreter *interpreter, const syn_ir_probe *probe)
{
    fault problem = {0};
    interpreter->probe = probe;
    interpreter->depth = 0;
    bool ok = run_function(interpreter, interpreter->program->functions[probe->function], NULL, NULL, &problem);
    if (!ok && problem.raised)
        syn_error(interpreter->diagnostics, &problem.location, "%s (in probe %s)", problem.message, probe->point);
    return ok;
}
