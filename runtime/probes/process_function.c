/* process("PATH").function("F"), .call, .return; process("PATH").statement(ADDR);
 * the same with process(PID), a running process's executable probed in that
 * process only, and with a bare process, the executable of -c's command
 * (every process that runs it, as stap does) or of -x's process (that one):
 * uprobes, as SystemTap spells them.
 *
 * PATH is an executable or a shared library.  Its functions are named by its
 * ELF symbol table (runtime/probes/elf_symbols.c); wildcards are allowed.
 * Without debuginfo the arguments have no names: $arg1 ... $argN are the
 * registers of the calling convention, $return the return register.  In a
 * uretprobe those registers are long gone, so there $argN is read at the
 * entry: the point's entry sibling captures it (compiler/lower_entry.c), as
 * @entry(...) values are.
 *
 * The probe is made through the uprobe perf PMU, else tracefs uprobe_events
 * (runtime/probes/probe_events.c). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fnmatch.h>

#include "compiler/pt_regs.h"
#include "runtime/probes/elf_symbols.h"
#include "runtime/probes/executable.h"
#include "runtime/probes/family.h"
#include "runtime/probes/probe_events.h"
#include "util/memory.h"

/* As for kernel functions: each match is a program and a perf event. */
enum { SYN_MAX_PROCESS_MATCHES = 512 };

extern const syn_probe_family syn_family_process_function;

/* The written point, taken apart. */
typedef struct process_point {
    const syn_location *process_location;
    const char *path;            /* process("PATH"), or NULL */
    bool has_pid;                /* process(PID) */
    int64_t pid;
    bool statement;
    const char *pattern;         /* function("F") */
    uint64_t address;            /* statement(ADDR) */
    const syn_location *what_location;
    bool is_return;
    bool call;                   /* .call: a non-inlined call, the same here */
} process_point;

static bool take_suffix(const syn_probe_point *point, process_point *out, syn_diagnostics *diagnostics)
{
    if (point->count <= 2)
        return true;
    const syn_probe_component *suffix = &point->components[2];
    if (!out->statement && strcmp(suffix->name, "return") == 0)
        out->is_return = true;
    else if (!out->statement && strcmp(suffix->name, "call") == 0)
        out->call = true;
    if ((!out->is_return && !out->call) || suffix->argument || point->count > 3) {
        syn_error(diagnostics, &suffix->location, "%s", out->statement ? "nothing can follow statement(...)"
                                                                        : "after function(...) only .call or "
                                                                          ".return can follow");
        return false;
    }
    return true;
}

static bool take_apart(const syn_probe_point *point, process_point *out, syn_diagnostics *diagnostics, bool *mine)
{
    memset(out, 0, sizeof(*out));
    *mine = false;
    if (!syn_component_is(point, 0, "process") || point->count < 2)
        return false;
    const syn_probe_component *what = &point->components[1];
    out->statement = strcmp(what->name, "statement") == 0;
    if (!out->statement && strcmp(what->name, "function") != 0)
        return false; /* process(...).begin and the like are not uprobes */
    *mine = true;
    out->process_location = &point->components[0].location;
    out->what_location = &what->location;
    const syn_expr *argument = point->components[0].argument;
    if (argument && argument->kind == SYN_EXPR_NUMBER) {
        out->has_pid = true;
        out->pid = argument->number;
    } else if (argument) {
        out->path = syn_component_string(point, 0);
        if (!out->path || !*out->path) {
            syn_error(diagnostics, out->process_location,
                      "process takes a path, a process id, or nothing (the -c command or -x process)");
            return false;
        }
    }
    if (out->statement) {
        int64_t address;
        if (!syn_component_number(point, 1, &address)) {
            syn_error(diagnostics, out->what_location,
                      "statement takes an address as nm shows it, such as 0x401136 (syn reads no debuginfo, "
                      "so no \"function@file:line\")");
            return false;
        }
        out->address = (uint64_t)address;
    } else {
        out->pattern = syn_component_string(point, 1);
        if (!out->pattern || !*out->pattern) {
            syn_error(diagnostics, out->what_location,
                      "function takes a string: a name of the file's symbol table, wildcards allowed");
            return false;
        }
        if (strpbrk(out->pattern, "@:")) {
            syn_error(diagnostics, out->what_location,
                      "\"%s\": syn names functions by their symbol only (no @file:line; it reads no debuginfo)",
                      out->pattern);
            return false;
        }
    }
    return take_suffix(point, out, diagnostics);
}

