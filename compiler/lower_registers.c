/* register("rdi"), u_register("rdi") and the *_arg(n) functions that
 * SystemTap offers where no debuginfo names the arguments: each is a load
 * from the context of a kprobe or uprobe (pt_regs) at an offset known when
 * compiling, which is why the name or number must be written literally.
 * In a .return probe they read the registers at the return; @entry(...)
 * reads them at the entry. */
#include <string.h>

#include "compiler/lower_internal.h"
#include "compiler/pt_regs.h"

typedef struct argument_reader {
    const char *name;
    uint32_t size;
    bool is_signed;
} argument_reader;

static const argument_reader argument_readers[] = {
    {"int_arg", 4, true},   {"uint_arg", 4, false},    {"long_arg", 8, true}, {"ulong_arg", 8, false},
    {"pointer_arg", 8, false}, {"s32_arg", 4, true},   {"u32_arg", 4, false}, {"s64_arg", 8, true},
    {"u64_arg", 8, false},
};

static const argument_reader *argument_reader_named(const char *name)
{
    for (size_t i = 0; i < sizeof(argument_readers) / sizeof(argument_readers[0]); i++) {
        if (strcmp(argument_readers[i].name, name) == 0)
            return &argument_readers[i];
    }
    return NULL;
}

static syn_ir_register load(syn_function_lowering *f, uint32_t offset, uint32_t size, bool is_signed,
                            const syn_location *location)
{
    syn_ir_register dest = syn_lower_register(f, SYN_IR_LONG);
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_CONTEXT_LOAD, location);
    instruction->immediate = offset;
    instruction->size = size;
    instruction->is_signed = is_signed;
    instruction->dest = dest;
    return dest;
}

/* After an error the call still needs a value for the code around it. */
static syn_ir_register placeholder(syn_function_lowering *f, const syn_location *location)
{
    syn_ir_register dest = syn_lower_register(f, SYN_IR_LONG);
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_CONSTANT, location);
    instruction->dest = dest;
    return dest;
}

static bool has_registers(syn_function_lowering *f, const char *name, const syn_location *location)
{
    if (f->point && f->point->context == SYN_CONTEXT_KPROBE)
        return true;
    if (f->point)
        syn_lower_error(f, location, "%s() reads the registers of a kprobe or uprobe, and %s has none", name,
                        f->point->name);
    else
        syn_lower_error(f, location, "%s() reads the registers of a kprobe or uprobe and can only run in one",
                        name);
    return false;
}

static syn_ir_register named_register(syn_function_lowering *f, const syn_expr *expr, const char *name)
{
    const syn_expr *argument = expr->call.arguments.items[0];
    if (argument->kind != SYN_EXPR_STRING) {
        syn_lower_error(f, &argument->location, "%s() takes the register's name as a literal string (%s)", name,
                        syn_pt_register_examples());
        return placeholder(f, &expr->location);
    }
    const syn_pt_register *found = syn_pt_register_named(argument->string.data);
    if (!found) {
        syn_lower_error(f, &argument->location, "%s has no register \"%s\"; it has %s", syn_pt_machine(),
                        argument->string.data, syn_pt_register_examples());
        return placeholder(f, &expr->location);
    }
    /* register() is signed, u_register() not; a full register has no sign to extend. */
    return load(f, found->offset, found->size, name[0] != 'u', &expr->location);
}

static syn_ir_register numbered_argument(syn_function_lowering *f, const syn_expr *expr,
                                         const argument_reader *reader)
{
    const syn_expr *argument = expr->call.arguments.items[0];
    unsigned count = syn_pt_argument_count();
    if (argument->kind != SYN_EXPR_NUMBER) {
        syn_lower_error(f, &argument->location, "%s() takes the argument's number as a literal, 1 to %u",
                        reader->name, count);
        return placeholder(f, &expr->location);
    }
    uint32_t offset;
    if (argument->number < 1 || argument->number > count ||
        !syn_pt_argument_offset((unsigned)argument->number, &offset)) {
        syn_lower_error(f, &argument->location,
                        "%s(%lld): %s passes arguments 1 to %u in registers, and syn does not read the stack",
                        reader->name, (long long)argument->number, syn_pt_machine(), count);
        return placeholder(f, &expr->location);
    }
    return load(f, offset, reader->size, reader->is_signed, &expr->location);
}

bool syn_lower_register_call(syn_function_lowering *f, const syn_expr *expr, const char *name,
                             syn_ir_register *result)
{
    bool named = strcmp(name, "register") == 0 || strcmp(name, "u_register") == 0;
    const argument_reader *reader = named ? NULL : argument_reader_named(name);
    if (!named && !reader)
        return false;
    if (!has_registers(f, name, &expr->location))
        *result = placeholder(f, &expr->location);
    else
        *result = named ? named_register(f, expr, name) : numbered_argument(f, expr, reader);
    return true;
}
