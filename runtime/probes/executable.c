#include "runtime/probes/executable.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wordexp.h>

#include "util/memory.h"

/* The absolute path without symbolic links, as stap prints it in pp(). */
static bool canonical(const char *name, char *path, size_t size, char *error, size_t error_size)
{
    char resolved[PATH_MAX];
    struct stat info;
    if (!realpath(name, resolved) || stat(resolved, &info) != 0) {
        snprintf(error, error_size, "cannot find %s: %s", name, strerror(errno));
        return false;
    }
    if (!S_ISREG(info.st_mode)) {
        snprintf(error, error_size, "%s is not a regular file", name);
        return false;
    }
    if (strlen(resolved) >= size) {
        snprintf(error, error_size, "the path of %s is too long", name);
        return false;
    }
    strcpy(path, resolved);
    return true;
}

bool syn_executable_find(const char *name, char *path, size_t size, char *error, size_t error_size)
{
    if (strchr(name, '/'))
        return canonical(name, path, size, error, error_size);
    const char *search = getenv("PATH");
    if (!search || !*search)
        search = "/usr/local/bin:/usr/bin:/bin";
    for (const char *directory = search; directory;) {
        const char *colon = strchr(directory, ':');
        size_t length = colon ? (size_t)(colon - directory) : strlen(directory);
        char candidate[PATH_MAX];
        /* An empty entry is the current directory, as for execvp. */
        int written = length ? snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)length, directory, name)
                             : snprintf(candidate, sizeof(candidate), "./%s", name);
        struct stat info;
        if (written > 0 && (size_t)written < sizeof(candidate) && stat(candidate, &info) == 0 &&
            S_ISREG(info.st_mode) && access(candidate, X_OK) == 0)
            return canonical(candidate, path, size, error, error_size);
        directory = colon ? colon + 1 : NULL;
    }
    snprintf(error, error_size, "no program \"%s\" in $PATH; give its full path", name);
    return false;
}

bool syn_executable_of_process(int64_t pid, char *path, size_t size, char *error, size_t error_size)
{
    if (pid <= 0 || pid > INT_MAX) {
        snprintf(error, error_size, "%lld is not a process id", (long long)pid);
        return false;
    }
    char link[64], directory[64];
    snprintf(link, sizeof(link), "/proc/%lld/exe", (long long)pid);
    snprintf(directory, sizeof(directory), "/proc/%lld", (long long)pid);
    ssize_t length = readlink(link, path, size - 1);
    if (length < 0) {
        if (errno == ENOENT && access(directory, F_OK) != 0)
            snprintf(error, error_size, "no process %lld is running", (long long)pid);
        else if (errno == ENOENT)
            snprintf(error, error_size, "process %lld has no executable (a kernel thread, or it is exiting)",
                     (long long)pid);
        else
            snprintf(error, error_size, "cannot read %s: %s", link, strerror(errno));
        return false;
    }
    if ((size_t)length >= size - 1) {
        snprintf(error, error_size, "the executable of process %lld has too long a path", (long long)pid);
        return false;
    }
    path[length] = '\0';
    /* A replaced or deleted executable is still reachable through the link. */
    static const char deleted[] = " (deleted)";
    size_t suffix = sizeof(deleted) - 1;
    if ((size_t)length > suffix && strcmp(path + length - suffix, deleted) == 0)
        snprintf(path, size, "%s", link);
    return true;
}

bool syn_executable_of_command(const char *command, char *path, size_t size, char *error, size_t error_size)
{
    wordexp_t words;
    char *first = NULL;
    /* wordexp splits and unquotes as the shell would, without running anything. */
    int status = wordexp(command, &words, WRDE_NOCMD);
    if (status == 0) {
        if (words.we_wordc > 0)
            first = syn_strdup(words.we_wordv[0]);
        wordfree(&words);
    } else {
        if (status == WRDE_NOSPACE)
            wordfree(&words);
        /* Shell syntax wordexp refuses (a pipe, a redirection): the first word as it stands. */
        size_t start = strspn(command, " \t\n");
        first = syn_strndup(command + start, strcspn(command + start, " \t\n"));
    }
    if (!first || !*first) {
        snprintf(error, error_size, "the -c command is empty");
        free(first);
        return false;
    }
    bool found = syn_executable_find(first, path, size, error, error_size);
    free(first);
    return found;
}
