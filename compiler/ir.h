/* The IR: what the checked program lowers to, and what both back ends take.
 * The BPF code generator (compiler/bpf_*.c) turns the IR of kernel probes
 * into eBPF instructions; the interpreter (runtime/interpreter.c) runs the IR
 * of userspace probes (begin, end, error, timers) and of REPL input.
 *
 * A function is a list of basic blocks of instructions over virtual
 * registers.  A register holds a long, or names a string buffer of
 * MAXSTRINGLEN bytes.  Registers are variables, not SSA values: a local is one
 * register assigned many times.  Every instruction carries the script
 * location it came from, so -p3/-p4 can show it and a verifier rejection can
 * be traced back to a script line. */
#ifndef SYN_COMPILER_IR_H
#define SYN_COMPILER_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/ast.h"
#include "util/buffer.h"

typedef uint32_t syn_ir_register;
#define SYN_IR_NO_REGISTER UINT32_MAX

typedef enum syn_ir_register_kind {
    SYN_IR_LONG,
    SYN_IR_STRING,
} syn_ir_register_kind;

typedef enum syn_ir_opcode {
    /* longs */
    SYN_IR_CONSTANT,        /* dest = immediate */
    SYN_IR_MOVE,            /* dest = a (long or string) */
    SYN_IR_BINARY,          /* dest = a op b; op in binary_op; / and % raise on 0 */
    SYN_IR_NEGATE,          /* dest = -a */
    SYN_IR_NOT,             /* dest = !a */
    SYN_IR_BIT_NOT,         /* dest = ~a */
    SYN_IR_COMPARE,         /* dest = a cmp b (longs), cmp in compare_op */
    /* strings */
    SYN_IR_STRING_CONSTANT, /* dest = strings[immediate] */
    SYN_IR_CONCAT,          /* dest = a . b (truncated to MAXSTRINGLEN - 1) */
    SYN_IR_STRING_COMPARE,  /* dest(long) = a cmp b, bytewise */
    SYN_IR_REGEX,           /* dest(long) = a =~ strings[immediate] (op NOT_EQUAL for !~) */
    /* globals (scalars) */
    SYN_IR_GLOBAL_LOAD,     /* dest = globals[global] */
    SYN_IR_GLOBAL_STORE,    /* globals[global] = a */
    SYN_IR_GLOBAL_ADD,      /* globals[global] += a, atomically; no result */
    /* arrays: global names the array, keys are registers */
    SYN_IR_MAP_LOAD,        /* dest = array[keys], 0 or "" when absent */
    SYN_IR_MAP_STORE,       /* array[keys] = a */
    SYN_IR_MAP_ADD,         /* array[keys] += a, atomically, inserting when absent */
    SYN_IR_MAP_DELETE,      /* delete array[keys] (keys may be wildcards) */
    SYN_IR_MAP_CLEAR,       /* delete array (every element), or reset a scalar */
    SYN_IR_MAP_EXISTS,      /* dest = [keys] in array (keys may be wildcards) */
    /* statistics: global names the statistic (scalar or array) */
    SYN_IR_STAT_ADD,        /* stat[keys] <<< a */
    SYN_IR_STAT_READ,       /* dest = @op(stat[keys]), op in stat_op; raises when empty.
                               For a histogram op, b is a bucket index and dest its count. */
    /* the probe's context */
    SYN_IR_BUILTIN,         /* dest = builtin(arguments), builtin in builtin */
    SYN_IR_CONTEXT_LOAD,    /* dest = *(size, signed)(context + immediate) */
    SYN_IR_CONTEXT_ADDRESS, /* dest = the address context + immediate (arrays in a record) */
    SYN_IR_CONTEXT_DATA_LOC,/* dest = the address of the __data_loc data whose locator is at
                               context + immediate */
    SYN_IR_KERNEL_READ,     /* dest = *(size, signed)(a + immediate), read from kernel memory */
    SYN_IR_KERNEL_STRING,   /* dest = the kernel string at a (user memory when flags say so) */
    /* output and control of the script */
    SYN_IR_PRINT,           /* emit output event `event` with arguments */
    SYN_IR_EXIT,            /* ask the script to end (end probes run) */
    SYN_IR_ERROR,           /* raise a script error with message a */
    /* userspace only */
    SYN_IR_CALL,            /* dest = function(arguments) */
    SYN_IR_HOST_CALL,       /* dest = the host's function op (syn_register_function)(arguments) */
    SYN_IR_ITERATE_BEGIN,   /* iterator immediate over array: snapshot, sort, limit a */
    SYN_IR_ITERATE_NEXT,    /* terminator: the next element of iterator immediate into arguments
                               (keys..., value) then target_true; target_false when done */
    SYN_IR_ITERATE_END,     /* drop iterator immediate */
    SYN_IR_FORMAT,          /* dest(string) = formatted event (sprintf, sprint...) */
    /* terminators */
    SYN_IR_JUMP,            /* to target_true */
    SYN_IR_BRANCH,          /* a != 0 ? target_true : target_false */
    SYN_IR_RETURN,          /* end of the probe or function, value a (or none) */
} syn_ir_opcode;

