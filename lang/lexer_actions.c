/* The work behind the scanner's rules: positions, numbers, escapes and
 * lexical errors.  Kept out of lexer.l so it compiles with the project's
 * full warnings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/grammar.h"
#include "lang/lexer.h"

void syn_lexer_init(syn_lexer *lexer, const syn_source *source, syn_arena *arena,
                    syn_diagnostics *diagnostics)
{
    memset(lexer, 0, sizeof(*lexer));
    lexer->source = source;
    lexer->length = source->length;
    lexer->arena = arena;
    lexer->diagnostics = diagnostics;
    lexer->line = 1;
    lexer->column = 1;
    lexer->current.source = source;
    lexer->current.first_line = lexer->current.last_line = 1;
    lexer->current.first_column = lexer->current.last_column = 1;
    lexer->end_of_last_token = lexer->current;
    syn_buffer_init(&lexer->text);
}

void syn_lexer_release(syn_lexer *lexer)
{
    syn_lexer_close(lexer);
    syn_buffer_release(&lexer->text);
}

void syn_lexer_step(syn_lexer *lexer, const char *text, size_t length)
{
    syn_location *span = &lexer->current;
    span->source = lexer->source;
    span->first_line = span->last_line = lexer->line;
    span->first_column = span->last_column = lexer->column;
    for (size_t i = 0; i < length; i++) {
        span->last_line = lexer->line;
        span->last_column = lexer->column;
        if (text[i] == '\n') {
            lexer->line++;
            lexer->column = 1;
        } else {
            lexer->column++;
        }
    }
}

void syn_lexer_error(syn_lexer *lexer, const syn_location *location, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    syn_report(lexer->diagnostics, SYN_SEVERITY_ERROR, location, format, args);
    va_end(args);
}

void syn_lexer_fatal(const char *message)
{
    fprintf(stderr, "syn: lexer failure: %s\n", message);
    abort();
}

int syn_lexer_number(syn_lexer *lexer, syn_token *token, const char *text, int base)
{
    errno = 0;
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, base);
    if (errno == ERANGE) {
        syn_lexer_error(lexer, &lexer->current, "number '%s' does not fit in 64 bits", text);
        value = 0;
    } else if (end && *end) {
        syn_lexer_error(lexer, &lexer->current, "invalid octal number '%s'", text);
        value = 0;
    }
    /* Values past INT64_MAX wrap as in C, so 0xffffffffffffffff is -1. */
    token->value.number = (int64_t)value;
    return NUMBER;
}

int syn_lexer_text_n(syn_lexer *lexer, syn_token *token, int kind, const char *text, size_t length)
{
    token->value.text.data = syn_arena_strndup(lexer->arena, text, length);
    token->value.text.length = length;
    return kind;
}

int syn_lexer_text(syn_lexer *lexer, syn_token *token, int kind, const char *text)
{
    return syn_lexer_text_n(lexer, token, kind, text, strlen(text));
}

int syn_lexer_argument(syn_lexer *lexer, syn_token *token, int kind, const char *digits)
{
    errno = 0;
    unsigned long value = strtoul(digits, NULL, 10);
    /* $0 is simply out of range, which the preprocessor reports. */
    if (errno == ERANGE || value > 100000) {
        syn_lexer_error(lexer, &lexer->current, "invalid script argument index '%s'", digits);
        value = 0;
    }
    token->value.number = (int64_t)value;
    return kind;
}

static void append_escaped_byte(syn_lexer *lexer, unsigned value)
{
    if (value == 0) {
        syn_lexer_error(lexer, &lexer->current, "a string cannot contain a NUL character");
        return;
    }
    syn_buffer_append_char(&lexer->text, (char)value);
}

void syn_lexer_octal_escape(syn_lexer *lexer, const char *digits)
{
    unsigned value = (unsigned)strtoul(digits, NULL, 8);
    if (value > 0xff) {
        syn_lexer_error(lexer, &lexer->current, "octal escape '\\%s' is larger than a byte", digits);
        return;
    }
    append_escaped_byte(lexer, value);
}

void syn_lexer_hex_escape(syn_lexer *lexer, const char *digits)
{
    append_escaped_byte(lexer, (unsigned)strtoul(digits, NULL, 16));
}

void syn_lexer_simple_escape(syn_lexer *lexer, char escaped)
{
    char value;
    switch (escaped) {
    case 'a': value = '\a'; break;
    case 'b': value = '\b'; break;
    case 'f': value = '\f'; break;
    case 'n': value = '\n'; break;
    case 'r': value = '\r'; break;
    case 't': value = '\t'; break;
    case 'v': value = '\v'; break;
    case '\\': value = '\\'; break;
    case '"': value = '"'; break;
    case '\'': value = '\''; break;
    case '?': value = '?'; break;
    case '\n': return; /* a backslash before a newline continues the string */
    default:
        syn_lexer_error(lexer, &lexer->current, "unknown escape sequence '\\%c' in string",
                        (escaped >= 0x20 && escaped < 0x7f) ? escaped : '?');
        return;
    }
    syn_buffer_append_char(&lexer->text, value);
}

void syn_lexer_bad_character(syn_lexer *lexer, unsigned char character)
{
    if (character >= 0x20 && character < 0x7f)
        syn_lexer_error(lexer, &lexer->current, "unexpected character '%c'", character);
    else
        syn_lexer_error(lexer, &lexer->current, "unexpected byte 0x%02x", character);
}
