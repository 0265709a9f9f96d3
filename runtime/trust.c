#include "runtime/trust.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Group-writable is fine when the group is root's; world-writable never. */
static bool writable_by_others(const struct stat *info)
{
    return (info->st_mode & S_IWOTH) || ((info->st_mode & S_IWGRP) && info->st_gid != 0);
}

bool syn_file_trusted(const char *path, const struct stat *info, char *why, size_t size)
{
    if (geteuid() != 0)
        return true;
    if (writable_by_others(info)) {
        snprintf(why, size,
                 "refusing %s: it is writable by others than its owner and root (mode %04o), and syn runs as "
                 "root (chmod go-w %s)",
                 path, (unsigned)(info->st_mode & 07777), path);
        return false;
    }
    /* A directory others may write to lets them put another file in its
     * place, unless it is sticky (as /tmp is). */
    char *copy = strdup(path);
    if (!copy)
        return false;
    const char *directory = dirname(copy);
    struct stat parent;
    bool trusted = true;
    if (stat(directory, &parent) == 0 && writable_by_others(&parent) && !(parent.st_mode & S_ISVTX)) {
        snprintf(why, size,
                 "refusing %s: its directory %s is writable by others than its owner and root (mode %04o), and "
                 "syn runs as root",
                 path, directory, (unsigned)(parent.st_mode & 07777));
        trusted = false;
    }
    free(copy);
    return trusted;
}
