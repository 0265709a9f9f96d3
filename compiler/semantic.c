/* The semantic pass's driver: declarations, alias expansion, resolution,
 * inference to a fixed point, then the checks that need every type. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/builtins.h"
#include "compiler/semantic_internal.h"
#include "lang/ast_copy.h"
#include "util/memory.h"

/* Each round learns at least one type or stops; a program has far fewer
 * names than this. */
enum { SYN_MAX_INFERENCE_ROUNDS = 1000 };

static syn_type literal_type(const syn_expr *literal)
{
    return literal->kind == SYN_EXPR_STRING ? SYN_TYPE_STRING : SYN_TYPE_LONG;
}

static void declare_global(syn_checker *checker, const syn_file *file, const syn_global *global)
{
    syn_symbol *previous = syn_map_get(&checker->globals, global->name);
    for (syn_symbol *other = previous; other; other = other->next_with_name) {
        bool clash = other->file == file || (!other->is_private && !global->is_private);
        if (clash) {
            syn_error(checker->diagnostics, &global->location, "duplicate global name '%s'", global->name);
            syn_note(checker->diagnostics, &other->location, "'%s' was declared here", global->name);
            return;
        }
    }
    syn_symbol *symbol = syn_new_symbol(checker, global->name, SYN_SYMBOL_GLOBAL, &global->location);
    symbol->file = file;
    symbol->global = global;
    symbol->is_private = global->is_private;
    if (global->initializer) {
        symbol->type = literal_type(global->initializer);
        symbol->type_location = global->initializer->location;
        symbol->assigned = true;
    }
    symbol->next_with_name = previous;
    syn_map_put(&checker->globals, symbol->name, symbol);
    syn_symbol_list_append(checker->arena, &checker->result->globals, symbol);
}

static void declare_function(syn_checker *checker, const syn_file *file, const syn_function *function)
{
    syn_function_info *previous = syn_map_get(&checker->functions, function->name);
    for (syn_function_info *other = previous; other; other = other->next_with_name) {
        bool visible = other->file == file || (!other->function->is_private && !function->is_private);
        if (visible && other->function->parameter_count == function->parameter_count) {
            syn_error(checker->diagnostics, &function->location,
                      "function '%s' is already defined with %u parameter%s (overloads must differ in "
                      "their number of parameters)",
                      function->name, function->parameter_count, function->parameter_count == 1 ? "" : "s");
            syn_note(checker->diagnostics, &other->function->location, "'%s' was defined here", function->name);
            return;
        }
    }
    syn_arena *arena = checker->arena;
    syn_function *copy = syn_arena_alloc(arena, sizeof(*copy));
    *copy = *function;
    copy->body = syn_stmt_copy(arena, function->body);
    syn_function_info *info = syn_arena_alloc(arena, sizeof(*info));
    info->function = copy;
    info->file = file;
    info->return_type = function->annotation;
    info->return_location = function->location;
    copy->info = info;
    info->parameters = syn_arena_alloc(arena, (function->parameter_count + 1) * sizeof(*info->parameters));
    for (unsigned i = 0; i < function->parameter_count; i++) {
        const syn_parameter *parameter = &function->parameters[i];
        syn_symbol *symbol = syn_new_symbol(checker, parameter->name, SYN_SYMBOL_PARAMETER, &parameter->location);
        symbol->type = parameter->annotation;
        symbol->type_location = parameter->location;
        symbol->assigned = true;
        info->parameters[i] = symbol;
    }
    info->next_with_name = previous;
    syn_map_put(&checker->functions, copy->name, info);

    syn_semantic_program *result = checker->result;
    result->functions = syn_realloc(result->functions, (result->function_count + 1) * sizeof(*result->functions));
    result->functions[result->function_count++] = info;
}

static void declare(syn_checker *checker)
{
    for (unsigned f = 0; f < checker->file_count; f++) {
        const syn_file *file = checker->files[f];
        for (unsigned i = 0; i < file->count; i++) {
            const syn_item *item = &file->items[i];
            if (item->kind == SYN_ITEM_GLOBAL)
                declare_global(checker, file, item->global);
            else if (item->kind == SYN_ITEM_FUNCTION)
                declare_function(checker, file, item->function);
            else if (item->kind == SYN_ITEM_EMBEDDED)
                syn_error(checker->diagnostics, &item->embedded.location,
                          "embedded C is not supported: syn compiles to BPF and runs no C code");
        }
    }
}

