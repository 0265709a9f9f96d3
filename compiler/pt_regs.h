/* The registers a kprobe or uprobe program receives as its context: the
 * kernel's struct pt_regs on x86-64, struct user_pt_regs on arm64.  Their
 * layout is a fixed ABI, so register("rdi"), int_arg(2), $arg1 and $return
 * are context loads at offsets known when compiling. */
#ifndef SYN_COMPILER_PT_REGS_H
#define SYN_COMPILER_PT_REGS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct syn_pt_register {
    const char *name;            /* "rdi", "eax", "x0", "sp" */
    uint32_t offset;             /* into the context */
    uint32_t size;               /* 8, or 4 for the low half (eax, ...) */
} syn_pt_register;

/* The register called `name` on this machine, or NULL. */
const syn_pt_register *syn_pt_register_named(const char *name);

/* The register of argument `number` (1 for the first) in the calling
 * convention; false when that argument is not passed in a register. */
bool syn_pt_argument_offset(unsigned number, uint32_t *offset);
/* How many arguments are passed in registers (6 on x86-64, 8 on arm64). */
unsigned syn_pt_argument_count(void);
/* The register holding a function's return value. */
uint32_t syn_pt_return_offset(void);
/* This machine's name, for messages: "x86-64", "arm64". */
const char *syn_pt_machine(void);
/* A few register names, for messages: "rax, rbx, ..., r15, rip". */
const char *syn_pt_register_examples(void);

#endif
