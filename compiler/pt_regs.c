#include "compiler/pt_regs.h"

#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
/* struct pt_regs (arch/x86/include/asm/ptrace.h).  The kernel's own names
 * (ax, di, ip) and the 64-bit ones (rax, rdi, rip) are the same slot; the
 * 32-bit names read its low half, as on a 32-bit call. */
enum { R15 = 0, R14 = 8, R13 = 16, R12 = 24, BP = 32, BX = 40, R11 = 48, R10 = 56, R9 = 64, R8 = 72,
       AX = 80, CX = 88, DX = 96, SI = 104, DI = 112, ORIG_AX = 120, IP = 128, CS = 136, FLAGS = 144,
       SP = 152, SS = 160 };
static const syn_pt_register registers[] = {
    {"rax", AX, 8}, {"rbx", BX, 8}, {"rcx", CX, 8}, {"rdx", DX, 8}, {"rsi", SI, 8}, {"rdi", DI, 8},
    {"rbp", BP, 8}, {"rsp", SP, 8}, {"rip", IP, 8}, {"r8", R8, 8}, {"r9", R9, 8}, {"r10", R10, 8},
    {"r11", R11, 8}, {"r12", R12, 8}, {"r13", R13, 8}, {"r14", R14, 8}, {"r15", R15, 8},
    {"ax", AX, 8}, {"bx", BX, 8}, {"cx", CX, 8}, {"dx", DX, 8}, {"si", SI, 8}, {"di", DI, 8},
    {"bp", BP, 8}, {"sp", SP, 8}, {"ip", IP, 8}, {"orig_ax", ORIG_AX, 8}, {"orig_rax", ORIG_AX, 8},
    {"flags", FLAGS, 8}, {"eflags", FLAGS, 8}, {"rflags", FLAGS, 8}, {"cs", CS, 8}, {"ss", SS, 8},
    {"eax", AX, 4}, {"ebx", BX, 4}, {"ecx", CX, 4}, {"edx", DX, 4}, {"esi", SI, 4}, {"edi", DI, 4},
    {"ebp", BP, 4}, {"esp", SP, 4}, {"eip", IP, 4},
};
static const uint32_t arguments[] = {DI, SI, DX, CX, R8, R9};
static const uint32_t return_value = AX;
static const char machine[] = "x86-64";
static const char examples[] = "rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, rip, r8 ... r15, eax ... eip";
#elif defined(__aarch64__)
/* struct user_pt_regs (arch/arm64/include/uapi/asm/ptrace.h): x0 ... x30,
 * then sp, pc and pstate. */
#define X(n) {"x" #n, (n) * 8, 8}
static const syn_pt_register registers[] = {
    X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), X(8), X(9), X(10), X(11), X(12), X(13), X(14), X(15),
    X(16), X(17), X(18), X(19), X(20), X(21), X(22), X(23), X(24), X(25), X(26), X(27), X(28), X(29), X(30),
    {"fp", 29 * 8, 8}, {"lr", 30 * 8, 8}, {"sp", 248, 8}, {"pc", 256, 8}, {"pstate", 264, 8},
};
#undef X
static const uint32_t arguments[] = {0, 8, 16, 24, 32, 40, 48, 56}; /* x0 ... x7 */
static const uint32_t return_value = 0;                             /* x0 */
static const char machine[] = "arm64";
static const char examples[] = "x0 ... x30, fp, lr, sp, pc, pstate";
#else
#error "syn knows the registers of x86-64 and arm64 only"
#endif

const syn_pt_register *syn_pt_register_named(const char *name)
{
    for (size_t i = 0; i < sizeof(registers) / sizeof(registers[0]); i++) {
        if (strcmp(registers[i].name, name) == 0)
            return &registers[i];
    }
    return NULL;
}

bool syn_pt_argument_offset(unsigned number, uint32_t *offset)
{
    if (number < 1 || number > syn_pt_argument_count())
        return false;
    *offset = arguments[number - 1];
    return true;
}

unsigned syn_pt_argument_count(void)
{
    return (unsigned)(sizeof(arguments) / sizeof(arguments[0]));
}

uint32_t syn_pt_return_offset(void)
{
    return return_value;
}

const char *syn_pt_machine(void)
{
    return machine;
}

const char *syn_pt_register_examples(void)
{
    return examples;
}
