/* The interpreter of the IR: runs begin, end, error and timer probes (and
 * REPL input) in syn's own process, against the same maps the kernel probes
 * use. */
#ifndef SYN_RUNTIME_INTERPRETER_H
#define SYN_RUNTIME_INTERPRETER_H

#include <signal.h>
#include <stdbool.h>

#include "compiler/ir.h"
#include "lang/diagnostics.h"
#include "runtime/maps.h"

/* A value handed to a builtin or a host function: a number, or a string. */
typedef struct syn_builtin_value {
    int64_t number;
    const char *string;
} syn_builtin_value;

typedef struct syn_interpreter_host {
    void (*output)(void *context, const char *text, size_t length);
    void (*warning)(void *context, const char *text, size_t length);
    void (*exit)(void *context);          /* exit() was called */
    void *context;
    volatile sig_atomic_t *interrupted;   /* polled: set to stop a runaway loop */
    int64_t target_pid;
    /* The kernel's CONFIG_HZ, for jiffies(): asked for when a script calls it,
     * since finding it means reading the kernel's configuration. */
    int64_t (*hz)(void *context);
    bool json;                            /* output as JSON objects (--format json) */
    /* Kernel memory (runtime/kernel_reader.h): false when it cannot be
     * read, with *why set when the reader itself is missing. */
    bool (*kernel_read)(void *context, uint64_t address, void *buffer, size_t size, bool string, const char **why);
    /* listener(): runtime/listener.h. */
    bool (*listener)(void *context, int64_t port, const char *address, uint64_t *sk, const char **why);
    bool (*listener_next)(void *context, uint64_t previous, uint64_t *sk, const char **why);
    /* A function of the embedding host (syn_register_function), by index:
     * false with `message` when it failed. */
    bool (*host_function)(void *context, uint32_t index, const syn_builtin_value *arguments, uint32_t count,
                          int64_t *number, char *string, size_t string_size, char *message, size_t message_size);
} syn_interpreter_host;

typedef struct syn_interpreter syn_interpreter;

syn_interpreter *syn_interpreter_new(const syn_ir_program *program, syn_maps *maps,
                                     const syn_interpreter_host *host, syn_diagnostics *diagnostics);
void syn_interpreter_free(syn_interpreter *interpreter);

/* Runs a probe's function to its end.  False when it raised an error that
 * no try caught (reported, with the script location). */
bool syn_interpreter_run(syn_interpreter *interpreter, const syn_ir_probe *probe);

/* Kernel memory through the host, for userspace probes: `size` bytes, or a
 * string of at most `size` bytes with its NUL.  False with the fault's
 * message, the kernel probes' own when the address cannot be read. */
bool syn_userspace_read_kernel(const syn_interpreter_host *host, uint64_t address, void *buffer, size_t size,
                               bool string, char *fault, size_t fault_size);
/* A number of `size` bytes as read, sign-extended when is_signed. */
int64_t syn_userspace_kernel_number(const uint8_t *bytes, size_t size, bool is_signed);

/* The userspace builtins (runtime/userspace_builtins.c).  `arguments` are
 * the call's values; a string result goes to `string_result` (max_length
 * bytes with its NUL).  False with a message in `fault` on a runtime error. */
bool syn_userspace_builtin(const char *name, const syn_builtin_value *arguments, unsigned count,
                           const syn_interpreter_host *host, int64_t *number_result, char *string_result,
                           size_t max_length, char *fault, size_t fault_size);

#endif
