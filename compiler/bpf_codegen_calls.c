/* Builtins, the probe's context, output events and runtime faults in
 * kernel probes. */
#include <bpf/btf.h>
#include <stdio.h>
#include <string.h>

#include "compiler/btf_types.h"
#include "compiler/bpf_codegen_internal.h"
#include "compiler/bpf_format.h"
#include "compiler/builtins.h"
#include "util/memory.h"
#include "util/sysctl.h"

static uint32_t string_size(const syn_bpf_generator *g)
{
    return g->program->max_string_length;
}

static uint32_t string_field_size(const syn_bpf_generator *g)
{
    return (string_size(g) + 7) & ~7u;
}

/* ---- output records ---------------------------------------------------------------- */

/* Reserves `size` bytes of the ring buffer; on success the record's address
 * is kept at r10-16 and execution goes on, otherwise the loss is counted and
 * execution continues at `skipped`. */
static void reserve_record(syn_bpf_generator *g, uint32_t size, uint32_t skipped)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t reserved = syn_bpf_label_new(e);
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_EVENTS, 0, 0);
    syn_bpf_move_immediate(e, BPF_REG_2, size);
    syn_bpf_move_immediate(e, BPF_REG_3, 0);
    syn_bpf_call(e, BPF_FUNC_ringbuf_reserve);
    syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, 0, reserved);
    syn_bpf_store_immediate(e, BPF_W, BPF_REG_10, SYN_BPF_TEMP, 0);
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_LOST, 0, 0);
    syn_bpf_move(e, BPF_REG_2, BPF_REG_10);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, SYN_BPF_TEMP);
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, skipped);
    syn_bpf_move_immediate(e, BPF_REG_1, 1);
    syn_bpf_atomic_add(e, BPF_REG_0, 0, BPF_REG_1);
    syn_bpf_goto(e, skipped);
    syn_bpf_label_place(e, reserved);
    syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_RECORD_POINTER, BPF_REG_0);
}

static void record_header(syn_bpf_generator *g, uint32_t kind, uint32_t detail)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_RECORD_POINTER);
    syn_bpf_store_immediate(e, BPF_W, BPF_REG_1, 0, (int32_t)kind);
    syn_bpf_store_immediate(e, BPF_W, BPF_REG_1, 4, (int32_t)detail);
}

static void submit_record(syn_bpf_generator *g)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_RECORD_POINTER);
    syn_bpf_move_immediate(e, BPF_REG_2, 0);
    syn_bpf_call(e, BPF_FUNC_ringbuf_submit);
}

/* Copies a string register into the record at `offset`. */
static void record_string(syn_bpf_generator *g, uint32_t offset, syn_ir_register reg)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_RECORD_POINTER);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, (int32_t)offset);
    syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
    syn_bpf_string_address(g, BPF_REG_3, reg);
    syn_bpf_call(e, BPF_FUNC_probe_read_kernel_str);
}

static bool same_location(const syn_location *a, const syn_location *b)
{
    return a->source == b->source && a->first_line == b->first_line && a->first_column == b->first_column &&
           a->last_line == b->last_line && a->last_column == b->last_column;
}

static bool same_event(const syn_ir_event *a, const syn_ir_event *b, uint32_t argument_count)
{
    if (a->kind != b->kind || a->newline != b->newline || a->argument_count != b->argument_count ||
        (a->format == NULL) != (b->format == NULL) || (a->format && strcmp(a->format, b->format) != 0) ||
        !same_location(&a->location, &b->location))
        return false;
    for (uint32_t i = 0; i < argument_count; i++) {
        if (a->argument_kinds[i] != b->argument_kinds[i] || a->histogram_globals[i] != b->histogram_globals[i] ||
            a->histogram_key_counts[i] != b->histogram_key_counts[i])
            return false;
    }
    return true;
}

/* The first event the same as this one: a print at one place in the script
 * is lowered once per probe point that reaches it, and the programs stay the
 * same code when the number they send is the same (see fault_site). */
static uint32_t canonical_event(const syn_bpf_generator *g, uint32_t index)
{
    const syn_ir_event *event = &g->program->events[index];
    for (uint32_t e = 0; e < index; e++) {
        if (same_event(&g->program->events[e], event, event->argument_count))
            return e;
    }
    return index;
}

