#include "runtime/kernel_config.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "util/memory.h"

void syn_kernel_config_init(syn_kernel_config *config, const char *release)
{
    memset(config, 0, sizeof(*config));
    config->release = syn_strdup(release ? release : "");
}

void syn_kernel_config_release(syn_kernel_config *config)
{
    for (unsigned i = 0; i < config->count; i++) {
        free(config->options[i].name);
        free(config->options[i].value);
    }
    free(config->options);
    free(config->release);
    memset(config, 0, sizeof(*config));
}

static void add_option(syn_kernel_config *config, const char *line)
{
    const char *equals = strchr(line, '=');
    if (strncmp(line, "CONFIG_", 7) != 0 || !equals)
        return;
    size_t value_length = strcspn(equals + 1, "\r\n");
    const char *value = equals + 1;
    /* String options are quoted in the file; compare them without quotes. */
    if (value_length >= 2 && value[0] == '"' && value[value_length - 1] == '"') {
        value++;
        value_length -= 2;
    }
    SYN_GROW(config->options, config->capacity, config->count + 1);
    config->options[config->count].name = syn_strndup(line, (size_t)(equals - line));
    config->options[config->count].value = syn_strndup(value, value_length);
    config->count++;
}

/* gzopen reads plain files too, so one reader serves both places. */
static bool read_file(syn_kernel_config *config, const char *path)
{
    gzFile file = gzopen(path, "rb");
    if (!file)
        return false;
    char line[4096];
    while (gzgets(file, line, sizeof(line)))
        add_option(config, line);
    gzclose(file);
    return config->count > 0;
}

static void load(syn_kernel_config *config)
{
    config->loaded = true;
    char path[512];
    snprintf(path, sizeof(path), "/boot/config-%s", config->release);
    if (!read_file(config, "/proc/config.gz"))
        read_file(config, path);
}

const char *syn_kernel_config_lookup(void *context, const char *name)
{
    syn_kernel_config *config = context;
    if (!config->loaded)
        load(config);
    for (unsigned i = 0; i < config->count; i++) {
        if (strcmp(config->options[i].name, name) == 0)
            return config->options[i].value;
    }
    return NULL;
}
