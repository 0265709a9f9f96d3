/* What the BPF code generator produces for each kernel probe: raw eBPF
 * instructions, the script location of each, the maps they refer to (as
 * relocations the loader fills with real map descriptors), and the fault
 * sites whose errors the kernel reports through the ring buffer. */
#ifndef SYN_COMPILER_BPF_PROGRAM_H
#define SYN_COMPILER_BPF_PROGRAM_H

#include <linux/bpf.h>
#include <stdint.h>

#include "compiler/ir.h"
#include "lang/diagnostics.h"

/* Which map an ld_imm64 instruction names. */
typedef enum syn_bpf_map_reference {
    SYN_BPF_MAP_GLOBAL,          /* an array or statistic: `global` is its IR index */
    SYN_BPF_MAP_GLOBALS_VALUE,   /* the scalar region, a direct value address at `offset` */
    SYN_BPF_MAP_EVENTS,          /* the output ring buffer */
    SYN_BPF_MAP_LOST,            /* per-CPU lost-event counters */
    SYN_BPF_MAP_SCRATCH,         /* this program's per-CPU scratch memory */
    SYN_BPF_MAP_RODATA,          /* read-only constants (format strings), a value address at `offset` */
} syn_bpf_map_reference;

typedef struct syn_bpf_relocation {
    uint32_t instruction;        /* the first half of an ld_imm64 */
    syn_bpf_map_reference map;
    uint32_t global;
    uint32_t offset;
} syn_bpf_relocation;

/* Records the kernel writes to the ring buffer, 8-byte aligned. */
enum {
    SYN_BPF_RECORD_PRINT = 1,    /* u32 kind, u32 event, then the values */
    SYN_BPF_RECORD_EXIT = 2,     /* u32 kind, u32 0 */
    SYN_BPF_RECORD_FAULT = 3,    /* u32 kind, u32 fault site, u64 detail, then a message for error() */
};

typedef struct syn_bpf_fault_site {
    syn_ir_fault kind;           /* SYN_IR_FAULT_NONE for error("message") */
    syn_location location;
    char *probe;                 /* the probe point, for the message */
} syn_bpf_fault_site;

typedef struct syn_bpf_program {
    const syn_ir_probe *probe;
    char name[16];               /* the kernel keeps 15 characters */
    enum bpf_prog_type type;
    enum bpf_attach_type expected_attach_type;
    uint32_t attach_btf_id;
    struct bpf_insn *instructions;
    uint32_t instruction_count;
    syn_location *locations;     /* per instruction; source NULL for entry code */
    syn_bpf_relocation *relocations;
    uint32_t relocation_count;
    uint32_t scratch_size;       /* bytes of per-CPU scratch memory it uses */
} syn_bpf_program;

typedef struct syn_bpf_object {
    syn_bpf_program *programs;
    uint32_t program_count;
    syn_bpf_fault_site *faults;
    uint32_t fault_count;
    uint32_t max_string_length;
    char *rodata;                /* NUL-terminated constants, one after another */
    uint32_t rodata_size;
} syn_bpf_object;

struct btf;

/* Where the kernel's BTF comes from: asked for only by a program that needs
 * a kernel type (ppid(), euid(), ...), since loading it costs milliseconds
 * and megabytes.  get may return NULL (no BTF). */
typedef struct syn_bpf_btf_source {
    const struct btf *(*get)(void *context);
    void *context;
} syn_bpf_btf_source;

/* Generates every kernel probe of the program.  False after reporting a
 * located error (something a kernel probe cannot do). */
bool syn_bpf_generate(const syn_ir_program *program, syn_bpf_btf_source btf, syn_bpf_object *object,
                      syn_diagnostics *diagnostics);
void syn_bpf_object_release(syn_bpf_object *object);

/* -p4: a program as readable assembly, with the script line of each block. */
void syn_bpf_disassemble(syn_buffer *out, const syn_bpf_program *program);

#endif
