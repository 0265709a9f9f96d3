/* Lowering of target variables and what reaches through them: $field of a
 * tracepoint record, $arg of a typed tracepoint, ->member and [index]
 * chains typed by the kernel's BTF, @cast, &, @defined and
 * @choose_defined.  Offsets are the running kernel's, read from BTF at
 * compile time. */
#include <bpf/btf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compiler/btf_types.h"
#include "compiler/lower_internal.h"

/* Where a target value is: in a register, or in kernel memory at the
 * address in the register. */
typedef struct place {
    bool in_memory;
    syn_ir_register reg;
    int32_t type;             /* BTF type of the value; 0 when the kernel gave none */
    int32_t cast_pointee;     /* @cast: the register points to a value of this type */
    uint32_t size;            /* when type is 0 */
    bool is_signed;
    uint32_t bit_offset;      /* bitfields */
    uint32_t bit_size;
    uint32_t element_size;    /* a tracepoint array field without BTF */
    bool element_signed;
} place;

typedef struct target_lowering {
    syn_function_lowering *f;
    bool quiet;               /* @defined: find out, do not report */
    bool failed;
} target_lowering;

static bool lower_place(target_lowering *t, const syn_expr *expr, place *out);

/* The kernel's BTF, loaded on first use: a tracefs field of a plain type
 * needs none, and loading it costs milliseconds and megabytes. */
static const struct btf *kernel_types(target_lowering *t)
{
    return syn_lower_btf(t->f->lowerer);
}

