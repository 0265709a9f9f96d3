/* Unit tests of the library's parts that need no file system: the lexer's
 * doc comments, outlines (lang/outline.c), doc comment parsing
 * (lang/doc_comment.c) and what files need and provide
 * (compiler/library_needs.c). */
#include <stdlib.h>
#include <string.h>

#include "compiler/library.h"
#include "lang/doc_comment.h"
#include "lang/grammar.h"
#include "lang/lexer.h"
#include "lang/outline.h"
#include "lang/parse.h"
#include "tests/unit/tap.h"

/* ---- outlines --------------------------------------------------------------- */

typedef struct outlined {
    syn_source *source;
    syn_arena arena;
    syn_outline outline;
} outlined;

static void outline_of(outlined *result, const char *text)
{
    memset(result, 0, sizeof(*result));
    result->source = syn_source_new("outline.syn", text, strlen(text));
    syn_arena_init(&result->arena);
    syn_outline_read(&result->outline, result->source, &result->arena);
}

static void release_outline(outlined *result)
{
    syn_outline_release(&result->outline);
    syn_arena_release(&result->arena);
    syn_source_free(result->source);
}

/* "f:name" "g:name" "a:name", a '!' before private ones, joined by spaces. */
static const char *describe(const syn_outline *outline)
{
    static char text[1024];
    text[0] = '\0';
    for (unsigned i = 0; i < outline->count; i++) {
        const syn_outline_entry *entry = &outline->entries[i];
        char kind = entry->kind == SYN_OUTLINE_FUNCTION ? 'f' : entry->kind == SYN_OUTLINE_GLOBAL ? 'g' : 'a';
        size_t used = strlen(text);
        snprintf(text + used, sizeof(text) - used, "%s%s%c:%s", i ? " " : "", entry->is_private ? "!" : "", kind,
                 entry->name);
    }
    return text;
}

static void expect_outline(const char *text, const char *expected, const char *name)
{
    outlined result;
    outline_of(&result, text);
    is_string(describe(&result.outline), expected, "outline: %s", name);
    release_outline(&result);
}

static void test_outlines(void)
{
    expect_outline("function f(a, b) { g(1) }\nfunction h:long () { return 1 }\n", "f:f f:h", "functions");
    expect_outline("global a, b[10], c = 5, d% [4], e = -1, s = \"x\"\n", "g:a g:b g:c g:d g:e g:s", "globals");
    expect_outline("private function p() {}\nprivate global q\nprivate r, s\nfunction t() {}\n",
                   "!f:p !g:q !g:r !g:s f:t", "private declarations");
    expect_outline("probe begin { x = 1 }\nprobe timer.s(1), end { }\n", "", "plain probes declare nothing");
    expect_outline("probe tcp.listen = kernel.function(\"f\") { }\nprobe a.b, c.d += begin { }\n",
                   "a:tcp a:a a:c", "aliases");
    expect_outline("probe x = kernel.{function(\"a\"), trace(\"b\")} { y = 1 }, { z = 2 }\nfunction after() {}\n",
                   "a:x f:after", "alternatives and an epilogue block");
    expect_outline("probe {p, q}.r = begin {}\n", "a:*", "an alias name starting with alternatives");
    expect_outline("probe begin { if (1) { function_call() } }\nfunction real() { { { } } }\n", "f:real",
                   "nested blocks are skipped");
    expect_outline("%( kernel_v >= \"5.0\" %? function v() { return 1 } %: function v() { return 2 } %)\n",
                   "f:v f:v", "both branches of a conditional");
    expect_outline("function s() { x = \"function not_me() {\" }\n// function nor_me()\nglobal g\n", "f:s g:g",
                   "strings and comments");
    expect_outline("function broken( {\nfunction next_one() {}\n", "f:broken", "a syntax error");
    expect_outline("global unterminated = \"abc\nfunction later() {}\n", "g:unterminated f:later",
                   "an unterminated string");

    outlined result;
    outline_of(&result, "/** function f - documented */\nfunction f() {}\n/** stray */\nglobal g\n"
                        "function undocumented() {}\n/** probe a.b - alias */ private probe a.b = begin {}\n"
                        "/**/ function empty_comment() {}\n");
    const syn_outline *outline = &result.outline;
    if (is_int(outline->count, 5, "documented outline: five entries")) {
        is_string(outline->entries[0].doc, " function f - documented ", "doc of a function");
        is_int(outline->entries[0].line, 2, "a function's line is its name's");
        is_int(outline->entries[0].column, 10, "a function's column is its name's");
        is_string(outline->entries[1].doc, " stray ", "a doc comment before a global is kept");
        is_string(outline->entries[2].doc, NULL, "no doc without a comment");
        is_string(outline->entries[3].doc, " probe a.b - alias ", "doc of a private alias");
        is_int(outline->entries[3].column, 34, "an alias is located at its probe keyword");
        is_string(outline->entries[4].doc, NULL, "an empty comment is no doc comment");
        is_string(syn_outline_doc_at(outline, 2, 10), " function f - documented ", "doc looked up by place");
        is_string(syn_outline_doc_at(outline, 2, 11), NULL, "no doc elsewhere");
    }
    release_outline(&result);

    outline_of(&result, "/** The file. */\n/** function f - f */\nfunction f() {}\n");
    is_string(result.outline.file_doc, " The file. ", "a doc comment opening the file describes it");
    is_string(result.outline.count ? result.outline.entries[0].doc : NULL, " function f - f ",
              "the next doc comment documents the declaration");
    release_outline(&result);
    outline_of(&result, "/** function f - f */\nfunction f() {}\n");
    is_string(result.outline.file_doc, NULL, "a doc comment before the first declaration is that declaration's");
    release_outline(&result);
    outline_of(&result, "/** Only a description. */\n");
    is_string(result.outline.file_doc, " Only a description. ", "a file of one doc comment");
    release_outline(&result);
}