static void print(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    const syn_ir_event *event = &g->program->events[instruction->event];
    uint32_t size = 8;
    for (uint32_t i = 0; i < instruction->argument_count; i++)
        size += event->argument_kinds[i] == SYN_IR_STRING ? string_field_size(g) : 8;
    uint32_t done = syn_bpf_label_new(e);
    reserve_record(g, size, done);
    record_header(g, SYN_BPF_RECORD_PRINT, canonical_event(g, instruction->event));
    uint32_t offset = 8;
    for (uint32_t i = 0; i < instruction->argument_count; i++) {
        syn_ir_register reg = instruction->arguments[i];
        if (event->argument_kinds[i] == SYN_IR_STRING) {
            record_string(g, offset, reg);
            offset += string_field_size(g);
        } else {
            int value = syn_bpf_operand(g, reg, BPF_REG_2);
            syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_RECORD_POINTER);
            syn_bpf_store(e, BPF_DW, BPF_REG_1, (int16_t)offset, value);
            offset += 8;
        }
    }
    submit_record(g);
    syn_bpf_label_place(e, done);
}

/* exit(): a flag the runtime polls, and a record that wakes it. */
static void request_exit(syn_bpf_generator *g)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_GLOBALS_VALUE, 0, SYN_IR_RESERVED_EXIT);
    syn_bpf_store_immediate(e, BPF_DW, BPF_REG_1, 0, 1);
    uint32_t done = syn_bpf_label_new(e);
    reserve_record(g, 8, done);
    record_header(g, SYN_BPF_RECORD_EXIT, 0);
    submit_record(g);
    syn_bpf_label_place(e, done);
}

/* One site for each fault at each place in the script, whichever probe
 * reaches it: the programs of a probe on several points then stay the same
 * code, which the loader verifies once (runtime/loader.c).  The site names
 * every point that reaches it. */
static uint32_t fault_site(syn_bpf_generator *g, const syn_ir_instruction *instruction, syn_ir_fault kind)
{
    syn_bpf_object *object = g->object;
    for (uint32_t f = 0; f < object->fault_count; f++) {
        syn_bpf_fault_site *site = &object->faults[f];
        if (site->kind != kind || !same_location(&site->location, &instruction->location))
            continue;
        size_t have = strlen(site->probe), point = strlen(g->probe->point);
        bool named = false;
        for (const char *at = strstr(site->probe, g->probe->point); at && !named; at = strstr(at + 1, g->probe->point))
            named = (at == site->probe || at[-1] == ' ') && (at[point] == '\0' || at[point] == ',');
        if (!named) {
            site->probe = syn_realloc(site->probe, have + 2 + point + 1);
            snprintf(site->probe + have, 2 + point + 1, ", %s", g->probe->point);
        }
        return f;
    }
    object->faults = syn_realloc(object->faults, (object->fault_count + 1) * sizeof(*object->faults));
    syn_bpf_fault_site *site = &object->faults[object->fault_count];
    site->kind = kind;
    site->location = instruction->location;
    site->probe = syn_strdup(g->probe->point);
    return object->fault_count++;
}

void syn_bpf_fault(syn_bpf_generator *g, const syn_ir_instruction *instruction, syn_ir_fault kind, int detail)
{
    syn_bpf_emitter *e = &g->emitter;
    if (instruction->fault_message != SYN_IR_NO_REGISTER) {
        /* Caught: the message goes to the catch variable. */
        if (kind == SYN_IR_FAULT_NONE) {
            syn_bpf_string_address(g, BPF_REG_3, instruction->a);
            syn_bpf_copy_string(g, instruction->fault_message, BPF_REG_3);
        } else {
            syn_bpf_string_constant(g, g->allocation.scratch_offset[instruction->fault_message],
                                    syn_ir_fault_message(kind));
        }
        syn_bpf_goto(e, g->block_labels[instruction->fault_block]);
        return;
    }
    uint32_t site = fault_site(g, instruction, kind);
    if (detail >= 0)
        syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP2, detail);
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_GLOBALS_VALUE, 0, SYN_IR_RESERVED_FAULT);
    syn_bpf_move_immediate(e, BPF_REG_2, site + 1);
    syn_bpf_store(e, BPF_DW, BPF_REG_1, 0, BPF_REG_2);
    uint32_t done = syn_bpf_label_new(e);
    bool message = kind == SYN_IR_FAULT_NONE;
    reserve_record(g, 16 + (message ? string_field_size(g) : 0), done);
    record_header(g, SYN_BPF_RECORD_FAULT, site);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_RECORD_POINTER);
    if (detail >= 0) {
        syn_bpf_load(e, BPF_DW, BPF_REG_2, BPF_REG_10, SYN_BPF_TEMP2);
        syn_bpf_store(e, BPF_DW, BPF_REG_1, 8, BPF_REG_2);
    } else {
        syn_bpf_store_immediate(e, BPF_DW, BPF_REG_1, 8, 0);
    }
    if (message)
        record_string(g, 16, instruction->a);
    submit_record(g);
    syn_bpf_label_place(e, done);
    syn_bpf_goto(e, g->exit_label);
}

