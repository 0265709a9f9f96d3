/* Kernel types through libbpf's BTF API, for what the compiler and the
 * probe families need: sizes, signedness, members, printable names. */
#ifndef SYN_COMPILER_BTF_TYPES_H
#define SYN_COMPILER_BTF_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;
struct btf_type;

/* The type with typedefs, const, volatile, restrict and type tags removed. */
int32_t syn_btf_resolve(const struct btf *btf, int32_t type_id, const struct btf_type **type);

/* Integers, enums and pointers: the size in bytes and signedness; false for
 * anything else (structs, arrays, void). */
bool syn_btf_scalar(const struct btf *btf, int32_t type_id, uint32_t *size, bool *is_signed);

/* A member of a struct or union, looking into anonymous members as C does.
 * The offset is in bits from the start of the struct; bitfield_size is 0
 * for an ordinary member. */
bool syn_btf_member(const struct btf *btf, int32_t struct_id, const char *name, uint32_t *bit_offset,
                    int32_t *member_type, uint32_t *bitfield_size);

/* A C spelling of the type ("struct sock *", "int", "__u8[4]"). */
void syn_btf_type_name(const struct btf *btf, int32_t type_id, char *buffer, size_t size);

#endif
