/* The syn command: a thin client of libsyn's public API. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/options.h"
#include "syn/syn.h"

static int configure(syn_state *state, const syn_options *options)
{
    if (options->no_warnings)
        syn_set_warning_mode(state, SYN_WARNINGS_HIDE);
    if (options->warnings_are_errors)
        syn_set_warning_mode(state, SYN_WARNINGS_AS_ERRORS);
    for (int i = 0; i < options->define_count; i++) {
        if (syn_define(state, options->defines[i].name, options->defines[i].value) != SYN_OK) {
            fprintf(stderr, "syn: -D %s: not a valid name\n", options->defines[i].name);
            return 2;
        }
    }
    for (int i = 0; i < options->global_count; i++) {
        if (syn_set_global_initializer(state, options->globals[i].name, options->globals[i].value) != SYN_OK) {
            fprintf(stderr, "syn: -G %s: not a valid name\n", options->globals[i].name);
            return 2;
        }
    }
    for (int i = 0; i < options->include_count; i++)
        syn_add_library_path(state, options->include_paths[i]);
    if (options->kernel_release && syn_set_kernel_release(state, options->kernel_release) != SYN_OK)
        return 2;
    if (options->architecture && syn_set_architecture(state, options->architecture) != SYN_OK)
        return 2;
    syn_set_arguments(state, options->argument_count, options->arguments);
    return 0;
}

static int run(syn_state *state, const syn_options *options)
{
    syn_status status = options->script_text
                            ? syn_load_string(state, "<input>", options->script_text, strlen(options->script_text))
                            : syn_load_file(state, options->script_path);
    if (status != SYN_OK)
        return 1;
    if (options->last_pass == 1)
        return syn_dump(state, 1) == SYN_OK ? 0 : 1;
    if (syn_check(state) != SYN_OK)
        return 1;
    if (options->last_pass <= 3)
        return syn_dump(state, options->last_pass) == SYN_OK ? 0 : 1;
    return syn_run(state, -1) == SYN_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    syn_options options;
    int code = syn_options_parse(&options, argc, argv);
    if (code != 0) {
        syn_options_release(&options);
        return code;
    }
    if (options.help || options.version) {
        if (options.help)
            syn_options_print_help(argv[0]);
        else
            printf("syn %s (library %s)\n", SYN_VERSION, syn_version());
        syn_options_release(&options);
        return 0;
    }

    FILE *output = NULL;
    if (options.output_path) {
        output = fopen(options.output_path, "w");
        if (!output) {
            fprintf(stderr, "syn: cannot write '%s': %s\n", options.output_path, strerror(errno));
            syn_options_release(&options);
            return 1;
        }
    }
    syn_state *state = syn_new();
    if (output)
        syn_set_output_file(state, output);
    code = configure(state, &options);
    if (code == 0)
        code = run(state, &options);
    syn_free(state);
    if (output && fclose(output) != 0 && code == 0) {
        fprintf(stderr, "syn: writing '%s' failed: %s\n", options.output_path, strerror(errno));
        code = 1;
    }
    syn_options_release(&options);
    return code;
}