/* ---- the context ------------------------------------------------------------------ */

static void context_access(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    int dest = syn_bpf_destination(g, instruction->dest, BPF_REG_0);
    int16_t offset = (int16_t)instruction->immediate;
    switch (instruction->opcode) {
    case SYN_IR_CONTEXT_LOAD:
        if (g->context_in_slots) {
            /* Arguments and registers are 8-byte slots holding the value's bytes. */
            syn_bpf_load(e, BPF_DW, dest, SYN_BPF_CONTEXT, offset);
        } else {
            /* Records are read at each field's size, which is also what the
             * verifier allows of the sk_lookup and __sk_buff contexts. */
            syn_bpf_load(e, syn_bpf_size_code(instruction->size), dest, SYN_BPF_CONTEXT, offset);
        }
        if (instruction->flags & SYN_IR_NETWORK_ORDER)
            syn_bpf_from_network_order(e, dest, instruction->size);
        else
            syn_bpf_extend(e, dest, instruction->size, instruction->is_signed);
        break;
    case SYN_IR_CONTEXT_ADDRESS:
        syn_bpf_move(e, dest, SYN_BPF_CONTEXT);
        syn_bpf_alu_immediate(e, BPF_ADD, dest, offset);
        break;
    default:
        /* __data_loc: the low 16 bits locate the data in the record. */
        syn_bpf_load(e, BPF_W, BPF_REG_1, SYN_BPF_CONTEXT, offset);
        syn_bpf_alu_immediate(e, BPF_AND, BPF_REG_1, 0xffff);
        syn_bpf_move(e, dest, SYN_BPF_CONTEXT);
        syn_bpf_alu(e, BPF_ADD, dest, BPF_REG_1);
        break;
    }
    syn_bpf_commit(g, instruction->dest, dest);
}

/* dest = size bytes at address (a register) + offset, from kernel or user
 * memory; a failed read is a fault. */
static void read_memory(syn_bpf_generator *g, const syn_ir_instruction *instruction, int address, int64_t offset,
                        uint32_t size, bool is_signed, bool user)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_move(e, BPF_REG_3, address);
    if (offset)
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_3, (int32_t)offset);
    syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP2, BPF_REG_3);
    syn_bpf_store_immediate(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, 0);
    syn_bpf_move(e, BPF_REG_1, BPF_REG_10);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, SYN_BPF_TEMP);
    syn_bpf_move_immediate(e, BPF_REG_2, size);
    syn_bpf_call(e, user ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel);
    uint32_t ok = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, ok);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_TEMP2);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_READ, BPF_REG_1);
    syn_bpf_label_place(e, ok);
    int dest = syn_bpf_destination(g, instruction->dest, BPF_REG_0);
    syn_bpf_load(e, BPF_DW, dest, BPF_REG_10, SYN_BPF_TEMP);
    syn_bpf_extend(e, dest, size, is_signed);
    syn_bpf_commit(g, instruction->dest, dest);
}