/* ---- the lexer keeps doc comments only when asked -------------------------- */

static int first_token(const char *text, bool keep)
{
    syn_source *source = syn_source_new("lex.syn", text, strlen(text));
    syn_arena arena;
    syn_arena_init(&arena);
    syn_diagnostics diagnostics;
    syn_diagnostics_init(&diagnostics);
    diagnostics.handler = NULL;
    syn_lexer lexer;
    syn_lexer_init(&lexer, source, &arena, &diagnostics);
    lexer.keep_doc_comments = keep;
    syn_token token;
    int kind = -1;
    if (syn_lexer_open(&lexer) == 0)
        kind = syn_lexer_scan(&lexer, &token);
    syn_lexer_release(&lexer);
    syn_diagnostics_release(&diagnostics);
    syn_arena_release(&arena);
    syn_source_free(source);
    return kind;
}

static void test_lexer(void)
{
    is_int(first_token("/** doc */ x", false), IDENTIFIER, "a doc comment is a comment to the parser");
    is_int(first_token("/** doc */ x", true), DOC_COMMENT, "a doc comment when kept");
    is_int(first_token("/**/ x", true), IDENTIFIER, "the empty comment is not a doc comment");
    is_int(first_token("/* plain */ x", true), IDENTIFIER, "a plain comment is not a doc comment");
    is_int(first_token("/** open", true), END_OF_INPUT_IN_TOKEN, "an unterminated doc comment");
}

/* ---- doc comments ----------------------------------------------------------- */

static void test_doc_comments(void)
{
    syn_arena arena;
    syn_arena_init(&arena);
    syn_doc doc;

    syn_doc_parse(&doc,
                  "*\n * function ansi_cursor_move - Move the cursor\n * @x: the column,\n *     from 1\n"
                  " * @y: the row\n *\n * First paragraph\n * goes on.\n *\n *\n *     indented example\n ",
                  &arena);
    is_string(doc.kind, "function", "doc: kind");
    is_string(doc.name, "ansi_cursor_move", "doc: name");
    is_string(doc.summary, "Move the cursor", "doc: summary");
    if (is_int(doc.parameter_count, 2, "doc: two parameters")) {
        is_string(doc.parameters[0].name, "x", "doc: first parameter");
        is_string(doc.parameters[0].text, "the column, from 1", "doc: a parameter continued on the next line");
        is_string(doc.parameters[1].text, "the row", "doc: second parameter's text");
    }
    is_string(doc.description, "First paragraph\ngoes on.\n\n    indented example",
              "doc: description with its paragraphs and indentation");

    syn_doc_parse(&doc, " probe tcp.listen - a socket starts listening\n @backlog: its backlog ", &arena);
    is_string(doc.kind, "probe", "one-line doc: kind");
    is_string(doc.name, "tcp.listen", "one-line doc: name");
    is_string(doc.summary, "a socket starts listening", "one-line doc: summary");
    is_int(doc.parameter_count, 1, "one-line doc: a value");
    is_string(doc.description, NULL, "one-line doc: no description");

    syn_doc_parse(&doc, " helper - no kind word\n", &arena);
    is_string(doc.kind, NULL, "NAME - summary: no kind");
    is_string(doc.name, "helper", "NAME - summary: name");
    is_string(doc.summary, "no kind word", "NAME - summary: summary");

    syn_doc_parse(&doc, "\n * sfunction execname_of - SystemTap's word\n", &arena);
    is_string(doc.kind, "function", "sfunction: a function");
    is_string(doc.name, "execname_of", "sfunction: name");
    is_string(doc.summary, "SystemTap's word", "sfunction: summary");

    syn_doc_parse(&doc, " Just a sentence - with a dash\n spanning lines\n", &arena);
    is_string(doc.name, NULL, "a bare summary names nothing");
    is_string(doc.summary, "Just a sentence - with a dash spanning lines", "a bare summary continued");

    syn_doc_parse(&doc, "", &arena);
    is_string(doc.summary, "", "an empty doc comment");
    syn_arena_release(&arena);
}

/* ---- needs ------------------------------------------------------------------ */

typedef struct parsed {
    syn_source *source;
    syn_arena arena;
    syn_diagnostics diagnostics;
    syn_file *file;
} parsed;

