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

syn_parse_result syn_program_parse(syn_program *program, const char *name, const char *text,
                                   size_t length, syn_diagnostics *diagnostics,
                                   const syn_preprocessor_environment *environment)
{
    syn_source *source = syn_source_new(name, text, length);
    source->next = program->sources;
    program->sources = source;
    syn_parse_result result = syn_parse(source, &program->arena, diagnostics, environment);
    if (result.file) {
        if (program->last_file)
            program->last_file->next = result.file;
        else
            program->files = result.file;
        program->last_file = result.file;
    }
    return result;
}