/* -G NAME=VALUE: a number when the value reads as one, else a string. */
static void apply_initializers(syn_checker *checker)
{
    for (unsigned i = 0; i < checker->options->global_initializer_count; i++) {
        const syn_setting *setting = &checker->options->global_initializers[i];
        syn_symbol *symbol = syn_map_get(&checker->globals, setting->name);
        if (!symbol) {
            syn_error(checker->diagnostics, NULL, "-G %s: the script has no global named '%s'", setting->name,
                      setting->name);
            continue;
        }
        char *end;
        errno = 0;
        (void)strtoll(setting->value, &end, 0);
        bool number = *setting->value && !*end && errno == 0;
        syn_type type = number ? SYN_TYPE_LONG : SYN_TYPE_STRING;
        if (symbol->type != SYN_TYPE_UNKNOWN && symbol->type != type) {
            syn_error(checker->diagnostics, &symbol->location, "-G %s=%s gives a %s to '%s', which is a %s",
                      setting->name, setting->value, syn_type_name(type), setting->name,
                      syn_type_name(symbol->type));
            continue;
        }
        symbol->initial_value = syn_arena_strdup(checker->arena, setting->value);
        symbol->assigned = true;
        syn_unify_symbol(checker, symbol, type, &symbol->location);
    }
}

static void mark_reachable(syn_function_info *info)
{
    /* Call chains are short and each function is visited once. */
    for (unsigned i = 0; i < info->callee_count; i++) {
        if (!info->callees[i]->reachable) {
            info->callees[i]->reachable = true;
            mark_reachable(info->callees[i]);
        }
    }
}

static bool in_library(const syn_checker *checker, const syn_file *file)
{
    for (unsigned i = 0; i < checker->options->library_file_count; i++) {
        if (checker->options->library_files[i] == file)
            return true;
    }
    return false;
}

static void resolve(syn_checker *checker, syn_function_info *info)
{
    info->resolved = true;
    syn_resolve_function(checker, info);
}

static void mark_all_reachable(syn_semantic_program *result)
{
    for (unsigned i = 0; i < result->function_count; i++) {
        if (result->functions[i]->reachable)
            mark_reachable(result->functions[i]);
    }
}

/* The script's functions are all resolved, used or not, so that their
 * mistakes are reported; a library function only once the program reaches
 * it, as SystemTap does with its tapsets: an unused one neither reports
 * errors nor makes the globals it names part of the program. */
static void resolve_everything(syn_checker *checker)
{
    syn_semantic_program *result = checker->result;
    for (unsigned i = 0; i < result->function_count; i++) {
        syn_function_info *info = result->functions[i];
        if (checker->options->whole_library || !in_library(checker, info->file))
            resolve(checker, info);
    }
    for (unsigned i = 0; i < result->probe_count; i++)
        syn_resolve_probe(checker, result->probes[i]);
    for (bool progress = true; progress;) {
        progress = false;
        mark_all_reachable(result);
        for (unsigned i = 0; i < result->function_count; i++) {
            syn_function_info *info = result->functions[i];
            if (info->reachable && !info->resolved) {
                resolve(checker, info);
                progress = true;
            }
        }
    }
}

static void infer_everything(syn_checker *checker)
{
    syn_semantic_program *result = checker->result;
    for (unsigned i = 0; i < result->function_count; i++) {
        if (result->functions[i]->resolved)
            syn_infer_function(checker, result->functions[i]);
    }
    for (unsigned i = 0; i < result->probe_count; i++)
        syn_infer_probe(checker, result->probes[i]);
}

static void infer_to_fixed_point(syn_checker *checker)
{
    checker->reporting = false;
    for (unsigned round = 0; round < SYN_MAX_INFERENCE_ROUNDS; round++) {
        checker->changed = false;
        infer_everything(checker);
        if (!checker->changed)
            break;
    }
    checker->reporting = true;
    infer_everything(checker);
}

static void check_symbol(syn_checker *checker, const syn_symbol *symbol)
{
    if (!symbol->referenced && symbol->kind != SYN_SYMBOL_PARAMETER)
        return;
    if (symbol->global && symbol->global->wrap && symbol->arity == 0)
        syn_error(checker->diagnostics, &symbol->location, "wrapping not supported for scalars ('%s')",
                  symbol->name);
    if (symbol->kind == SYN_SYMBOL_LOCAL && !symbol->assigned)
        syn_warning(checker->diagnostics, &symbol->location, "never-assigned local variable '%s'", symbol->name);
    if (symbol->kind == SYN_SYMBOL_GLOBAL && !symbol->assigned)
        syn_warning(checker->diagnostics, &symbol->location, "never-assigned global variable '%s'", symbol->name);
    if (symbol->type == SYN_TYPE_UNKNOWN)
        syn_error(checker->diagnostics, &symbol->location, "unresolved type for '%s'", symbol->name);
    for (int i = 0; i < symbol->arity; i++) {
        if (symbol->key_types[i] == SYN_TYPE_UNKNOWN)
            syn_error(checker->diagnostics, &symbol->arity_location, "unresolved type for index %d of '%s'", i,
                      symbol->name);
    }
}