typedef enum syn_ir_compare {
    SYN_IR_EQUAL, SYN_IR_NOT_EQUAL, SYN_IR_LESS, SYN_IR_LESS_EQUAL, SYN_IR_GREATER,
    SYN_IR_GREATER_EQUAL,
} syn_ir_compare;

/* What a runtime error is about, for SystemTap's messages. */
typedef enum syn_ir_fault {
    SYN_IR_FAULT_NONE,
    SYN_IR_FAULT_DIVISION_BY_ZERO,
    SYN_IR_FAULT_ARRAY_FULL,
    SYN_IR_FAULT_EMPTY_STATISTIC,
    SYN_IR_FAULT_READ,
    SYN_IR_FAULT_STRING_INDEX,   /* stringat() outside the string */
    SYN_IR_FAULT_RANDOM_BOUND,   /* randint() of a bound below 1 */
    SYN_IR_FAULT_PACKET_READ,    /* packet_u8() and friends outside the packet */
} syn_ir_fault;

/* The message of a fault, the same from either back end: what a catch
 * receives and what is reported. */
const char *syn_ir_fault_message(syn_ir_fault kind);

enum {
    SYN_IR_READ_USER = 1,   /* KERNEL_STRING/KERNEL_READ from user memory */
    SYN_IR_UNUSED_RESULT = 2, /* the value of an add or store is not needed */
    SYN_IR_NETWORK_ORDER = 4, /* CONTEXT_LOAD of a big-endian field: swapped to host order */
};

enum { SYN_IR_MAX_ARGUMENTS = 32 };

typedef struct syn_ir_instruction {
    syn_ir_opcode opcode;
    syn_ir_register dest;
    syn_ir_register a;
    syn_ir_register b;
    int64_t immediate;
    uint32_t op;                 /* syn_operator, syn_ir_compare, syn_stat_op or builtin id */
    uint32_t global;             /* index into the program's globals */
    uint32_t event;              /* index into the program's events */
    uint32_t function;           /* index into the program's functions */
    uint32_t size;               /* bytes read by CONTEXT_LOAD / KERNEL_READ */
    bool is_signed;
    uint32_t flags;
    uint32_t target_true;        /* blocks */
    uint32_t target_false;
    syn_ir_register *arguments;  /* keys, call or print arguments; SYN_IR_NO_REGISTER is a '*' */
    uint32_t argument_count;
    syn_foreach_sort sort;       /* ITERATE_BEGIN */
    /* Inside try { }: a fault of this instruction (or ERROR) puts its message
     * in fault_message and continues at fault_block instead of ending the
     * probe.  fault_message is SYN_IR_NO_REGISTER outside try. */
    uint32_t fault_block;
    syn_ir_register fault_message;
    syn_location location;
} syn_ir_instruction;

typedef struct syn_ir_block {
    syn_ir_instruction *instructions;
    uint32_t count;
    uint32_t capacity;
} syn_ir_block;

typedef struct syn_ir_function {
    char *name;                  /* "probe 3 begin" or the function's name */
    syn_ir_block *blocks;        /* block 0 is the entry */
    uint32_t block_count;
    uint32_t block_capacity;
    syn_ir_register_kind *registers;
    uint32_t register_count;
    uint32_t register_capacity;
    syn_ir_register *parameters; /* for user functions */
    uint32_t parameter_count;
    syn_ir_register_kind return_kind;
    bool returns_value;
    syn_location location;
} syn_ir_function;

typedef enum syn_ir_global_kind {
    SYN_IR_GLOBAL_SCALAR,        /* a long or string in the globals region */
    SYN_IR_GLOBAL_ARRAY,         /* a hash map */
    SYN_IR_GLOBAL_STATISTIC,     /* a per-CPU statistic, scalar or array */
} syn_ir_global_kind;

