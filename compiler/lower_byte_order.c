/* ntohs, ntohl, ntohll and their hton twins (SystemTap's inet tapset): byte
 * swaps lowered to shifts and masks, so that both back ends run them as
 * they run any arithmetic.  The host is the machine the probes run on; on a
 * big-endian one network order is host order and only the width applies. */
#include <string.h>

#include "compiler/lower_internal.h"

static syn_ir_register constant(syn_function_lowering *f, int64_t value, const syn_location *location)
{
    syn_ir_register dest = syn_lower_register(f, SYN_IR_LONG);
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_CONSTANT, location);
    instruction->dest = dest;
    instruction->immediate = value;
    return dest;
}

/* Registers only are kept across emits, which may move earlier instructions. */
static syn_ir_register binary(syn_function_lowering *f, syn_operator op, syn_ir_register a, syn_ir_register b,
                              const syn_location *location)
{
    syn_ir_register dest = syn_lower_register(f, SYN_IR_LONG);
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_BINARY, location);
    instruction->op = op;
    instruction->a = a;
    instruction->b = b;
    instruction->dest = dest;
    return dest;
}

static uint32_t width_of(const char *name)
{
    const char *width = name + 4; /* after "ntoh" or "hton" */
    return strcmp(width, "s") == 0 ? 2 : strcmp(width, "l") == 0 ? 4 : 8;
}

bool syn_lower_is_byte_order(const char *name)
{
    static const char *const names[] = {"ntohs", "ntohl", "ntohll", "htons", "htonl", "htonll"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i]) == 0)
            return true;
    }
    return false;
}

syn_ir_register syn_lower_byte_order(syn_function_lowering *f, const syn_expr *expr)
{
    const syn_location *location = &expr->location;
    uint32_t bytes = width_of(expr->call.name);
    syn_ir_register value = syn_lower_expr(f, expr->call.arguments.items[0]);
    syn_ir_register mask = constant(f, 0xff, location);
    syn_ir_register result = constant(f, 0, location);
    for (uint32_t i = 0; i < bytes; i++) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        uint32_t to = 8 * (bytes - 1 - i);
#else
        uint32_t to = 8 * i;
#endif
        syn_ir_register byte = value;
        if (i)
            byte = binary(f, SYN_OP_UNSIGNED_SHIFT_RIGHT, byte, constant(f, 8 * i, location), location);
        byte = binary(f, SYN_OP_BIT_AND, byte, mask, location);
        if (to)
            byte = binary(f, SYN_OP_SHIFT_LEFT, byte, constant(f, to, location), location);
        result = binary(f, SYN_OP_BIT_OR, result, byte, location);
    }
    return result;
}
