#include "compiler/btf_types.h"

#include <bpf/btf.h>
#include <stdio.h>
#include <string.h>

int32_t syn_btf_resolve(const struct btf *btf, int32_t type_id, const struct btf_type **type)
{
    /* Bounded: a corrupt chain of modifiers must not loop forever. */
    for (int depth = 0; depth < 32; depth++) {
        const struct btf_type *current = btf__type_by_id(btf, (uint32_t)type_id);
        if (!current) {
            *type = NULL;
            return -1;
        }
        switch (btf_kind(current)) {
        case BTF_KIND_TYPEDEF:
        case BTF_KIND_CONST:
        case BTF_KIND_VOLATILE:
        case BTF_KIND_RESTRICT:
        case BTF_KIND_TYPE_TAG:
            type_id = (int32_t)current->type;
            continue;
        default:
            *type = current;
            return type_id;
        }
    }
    *type = NULL;
    return -1;
}

bool syn_btf_scalar(const struct btf *btf, int32_t type_id, uint32_t *size, bool *is_signed)
{
    const struct btf_type *type;
    if (syn_btf_resolve(btf, type_id, &type) < 0 || !type)
        return false;
    switch (btf_kind(type)) {
    case BTF_KIND_INT:
        *size = type->size;
        *is_signed = (btf_int_encoding(type) & BTF_INT_SIGNED) != 0;
        return type->size <= 8;
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
        *size = type->size;
        *is_signed = btf_kflag(type);
        return true;
    case BTF_KIND_PTR:
        *size = 8;
        *is_signed = false;
        return true;
    default:
        return false;
    }
}

bool syn_btf_member(const struct btf *btf, int32_t struct_id, const char *name, uint32_t *bit_offset,
                    int32_t *member_type, uint32_t *bitfield_size)
{
    const struct btf_type *type;
    if (syn_btf_resolve(btf, struct_id, &type) < 0 || !type || (!btf_is_struct(type) && !btf_is_union(type)))
        return false;
    const struct btf_member *members = btf_members(type);
    for (uint16_t i = 0; i < btf_vlen(type); i++) {
        const char *member_name = btf__name_by_offset(btf, members[i].name_off);
        uint32_t offset = btf_member_bit_offset(type, i);
        if (member_name && *member_name) {
            if (strcmp(member_name, name) == 0) {
                *bit_offset = offset;
                *member_type = (int32_t)members[i].type;
                *bitfield_size = btf_member_bitfield_size(type, i);
                return true;
            }
            continue;
        }
        uint32_t inner_offset;
        if (syn_btf_member(btf, (int32_t)members[i].type, name, &inner_offset, member_type, bitfield_size)) {
            *bit_offset = offset + inner_offset;
            return true;
        }
    }
    return false;
}

void syn_btf_type_name(const struct btf *btf, int32_t type_id, char *buffer, size_t size)
{
    const struct btf_type *type = btf__type_by_id(btf, (uint32_t)type_id);
    if (!type || type_id == 0) {
        snprintf(buffer, size, "void");
        return;
    }
    const char *name = btf__name_by_offset(btf, type->name_off);
    switch (btf_kind(type)) {
    case BTF_KIND_PTR: {
        char inner[192];
        syn_btf_type_name(btf, (int32_t)type->type, inner, sizeof(inner));
        snprintf(buffer, size, "%s *", inner);
        return;
    }
    case BTF_KIND_CONST:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG: {
        char inner[192];
        syn_btf_type_name(btf, (int32_t)type->type, inner, sizeof(inner));
        snprintf(buffer, size, "%s%s", btf_kind(type) == BTF_KIND_CONST ? "const " : "", inner);
        return;
    }
    case BTF_KIND_ARRAY: {
        char inner[192];
        const struct btf_array *array = btf_array(type);
        syn_btf_type_name(btf, (int32_t)array->type, inner, sizeof(inner));
        snprintf(buffer, size, "%s[%u]", inner, array->nelems);
        return;
    }
    case BTF_KIND_STRUCT:
        snprintf(buffer, size, "struct %s", name && *name ? name : "(anonymous)");
        return;
    case BTF_KIND_UNION:
        snprintf(buffer, size, "union %s", name && *name ? name : "(anonymous)");
        return;
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
        snprintf(buffer, size, "enum %s", name && *name ? name : "(anonymous)");
        return;
    case BTF_KIND_FUNC_PROTO:
        snprintf(buffer, size, "function");
        return;
    default:
        snprintf(buffer, size, "%s", name && *name ? name : "(anonymous)");
        return;
    }
}
