#include "lang/program.h"

void syn_program_init(syn_program *program)
{
    syn_arena_init(&program->arena);
    program->sources = NULL;
    program->files = NULL;
    program->last_file = NULL;
}

void syn_program_release(syn_program *program)
{
    syn_arena_release(&program->arena);
    while (program->sources) {
        syn_source *next = program->sources->next;
        syn_source_free(program->sources);
        program->sources = next;
    }
    program->files = program->last_file = NULL;
}

static syn_parse_result parse(syn_program *program, const char *name, const char *text, size_t length,
                              syn_diagnostics *diagnostics, const syn_preprocessor_environment *environment,
                              bool statements)
{
    syn_source *source = syn_source_new(name, text, length);
    source->next = program->sources;
    program->sources = source;
    syn_parse_result result = statements ? syn_parse_statements(source, &program->arena, diagnostics, environment)
                                         : syn_parse(source, &program->arena, diagnostics, environment);
    if (result.file) {
        if (program->last_file)
            program->last_file->next = result.file;
        else
            program->files = result.file;
        program->last_file = result.file;
    }
    return result;
}

syn_parse_result syn_program_parse(syn_program *program, const char *name, const char *text, size_t length,
                                   syn_diagnostics *diagnostics, const syn_preprocessor_environment *environment)
{
    return parse(program, name, text, length, diagnostics, environment, false);
}

syn_parse_result syn_program_parse_statements(syn_program *program, const char *name, const char *text,
                                              size_t length, syn_diagnostics *diagnostics,
                                              const syn_preprocessor_environment *environment)
{
    return parse(program, name, text, length, diagnostics, environment, true);
}

void syn_program_remove(syn_program *program, const syn_file *file)
{
    syn_file *previous = NULL;
    for (syn_file *each = program->files; each; previous = each, each = each->next) {
        if (each != file)
            continue;
        if (previous)
            previous->next = each->next;
        else
            program->files = each->next;
        if (program->last_file == each)
            program->last_file = previous;
        each->next = NULL;
        return;
    }
}