/* dest's slot = the string at address, at most `limit` bytes with its NUL. */
static void read_string(syn_bpf_generator *g, const syn_ir_instruction *instruction, int address, int limit_register,
                        bool user)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_move(e, BPF_REG_3, address);
    syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP2, BPF_REG_3);
    if (limit_register >= 0) {
        /* kernel_string_n: n bytes and a NUL, within the string's maximum. */
        uint32_t small = syn_bpf_label_new(e), positive = syn_bpf_label_new(e);
        syn_bpf_move(e, BPF_REG_2, limit_register);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, 1);
        syn_bpf_jump_immediate(e, BPF_JSGT, BPF_REG_2, 0, positive);
        syn_bpf_move_immediate(e, BPF_REG_2, 1);
        syn_bpf_label_place(e, positive);
        syn_bpf_jump_immediate(e, BPF_JLE, BPF_REG_2, (int32_t)string_size(g), small);
        syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
        syn_bpf_label_place(e, small);
    } else {
        syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
    }
    syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
    syn_bpf_call(e, user ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str);
    uint32_t ok = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JSGE, BPF_REG_0, 0, ok);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_TEMP2);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_READ, BPF_REG_1);
    syn_bpf_label_place(e, ok);
}

/* ---- builtins -------------------------------------------------------------------- */

static bool task_member(syn_bpf_generator *g, const syn_ir_instruction *instruction, const char *structure,
                        const char *member, uint32_t *offset, uint32_t *size)
{
    const struct btf *btf = g->btf.get ? g->btf.get(g->btf.context) : NULL;
    int32_t type = btf ? btf__find_by_name_kind(btf, structure, BTF_KIND_STRUCT) : -1;
    uint32_t bit_offset, bitfield;
    int32_t member_type;
    bool is_signed;
    if (type <= 0 || !syn_btf_member(btf, type, member, &bit_offset, &member_type, &bitfield)) {
        syn_error(g->diagnostics, &instruction->location, "%s() needs struct %s's '%s' from the kernel's BTF",
                  syn_builtin_at(instruction->op)->name, structure, member);
        g->failed = true;
        return false;
    }
    *offset = bit_offset / 8;
    if (!syn_btf_scalar(btf, member_type, size, &is_signed))
        *size = 4;
    return true;
}

/* ppid, euid, egid: read through the current task_struct. */
static void task_field(syn_bpf_generator *g, const syn_ir_instruction *instruction, const char *pointer_member,
                       const char *target_structure, const char *member)
{
    uint32_t pointer_offset, pointer_size, offset, size;
    if (!task_member(g, instruction, "task_struct", pointer_member, &pointer_offset, &pointer_size) ||
        !task_member(g, instruction, target_structure, member, &offset, &size))
        return;
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_call(e, BPF_FUNC_get_current_task);
    syn_bpf_move(e, BPF_REG_4, BPF_REG_0);
    read_memory(g, instruction, BPF_REG_4, pointer_offset, 8, false, false);
    int pointer = syn_bpf_operand(g, instruction->dest, BPF_REG_4);
    read_memory(g, instruction, pointer, offset, size, false, false);
}

static void current_id(syn_bpf_generator *g, const syn_ir_instruction *instruction, int helper, bool high)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_call(e, helper);
    if (high)
        syn_bpf_alu_immediate(e, BPF_RSH, BPF_REG_0, 32);
    else
        syn_bpf_extend(e, BPF_REG_0, 4, false);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}

static void wall_clock(syn_bpf_generator *g, const syn_ir_instruction *instruction, int64_t unit)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_call(e, BPF_FUNC_ktime_get_boot_ns);
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_GLOBALS_VALUE, 0, SYN_IR_RESERVED_REALTIME_OFFSET);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_1, 0);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_0, BPF_REG_1);
    if (unit > 1) {
        syn_bpf_move_immediate(e, BPF_REG_1, unit);
        syn_bpf_alu(e, BPF_DIV, BPF_REG_0, BPF_REG_1);
    }
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}

/* r0 = the length of the string in slot `reg`.  The kernel's string copy
 * into a scratch buffer returns it in one helper call: a loop here would
 * give the verifier one path per possible length, and a length used as an
 * offset later (substr(s, strlen(s) - 3, 3)) multiplies those paths. */