static void fail(target_lowering *t, const syn_location *location, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(target_lowering *t, const syn_location *location, const char *format, ...)
{
    if (!t->quiet && !t->failed) {
        va_list args;
        va_start(args, format);
        syn_report(t->f->lowerer->diagnostics, SYN_SEVERITY_ERROR, location, format, args);
        va_end(args);
        t->f->failed = true;
    }
    t->failed = true;
}

static syn_ir_instruction *emit(target_lowering *t, syn_ir_opcode opcode, const syn_expr *expr)
{
    return syn_lower_emit(t->f, opcode, &expr->location);
}

static syn_ir_register long_register(target_lowering *t)
{
    return syn_lower_register(t->f, SYN_IR_LONG);
}

static bool need_btf(target_lowering *t, const syn_location *location)
{
    if (kernel_types(t))
        return true;
    fail(t, location, "reaching into kernel structures needs the kernel's BTF, which is not available");
    return false;
}

static void type_name(target_lowering *t, int32_t type, char *buffer, size_t size)
{
    if (kernel_types(t) && type)
        syn_btf_type_name(kernel_types(t), type, buffer, size);
    else
        snprintf(buffer, size, "a number");
}

static bool lower_variable(target_lowering *t, const syn_expr *expr, place *out)
{
    syn_function_lowering *f = t->f;
    if (!f->point || !syn_point_in_kernel(f->point)) {
        fail(t, &expr->location, "target variables need a kernel probe point");
        return false;
    }
    if (expr->target.context) {
        fail(t, &expr->location, "$$%s is a string of every variable and cannot be reached through",
             expr->target.name);
        return false;
    }
    const syn_target_variable *variable = syn_point_variable(f->point, expr->target.name);
    if (!variable) {
        fail(t, &expr->location, "%s has no target variable '$%s'", f->point->name, expr->target.name);
        return false;
    }
    memset(out, 0, sizeof(*out));
    syn_ir_register captured;
    if (syn_lower_captured(f, expr, &captured)) {
        /* A parameter of a kretprobe: its value at the entry. */
        out->reg = captured;
        out->type = variable->btf_type;
        out->size = variable->size;
        out->is_signed = variable->is_signed;
        return true;
    }
    out->type = variable->btf_type;
    out->size = variable->size;
    out->is_signed = variable->is_signed;
    syn_ir_instruction *instruction;
    switch (variable->access) {
    case SYN_TARGET_FIELD:
    case SYN_TARGET_ARGUMENT:
        instruction = emit(t, SYN_IR_CONTEXT_LOAD, expr);
        instruction->size = variable->size > 8 ? 8 : variable->size;
        instruction->is_signed = variable->is_signed;
        if (variable->network_order)
            instruction->flags |= SYN_IR_NETWORK_ORDER;
        break;
    case SYN_TARGET_CONTEXT_ARRAY:
        fail(t, &expr->location, "$%s is %u numbers of the probe's context, read one at a time: $%s[0] to $%s[%u]",
             variable->name, variable->element_count, variable->name, variable->name,
             variable->element_count ? variable->element_count - 1 : 0);
        return false;
    case SYN_TARGET_FIELD_ADDRESS:
        instruction = emit(t, SYN_IR_CONTEXT_ADDRESS, expr);
        out->element_size = variable->element_size;
        out->element_signed = variable->element_signed;
        break;
    case SYN_TARGET_DATA_LOC:
    default:
        instruction = emit(t, SYN_IR_CONTEXT_DATA_LOC, expr);
        break;
    }
    instruction->immediate = variable->offset;
    instruction->dest = out->reg = long_register(t);
    return true;
}

/* The struct or union a '->' reaches: through a pointer value, or an
 * aggregate already in memory (stap writes -> for embedded structs too). */
static bool aggregate_of(target_lowering *t, const syn_expr *expr, const place *base, syn_ir_register *address,
                         int32_t *aggregate)
{
    if (!need_btf(t, &expr->location))
        return false;
    const struct btf_type *type = NULL;
    if (base->cast_pointee) {
        *address = base->reg;
        *aggregate = base->cast_pointee;
        return true;
    }
    int32_t resolved = base->type ? syn_btf_resolve(kernel_types(t), base->type, &type) : -1;
    if (type && base->in_memory && (btf_is_struct(type) || btf_is_union(type))) {
        *address = base->reg;
        *aggregate = resolved;
        return true;
    }
    if (type && btf_is_ptr(type)) {
        syn_ir_register pointer = base->reg;
        if (base->in_memory) {
            syn_ir_instruction *read = emit(t, SYN_IR_KERNEL_READ, expr);
            read->a = base->reg;
            read->size = 8;
            read->dest = pointer = long_register(t);
            syn_lower_mark_fault(t->f, read);
        }
        *address = pointer;
        *aggregate = (int32_t)type->type;
        return true;
    }
    char name[256];
    type_name(t, base->type, name, sizeof(name));
    fail(t, &expr->location, "'->%s' needs a pointer to a struct or union, not %s (use @cast(p, \"struct ...\"))",
         expr->member.field, name);
    return false;
}

/* Each emit may move the block's earlier instructions, so only registers
 * are kept from one to the next. */
static syn_ir_register constant_of(target_lowering *t, const syn_expr *expr, int64_t value)
{
    syn_ir_register dest = long_register(t);
    syn_ir_instruction *constant = emit(t, SYN_IR_CONSTANT, expr);
    constant->immediate = value;
    constant->dest = dest;
    return dest;
}

static syn_ir_register binary(target_lowering *t, const syn_expr *expr, syn_operator op, syn_ir_register a,
                              syn_ir_register b)
{
    syn_ir_register dest = long_register(t);
    syn_ir_instruction *instruction = emit(t, SYN_IR_BINARY, expr);
    instruction->op = op;
    instruction->a = a;
    instruction->b = b;
    instruction->dest = dest;
    return dest;
}

static syn_ir_register add_offset(target_lowering *t, const syn_expr *expr, syn_ir_register base, uint64_t offset)
{
    if (offset == 0)
        return base;
    return binary(t, expr, SYN_OP_ADD, base, constant_of(t, expr, (int64_t)offset));
}

static bool lower_member(target_lowering *t, const syn_expr *expr, place *out)
{
    place base;
    if (!lower_place(t, expr->member.base, &base))
        return false;
    syn_ir_register address;
    int32_t aggregate;
    if (!aggregate_of(t, expr, &base, &address, &aggregate))
        return false;
    uint32_t bit_offset, bit_size;
    int32_t member_type;
    if (!syn_btf_member(kernel_types(t), aggregate, expr->member.field, &bit_offset, &member_type, &bit_size)) {
        char name[256];
        type_name(t, aggregate, name, sizeof(name));
        fail(t, &expr->location, "%s has no member '%s'", name, expr->member.field);
        return false;
    }
    memset(out, 0, sizeof(*out));
    out->in_memory = true;
    out->type = member_type;
    if (bit_size) {
        out->reg = add_offset(t, expr, address, bit_offset / 64 * 8);
        out->bit_offset = bit_offset % 64;
        out->bit_size = bit_size;
    } else {
        out->reg = add_offset(t, expr, address, bit_offset / 8);
    }
    return true;
}

/* $remote_ip6[2] of a context the kernel rewrites access to: no address to
 * compute with, so the index must be known here and each element is a
 * context load of its own. */
static bool lower_context_element(target_lowering *t, const syn_expr *expr, const syn_target_variable *variable,
                                  place *out)
{
    const syn_expr *index = expr->index.keys.count == 1 ? expr->index.keys.items[0] : NULL;
    if (!index || index->kind != SYN_EXPR_NUMBER || index->number < 0 ||
        index->number >= (int64_t)variable->element_count) {
        fail(t, index ? &index->location : &expr->location,
             "$%s is read by a constant index from 0 to %u (it is in the probe's context, not in memory)",
             variable->name, variable->element_count ? variable->element_count - 1 : 0);
        return false;
    }
    syn_ir_instruction *load = emit(t, SYN_IR_CONTEXT_LOAD, expr);
    load->immediate = variable->offset + (int64_t)variable->element_size * index->number;
    load->size = variable->element_size;
    load->is_signed = variable->element_signed;
    if (variable->network_order)
        load->flags |= SYN_IR_NETWORK_ORDER;
    memset(out, 0, sizeof(*out));
    out->size = variable->element_size;
    out->is_signed = variable->element_signed;
    load->dest = out->reg = long_register(t);
    return true;
}

static const syn_target_variable *context_array(target_lowering *t, const syn_expr *base)
{
    if (base->kind != SYN_EXPR_TARGET || base->target.context || !t->f->point)
        return NULL;
    const syn_target_variable *variable = syn_point_variable(t->f->point, base->target.name);
    return variable && variable->access == SYN_TARGET_CONTEXT_ARRAY ? variable : NULL;
}

static bool lower_element(target_lowering *t, const syn_expr *expr, place *out)
{
    const syn_target_variable *in_context = context_array(t, expr->index.base);
    if (in_context)
        return lower_context_element(t, expr, in_context, out);
    place base;
    if (!lower_place(t, expr->index.base, &base))
        return false;
    if (expr->index.keys.count != 1) {
        fail(t, &expr->location, "a target array takes one index");
        return false;
    }
    syn_ir_register index = syn_lower_expr(t->f, expr->index.keys.items[0]);
    memset(out, 0, sizeof(*out));
    out->in_memory = true;
    syn_ir_register start = base.reg;
    uint32_t element_size;
    if (base.element_size) {
        element_size = base.element_size;
        out->size = element_size;
        out->is_signed = base.element_signed;
    } else {
        if (!need_btf(t, &expr->location))
            return false;
        const struct btf_type *type = NULL;
        if (base.type)
            syn_btf_resolve(kernel_types(t), base.type, &type);
        int32_t element;
        if (type && btf_is_array(type) && base.in_memory) {
            element = (int32_t)btf_array(type)->type;
        } else if (type && btf_is_ptr(type)) {
            element = (int32_t)type->type;
            if (base.in_memory) {
                syn_ir_instruction *read = emit(t, SYN_IR_KERNEL_READ, expr);
                read->a = base.reg;
                read->size = 8;
                read->dest = start = long_register(t);
            }
        } else {
            char name[256];
            type_name(t, base.type, name, sizeof(name));
            fail(t, &expr->location, "'[...]' needs an array or a pointer, not %s", name);
            return false;
        }
        int64_t size = btf__resolve_size(kernel_types(t), (uint32_t)element);
        if (size <= 0) {
            fail(t, &expr->location, "cannot index elements of unknown size");
            return false;
        }
        element_size = (uint32_t)size;
        out->type = element;
    }
    syn_ir_register offset = binary(t, expr, SYN_OP_MULTIPLY, index, constant_of(t, expr, element_size));
    out->reg = binary(t, expr, SYN_OP_ADD, start, offset);
    return true;
}

static int32_t find_type(const struct btf *btf, const char *spelling)
{
    static const struct {
        const char *prefix;
        int kind;
    } kinds[] = {{"struct ", BTF_KIND_STRUCT}, {"union ", BTF_KIND_UNION}, {"enum ", BTF_KIND_ENUM}};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t length = strlen(kinds[i].prefix);
        if (strncmp(spelling, kinds[i].prefix, length) == 0)
            return btf__find_by_name_kind(btf, spelling + length, kinds[i].kind);
    }
    /* SystemTap accepts a bare struct name and typedefs. */
    int32_t id = btf__find_by_name_kind(btf, spelling, BTF_KIND_STRUCT);
    if (id <= 0)
        id = btf__find_by_name_kind(btf, spelling, BTF_KIND_TYPEDEF);
    if (id <= 0)
        id = btf__find_by_name_kind(btf, spelling, BTF_KIND_UNION);
    return id;
}

