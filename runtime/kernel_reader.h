/* Kernel memory for userspace probes.  A begin, end or timer probe runs in
 * syn's own process, which cannot read the kernel; SystemTap's run in the
 * kernel and can.  The reader is a tiny BPF program of type syscall that
 * syn runs on demand (BPF_PROG_TEST_RUN): it copies kernel memory with
 * bpf_probe_read_kernel into an array map that syn then reads.  Loaded on
 * the first read, so scripts that never read the kernel from userspace
 * never load it. */
#ifndef SYN_RUNTIME_KERNEL_READER_H
#define SYN_RUNTIME_KERNEL_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct syn_kernel_reader {
    int map_fd;
    int program_fd;
    bool tried;                  /* loading was tried once: a failure stays */
    char why[160];               /* why it could not be loaded */
} syn_kernel_reader;

void syn_kernel_reader_init(syn_kernel_reader *reader);
void syn_kernel_reader_release(syn_kernel_reader *reader);

/* Reads `size` bytes at kernel address `address` into `buffer`; with
 * `string`, a NUL-terminated string of at most `size` bytes with its NUL.
 * False when the memory cannot be read or the reader cannot be loaded;
 * then `why` (when not NULL) says which. */
bool syn_kernel_reader_read(syn_kernel_reader *reader, uint64_t address, void *buffer, size_t size, bool string,
                            const char **why);

#endif