static void string_length(syn_bpf_generator *g, syn_ir_register reg)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t copied = syn_bpf_label_new(e);
    syn_bpf_scratch_address(g, BPF_REG_1, g->temporary_offset);
    syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
    syn_bpf_string_address(g, BPF_REG_3, reg);
    syn_bpf_call(e, BPF_FUNC_probe_read_kernel_str);
    /* r0 counts the NUL; it cannot fail on our own memory, but a failure reads as "" */
    syn_bpf_jump_immediate(e, BPF_JSGT, BPF_REG_0, 0, copied);
    syn_bpf_move_immediate(e, BPF_REG_0, 1);
    syn_bpf_label_place(e, copied);
    syn_bpf_alu_immediate(e, BPF_SUB, BPF_REG_0, 1);
}

static void substring(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_ir_register text = instruction->arguments[0];
    uint32_t empty = syn_bpf_label_new(e), done = syn_bpf_label_new(e), fits = syn_bpf_label_new(e);
    string_length(g, text);
    syn_bpf_move(e, BPF_REG_5, BPF_REG_0);
    int start = syn_bpf_operand(g, instruction->arguments[1], BPF_REG_4);
    syn_bpf_move(e, BPF_REG_4, start);
    syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_4, 0, empty);
    syn_bpf_jump(e, BPF_JSGE, BPF_REG_4, BPF_REG_5, empty);
    /* length = min(requested, strlen - start), at least 1 byte for the NUL */
    syn_bpf_alu(e, BPF_SUB, BPF_REG_5, BPF_REG_4);
    int requested = syn_bpf_operand(g, instruction->arguments[2], BPF_REG_2);
    syn_bpf_jump_immediate(e, BPF_JSLE, requested, 0, empty);
    syn_bpf_jump(e, BPF_JSGE, requested, BPF_REG_5, fits);
    syn_bpf_move(e, BPF_REG_5, requested);
    syn_bpf_label_place(e, fits);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_5, 1);
    syn_bpf_alu_immediate(e, BPF_AND, BPF_REG_4, (int32_t)(string_size(g) - 1 > 0x7fff ? 0x7fff : 0xffff));
    uint32_t start_ok = syn_bpf_label_new(e), length_ok = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JLT, BPF_REG_4, (int32_t)string_size(g), start_ok);
    syn_bpf_goto(e, empty);
    syn_bpf_label_place(e, start_ok);
    syn_bpf_jump_immediate(e, BPF_JLE, BPF_REG_5, (int32_t)string_size(g), length_ok);
    syn_bpf_goto(e, empty);
    syn_bpf_label_place(e, length_ok);
    syn_bpf_string_address(g, BPF_REG_3, text);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_3, BPF_REG_4);
    syn_bpf_move(e, BPF_REG_2, BPF_REG_5);
    syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
    syn_bpf_call(e, BPF_FUNC_probe_read_kernel_str);
    syn_bpf_goto(e, done);
    syn_bpf_label_place(e, empty);
    syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
    syn_bpf_store_immediate(e, BPF_B, BPF_REG_1, 0, 0);
    syn_bpf_label_place(e, done);
}

static void string_byte(syn_bpf_generator *g, const syn_ir_instruction *instruction, bool digit_test)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_ir_register text = instruction->arguments[0];
    if (digit_test) {
        uint32_t no = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
        syn_bpf_string_address(g, BPF_REG_1, text);
        syn_bpf_load(e, BPF_B, BPF_REG_0, BPF_REG_1, 0);
        syn_bpf_jump_immediate(e, BPF_JLT, BPF_REG_0, '0', no);
        syn_bpf_jump_immediate(e, BPF_JGT, BPF_REG_0, '9', no);
        syn_bpf_move_immediate(e, BPF_REG_0, 1);
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, no);
        syn_bpf_move_immediate(e, BPF_REG_0, 0);
        syn_bpf_label_place(e, done);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
        return;
    }
    uint32_t bad = syn_bpf_label_new(e), good = syn_bpf_label_new(e);
    string_length(g, text);
    syn_bpf_move(e, BPF_REG_5, BPF_REG_0);
    int index = syn_bpf_operand(g, instruction->arguments[1], BPF_REG_4);
    syn_bpf_move(e, BPF_REG_4, index);
    syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_4, 0, bad);
    syn_bpf_jump(e, BPF_JSGE, BPF_REG_4, BPF_REG_5, bad);
    syn_bpf_jump_immediate(e, BPF_JGE, BPF_REG_4, (int32_t)string_size(g), bad);
    syn_bpf_string_address(g, BPF_REG_1, text);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, BPF_REG_4);
    syn_bpf_load(e, BPF_B, BPF_REG_0, BPF_REG_1, 0);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    syn_bpf_goto(e, good);
    syn_bpf_label_place(e, bad);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_STRING_INDEX, BPF_REG_4);
    syn_bpf_label_place(e, good);
}

