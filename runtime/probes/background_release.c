/* Releasing attachments in a background process.
 *
 * Closing the last reference to a perf event that carries a BPF program
 * sleeps in the kernel: releasing the link waits for an RCU tasks-trace
 * grace period before it lets go of the program, and unregistering the
 * tracepoint's event waits for another (20 to 50 ms each on the machines
 * measured, bench/findings.md).  A process's descriptors are closed before
 * its parent sees it exit, so `syn` would end that much later per probe for
 * nothing: by then the exit flag has made every probe a no-op.  Instead a
 * grandchild takes the descriptors over and the kernel waits there; it also
 * writes the tracefs removals, which must follow the closes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/probes/family.h"
#include "util/memory.h"

static int compare_descriptors(const void *left, const void *right)
{
    int a = *(const int *)left, b = *(const int *)right;
    return (a > b) - (a < b);
}

/* In the grandchild: only async-signal-safe calls, since the parent may have
 * had other threads. */
static void close_all_but(const int *kept, unsigned count)
{
    unsigned first = 0;
    for (unsigned i = 0; i < count; i++) {
        if ((unsigned)kept[i] > first)
            close_range(first, (unsigned)kept[i] - 1, 0);
        first = (unsigned)kept[i] + 1;
    }
    close_range(first, ~0u, 0);
}

static void release_and_exit(syn_attachment **attachments, unsigned count, const int *kept,
                             unsigned kept_count, int parent_done)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    prctl(PR_SET_NAME, "syn-detach", 0, 0, 0);
    /* Whoever closes a file last waits: so the parent's copies go first.  The
     * pipe reads end-of-file once the parent has closed them (or died). */
    char byte;
    while (read(parent_done, &byte, 1) < 0 && errno == EINTR)
        continue;
    close_all_but(kept, kept_count);
    for (unsigned a = 0; a < count; a++)
        syn_attachment_close(attachments[a]);
    _exit(0);
}

void syn_attachments_release_in_background(syn_attachment *const *attachments, unsigned count)
{
    syn_attachment **waiting = syn_calloc(count ? count : 1, sizeof(*waiting));
    unsigned waiting_count = 0, kept_count = 0;
    for (unsigned a = 0; a < count; a++)
        if (attachments[a]->waits_on_release) {
            waiting[waiting_count++] = attachments[a];
            kept_count += attachments[a]->count;
        }
    int *kept = syn_calloc(kept_count ? kept_count : 1, sizeof(int));
    unsigned k = 0;
    for (unsigned a = 0; a < waiting_count; a++)
        for (unsigned i = 0; i < waiting[a]->count; i++)
            kept[k++] = waiting[a]->fds[i];
    qsort(kept, kept_count, sizeof(int), compare_descriptors);
    int done[2] = {-1, -1};
    pid_t middle = -1;
    if (waiting_count && pipe2(done, O_CLOEXEC) == 0) {
        /* Two forks, so that the process doing the work is nobody's child
         * to reap: the middle one exits at once. */
        middle = fork();
        if (middle == 0) {
            close(done[1]);
            if (fork() == 0)
                release_and_exit(waiting, waiting_count, kept, kept_count, done[0]);
            _exit(0);
        }
        close(done[0]);
    }
    free(kept);
    if (middle > 0) {
        while (waitpid(middle, NULL, 0) < 0 && errno == EINTR)
            continue;
        for (unsigned a = 0; a < waiting_count; a++)
            syn_attachment_forget(waiting[a]);   /* the grandchild holds the files now */
    }
    if (done[1] >= 0)
        close(done[1]);
    free(waiting);
}
