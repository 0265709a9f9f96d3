/* Files syn runs as root: a script or library file that someone other than
 * its owner and root can change would let that someone run BPF programs as
 * root, so it is refused, as SystemTap refuses untrusted tapsets. */
#ifndef SYN_RUNTIME_TRUST_H
#define SYN_RUNTIME_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* True when syn does not run as root, or when neither the file (`info`, at
 * `path`) nor its directory can be written by others than the owner and
 * root.  Else false with why (a sentence naming the file, its mode and
 * the fix). */
bool syn_file_trusted(const char *path, const struct stat *info, char *why, size_t size);

#endif