static bool lower_cast(target_lowering *t, const syn_expr *expr, place *out)
{
    if (!need_btf(t, &expr->location))
        return false;
    const char *spelling = expr->cast.type_name.data;
    char name[256];
    snprintf(name, sizeof(name), "%s", spelling);
    size_t length = strlen(name);
    while (length && (name[length - 1] == ' ' || name[length - 1] == '*'))
        name[--length] = '\0';
    int32_t type = find_type(kernel_types(t), name);
    if (type <= 0) {
        fail(t, &expr->location, "no type '%s' in the kernel's BTF", spelling);
        return false;
    }
    memset(out, 0, sizeof(*out));
    out->reg = syn_lower_expr(t->f, expr->cast.operand);
    out->cast_pointee = type;
    out->size = 8;
    return true;
}

static bool lower_place(target_lowering *t, const syn_expr *expr, place *out)
{
    switch (expr->kind) {
    case SYN_EXPR_TARGET:
        return lower_variable(t, expr, out);
    case SYN_EXPR_MEMBER:
        return lower_member(t, expr, out);
    case SYN_EXPR_INDEX:
        return lower_element(t, expr, out);
    case SYN_EXPR_CAST:
        return lower_cast(t, expr, out);
    default:
        /* Any other value used as a pointer base: a number with no type. */
        memset(out, 0, sizeof(*out));
        out->reg = syn_lower_expr(t->f, expr);
        out->size = 8;
        return true;
    }
}

