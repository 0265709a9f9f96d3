/* NAME=VALUE pairs: -D limits, -G global initialisers. */
#ifndef SYN_UTIL_SETTINGS_H
#define SYN_UTIL_SETTINGS_H

typedef struct syn_setting {
    char *name;
    char *value;
} syn_setting;

typedef struct syn_settings {
    syn_setting *items;
    unsigned count;
    unsigned capacity;
} syn_settings;

/* Replaces the value of an existing name or adds it; both are copied. */
void syn_settings_set(syn_settings *settings, const char *name, const char *value);
const char *syn_settings_get(const syn_settings *settings, const char *name);
void syn_settings_release(syn_settings *settings);

#endif