/* ip_ntop: four bytes in memory order as decimal, dot-separated, written
 * through a cursor the verifier sees bounded. */
static void ip_to_text(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    int address = syn_bpf_operand(g, instruction->arguments[0], BPF_REG_0);
    syn_bpf_store(&g->emitter, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, address);
    syn_bpf_ipv4_text(g, instruction->dest);
}

/* A constant in the object's read-only data; returns its offset. */
static uint32_t rodata_string(syn_bpf_object *object, const char *text)
{
    size_t length = strlen(text) + 1;
    for (uint32_t offset = 0; offset < object->rodata_size; offset += (uint32_t)strlen(object->rodata + offset) + 1) {
        if (strcmp(object->rodata + offset, text) == 0)
            return offset;
    }
    uint32_t offset = object->rodata_size;
    object->rodata = syn_realloc(object->rodata, object->rodata_size + length);
    memcpy(object->rodata + offset, text, length);
    object->rodata_size += (uint32_t)length;
    return offset;
}

/* The four bytes at SYN_BPF_TEMP as dotted decimal into `dest`, by the
 * kernel's bpf_snprintf("%pI4"): one call instead of a digit loop whose
 * branches the verifier would walk one cursor position at a time (81 paths
 * an address).  The bytes go to the slot's free half, where the formatter
 * reads them. */
void syn_bpf_ipv4_text(syn_bpf_generator *g, syn_ir_register dest)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_load(e, BPF_W, BPF_REG_0, BPF_REG_10, SYN_BPF_TEMP);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, (int32_t)syn_bpf_ipv6_raw_offset(g));
    syn_bpf_store(e, BPF_W, BPF_REG_1, 0, BPF_REG_0);
    syn_bpf_store(e, BPF_DW, SYN_BPF_SCRATCH, (int16_t)g->format_offset, BPF_REG_1);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
    syn_bpf_load_map(e, BPF_REG_3, SYN_BPF_MAP_RODATA, 0, rodata_string(g->object, "%pI4"));
    syn_bpf_scratch_address(g, BPF_REG_4, g->format_offset);
    syn_bpf_move_immediate(e, BPF_REG_5, 8);
    syn_bpf_call(e, BPF_FUNC_snprintf);
}

/* ip6_ntop: the 16 bytes read into the slot's free half, then written out. */
static void ip6_to_text(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    int address = syn_bpf_operand(g, instruction->arguments[0], BPF_REG_3);
    syn_bpf_move(e, BPF_REG_3, address);
    syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP2, BPF_REG_3);
    syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, (int32_t)syn_bpf_ipv6_raw_offset(g));
    syn_bpf_move_immediate(e, BPF_REG_2, 16);
    syn_bpf_call(e, BPF_FUNC_probe_read_kernel);
    uint32_t ok = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, ok);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_TEMP2);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_READ, BPF_REG_1);
    syn_bpf_label_place(e, ok);
    syn_bpf_ipv6_text(g, instruction->dest);
}

/* Kernel probes see the sysctl as it was when the script was compiled, in syn's own
 * network namespace: a program cannot read /proc, and the TCP probes give each
 * listener's own values. */
static void sysctl_value(syn_bpf_generator *g, const syn_ir_instruction *instruction, const syn_sysctl *sysctl)
{
    int64_t value = 0;
    char error[256];
    if (!syn_sysctl_read(sysctl, &value, error, sizeof(error))) {
        syn_error(g->diagnostics, &instruction->location, "%s", error);
        g->failed = true;
    }
    syn_bpf_move_immediate(&g->emitter, BPF_REG_0, (int32_t)value);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}

