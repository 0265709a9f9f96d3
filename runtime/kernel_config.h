/* The running kernel's build configuration (CONFIG_* options), read once
 * from /proc/config.gz or /boot/config-RELEASE when a script asks. */
#ifndef SYN_RUNTIME_KERNEL_CONFIG_H
#define SYN_RUNTIME_KERNEL_CONFIG_H

#include <stdbool.h>

typedef struct syn_kernel_option {
    char *name;
    char *value;
} syn_kernel_option;

typedef struct syn_kernel_config {
    bool loaded;
    syn_kernel_option *options;
    unsigned count;
    unsigned capacity;
    char *release;         /* whose configuration to read */
} syn_kernel_config;

void syn_kernel_config_init(syn_kernel_config *config, const char *release);
void syn_kernel_config_release(syn_kernel_config *config);

/* The value of an option ("y", "m", "1024") or NULL when it is not set or
 * the configuration cannot be read.  Matches the preprocessor's callback. */
const char *syn_kernel_config_lookup(void *config, const char *name);

#endif
