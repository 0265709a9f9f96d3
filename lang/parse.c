#include "lang/parse.h"

#include "lang/grammar.h"
#include "lang/parser.h"

static syn_parse_result parse(const syn_source *source, syn_arena *arena, syn_diagnostics *diagnostics,
                              const syn_preprocessor_environment *environment, bool statements)
{
    syn_parse_result result = {0};
    unsigned errors_before = diagnostics->error_count;
    syn_file *file = syn_arena_alloc(arena, sizeof(*file));
    file->source = source;

    syn_preprocessor *preprocessor = syn_preprocessor_new(source, arena, diagnostics, environment);
    if (!preprocessor) {
        syn_error(diagnostics, NULL, "%s: cannot start the lexer", source->name);
        return result;
    }
    syn_parser parser = {
        .arena = arena,
        .diagnostics = diagnostics,
        .preprocessor = preprocessor,
        .file = file,
        .statements = statements,
    };
    int status = syn_yyparse(&parser);
    bool incomplete = parser.incomplete || syn_preprocessor_incomplete(preprocessor);
    syn_preprocessor_free(preprocessor);

    if (status == 0 && diagnostics->error_count == errors_before)
        result.file = file;
    result.incomplete = incomplete;
    return result;
}

syn_parse_result syn_parse(const syn_source *source, syn_arena *arena, syn_diagnostics *diagnostics,
                           const syn_preprocessor_environment *environment)
{
    return parse(source, arena, diagnostics, environment, false);
}

syn_parse_result syn_parse_statements(const syn_source *source, syn_arena *arena, syn_diagnostics *diagnostics,
                                      const syn_preprocessor_environment *environment)
{
    return parse(source, arena, diagnostics, environment, true);
}