static void builtin(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    const char *name = syn_builtin_at(instruction->op)->name;
    const syn_ir_register *arguments = instruction->arguments;
    if (strcmp(name, "execname") == 0) {
        syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
        syn_bpf_move_immediate(e, BPF_REG_2, 16);
        syn_bpf_call(e, BPF_FUNC_get_current_comm);
    } else if (strcmp(name, "pid") == 0 || strcmp(name, "tid") == 0) {
        current_id(g, instruction, BPF_FUNC_get_current_pid_tgid, name[0] == 'p');
    } else if (strcmp(name, "uid") == 0 || strcmp(name, "gid") == 0) {
        current_id(g, instruction, BPF_FUNC_get_current_uid_gid, name[0] == 'g');
    } else if (strcmp(name, "ppid") == 0) {
        task_field(g, instruction, "real_parent", "task_struct", "tgid");
    } else if (strcmp(name, "euid") == 0 || strcmp(name, "egid") == 0) {
        task_field(g, instruction, "cred", "cred", name[1] == 'u' ? "euid" : "egid");
    } else if (strcmp(name, "cpu") == 0) {
        syn_bpf_call(e, BPF_FUNC_get_smp_processor_id);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    } else if (strcmp(name, "task_current") == 0) {
        syn_bpf_call(e, BPF_FUNC_get_current_task);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    } else if (strcmp(name, "target") == 0) {
        syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_GLOBALS_VALUE, 0, SYN_IR_RESERVED_TARGET);
        syn_bpf_load(e, BPF_DW, BPF_REG_0, BPF_REG_1, 0);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    } else if (strncmp(name, "gettimeofday_", 13) == 0) {
        const char *unit = name + 13;
        wall_clock(g, instruction, strcmp(unit, "s") == 0 ? 1000000000 : strcmp(unit, "ms") == 0 ? 1000000
                                   : strcmp(unit, "us") == 0 ? 1000 : 1);
    } else if (strcmp(name, "local_clock_ns") == 0 || strcmp(name, "ktime_get_ns") == 0) {
        syn_bpf_call(e, BPF_FUNC_ktime_get_ns);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    } else if (strcmp(name, "jiffies") == 0) {
        syn_bpf_call(e, BPF_FUNC_jiffies64);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    } else if (strcmp(name, "randint") == 0) {
        uint32_t valid = syn_bpf_label_new(e);
        int bound = syn_bpf_operand(g, arguments[0], BPF_REG_1);
        syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, bound);
        syn_bpf_jump_immediate(e, BPF_JSGT, bound, 0, valid);
        syn_bpf_fault(g, instruction, SYN_IR_FAULT_RANDOM_BOUND, -1);
        syn_bpf_label_place(e, valid);
        syn_bpf_call(e, BPF_FUNC_get_prandom_u32);
        syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_TEMP);
        syn_bpf_alu(e, BPF_MOD, BPF_REG_0, BPF_REG_1);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    } else if (strncmp(name, "kernel_string", 13) == 0 || strncmp(name, "user_string", 11) == 0) {
        bool user = name[0] == 'u';
        int address = syn_bpf_operand(g, arguments[0], BPF_REG_3);
        syn_bpf_move(e, BPF_REG_3, address);
        int limit = instruction->argument_count > 1 ? syn_bpf_operand(g, arguments[1], BPF_REG_4) : -1;
        read_string(g, instruction, BPF_REG_3, limit, user);
    } else if (strncmp(name, "kernel_", 7) == 0 || strncmp(name, "user_", 5) == 0) {
        bool user = name[0] == 'u';
        const char *type = name + (user ? 5 : 7);
        uint32_t size = strcmp(type, "char") == 0 ? 1 : strcmp(type, "short") == 0 ? 2 : strcmp(type, "int") == 0 ? 4 : 8;
        int address = syn_bpf_operand(g, arguments[0], BPF_REG_3);
        read_memory(g, instruction, address, 0, size, size < 8, user);
    } else if (strcmp(name, "strlen") == 0) {
        string_length(g, arguments[0]);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    } else if (strcmp(name, "substr") == 0) {
        substring(g, instruction);
    } else if (strcmp(name, "stringat") == 0 || strcmp(name, "isdigit") == 0) {
        string_byte(g, instruction, name[0] == 'i');
    } else if (strcmp(name, "ip_ntop") == 0) {
        ip_to_text(g, instruction);
    } else if (strcmp(name, "ip6_ntop") == 0) {
        ip6_to_text(g, instruction);
    } else if (syn_sysctl_for_builtin(name)) {
        sysctl_value(g, instruction, syn_sysctl_for_builtin(name));
    } else if (syn_bpf_is_packet_builtin(name)) {
        syn_bpf_packet_builtin(g, instruction, name);
    } else {
        syn_bpf_unsupported(g, instruction, name);
    }
}

