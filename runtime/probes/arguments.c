#include "runtime/probes/arguments.h"

#include <stddef.h>

#include "compiler/btf_types.h"

void syn_add_typed_argument(syn_arena *arena, const struct btf *btf, syn_point *point, const char *name,
                            uint32_t offset, int32_t type)
{
    syn_target_variable *variable = &point->variables[point->variable_count++];
    char c_type[256];
    syn_btf_type_name(btf, type, c_type, sizeof(c_type));
    variable->name = syn_arena_strdup(arena, name);
    variable->c_type = syn_arena_strdup(arena, c_type);
    variable->access = SYN_TARGET_ARGUMENT;
    variable->offset = offset;
    variable->btf_type = type;
    uint32_t size = 8;
    bool is_signed = false;
    if (!syn_btf_scalar(btf, type, &size, &is_signed))
        size = 8;
    variable->size = size;
    variable->is_signed = is_signed;
}

/* Offsets into the pt_regs the kernel gives kprobe programs (struct
 * pt_regs on x86-64, struct user_pt_regs on arm64): a fixed ABI. */
#if defined(__x86_64__)
enum { REGISTER_AX = 80, REGISTER_CX = 88, REGISTER_DX = 96, REGISTER_SI = 104, REGISTER_DI = 112,
       REGISTER_R8 = 72, REGISTER_R9 = 64 };
static const uint32_t argument_registers[] = {REGISTER_DI, REGISTER_SI, REGISTER_DX,
                                              REGISTER_CX, REGISTER_R8, REGISTER_R9};
static const uint32_t return_register = REGISTER_AX;
#elif defined(__aarch64__)
static const uint32_t argument_registers[] = {0, 8, 16, 24, 32, 40, 48, 56}; /* x0 ... x7 */
static const uint32_t return_register = 0;                                    /* x0 */
#else
#error "syn knows the calling convention of x86-64 and arm64 only"
#endif

bool syn_register_argument_offset(unsigned index, uint32_t *offset)
{
    if (index >= sizeof(argument_registers) / sizeof(argument_registers[0]))
        return false;
    *offset = argument_registers[index];
    return true;
}

uint32_t syn_register_return_offset(void)
{
    return return_register;
}
