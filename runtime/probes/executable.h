/* Which file a process(...) point probes: a path as stap resolves one (as
 * written when it holds a '/', else looked up in $PATH), the executable of
 * a running process, or the executable -c's command runs.  Each gives an
 * absolute path, or false with the reason in `error`. */
#ifndef SYN_RUNTIME_PROBES_EXECUTABLE_H
#define SYN_RUNTIME_PROBES_EXECUTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool syn_executable_find(const char *name, char *path, size_t size, char *error, size_t error_size);
bool syn_executable_of_process(int64_t pid, char *path, size_t size, char *error, size_t error_size);
/* The first word of the command, as the shell would split it. */
bool syn_executable_of_command(const char *command, char *path, size_t size, char *error, size_t error_size);

#endif
