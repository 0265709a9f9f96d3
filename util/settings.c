#include "util/settings.h"

#include <string.h>

#include "util/memory.h"

void syn_settings_set(syn_settings *settings, const char *name, const char *value)
{
    for (unsigned i = 0; i < settings->count; i++) {
        if (strcmp(settings->items[i].name, name) == 0) {
            free(settings->items[i].value);
            settings->items[i].value = syn_strdup(value);
            return;
        }
    }
    SYN_GROW(settings->items, settings->capacity, settings->count + 1);
    settings->items[settings->count].name = syn_strdup(name);
    settings->items[settings->count].value = syn_strdup(value);
    settings->count++;
}

const char *syn_settings_get(const syn_settings *settings, const char *name)
{
    for (unsigned i = 0; i < settings->count; i++) {
        if (strcmp(settings->items[i].name, name) == 0)
            return settings->items[i].value;
    }
    return NULL;
}

void syn_settings_release(syn_settings *settings)
{
    for (unsigned i = 0; i < settings->count; i++) {
        free(settings->items[i].name);
        free(settings->items[i].value);
    }
    free(settings->items);
    memset(settings, 0, sizeof(*settings));
}