/* The value at a place: scalars are read, aggregates stand for their address. */
static syn_ir_register value_of(target_lowering *t, const syn_expr *expr, const place *at)
{
    if (!at->in_memory)
        return at->reg;
    uint32_t size = at->size;
    bool is_signed = at->is_signed;
    if (at->type) {
        const struct btf_type *type;
        syn_btf_resolve(kernel_types(t), at->type, &type);
        if (type && (btf_is_struct(type) || btf_is_union(type) || btf_is_array(type)))
            return at->reg;
        if (!syn_btf_scalar(kernel_types(t), at->type, &size, &is_signed)) {
            char name[256];
            type_name(t, at->type, name, sizeof(name));
            fail(t, &expr->location, "cannot read a value of type %s", name);
            return at->reg;
        }
    }
    syn_ir_instruction *read = emit(t, SYN_IR_KERNEL_READ, expr);
    read->a = at->reg;
    read->size = at->bit_size ? 8 : size;
    read->is_signed = at->bit_size ? false : is_signed;
    read->dest = long_register(t);
    syn_lower_mark_fault(t->f, read);
    if (!at->bit_size)
        return read->dest;
    /* A bitfield: shift it down and mask it. */
    syn_ir_register value = read->dest;
    if (at->bit_offset)
        value = binary(t, expr, SYN_OP_UNSIGNED_SHIFT_RIGHT, value, constant_of(t, expr, at->bit_offset));
    int64_t mask = at->bit_size >= 64 ? -1 : (int64_t)((1ULL << at->bit_size) - 1);
    return binary(t, expr, SYN_OP_BIT_AND, value, constant_of(t, expr, mask));
}

