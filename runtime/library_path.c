/* The library's search path and the files on it.  Directories are searched
 * in this order: those the host added (-I DIR), those of $SYN_PATH
 * (colon-separated), then the standard library.  The standard library is
 * the installed $(pkgdatadir)/stdlib, except when this program runs from
 * the build tree it was built in (/proc/self/exe lies under the build
 * directory): then it is the source tree's stdlib/, so that a build runs
 * and tests the library next to it without installing it.
 *
 * Each directory is searched with its subdirectories (SystemTap keeps
 * architecture-specific files in some); names starting with '.' are
 * skipped.  A file is read once however many ways it is reachable, and a
 * file shadows those with the same path relative to a later directory, as
 * with stap: -I mydir with mydir/ansi.syn replaces the standard ansi.syn. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/library.h"
#include "runtime/state.h"
#include "runtime/trust.h"
#include "util/buffer.h"
#include "util/memory.h"

/* Past this depth a directory tree is more likely a mistake than a library. */
enum { SYN_MAX_LIBRARY_DEPTH = 8 };

typedef struct identity {
    dev_t device;
    ino_t inode;
} identity;

typedef struct lister {
    syn_state *state;
    syn_library *library;
    identity *seen;            /* files and directories already read */
    unsigned seen_count;
    unsigned seen_capacity;
} lister;

static bool running_from_build_tree(void)
{
#ifdef SYN_BUILD_DIR
    char executable[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", executable, sizeof(executable) - 1);
    if (length <= 0)
        return false;
    executable[length] = '\0';
    char *build = realpath(SYN_BUILD_DIR, NULL);
    if (!build)
        return false;
    size_t build_length = strlen(build);
    bool inside = strncmp(executable, build, build_length) == 0 &&
                  (executable[build_length] == '/' || build_length == 1);
    free(build);
    return inside;
#else
    return false;
#endif
}

static char *standard_directory(void)
{
#ifdef SYN_SOURCE_STDLIB
    /* Canonical, so that messages do not depend on how configure was
     * called (../configure makes "build/../stdlib"). */
    if (running_from_build_tree()) {
        char *canonical = realpath(SYN_SOURCE_STDLIB, NULL);
        if (canonical) {
            char *copy = syn_strdup(canonical);
            free(canonical);
            return copy;
        }
        return syn_strdup(SYN_SOURCE_STDLIB);
    }
#endif
#ifdef SYN_PKGDATADIR
    return syn_strdup(SYN_PKGDATADIR "/stdlib");
#else
    return NULL;
#endif
}

static void add_directory(syn_library *library, const char *directory, size_t length)
{
    while (length > 1 && directory[length - 1] == '/')
        length--;
    if (length == 0)
        return;
    library->directories = syn_realloc(library->directories,
                                       (library->directory_count + 1) * sizeof(*library->directories));
    library->directories[library->directory_count++] = syn_strndup(directory, length);
}

static void build_search_path(syn_state *state)
{
    syn_library *library = &state->library;
    for (unsigned i = 0; i < state->library_path_count; i++)
        add_directory(library, state->library_paths[i], strlen(state->library_paths[i]));
    const char *environment = getenv("SYN_PATH");
    while (environment && *environment) {
        const char *colon = strchr(environment, ':');
        size_t length = colon ? (size_t)(colon - environment) : strlen(environment);
        add_directory(library, environment, length);
        environment = colon ? colon + 1 : NULL;
    }
    char *standard = standard_directory();
    if (standard) {
        add_directory(library, standard, strlen(standard));
        free(standard);
    }
}

/* True the first time a file or directory is met. */
static bool first_sight(lister *l, const struct stat *info)
{
    for (unsigned i = 0; i < l->seen_count; i++) {
        if (l->seen[i].device == info->st_dev && l->seen[i].inode == info->st_ino)
            return false;
    }
    SYN_GROW(l->seen, l->seen_capacity, l->seen_count + 1);
    l->seen[l->seen_count++] = (identity){info->st_dev, info->st_ino};
    return true;
}

static bool shadowed(const syn_library *library, const char *relative)
{
    for (unsigned i = 0; i < library->file_count; i++) {
        if (strcmp(library->files[i].relative, relative) == 0)
            return true;
    }
    return false;
}

static bool read_text(const char *path, syn_buffer *text)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char chunk[16384];
    for (;;) {
        ssize_t count = read(fd, chunk, sizeof(chunk));
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0) {
            close(fd);
            return count == 0;
        }
        syn_buffer_append(text, chunk, (size_t)count);
    }
}