/* An alias prologue may set a variable at one of its points and leave it
 * unset at another whose branch @defined ruled out (a syscall's entry that
 * only records and moves on with next): the user's probe reads the variable
 * set, and it is no mistake of theirs. */
static bool assigned_in_sibling(const syn_semantic_program *result, const syn_derived_probe *probe,
                                const char *name)
{
    for (unsigned i = 0; i < result->probe_count; i++) {
        const syn_derived_probe *other = result->probes[i];
        if (other == probe || other->probe != probe->probe)
            continue;
        for (unsigned l = 0; l < other->locals.count; l++) {
            if (other->locals.items[l]->assigned && strcmp(other->locals.items[l]->name, name) == 0)
                return true;
        }
    }
    return false;
}

static void check_symbols(syn_checker *checker)
{
    syn_semantic_program *result = checker->result;
    for (unsigned i = 0; i < result->globals.count; i++)
        check_symbol(checker, result->globals.items[i]);
    for (unsigned i = 0; i < result->function_count; i++) {
        syn_function_info *info = result->functions[i];
        if (!info->reachable)
            continue;
        for (unsigned p = 0; p < info->function->parameter_count; p++)
            check_symbol(checker, info->parameters[p]);
        for (unsigned l = 0; l < info->locals.count; l++)
            check_symbol(checker, info->locals.items[l]);
    }
    for (unsigned i = 0; i < result->probe_count; i++) {
        for (unsigned l = 0; l < result->probes[i]->locals.count; l++) {
            syn_symbol *local = result->probes[i]->locals.items[l];
            bool assigned = local->assigned;
            local->assigned = assigned || assigned_in_sibling(result, result->probes[i], local->name);
            check_symbol(checker, local);
            local->assigned = assigned;
        }
    }
}

static void list_files(syn_checker *checker, const syn_program *program)
{
    unsigned count = checker->options->library_file_count;
    for (const syn_file *file = program->files; file; file = file->next)
        count++;
    checker->files = syn_calloc(count + 1, sizeof(*checker->files));
    for (const syn_file *file = program->files; file; file = file->next)
        checker->files[checker->file_count++] = file;
    for (unsigned i = 0; i < checker->options->library_file_count; i++)
        checker->files[checker->file_count++] = checker->options->library_files[i];
}

syn_semantic_program *syn_semantic_check(const syn_program *program, syn_diagnostics *diagnostics,
                                         const syn_semantic_options *options)
{
    syn_semantic_program *result = syn_calloc(1, sizeof(*result));
    syn_arena_init(&result->arena);
    syn_checker checker = {
        .result = result,
        .arena = &result->arena,
        .diagnostics = diagnostics,
        .options = options,
    };
    syn_map_init(&checker.globals);
    syn_map_init(&checker.functions);
    if (options->host_function_count) {
        result->host_functions = syn_arena_alloc(&result->arena, options->host_function_count *
                                                                     sizeof(*result->host_functions));
        memcpy(result->host_functions, options->host_functions,
               options->host_function_count * sizeof(*result->host_functions));
        result->host_function_count = options->host_function_count;
    }
    unsigned errors_before = diagnostics->error_count;
    list_files(&checker, program);

    declare(&checker);
    apply_initializers(&checker);
    syn_derive_probes(&checker);
    if (result->probe_count == 0 && diagnostics->error_count == errors_before)
        syn_error(diagnostics, NULL, "no probes found");

    resolve_everything(&checker);
    if (diagnostics->error_count == errors_before) {
        infer_to_fixed_point(&checker);
        check_symbols(&checker);
    }

    syn_map_release(&checker.globals);
    syn_map_release(&checker.functions);
    free(checker.files);
    if (diagnostics->error_count != errors_before) {
        syn_semantic_program_free(result);
        return NULL;
    }
    return result;
}

void syn_semantic_program_free(syn_semantic_program *checked)
{
    if (!checked)
        return;
    for (unsigned i = 0; i < checked->function_count; i++)
        free(checked->functions[i]->callees);
    free(checked->functions);
    free(checked->probes);
    syn_arena_release(&checked->arena);
    free(checked);
}