static syn_ir_register address_of(target_lowering *t, const syn_expr *expr, const place *at)
{
    if (at->in_memory && !at->bit_size)
        return at->reg;
    fail(t, &expr->location, at->bit_size ? "cannot take the address of a bitfield"
                                          : "'&' needs a member or element in memory ($x->field, $x[i])");
    return at->reg;
}

/* @defined(e): whether e can be lowered, tried in a block of its own that
 * nothing jumps to, with errors kept quiet. */
static bool is_defined(syn_function_lowering *f, const syn_expr *expr)
{
    uint32_t saved_block = f->block;
    bool saved_failed = f->failed;
    f->block = syn_ir_block_new(f->function);
    target_lowering probe = {.f = f, .quiet = true};
    place ignored;
    const syn_expr *inner = expr->kind == SYN_EXPR_UNARY ? expr->unary.operand : expr;
    bool defined = lower_place(&probe, inner, &ignored) && !probe.failed;
    syn_lower_emit(f, SYN_IR_RETURN, &expr->location);
    f->block = saved_block;
    f->failed = saved_failed;
    return defined;
}

/* ---- $$vars, $$parms, $$locals ------------------------------------------------- */

static bool is_text(const syn_target_variable *variable)
{
    bool characters = variable->c_type && strstr(variable->c_type, "char");
    return characters && (variable->access == SYN_TARGET_DATA_LOC ||
                          (variable->access == SYN_TARGET_FIELD_ADDRESS && variable->element_size == 1));
}

/* A raw tracepoint offers each argument by name and as $argN: $$parms lists it once. */
static bool listed_already(const syn_point *point, uint32_t index)
{
    const syn_target_variable *variable = &point->variables[index];
    for (uint32_t i = 0; i < index; i++) {
        if (point->variables[i].access == variable->access && point->variables[i].offset == variable->offset)
            return true;
    }
    return false;
}

/* One variable as "name=%#x" (numbers and pointers, as SystemTap prints them)
 * or name="%s" (a tracepoint's strings and char arrays). */
static void add_variable(target_lowering *t, const syn_expr *expr, const syn_target_variable *variable,
                         syn_buffer *format, syn_ir_register *value, syn_ir_register_kind *kind)
{
    syn_function_lowering *f = t->f;
    syn_expr named = *expr;
    named.target.context = false;
    named.target.name = variable->name;
    place at;
    if (!lower_variable(t, &named, &at)) {
        *value = long_register(t);
        *kind = SYN_IR_LONG;
        return;
    }
    if (format->length)
        syn_buffer_append_char(format, ' ');
    if (is_text(variable)) {
        syn_ir_instruction *read = emit(t, SYN_IR_KERNEL_STRING, expr);
        read->a = at.reg;
        read->dest = syn_lower_register(f, SYN_IR_STRING);
        syn_lower_mark_fault(f, read);
        syn_buffer_printf(format, "%s=\"%%s\"", variable->name);
        *value = read->dest;
        *kind = SYN_IR_STRING;
        return;
    }
    syn_buffer_printf(format, "%s=%%#x", variable->name);
    *value = at.reg;
    *kind = SYN_IR_LONG;
}

/* $$vars and $$parms: every variable of the point, formatted in pieces of at
 * most as many values as the kernel's bpf_snprintf takes, joined.  Tracepoints
 * have parameters only, so $$locals is empty. */
