#include "lang/keywords.h"

#include <string.h>

#include "lang/grammar.h"

static const struct {
    const char *word;
    int kind;
} keywords[] = {
    {"break", BREAK},     {"catch", CATCH},   {"continue", CONTINUE}, {"delete", DELETE},
    {"else", ELSE},       {"for", FOR},       {"foreach", FOREACH},   {"function", FUNCTION},
    {"global", GLOBAL},   {"if", IF},         {"in", IN},             {"limit", LIMIT},
    {"next", NEXT},       {"private", PRIVATE}, {"probe", PROBE},     {"return", RETURN},
    {"try", TRY},         {"while", WHILE},
};

int syn_keyword_lookup(const char *word, size_t length)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        if (strlen(keywords[i].word) == length && memcmp(keywords[i].word, word, length) == 0)
            return keywords[i].kind;
    }
    return 0;
}

const char *syn_keyword_spelling(int kind)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        if (keywords[i].kind == kind)
            return keywords[i].word;
    }
    return NULL;
}
