/* The BPF programs a process holds, with the kernel's own accounting of
 * them: the per-event benchmark reads it before and after a run.
 *
 *   program_stats PID
 *
 * One line per program (each once, however many descriptors refer to it):
 *   id=N type=TYPE name=NAME insns=N run_time_ns=N run_cnt=N
 * insns is the translated length (bytes_xlated / 8, as `bpftool prog show`
 * reports it; a 64-bit immediate load counts twice); run_time_ns and run_cnt
 * grow only while kernel.bpf_stats_enabled is 1.  They are the fields of
 * `bpftool prog show id N`.  The programs are found through
 * /proc/PID/fdinfo, because `bpftool prog show` names the owning processes
 * only when it was built with its BPF skeletons, and Debian's is not. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_PROGRAMS = 1024 };

/* The program id behind descriptor FD of process PID, or 0 when that
 * descriptor is not a BPF program. */
static unsigned int program_id(long pid, const char *fd)
{
    char path[PATH_MAX], target[64];
    snprintf(path, sizeof(path), "/proc/%ld/fd/%s", pid, fd);
    ssize_t length = readlink(path, target, sizeof(target) - 1);
    if (length < 0)
        return 0;
    target[length] = '\0';
    if (strcmp(target, "anon_inode:bpf-prog") != 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%ld/fdinfo/%s", pid, fd);
    FILE *info = fopen(path, "r");
    if (!info)
        return 0;
    char line[256];
    unsigned int id = 0;
    while (fgets(line, sizeof(line), info)) {
        if (sscanf(line, "prog_id: %u", &id) == 1)
            break;
    }
    fclose(info);
    return id;
}

static void print_program(unsigned int id)
{
    int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0)
        return; /* unloaded meanwhile */
    struct bpf_prog_info info;
    memset(&info, 0, sizeof(info));
    unsigned int length = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &length) == 0) {
        const char *type = libbpf_bpf_prog_type_str((enum bpf_prog_type)info.type);
        printf("id=%u type=%s name=%s insns=%u run_time_ns=%llu run_cnt=%llu\n", id, type ? type : "unknown",
               info.name[0] ? info.name : "-", info.xlated_prog_len / 8, (unsigned long long)info.run_time_ns,
               (unsigned long long)info.run_cnt);
    }
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: program_stats PID\n");
        return 2;
    }
    char *end;
    long pid = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || pid <= 0) {
        fprintf(stderr, "program_stats: not a process id: %s\n", argv[1]);
        return 2;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
    DIR *directory = opendir(path);
    if (!directory) {
        fprintf(stderr, "program_stats: %s: %s\n", path, strerror(errno));
        return 1;
    }
    static unsigned int seen[MAX_PROGRAMS];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL && count < MAX_PROGRAMS) {
        if (entry->d_name[0] == '.')
            continue;
        unsigned int id = program_id(pid, entry->d_name);
        int known = 0;
        for (int i = 0; i < count && !known; i++)
            known = seen[i] == id;
        if (id == 0 || known)
            continue;
        seen[count++] = id;
        print_program(id);
    }
    closedir(directory);
    return 0;
}
