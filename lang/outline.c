/* A library file's outline from its raw tokens (see lang/outline.h).  The
 * reader only needs to know where top-level declarations start: every
 * brace-delimited block at the top level (bodies, alternatives, epilogues)
 * is skipped whole, and whatever it does not recognise it steps over. */
#include "lang/outline.h"

#include <string.h>

#include "lang/grammar.h"
#include "lang/keywords.h"
#include "lang/lexer.h"
#include "util/memory.h"

typedef struct reader {
    syn_lexer lexer;
    syn_token token;
    syn_outline *outline;
    syn_arena *arena;          /* where the outline's strings go */
    const char *doc;           /* the doc comment just read, until a declaration takes it */
    bool doc_opens_file;       /* it is the file's first token */
    bool is_private;           /* `private` was just read */
} reader;

static int advance(reader *r)
{
    int kind = syn_lexer_scan(&r->lexer, &r->token);
    /* An unterminated token is the end: the lexer has nothing after it. */
    if (kind == END_OF_INPUT_IN_TOKEN)
        r->token.kind = END_OF_INPUT;
    return r->token.kind;
}

static bool at_end(const reader *r)
{
    return r->token.kind == END_OF_INPUT;
}

static void add_entry(reader *r, syn_outline_kind kind, const char *name, const syn_location *location)
{
    syn_outline *outline = r->outline;
    SYN_GROW(outline->entries, outline->capacity, outline->count + 1);
    outline->entries[outline->count++] = (syn_outline_entry){
        .kind = kind,
        .name = syn_arena_strdup(r->arena, name),
        .is_private = r->is_private,
        .line = location->first_line,
        .column = location->first_column,
        .doc = r->doc ? syn_arena_strdup(r->arena, r->doc) : NULL,
    };
}

/* From a '{' to just past its matching '}'. */
static void skip_block(reader *r)
{
    unsigned depth = 0;
    do {
        if (r->token.kind == '{')
            depth++;
        else if (r->token.kind == '}')
            depth--;
        advance(r);
    } while (depth > 0 && !at_end(r));
}

static bool in_global_shape(int kind)
{
    return kind == '%' || kind == '[' || kind == ']' || kind == NUMBER || kind == '=' || kind == '-' ||
           kind == STRING;
}

/* After `global` (or a bare `private`): name [shape] [= literal], ... */
static void read_globals(reader *r)
{
    while (r->token.kind == IDENTIFIER) {
        add_entry(r, SYN_OUTLINE_GLOBAL, r->token.value.text.data, &r->token.location);
        r->doc = NULL;
        advance(r);
        while (in_global_shape(r->token.kind))
            advance(r);
        if (r->token.kind != ',')
            return;
        advance(r);
    }
}

/* After `function`: its name; the parameters and the body are stepped over
 * by the main loop. */
static void read_function(reader *r)
{
    if (r->token.kind != IDENTIFIER)
        return;
    add_entry(r, SYN_OUTLINE_FUNCTION, r->token.value.text.data, &r->token.location);
    advance(r);
}

/* The first word of a point or alias name: an identifier, or a keyword used
 * as a component; anything else may match any name. */
static const char *first_word(const syn_token *token)
{
    if (token->kind == IDENTIFIER)
        return token->value.text.data;
    const char *keyword = syn_keyword_spelling(token->kind);
    return keyword ? keyword : "*";
}

enum { MAX_ALIAS_NAMES = 64 };

/* After `probe`: the names up to '=' or '+=' make an alias; a body ('{'
 * not opening alternatives) before them makes a plain probe, which
 * declares nothing. */
static void read_probe(reader *r, const syn_location *probe_location)
{
    const char *names[MAX_ALIAS_NAMES];
    unsigned name_count = 0;
    bool at_name_start = true;
    int previous = PROBE;
    unsigned parentheses = 0;
    while (!at_end(r)) {
        int kind = r->token.kind;
        if (parentheses == 0 && (kind == '=' || kind == ADD_ASSIGN)) {
            for (unsigned i = 0; i < name_count; i++)
                add_entry(r, SYN_OUTLINE_ALIAS, names[i], probe_location);
            return;
        }
        if (kind == '{') {
            bool alternatives = previous == '.' || at_name_start;
            if (!alternatives)
                return;
            if (at_name_start && name_count < MAX_ALIAS_NAMES)
                names[name_count++] = "*";
            at_name_start = false;
            skip_block(r);
            previous = '}';
            continue;
        }
        if (kind == ';' || kind == PROBE || kind == FUNCTION || kind == GLOBAL)
            return;
        if (kind == '(')
            parentheses++;
        else if (kind == ')' && parentheses > 0)
            parentheses--;
        if (at_name_start) {
            if (name_count < MAX_ALIAS_NAMES)
                names[name_count++] = first_word(&r->token);
            at_name_start = false;
        } else if (kind == ',' && parentheses == 0) {
            at_name_start = true;
        }
        previous = kind;
        advance(r);
    }
}

void syn_outline_read(syn_outline *outline, const syn_source *source, syn_arena *arena)
{
    syn_diagnostics quiet;
    syn_diagnostics_init(&quiet);
    quiet.handler = NULL;
    syn_arena tokens;
    syn_arena_init(&tokens);
    reader r = {.outline = outline, .arena = arena};
    syn_lexer_init(&r.lexer, source, &tokens, &quiet);
    r.lexer.keep_doc_comments = true;
    if (syn_lexer_open(&r.lexer) == 0) {
        advance(&r);
        bool first_token = true;
        while (!at_end(&r)) {
            int kind = r.token.kind;
            /* A doc comment that opens the file and is not followed by a
             * declaration describes the file (the reference page's
             * section on it). */
            bool declaration = kind == FUNCTION || kind == PROBE || kind == GLOBAL || kind == PRIVATE;
            if (r.doc && r.doc_opens_file && !declaration) {
                outline->file_doc = syn_arena_strdup(arena, r.doc);
                r.doc = NULL;
            }
            r.doc_opens_file = false;
            if (kind == DOC_COMMENT) {
                r.doc_opens_file = first_token;
                first_token = false;
                r.doc = r.token.value.text.data;
                advance(&r);
                continue;
            }
            first_token = false;
            if (kind == PRIVATE) {
                r.is_private = true;
                advance(&r);
                if (r.token.kind == IDENTIFIER) {
                    read_globals(&r);
                    r.doc = NULL;
                    r.is_private = false;
                }
                continue;
            }
            syn_location where = r.token.location;
            if (kind == '{') {
                skip_block(&r);
            } else {
                advance(&r);
                if (kind == GLOBAL)
                    read_globals(&r);
                else if (kind == FUNCTION)
                    read_function(&r);
                else if (kind == PROBE)
                    read_probe(&r, &where);
            }
            r.doc = NULL;
            r.is_private = false;
        }
    }
    if (r.doc && r.doc_opens_file)
        outline->file_doc = syn_arena_strdup(arena, r.doc);
    syn_lexer_release(&r.lexer);
    syn_diagnostics_release(&quiet);
    syn_arena_release(&tokens);
}

void syn_outline_release(syn_outline *outline)
{
    free(outline->entries);
    memset(outline, 0, sizeof(*outline));
}

const char *syn_outline_doc_at(const syn_outline *outline, unsigned line, unsigned column)
{
    for (unsigned i = 0; i < outline->count; i++) {
        const syn_outline_entry *entry = &outline->entries[i];
        if (entry->line == line && entry->column == column && entry->doc)
            return entry->doc;
    }
    return NULL;
}
