/* syn_list_members: the members of a kernel struct or union, from BTF, for
 * completing `->` (the REPL) and for looking a type up. */
#include <bpf/btf.h>
#include <ctype.h>
#include <string.h>

#include "compiler/btf_types.h"
#include "runtime/state.h"
#include "util/buffer.h"

/* "struct sock *", "const struct sock", "sock": the struct or union named. */
static int32_t find_aggregate(const struct btf *btf, const char *spelling)
{
    char name[256];
    size_t length = 0;
    for (const char *c = spelling; *c && length + 1 < sizeof(name);) {
        while (*c == ' ' || *c == '*')
            c++;
        const char *word = c;
        while (*c && *c != ' ' && *c != '*')
            c++;
        size_t word_length = (size_t)(c - word);
        if ((word_length == 6 && strncmp(word, "struct", 6) == 0) || (word_length == 5 && strncmp(word, "union", 5) == 0) ||
            (word_length == 5 && strncmp(word, "const", 5) == 0) || (word_length == 8 && strncmp(word, "volatile", 8) == 0))
            continue;
        if (word_length && word_length < sizeof(name)) {
            memcpy(name, word, word_length);
            length = word_length;
        }
    }
    name[length] = '\0';
    if (!length)
        return -1;
    int32_t id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);
    if (id < 0)
        id = btf__find_by_name_kind(btf, name, BTF_KIND_UNION);
    if (id < 0) {
        /* A typedef of one. */
        int32_t alias = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
        const struct btf_type *type;
        if (alias >= 0 && (id = syn_btf_resolve(btf, alias, &type)) >= 0 && !btf_is_composite(type))
            id = -1;
    }
    return id;
}

/* The struct or union a member leads to, through a pointer to it. */
static int32_t follow(const struct btf *btf, int32_t id, const char *member)
{
    uint32_t bits, bitfield;
    int32_t type_id;
    if (!syn_btf_member(btf, id, member, &bits, &type_id, &bitfield))
        return -1;
    const struct btf_type *type;
    type_id = syn_btf_resolve(btf, type_id, &type);
    if (type_id >= 0 && btf_is_ptr(type))
        type_id = syn_btf_resolve(btf, (int32_t)type->type, &type);
    return type_id >= 0 && btf_is_composite(type) ? type_id : -1;
}

static void list(const struct btf *btf, int32_t id, syn_buffer *out)
{
    const struct btf_type *type = btf__type_by_id(btf, (uint32_t)id);
    const struct btf_member *member = btf_members(type);
    for (uint16_t i = 0; i < btf_vlen(type); i++, member++) {
        const char *name = btf__name_by_offset(btf, member->name_off);
        if (!name || !*name) {
            /* An anonymous struct or union: its members are the outer one's, as in C. */
            const struct btf_type *inner;
            int32_t inner_id = syn_btf_resolve(btf, (int32_t)member->type, &inner);
            if (inner_id >= 0 && btf_is_composite(inner))
                list(btf, inner_id, out);
            continue;
        }
        char spelled[256];
        syn_btf_type_name(btf, (int32_t)member->type, spelled, sizeof(spelled));
        syn_buffer_printf(out, "%s:%s\n", name, spelled);
    }
}

syn_status syn_list_members(syn_state *state, const char *type_name, const char *path)
{
    if (!type_name)
        return SYN_ERROR_USAGE;
    const struct btf *btf = syn_kernel_btf(&state->kernel);
    if (!btf) {
        syn_error(&state->diagnostics, NULL, "the kernel's BTF cannot be read: its types are unknown");
        return SYN_ERROR_UNSUPPORTED;
    }
    int32_t id = find_aggregate(btf, type_name);
    if (id < 0) {
        syn_error(&state->diagnostics, NULL, "the kernel has no struct or union '%s'", type_name);
        return SYN_ERROR_USAGE;
    }
    char member[256];
    for (const char *c = path ? path : ""; *c;) {
        while (*c == '-' || *c == '>' || *c == '.' || isspace((unsigned char)*c))
            c++;
        size_t length = 0;
        while ((isalnum((unsigned char)c[length]) || c[length] == '_') && length + 1 < sizeof(member))
            length++;
        if (!length)
            break;
        memcpy(member, c, length);
        member[length] = '\0';
        c += length;
        int32_t next = follow(btf, id, member);
        if (next < 0) {
            syn_error(&state->diagnostics, NULL, "'%s' in %s is not a member that is (or points to) a struct or union",
                      member, type_name);
            return SYN_ERROR_USAGE;
        }
        id = next;
    }
    syn_buffer out;
    syn_buffer_init(&out);
    list(btf, id, &out);
    if (out.length)
        syn_state_output(state, out.data, out.length);
    syn_buffer_release(&out);
    return SYN_OK;
}