/* The file to probe, and the process it is limited to (-1: every one). */
static bool locate(syn_kernel *kernel, const process_point *written, char *path, size_t size, int64_t *pid,
                   char *error, size_t error_size)
{
    *pid = -1;
    if (written->path)
        return syn_executable_find(written->path, path, size, error, error_size);
    if (written->has_pid) {
        *pid = written->pid;
        return syn_executable_of_process(written->pid, path, size, error, error_size);
    }
    if (kernel->target_command) {
        char reason[PATH_MAX + 128];
        if (syn_executable_of_command(kernel->target_command, path, size, reason, sizeof(reason)))
            return true;
        snprintf(error, error_size, "the -c command's program: %s", reason);
        return false;
    }
    if (kernel->target_pid > 0) {
        *pid = kernel->target_pid;
        return syn_executable_of_process(kernel->target_pid, path, size, error, error_size);
    }
    snprintf(error, error_size, "process without a path or a process id probes the target's executable: give "
                                "-c COMMAND or -x PID, or write process(\"PATH\")");
    return false;
}

static void add_register(syn_arena *arena, syn_point *point, const char *name, uint32_t offset, bool at_entry)
{
    syn_target_variable *variable = &point->variables[point->variable_count++];
    variable->name = syn_arena_strdup(arena, name);
    variable->c_type = syn_arena_strdup(arena, "long");
    variable->access = SYN_TARGET_ARGUMENT;
    variable->offset = offset;
    variable->size = 8;
    variable->is_signed = true;
    variable->at_entry = at_entry;
}

static void describe(syn_arena *arena, syn_point *point)
{
    unsigned count = syn_pt_argument_count();
    point->variables = syn_arena_alloc(arena, ((size_t)count + 1) * sizeof(*point->variables));
    for (unsigned number = 1; number <= count; number++) {
        uint32_t offset = 0;
        char name[16];
        syn_pt_argument_offset(number, &offset);
        snprintf(name, sizeof(name), "arg%u", number);
        add_register(arena, point, name, offset, point->is_return);
    }
    if (point->is_return)
        add_register(arena, point, "return", syn_pt_return_offset(), false);
}

static syn_point *make_point(syn_arena *arena, const process_point *written, const char *path, int64_t pid,
                             const char *function, uint64_t offset, bool is_return)
{
    syn_point *point = syn_arena_alloc(arena, sizeof(*point));
    if (written->statement)
        point->name = syn_arena_printf(arena, "process(\"%s\").statement(0x%llx)", path,
                                       (unsigned long long)written->address);
    else
        point->name = syn_arena_printf(arena, "process(\"%s\").function(\"%s\")%s", path, function,
                                       is_return ? ".return" : written->call ? ".call" : "");
    point->context = SYN_CONTEXT_KPROBE;
    point->family = &syn_family_process_function;
    point->function = function ? syn_arena_strdup(arena, function) : NULL;
    point->is_return = is_return;
    point->attach_name = syn_arena_strdup(arena, path);
    point->attach_offset = offset;
    point->attach_pid = pid;
    describe(arena, point);
    return point;
}

static void append(syn_arena *arena, syn_point_list *points, const process_point *written, const char *path,
                   int64_t pid, const char *function, uint64_t offset)
{
    syn_point *point = make_point(arena, written, path, pid, function, offset, written->is_return);
    if (written->is_return)
        point->entry = make_point(arena, written, path, pid, function, offset, false);
    syn_point_list_append(arena, points, point);
}

/* One probe per address: aliases (getpid and __getpid) name the same code,
 * and a global name reads better than a local one. */
static int by_offset(const void *left, const void *right)
{
    const syn_elf_function *a = *(const syn_elf_function *const *)left;
    const syn_elf_function *b = *(const syn_elf_function *const *)right;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    if (a->global != b->global)
        return a->global ? -1 : 1;
    return strcmp(a->name, b->name);
}

