/* What a uprobe needs from an executable or a shared library, read with
 * libelf: the functions its symbol table names (.symtab, else .dynsym) and
 * its loadable segments, through which an address as nm shows it becomes
 * the offset into the file at which the kernel places a uprobe. */
#ifndef SYN_RUNTIME_PROBES_ELF_SYMBOLS_H
#define SYN_RUNTIME_PROBES_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct syn_elf_function {
    char *name;
    uint64_t address;            /* as nm shows it */
    uint64_t size;
    uint64_t offset;             /* into the file */
    bool global;                 /* not a file-local (static) symbol */
} syn_elf_function;

typedef struct syn_elf_segment {
    uint64_t address;
    uint64_t size;               /* the bytes the file holds (p_filesz) */
    uint64_t offset;
    bool executable;
} syn_elf_segment;

typedef struct syn_elf_image {
    syn_elf_segment *segments;   /* PT_LOAD */
    uint32_t segment_count;
    syn_elf_function *functions; /* STT_FUNC symbols with a size, in executable segments */
    uint32_t function_count;
    const char *symbol_table;    /* ".symtab", ".dynsym", or NULL when the file has neither */
} syn_elf_image;

/* Reads an ELF executable or shared library of this machine.  False, with
 * the reason in `error`, for a file that cannot be opened or is not one. */
bool syn_elf_read(const char *path, syn_elf_image *image, char *error, size_t error_size);
void syn_elf_release(syn_elf_image *image);

/* The file offset of `address` when it lies in an executable segment. */
bool syn_elf_offset(const syn_elf_image *image, uint64_t address, uint64_t *offset);
/* The function whose bytes hold `address`, or NULL. */
const syn_elf_function *syn_elf_function_at(const syn_elf_image *image, uint64_t address);

#endif
