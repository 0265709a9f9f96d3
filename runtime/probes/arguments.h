/* Target variables of function-like probe points, typed by BTF: a typed
 * tracepoint's arguments, a kernel function's parameters and return value.
 * Where each value lives depends on the mechanism: an 8-byte slot of a
 * trampoline's or tp_btf's context, or a register of pt_regs. */
#ifndef SYN_RUNTIME_PROBES_ARGUMENTS_H
#define SYN_RUNTIME_PROBES_ARGUMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/probe_point.h"

struct btf;

/* Appends $name, read from the context slot at `offset`; point->variables
 * must have room. */
void syn_add_typed_argument(syn_arena *arena, const struct btf *btf, syn_point *point, const char *name,
                            uint32_t offset, int32_t type);

/* The registers of this machine's calling convention, as offsets into the
 * pt_regs a kprobe or uprobe program receives: argument `index` (0 for the
 * first); false when it is not passed in a register. */
bool syn_register_argument_offset(unsigned index, uint32_t *offset);
/* The register holding a function's return value. */
uint32_t syn_register_return_offset(void);

#endif