static syn_family_result failure(const syn_probe_point *point, const syn_location *location,
                                 syn_diagnostics *diagnostics, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* A point ending in '?' that names nothing is left out quietly. */
static syn_family_result failure(const syn_probe_point *point, const syn_location *location,
                                 syn_diagnostics *diagnostics, const char *format, ...)
{
    if (point->optional)
        return SYN_FAMILY_RESOLVED;
    va_list arguments;
    va_start(arguments, format);
    syn_report(diagnostics, SYN_SEVERITY_ERROR, location, format, arguments);
    va_end(arguments);
    return SYN_FAMILY_FAILED;
}

static syn_family_result resolve_functions(const syn_probe_point *point, const process_point *written,
                                           const syn_elf_image *image, const char *path, int64_t pid,
                                           syn_point_list *points, syn_arena *arena, syn_diagnostics *diagnostics)
{
    if (!image->symbol_table)
        return failure(point, written->what_location, diagnostics,
                       "%s has no symbol table (neither .symtab nor .dynsym) to find \"%s\" in; statement(ADDR) "
                       "still works",
                       path, written->pattern);
    const syn_elf_function **matches = syn_calloc(image->function_count + 1, sizeof(*matches));
    uint32_t count = 0, distinct = 0;
    for (uint32_t i = 0; i < image->function_count; i++) {
        if (fnmatch(written->pattern, image->functions[i].name, 0) == 0)
            matches[count++] = &image->functions[i];
    }
    qsort(matches, count, sizeof(*matches), by_offset);
    for (uint32_t i = 0; i < count; i++)
        distinct += i == 0 || matches[i]->offset != matches[i - 1]->offset;
    syn_family_result result = SYN_FAMILY_RESOLVED;
    if (distinct == 0)
        result = failure(point, written->what_location, diagnostics, "no function matches \"%s\" in %s of %s",
                         written->pattern, image->symbol_table, path);
    else if (distinct > SYN_MAX_PROCESS_MATCHES)
        result = failure(point, written->what_location, diagnostics,
                         "\"%s\" matches %u functions of %s, more than the %d syn attaches at once; narrow it",
                         written->pattern, distinct, path, SYN_MAX_PROCESS_MATCHES);
    for (uint32_t i = 0; i < count && distinct <= SYN_MAX_PROCESS_MATCHES; i++) {
        if (i == 0 || matches[i]->offset != matches[i - 1]->offset)
            append(arena, points, written, path, pid, matches[i]->name, matches[i]->offset);
    }
    free(matches);
    return result;
}

static syn_family_result resolve_statement(const syn_probe_point *point, const process_point *written,
                                           const syn_elf_image *image, const char *path, int64_t pid,
                                           syn_point_list *points, syn_arena *arena, syn_diagnostics *diagnostics)
{
    uint64_t offset;
    if (!syn_elf_offset(image, written->address, &offset))
        return failure(point, written->what_location, diagnostics,
                       "0x%llx is outside every executable segment of %s", (unsigned long long)written->address,
                       path);
    const syn_elf_function *function = syn_elf_function_at(image, written->address);
    append(arena, points, written, path, pid, function ? function->name : NULL, offset);
    return SYN_FAMILY_RESOLVED;
}

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    process_point written;
    bool mine;
    if (!take_apart(point, &written, diagnostics, &mine))
        return mine ? SYN_FAMILY_FAILED : SYN_FAMILY_NOT_MINE;
    if (!syn_kernel_has(kernel, SYN_FEATURE_UPROBES))
        return failure(point, &point->location, diagnostics,
                       "%s: this kernel has no uprobes (CONFIG_UPROBE_EVENTS is off)", syn_point_text(arena, point));
    char path[PATH_MAX], error[PATH_MAX + 256];
    int64_t pid;
    if (!locate(kernel, &written, path, sizeof(path), &pid, error, sizeof(error)))
        return failure(point, written.process_location, diagnostics, "%s", error);
    syn_elf_image image;
    if (!syn_elf_read(path, &image, error, sizeof(error)))
        return failure(point, written.process_location, diagnostics, "%s", error);
    syn_family_result result =
        written.statement ? resolve_statement(point, &written, &image, path, pid, points, arena, diagnostics)
                          : resolve_functions(point, &written, &image, path, pid, points, arena, diagnostics);
    syn_elf_release(&image);
    return result;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    syn_probe_target target = {.uprobe = true, .is_return = point->is_return, .name = point->attach_name,
                               .offset = point->attach_offset, .pid = point->attach_pid};
    return syn_probe_event_attach(kernel, &target, program_fd, attachment, error, error_size);
}

const syn_probe_family syn_family_process_function = {
    .name = "process",
    .synopsis = "process(\"PATH\"|PID).function(\"NAME\")[.call|.return], process(\"PATH\"|PID).statement(ADDR), "
                "process.function(\"NAME\") with -c or -x",
    .resolve = resolve,
    .attach = attach,
};
