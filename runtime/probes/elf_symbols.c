#include "runtime/probes/elf_symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/memory.h"

#if defined(__x86_64__)
enum { NATIVE_MACHINE = EM_X86_64 };
static const char native_name[] = "x86-64";
#elif defined(__aarch64__)
enum { NATIVE_MACHINE = EM_AARCH64 };
static const char native_name[] = "arm64";
#else
#error "syn places uprobes on x86-64 and arm64 only"
#endif

static bool read_segments(Elf *elf, syn_elf_image *image)
{
    size_t count;
    if (elf_getphdrnum(elf, &count) != 0)
        return false;
    image->segments = syn_calloc(count ? count : 1, sizeof(*image->segments));
    for (size_t i = 0; i < count; i++) {
        GElf_Phdr header;
        if (!gelf_getphdr(elf, (int)i, &header) || header.p_type != PT_LOAD)
            continue;
        image->segments[image->segment_count++] = (syn_elf_segment){
            .address = header.p_vaddr,
            .size = header.p_filesz,
            .offset = header.p_offset,
            .executable = (header.p_flags & PF_X) != 0,
        };
    }
    return true;
}

/* .symtab names every function, static ones too; a stripped file keeps
 * only .dynsym, the functions it exports. */
static Elf_Scn *symbol_section(Elf *elf, GElf_Shdr *header, const char **which)
{
    Elf_Scn *dynamic = NULL;
    GElf_Shdr dynamic_header;
    for (Elf_Scn *section = elf_nextscn(elf, NULL); section; section = elf_nextscn(elf, section)) {
        GElf_Shdr current;
        if (!gelf_getshdr(section, &current) || current.sh_entsize == 0)
            continue;
        if (current.sh_type == SHT_SYMTAB) {
            *header = current;
            *which = ".symtab";
            return section;
        }
        if (current.sh_type == SHT_DYNSYM && !dynamic) {
            dynamic = section;
            dynamic_header = current;
        }
    }
    if (dynamic) {
        *header = dynamic_header;
        *which = ".dynsym";
    }
    return dynamic;
}

static void read_functions(Elf *elf, syn_elf_image *image)
{
    GElf_Shdr header;
    Elf_Scn *section = symbol_section(elf, &header, &image->symbol_table);
    Elf_Data *data = section ? elf_getdata(section, NULL) : NULL;
    if (!data)
        return;
    size_t count = header.sh_size / header.sh_entsize, capacity = 0;
    for (size_t i = 0; i < count; i++) {
        GElf_Sym symbol;
        if (!gelf_getsym(data, (int)i, &symbol))
            continue;
        /* GNU indirect functions are only selectors of the real one: not offered. */
        if (GELF_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_size == 0 || symbol.st_shndx == SHN_UNDEF)
            continue;
        const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
        uint64_t offset;
        if (!name || !*name || !syn_elf_offset(image, symbol.st_value, &offset))
            continue;
        SYN_GROW(image->functions, capacity, image->function_count + 1);
        image->functions[image->function_count++] = (syn_elf_function){
            .name = syn_strdup(name),
            .address = symbol.st_value,
            .size = symbol.st_size,
            .offset = offset,
            .global = GELF_ST_BIND(symbol.st_info) != STB_LOCAL,
        };
    }
}

static bool check_kind(Elf *elf, const char *path, char *error, size_t error_size)
{
    GElf_Ehdr header;
    if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &header)) {
        snprintf(error, error_size, "%s is not an ELF file", path);
        return false;
    }
    if (header.e_type != ET_EXEC && header.e_type != ET_DYN) {
        snprintf(error, error_size, "%s is an ELF file but neither an executable nor a shared library", path);
        return false;
    }
    if (header.e_machine != NATIVE_MACHINE || gelf_getclass(elf) != ELFCLASS64) {
        snprintf(error, error_size, "%s is not a 64-bit %s program, which syn places uprobes in", path,
                 native_name);
        return false;
    }
    return true;
}

bool syn_elf_read(const char *path, syn_elf_image *image, char *error, size_t error_size)
{
    memset(image, 0, sizeof(*image));
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(error, error_size, "libelf is unusable: %s", elf_errmsg(-1));
        return false;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    bool read = elf && check_kind(elf, path, error, error_size);
    if (!elf)
        snprintf(error, error_size, "%s is not an ELF file", path);
    if (read && !read_segments(elf, image)) {
        snprintf(error, error_size, "%s: its program headers cannot be read: %s", path, elf_errmsg(-1));
        read = false;
    }
    if (read)
        read_functions(elf, image);
    if (elf)
        elf_end(elf);
    close(fd);
    if (!read)
        syn_elf_release(image);
    return read;
}

void syn_elf_release(syn_elf_image *image)
{
    for (uint32_t i = 0; i < image->function_count; i++)
        free(image->functions[i].name);
    free(image->functions);
    free(image->segments);
    memset(image, 0, sizeof(*image));
}

bool syn_elf_offset(const syn_elf_image *image, uint64_t address, uint64_t *offset)
{
    for (uint32_t i = 0; i < image->segment_count; i++) {
        const syn_elf_segment *segment = &image->segments[i];
        if (segment->executable && address >= segment->address && address - segment->address < segment->size) {
            *offset = address - segment->address + segment->offset;
            return true;
        }
    }
    return false;
}

const syn_elf_function *syn_elf_function_at(const syn_elf_image *image, uint64_t address)
{
    for (uint32_t i = 0; i < image->function_count; i++) {
        const syn_elf_function *function = &image->functions[i];
        if (address >= function->address && address - function->address < function->size)
            return function;
    }
    return NULL;
}
