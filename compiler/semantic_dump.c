/* syn -p2: the checked program as SystemTap's pass 2 prints it. */
#include <inttypes.h>

#include "compiler/semantic.h"
#include "lang/print.h"

static void print_signature(syn_buffer *out, const syn_symbol *symbol)
{
    syn_buffer_append_string(out, symbol->name);
    if (symbol->global) {
        if (symbol->global->wrap)
            syn_buffer_append_char(out, '%');
        if (symbol->global->size)
            syn_buffer_printf(out, "[%" PRId64 "]", symbol->global->size);
    }
    syn_buffer_printf(out, ":%s", syn_type_name(symbol->type));
    if (symbol->arity > 0) {
        syn_buffer_append_string(out, " [");
        for (int i = 0; i < symbol->arity; i++)
            syn_buffer_printf(out, "%s%s", i ? ", " : "", syn_type_name(symbol->key_types[i]));
        syn_buffer_append_char(out, ']');
    }
}

static void print_locals(syn_buffer *out, const syn_symbol_list *locals)
{
    if (!locals->count)
        return;
    syn_buffer_append_string(out, "  # locals\n");
    for (unsigned i = 0; i < locals->count; i++) {
        syn_buffer_append_string(out, "  ");
        print_signature(out, locals->items[i]);
        syn_buffer_append_char(out, '\n');
    }
}

void syn_semantic_dump(syn_buffer *out, const syn_semantic_program *checked)
{
    bool header = false;
    for (unsigned i = 0; i < checked->globals.count; i++) {
        const syn_symbol *symbol = checked->globals.items[i];
        if (!symbol->referenced)
            continue;
        if (!header)
            syn_buffer_append_string(out, "# globals\n");
        header = true;
        print_signature(out, symbol);
        syn_buffer_append_char(out, '\n');
    }
    header = false;
    for (unsigned i = 0; i < checked->function_count; i++) {
        const syn_function_info *info = checked->functions[i];
        if (!info->reachable)
            continue;
        if (!header)
            syn_buffer_append_string(out, "# functions\n");
        header = true;
        syn_buffer_printf(out, "%s:%s (", info->function->name, syn_type_name(info->return_type));
        for (unsigned p = 0; p < info->function->parameter_count; p++) {
            if (p)
                syn_buffer_append_string(out, ", ");
            print_signature(out, info->parameters[p]);
        }
        syn_buffer_append_string(out, ")\n");
        print_locals(out, &info->locals);
    }
    if (checked->probe_count)
        syn_buffer_append_string(out, "# probes\n");
    for (unsigned i = 0; i < checked->probe_count; i++) {
        const syn_derived_probe *probe = checked->probes[i];
        if (probe->resolved) {
            syn_buffer_append_string(out, probe->resolved->name);
        } else {
            syn_probe_point plain = *probe->point;
            plain.optional = plain.sufficient = false;
            plain.condition = NULL;
            syn_print_probe_point(out, &plain);
        }
        syn_buffer_printf(out, " /* <- %s */\n", probe->origin);
        print_locals(out, &probe->locals);
    }
}