static void parse_text(parsed *result, const char *name, const char *text)
{
    memset(result, 0, sizeof(*result));
    result->source = syn_source_new(name, text, strlen(text));
    syn_arena_init(&result->arena);
    syn_diagnostics_init(&result->diagnostics);
    result->diagnostics.handler = NULL;
    syn_preprocessor_environment environment = {.kernel_release = "6.1.0", .architecture = "x86_64"};
    result->file = syn_parse(result->source, &result->arena, &result->diagnostics, &environment).file;
    if (!result->file)
        diag("%s does not parse", name);
}

static void release_parsed(parsed *result)
{
    syn_arena_release(&result->arena);
    syn_diagnostics_release(&result->diagnostics);
    syn_source_free(result->source);
}

static const char *needs_of(const syn_file *file)
{
    static char text[1024];
    text[0] = '\0';
    syn_need_list needs;
    syn_need_list_init(&needs);
    syn_needs_collect(&needs, file);
    syn_arena arena;
    syn_arena_init(&arena);
    for (unsigned i = 0; i < needs.count; i++) {
        size_t used = strlen(text);
        snprintf(text + used, sizeof(text) - used, "%s%s", i ? "; " : "", syn_need_describe(&needs.items[i], &arena));
    }
    syn_arena_release(&arena);
    syn_need_list_release(&needs);
    return text;
}

static void test_needs(void)
{
    parsed script;
    parse_text(&script, "script.syn",
               "global declared\n"
               "function f(p) { return p + g(p, 1) + declared }\n"
               "probe tcp.listen, timer.s(1) if (enabled) { foreach (k in seen) print(k); x = f(2); f(3) }\n");
    is_string(needs_of(script.file),
              "function g (2 arguments); global declared; probe point tcp.listen; probe point timer.s(1); "
              "global enabled; global seen; function print (1 argument); global x; function f (1 argument)",
              "needs: calls, names that are not parameters or loop keys, points, each once");

    parsed library;
    parse_text(&library, "library.syn",
               "function g(a, b) { return a + b }\nglobal enabled = 1\nprivate global seen\n"
               "probe tcp.accept = begin {}\nprobe tcp.listen = begin {}\nprivate function f(x) { return x }\n");
    syn_need_list needs;
    syn_need_list_init(&needs);
    syn_needs_collect(&needs, script.file);
    const syn_file *script_only[] = {script.file};
    const syn_file *both[] = {script.file, library.file};
    const char *expected_provides[] = {"1", "0", "1", "0", "1", "0", "0", "0", "0"};
    for (unsigned i = 0; i < needs.count && i < 9; i++) {
        syn_arena arena;
        syn_arena_init(&arena);
        const char *what = syn_need_describe(&needs.items[i], &arena);
        is_int(syn_file_provides(library.file, &needs.items[i]), atoi(expected_provides[i]),
               "the library provides %s: %s", what, expected_provides[i]);
        syn_arena_release(&arena);
    }
    is_int(syn_need_met(&needs.items[0], script_only, 1), 0, "g() is not met by the script alone");
    is_int(syn_need_met(&needs.items[0], both, 2), 1, "g() is met once the library is loaded");
    is_int(syn_need_met(&needs.items[1], script_only, 1), 1, "a declared global is met");
    is_int(syn_need_met(&needs.items[5], both, 2), 0, "a private global is not met for another file");
    is_int(syn_need_met(&needs.items[8], script_only, 1), 1, "the script's own function is met");
    syn_need_list_release(&needs);

    parsed wildcard;
    parse_text(&wildcard, "wild.syn", "probe tcp.* {}\nprobe tcp.listen {}\nprobe begin { printf(\"\") }\n");
    syn_need_list_init(&needs);
    syn_needs_collect(&needs, wildcard.file);
    is_int(syn_need_takes_every_provider(&needs.items[0]), 1, "a point with a wildcard takes every provider");
    is_int(syn_need_takes_every_provider(&needs.items[1]), 0, "a plain point takes the first");
    is_int(syn_need_met(&needs.items[3], script_only, 1), 1, "a built-in meets a call");
    syn_need_list_release(&needs);

    /* The script's g/2 hides the library's; the private f/1 stays. */
    parsed overriding;
    parse_text(&overriding, "override.syn", "function g(a, b) { return 0 }\nprobe tcp.listen = end {}\n");
    const syn_file *loaded[] = {overriding.file};
    syn_arena arena;
    syn_arena_init(&arena);
    const syn_file *view = syn_library_view(&arena, library.file, loaded, 1);
    is_int(view->count, library.file->count - 2, "a view hides what the script defines");
    is_int(view->items[0].kind, SYN_ITEM_GLOBAL, "a view starts with the first item not hidden");
    is_int(syn_library_view(&arena, library.file, script_only, 1) == library.file, 1,
           "a view with nothing to hide is the file itself");
    syn_arena_release(&arena);

    release_parsed(&overriding);
    release_parsed(&wildcard);
    release_parsed(&library);
    release_parsed(&script);
}

int main(void)
{
    test_outlines();
    test_lexer();
    test_doc_comments();
    test_needs();
    return done_testing();
}