static syn_ir_register lower_all_variables(target_lowering *t, const syn_expr *expr)
{
    syn_function_lowering *f = t->f;
    const syn_point *point = f->point;
    const char *which = expr->target.name;
    if (strcmp(which, "return") == 0) {
        fail(t, &expr->location, "$$return is only available in .return probes, and %s is not one",
             point ? point->name : "this probe");
        return syn_lower_register(f, SYN_IR_STRING);
    }
    if (!point || !syn_point_in_kernel(point)) {
        fail(t, &expr->location, "$$%s needs a kernel probe point", which);
        return syn_lower_register(f, SYN_IR_STRING);
    }
    enum { PIECE = 12 };
    syn_ir_register result = SYN_IR_NO_REGISTER;
    bool locals = strcmp(which, "locals") == 0;
    uint32_t index = 0;
    do {
        syn_buffer format;
        syn_buffer_init(&format);
        if (result != SYN_IR_NO_REGISTER)
            syn_buffer_append_char(&format, ' ');
        size_t start = format.length;
        syn_ir_register values[PIECE];
        syn_ir_register_kind kinds[PIECE];
        uint32_t count = 0;
        for (; !locals && index < point->variable_count && count < PIECE; index++) {
            /* Context arrays have no single value to show. */
            if (listed_already(point, index) || point->variables[index].access == SYN_TARGET_CONTEXT_ARRAY)
                continue;
            syn_buffer piece;
            syn_buffer_init(&piece);
            add_variable(t, expr, &point->variables[index], &piece, &values[count], &kinds[count]);
            if (format.length > start && piece.length)
                syn_buffer_append_char(&format, ' ');
            syn_buffer_append(&format, piece.data ? piece.data : "", piece.length);
            syn_buffer_release(&piece);
            count++;
        }
        if (!count && result != SYN_IR_NO_REGISTER) {
            syn_buffer_release(&format);
            break;
        }
        syn_ir_register text = syn_lower_format(f, format.data ? format.data : "", values, kinds, count,
                                                &expr->location);
        syn_buffer_release(&format);
        if (result == SYN_IR_NO_REGISTER) {
            result = text;
        } else {
            syn_ir_instruction *join = emit(t, SYN_IR_CONCAT, expr);
            join->a = result;
            join->b = text;
            join->dest = syn_lower_register(f, SYN_IR_STRING);
            result = join->dest;
        }
    } while (!locals && index < point->variable_count);
    return result;
}

syn_ir_register syn_lower_target(syn_function_lowering *f, const syn_expr *expr)
{
    target_lowering t = {.f = f};
    place at;
    switch (expr->kind) {
    case SYN_EXPR_DEFINED: {
        syn_ir_instruction *value = syn_lower_emit(f, SYN_IR_CONSTANT, &expr->location);
        value->immediate = expr->decided ? expr->defined && is_defined(f, expr->wrap.operand)
                                         : is_defined(f, expr->wrap.operand);
        value->dest = syn_lower_register(f, SYN_IR_LONG);
        return value->dest;
    }
    case SYN_EXPR_CHOOSE_DEFINED:
        return syn_lower_expr(f, is_defined(f, expr->choose.first) ? expr->choose.first : expr->choose.second);
    case SYN_EXPR_ENTRY: {
        syn_ir_register captured;
        if (syn_lower_captured(f, expr, &captured))
            return captured;
        /* In the entry probe that captures it, @entry(x) is x. */
        if (f->in_entry_probe)
            return syn_lower_expr(f, expr->wrap.operand);
        if (!f->point || !f->point->is_return || !f->point->entry)
            fail(&t, &expr->location, "@entry is only valid in .return probes of functions");
        return syn_lower_expr(f, expr->wrap.operand);
    }
    case SYN_EXPR_PRETTY:
        fail(&t, &expr->location, "pretty-printing target variables ($x$) is not supported by syn yet");
        return syn_lower_register(f, SYN_IR_STRING);
    case SYN_EXPR_VAR:
        fail(&t, &expr->location, "@var is not supported by syn yet");
        return syn_lower_register(f, SYN_IR_LONG);
    case SYN_EXPR_EMBEDDED:
        return syn_lower_register(f, SYN_IR_LONG);
    case SYN_EXPR_TARGET:
        if (expr->target.context)
            return lower_all_variables(&t, expr);
        if (!lower_place(&t, expr, &at))
            return syn_lower_register(f, SYN_IR_LONG);
        return value_of(&t, expr, &at);
    case SYN_EXPR_UNARY:
        if (!lower_place(&t, expr->unary.operand, &at))
            return syn_lower_register(f, SYN_IR_LONG);
        return address_of(&t, expr, &at);
    default:
        if (!lower_place(&t, expr, &at))
            return syn_lower_register(f, SYN_IR_LONG);
        return value_of(&t, expr, &at);
    }
}