static void add_file(lister *l, unsigned directory, const char *path, const char *relative)
{
    syn_library *library = l->library;
    if (shadowed(library, relative))
        return;
    syn_buffer text;
    syn_buffer_init(&text);
    if (!read_text(path, &text)) {
        if (l->state->verbosity >= 1)
            syn_note(&l->state->diagnostics, NULL, "library file %s cannot be read: %s", path, strerror(errno));
        syn_buffer_release(&text);
        return;
    }
    SYN_GROW(library->files, library->file_capacity, library->file_count + 1);
    syn_library_file *file = &library->files[library->file_count++];
    memset(file, 0, sizeof(*file));
    file->path = syn_strdup(path);
    file->relative = syn_strdup(relative);
    file->directory = directory;
    file->source = syn_source_new(path, text.data ? text.data : "", text.length);
    struct stat info;
    char why[PATH_MAX * 2 + 200];
    if (stat(path, &info) == 0 && !syn_file_trusted(path, &info, why, sizeof(why)))
        file->untrusted = syn_strdup(why);
    syn_outline_read(&file->outline, file->source, &library->arena);
    syn_buffer_release(&text);
}

static bool is_library_name(const char *name)
{
    size_t length = strlen(name);
    return length > 4 && strcmp(name + length - 4, ".syn") == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `path` is the directory as reached, `relative` its path below the search
 * directory ("" for the search directory itself). */
static void list_directory(lister *l, unsigned directory, const char *path, const char *relative, unsigned depth)
{
    DIR *folder = opendir(path);
    if (!folder)
        return;
    char **names = NULL;
    size_t count = 0, capacity = 0;
    for (struct dirent *entry; (entry = readdir(folder)) != NULL;) {
        if (entry->d_name[0] == '.')
            continue;
        SYN_GROW(names, capacity, count + 1);
        names[count++] = syn_strdup(entry->d_name);
    }
    closedir(folder);
    /* Sorted, so that the search order does not depend on the file system. */
    if (count)
        qsort(names, count, sizeof(*names), compare_names);
    for (size_t i = 0; i < count; i++) {
        char *child = syn_malloc(strlen(path) + strlen(names[i]) + 2);
        char *child_relative = syn_malloc(strlen(relative) + strlen(names[i]) + 2);
        sprintf(child, "%s/%s", path, names[i]);
        sprintf(child_relative, "%s%s%s", relative, *relative ? "/" : "", names[i]);
        struct stat info;
        if (stat(child, &info) == 0) {
            if (S_ISDIR(info.st_mode) && depth < SYN_MAX_LIBRARY_DEPTH && first_sight(l, &info))
                list_directory(l, directory, child, child_relative, depth + 1);
            else if (S_ISREG(info.st_mode) && is_library_name(names[i]) && first_sight(l, &info))
                add_file(l, directory, child, child_relative);
        }
        free(child);
        free(child_relative);
        free(names[i]);
    }
    free(names);
}

void syn_library_list(syn_state *state)
{
    syn_library *library = &state->library;
    library->listed = true;
    build_search_path(state);
    if (state->verbosity >= 1) {
        syn_buffer path;
        syn_buffer_init(&path);
        for (unsigned i = 0; i < library->directory_count; i++)
            syn_buffer_printf(&path, "%s%s", i ? ":" : "", library->directories[i]);
        syn_note(&state->diagnostics, NULL, "library search path: %s", path.data ? path.data : "(none)");
        syn_buffer_release(&path);
    }
    lister l = {.state = state, .library = library};
    for (unsigned i = 0; i < library->directory_count; i++) {
        const char *directory = library->directories[i];
        struct stat info;
        if (stat(directory, &info) != 0 || !S_ISDIR(info.st_mode)) {
            if (state->verbosity >= 1)
                syn_note(&state->diagnostics, NULL, "library directory %s is not a directory", directory);
            continue;
        }
        if (first_sight(&l, &info))
            list_directory(&l, i, directory, "", 0);
    }
    free(l.seen);
}