/* sprintf and friends: the kernel's bpf_snprintf into the destination slot. */
static void format_string(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    const syn_ir_event *event = &g->program->events[instruction->event];
    syn_buffer format;
    syn_buffer_init(&format);
    char reason[128];
    if (!syn_bpf_translate_format(event, &format, reason, sizeof(reason))) {
        syn_error(g->diagnostics, &instruction->location,
                  "this format needs %s, which kernel probes cannot format (%s); print it with printf instead",
                  reason, g->probe->point);
        g->failed = true;
        syn_buffer_release(&format);
        return;
    }
    uint32_t offset = rodata_string(g->object, format.data ? format.data : "");
    syn_buffer_release(&format);
    for (uint32_t i = 0; i < instruction->argument_count; i++) {
        syn_ir_register reg = instruction->arguments[i];
        int16_t slot = (int16_t)(g->format_offset + 8 * i);
        if (event->argument_kinds[i] == SYN_IR_STRING) {
            syn_bpf_string_address(g, BPF_REG_1, reg);
            syn_bpf_store(e, BPF_DW, SYN_BPF_SCRATCH, slot, BPF_REG_1);
        } else {
            syn_bpf_store(e, BPF_DW, SYN_BPF_SCRATCH, slot, syn_bpf_operand(g, reg, BPF_REG_1));
        }
    }
    syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
    syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
    syn_bpf_load_map(e, BPF_REG_3, SYN_BPF_MAP_RODATA, 0, offset);
    if (instruction->argument_count) {
        syn_bpf_scratch_address(g, BPF_REG_4, g->format_offset);
        syn_bpf_move_immediate(e, BPF_REG_5, 8 * instruction->argument_count);
    } else {
        syn_bpf_move_immediate(e, BPF_REG_4, 0);
        syn_bpf_move_immediate(e, BPF_REG_5, 0);
    }
    syn_bpf_call(e, BPF_FUNC_snprintf);
}

bool syn_bpf_is_call(syn_ir_opcode opcode)
{
    switch (opcode) {
    case SYN_IR_FORMAT:
    case SYN_IR_BUILTIN:
    case SYN_IR_CONTEXT_LOAD:
    case SYN_IR_CONTEXT_ADDRESS:
    case SYN_IR_CONTEXT_DATA_LOC:
    case SYN_IR_KERNEL_READ:
    case SYN_IR_KERNEL_STRING:
    case SYN_IR_PRINT:
    case SYN_IR_EXIT:
    case SYN_IR_ERROR:
        return true;
    default:
        return false;
    }
}

void syn_bpf_generate_call(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    switch (instruction->opcode) {
    case SYN_IR_BUILTIN: builtin(g, instruction); return;
    case SYN_IR_CONTEXT_LOAD:
    case SYN_IR_CONTEXT_ADDRESS:
    case SYN_IR_CONTEXT_DATA_LOC:
        context_access(g, instruction);
        return;
    case SYN_IR_KERNEL_READ: {
        int address = syn_bpf_operand(g, instruction->a, BPF_REG_3);
        read_memory(g, instruction, address, instruction->immediate, instruction->size, instruction->is_signed,
                    (instruction->flags & SYN_IR_READ_USER) != 0);
        return;
    }
    case SYN_IR_KERNEL_STRING: {
        int address = syn_bpf_operand(g, instruction->a, BPF_REG_3);
        read_string(g, instruction, address, -1, (instruction->flags & SYN_IR_READ_USER) != 0);
        return;
    }
    case SYN_IR_PRINT: print(g, instruction); return;
    case SYN_IR_FORMAT: format_string(g, instruction); return;
    case SYN_IR_EXIT: request_exit(g); return;
    case SYN_IR_ERROR: syn_bpf_fault(g, instruction, SYN_IR_FAULT_NONE, -1); return;
    default: return;
    }
}
