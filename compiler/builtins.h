/* The functions every script can call without declaring them: their
 * signatures for the semantic pass.  How each runs is the back ends'
 * business. */
#ifndef SYN_COMPILER_BUILTINS_H
#define SYN_COMPILER_BUILTINS_H

#include "lang/ast.h"

typedef enum syn_builtin_kind {
    SYN_BUILTIN_PLAIN,      /* fixed parameters, checked by type */
    SYN_BUILTIN_FORMAT,     /* printf, sprintf: a literal format, then values */
    SYN_BUILTIN_PRINT,      /* print, println, sprint, sprintln: any values */
    SYN_BUILTIN_DELIMITED,  /* printd, printdln: a literal delimiter, then values */
} syn_builtin_kind;

enum { SYN_BUILTIN_MAX_PARAMETERS = 4 };

typedef struct syn_builtin {
    const char *name;
    syn_builtin_kind kind;
    syn_type return_type;   /* SYN_TYPE_UNKNOWN: returns nothing */
    unsigned minimum_arguments;
    unsigned maximum_arguments; /* ~0u: no limit */
    syn_type parameters[SYN_BUILTIN_MAX_PARAMETERS];
    const char *summary;
    bool in_kernel;         /* the BPF back end implements it */
    bool in_userspace;      /* the interpreter implements it */
    /* In kernel probes, the library function of this name with the same
     * arguments runs instead (listener(): the table of listeners
     * stdlib/tcp_listener.syn keeps in the kernel); NULL for none. */
    const char *kernel_function;
} syn_builtin;

const syn_builtin *syn_builtin_lookup(const char *name);

/* A function the embedding host provides (syn_register_function): called
 * like a builtin from userspace probes. */
typedef struct syn_host_signature {
    const char *name;
    syn_type return_type;
    syn_type parameters[SYN_BUILTIN_MAX_PARAMETERS];
    unsigned parameter_count;
} syn_host_signature;

/* For "did you mean" hints and completion: the i-th builtin, or NULL. */
const syn_builtin *syn_builtin_at(unsigned index);
unsigned syn_builtin_index(const syn_builtin *builtin);

#endif