typedef struct syn_ir_global {
    char *name;
    syn_ir_global_kind kind;
    syn_ir_register_kind value_kind;   /* of scalars and array values */
    syn_ir_register_kind *key_kinds;
    uint32_t key_count;
    uint32_t *key_widths;        /* bytes of each string key when narrower than MAXSTRINGLEN, else 0; or NULL */
    uint32_t offset;             /* scalars: byte offset in the globals region */
    uint32_t max_entries;        /* arrays */
    bool wrap;                   /* arrays declared a%[...] */
    uint32_t histogram_buckets;  /* statistics: 0 when no histogram is read */
    int64_t linear_low, linear_high, linear_step; /* @hist_linear's parameters */
    bool log_histogram;
    bool has_initial_value;
    int64_t initial_long;
    char *initial_string;
    /* Written but never read: SystemTap prints it when the script ends. */
    bool display_at_end;
} syn_ir_global;

/* An output event: what one print-like statement sends from a probe to
 * userspace, and how userspace turns it into text. */
typedef enum syn_ir_event_kind {
    SYN_IR_EVENT_PRINTF,         /* format, arguments */
    SYN_IR_EVENT_PRINT,          /* print/println: arguments with no separator */
    SYN_IR_EVENT_PRINTD,         /* printd/printdln: delimiter, arguments */
    SYN_IR_EVENT_WARNING,        /* warn(message): to standard error */
} syn_ir_event_kind;

/* The start of the scalar globals region holds words shared by the runtime
 * and the probes: target(), the offset from boot time to wall-clock time,
 * and flags a kernel probe sets so that an exit() or a fault is seen even
 * when its ring-buffer record did not fit (the fault word holds site + 1). */
enum {
    SYN_IR_RESERVED_TARGET = 0,
    SYN_IR_RESERVED_REALTIME_OFFSET = 8,
    SYN_IR_RESERVED_EXIT = 16,
    SYN_IR_RESERVED_FAULT = 24,
    SYN_IR_RESERVED_BYTES = 32,
};

typedef struct syn_ir_event {
    syn_ir_event_kind kind;
    char *format;                /* printf's format, printd's delimiter */
    bool newline;                /* println, printdln */
    syn_ir_register_kind *argument_kinds;
    uint32_t argument_count;
    uint32_t *histogram_globals; /* per argument: a histogram's statistic + 1, or 0 */
    /* Per argument: how many keys name a histogram's element (s[k1, k2]).
     * The print instruction carries them after its values, in order. */
    uint32_t *histogram_key_counts;
    syn_location location;
} syn_ir_event;

/* Where and how a probe runs. */
typedef struct syn_ir_probe {
    uint32_t function;           /* its body */
    const struct syn_derived_probe *derived;
    bool in_kernel;              /* BPF, else the interpreter */
    char *point;                 /* the probe point, printed */
} syn_ir_probe;

typedef struct syn_ir_program {
    syn_arena arena;
    syn_ir_function **functions;
    uint32_t function_count;
    syn_ir_probe *probes;
    uint32_t probe_count;
    syn_ir_global *globals;
    uint32_t global_count;
    uint32_t globals_size;       /* bytes of the scalar globals region */
    syn_ir_event *events;
    uint32_t event_count;
    char **strings;              /* string constants */
    uint32_t string_count;
    uint32_t max_string_length;  /* MAXSTRINGLEN */
} syn_ir_program;

/* Building (compiler/ir.c). */
syn_ir_program *syn_ir_program_new(uint32_t max_string_length);
void syn_ir_program_free(syn_ir_program *program);
syn_ir_function *syn_ir_function_new(syn_ir_program *program, const char *name, const syn_location *location);
uint32_t syn_ir_block_new(syn_ir_function *function);
syn_ir_register syn_ir_register_new(syn_ir_function *function, syn_ir_register_kind kind);
syn_ir_instruction *syn_ir_append(syn_ir_program *program, syn_ir_function *function, uint32_t block,
                                  syn_ir_opcode opcode, const syn_location *location);
uint32_t syn_ir_string(syn_ir_program *program, const char *text);
bool syn_ir_is_terminator(syn_ir_opcode opcode);
/* Whether an instruction of this opcode names a global in its `global`. */
bool syn_ir_names_global(syn_ir_opcode opcode);

/* String keys only ever given shorter strings (execname(), constants) get
 * narrower map keys (compiler/key_width.c). */
void syn_ir_narrow_string_keys(syn_ir_program *program);
/* The bytes key `key` of `global` takes in a map key: 8 for a number. */
uint32_t syn_ir_key_width(const syn_ir_program *program, const syn_ir_global *global, uint32_t key);

/* -p3 (compiler/ir_print.c). */
void syn_ir_print(syn_buffer *out, const syn_ir_program *program);
const char *syn_ir_opcode_name(syn_ir_opcode opcode);

#endif
