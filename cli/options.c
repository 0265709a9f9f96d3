#include "cli/options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage_error(const char *program, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void usage_error(const char *program, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", program);
    va_end(args);
}

void syn_options_print_help(const char *program)
{
    printf("Usage: %s [OPTIONS] FILE [ARGUMENTS]\n"
           "       %s [OPTIONS] -e SCRIPT [ARGUMENTS]\n"
           "       %s [OPTIONS] - [ARGUMENTS]          (script on standard input)\n"
           "       %s [OPTIONS] -i [ARGUMENTS]         (interactive: the REPL, doc/repl.md)\n"
           "\n"
           "syn runs SystemTap-language tracing scripts, compiled to eBPF.\n"
           "\n"
           "Options:\n"
           "  -e SCRIPT        run SCRIPT given on the command line\n"
           "  -i               interactive: attach, inspect and detach probes at a prompt\n"
           "                   (what syn with no script does on a terminal)\n"
           "  -p NUM           stop after pass NUM: 1 parse (prints the parse tree),\n"
           "                   2 resolve and type-check (prints globals, functions, probes),\n"
           "                   3 lower to IR (prints it), 4 generate BPF (prints it and has\n"
           "                   the kernel's verifier check it), 5 run (the default)\n"
           "  -v               more verbose (repeat for more)\n"
           "  -q               quiet: no warnings, from the compiler, the script or syn\n"
           "  -w               do not print the compiler's warnings\n"
           "  -W               treat warnings as errors\n"
           "  -D NAME=VALUE    set a limit such as MAXSTRINGLEN or MAXMAPENTRIES\n"
           "  -G NAME=VALUE    set the initial value of a global variable\n"
           "  -I DIR           look for library scripts in DIR too\n"
           "  -r RELEASE       compare kernel_v and kernel_vr with this kernel release\n"
           "  -a ARCH          compare arch with this architecture\n"
           "  --kernel-features=LIST\n"
           "                   assume what the kernel offers for function probes and\n"
           "                   packet hooks instead of finding it out\n"
           "                   (kprobes=yes,fentry=no,uprobes=yes,tcx=no,tc=no): shows\n"
           "                   with -p3/-p4 the code another kernel would run;\n"
           "                   uprobe_pmu=no or kprobe_pmu=no makes probes through tracefs\n"
           "  -o FILE          write output to FILE\n"
           "  --format=json    output as JSON objects, one a line: printed text, histograms\n"
           "                   and the globals shown at the end (doc/running.md)\n"
           "  --serve HOST:PORT  serve the globals as Prometheus metrics over HTTP while the\n"
           "                   script runs (:PORT for every address; doc/running.md)\n"
           "  -c CMD           run CMD (with /bin/sh) once the probes are attached, stop\n"
           "                   when it exits; target() is its process id, and a bare\n"
           "                   process.function(...) probes its program\n"
           "  -x PID           target() returns PID; a bare process.function(...) probes\n"
           "                   that process\n"
           "  -T SECONDS       stop after SECONDS\n"
           "  -s MB            use MB megabytes for the buffer kernel probes write to\n"
           "  -l PATTERN       list the probe points PATTERN names on this kernel\n"
           "                   (kernel.trace(\"tcp:*\"), kernel.function(\"tcp_*\"), ...)\n"
           "  -L PATTERN       the same with each point's variables and their types\n"
           "  --dump-probe-types  list the forms of every probe family\n"
           "  --doc NAME       show the documentation of a function or probe alias\n"
           "                   (built in or from the library; NAME may hold wildcards)\n"
           "  --dump-functions list every built-in and library function with its signature\n"
           "  --dump-probe-aliases  list every library probe alias with its points\n"
           "  --doc-reference  print the library's reference page (Markdown)\n"
           "  -h, --help       show this help\n"
           "  -V, --version    show the version\n"
           "\n"
           "Library files come from the -I directories, then $SYN_PATH (directories\n"
           "separated by ':'), then the standard library; see doc/library.md.\n"
           "\n"
           "Script arguments are $1, $2, ... (as source text) and @1, @2, ... (as strings);\n"
           "$# and @# give their number.  Options may follow the script; arguments that\n"
           "start with '-' go after \"--\".\n"
           "\n"
           "Exit status: 0 when the script was accepted (and ran), 1 when it was\n"
           "rejected or failed, 2 on a usage error.\n",
           program, program, program, program);
}

static int split_setting(const char *program, char option, const char *text, syn_name_value **list,
                         int *count)
{
    const char *equals = strchr(text, '=');
    if (!equals || equals == text) {
        usage_error(program, "-%c expects NAME=VALUE, not '%s'", option, text);
        return 2;
    }
    *list = realloc(*list, ((size_t)*count + 1) * sizeof(**list));
    if (!*list)
        abort();
    char *name = strndup(text, (size_t)(equals - text));
    if (!name)
        abort();
    (*list)[*count] = (syn_name_value){.name = name, .value = equals + 1};
    (*count)++;
    return 0;
}

/* Long options without a short form. */
enum {
    OPTION_KERNEL_FEATURES = 256,
    OPTION_DUMP_PROBE_TYPES,
    OPTION_DOC,
    OPTION_DUMP_FUNCTIONS,
    OPTION_DUMP_PROBE_ALIASES,
    OPTION_DOC_REFERENCE,
    OPTION_FORMAT,
    OPTION_SERVE,
};

bool syn_options_library_query(const syn_options *options)
{
    return options->doc_name || options->dump_functions || options->dump_probe_aliases || options->doc_reference;
}

/* The library's options (doc/library.md); false for any other. */
static bool library_option(syn_options *options, int option)
{
    switch (option) {
    case OPTION_DOC: options->doc_name = optarg; return true;
    case OPTION_DUMP_FUNCTIONS: options->dump_functions = true; return true;
    case OPTION_DUMP_PROBE_ALIASES: options->dump_probe_aliases = true; return true;
    case OPTION_DOC_REFERENCE: options->doc_reference = true; return true;
    default: return false;
    }
}

int syn_options_parse(syn_options *options, int argc, char **argv)
{
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"kernel-features", required_argument, NULL, OPTION_KERNEL_FEATURES},
        {"format", required_argument, NULL, OPTION_FORMAT},
        {"serve", required_argument, NULL, OPTION_SERVE},
        {"dump-probe-types", no_argument, NULL, OPTION_DUMP_PROBE_TYPES},
        {"doc", required_argument, NULL, OPTION_DOC},
        {"dump-functions", no_argument, NULL, OPTION_DUMP_FUNCTIONS},
        {"dump-probe-aliases", no_argument, NULL, OPTION_DUMP_PROBE_ALIASES},
        {"doc-reference", no_argument, NULL, OPTION_DOC_REFERENCE},
        {NULL, 0, NULL, 0},
    };
    const char *program = argc > 0 ? argv[0] : "syn";
    memset(options, 0, sizeof(*options));
    options->last_pass = 5;
    opterr = 0;
    optind = 1;
    int option;
    /* As with stap, options may also follow the script (syn x.syn -c CMD);
     * script arguments that start with '-' come after "--". */
    while ((option = getopt_long(argc, argv, "e:ip:vqwWD:G:I:r:a:o:c:x:T:s:l:L:hV", long_options, NULL)) != -1) {
        if (library_option(options, option))
            continue;
        switch (option) {
        case 'e': options->script_text = optarg; break;
        case 'p': {
            char *end;
            long pass = strtol(optarg, &end, 10);
            if (*end || pass < 1 || pass > 5) {
                usage_error(program, "invalid pass '%s' for -p (1 to 5)", optarg);
                return 2;
            }
            options->last_pass = (int)pass;
            break;
        }
        case 'v': options->verbosity++; break;
        case 'w': options->no_warnings = true; break;
        case 'q': options->quiet = true; break;
        case 'W': options->warnings_are_errors = true; break;
        case 'D':
            if (split_setting(program, 'D', optarg, &options->defines,
                              &options->define_count))
                return 2;
            break;
        case 'G':
            if (split_setting(program, 'G', optarg, &options->globals,
                              &options->global_count))
                return 2;
            break;
        case 'I':
            options->include_paths = realloc(options->include_paths,
                                             ((size_t)options->include_count + 1) * sizeof(char *));
            if (!options->include_paths)
                abort();
            options->include_paths[options->include_count++] = optarg;
            break;
        case 'r': options->kernel_release = optarg; break;
        case 'a': options->architecture = optarg; break;
        case OPTION_SERVE: options->serve = optarg; break;
        case OPTION_FORMAT:
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
                usage_error(program, "--format is json or text, not '%s'", optarg);
                return 2;
            }
            options->json = strcmp(optarg, "json") == 0;
            break;
        case OPTION_KERNEL_FEATURES: options->kernel_features = optarg; break;
        case 'l':
        case 'L':
            options->list_pattern = optarg;
            options->list_variables = option == 'L';
            break;
        case OPTION_DUMP_PROBE_TYPES: options->dump_probe_types = true; break;
        case 'o': options->output_path = optarg; break;
        case 'c': options->command = optarg; break;
        case 'x':
        case 'T':
        case 's': {
            char *end;
            long value = strtol(optarg, &end, 10);
            if (*end || value <= 0 || (option == 's' && value > 4096)) {
                usage_error(program, "-%c expects a positive number, not '%s'", option, optarg);
                return 2;
            }
            if (option == 'x')
                options->target_pid = value;
            else if (option == 'T')
                options->timeout_seconds = value;
            else
                options->buffer_megabytes = (unsigned)value;
            break;
        }
        case 'i': options->interactive = true; break;
        case 'h': options->help = true; return 0;
        case 'V': options->version = true; return 0;
        case ':':
        case '?':
        default:
            if (optopt == OPTION_DOC) {
                usage_error(program, "%s", "option --doc needs a name");
            } else if (optopt == OPTION_SERVE) {
                usage_error(program, "%s", "option --serve needs HOST:PORT");
            } else if (optopt == OPTION_FORMAT) {
                usage_error(program, "%s", "option --format needs json or text");
            } else if (optopt == OPTION_KERNEL_FEATURES) {
                usage_error(program, "%s", "option --kernel-features needs a list");
            } else if (optopt && optopt < 256 && strchr("epDGIraocxTslL", optopt)) {
                usage_error(program, "option -%c needs a value", optopt);
            } else if (optopt) {
                usage_error(program, "unknown option -%c", optopt);
            } else {
                usage_error(program, "unknown option '%s'", argv[optind - 1]);
            }
            return 2;
        }
    }
    int rest = optind;
    if (syn_options_library_query(options) && (options->script_text || rest < argc)) {
        usage_error(program, "%s", "--doc, --dump-functions, --dump-probe-aliases and --doc-reference take no script");
        return 2;
    }
    if (!options->script_text && !options->list_pattern && !options->dump_probe_types &&
        !syn_options_library_query(options)) {
        /* No script: the REPL on a terminal (or with -i), else the script
         * comes on standard input, as with stap -. */
        if (options->interactive || (rest >= argc && isatty(STDIN_FILENO))) {
            options->interactive = true;   /* what follows -i is $1 ... */
        } else {
            options->script_path = rest < argc ? argv[rest++] : "-";
        }
    }
    options->arguments = (const char *const *)argv + rest;
    options->argument_count = argc - rest;
    return 0;
}

void syn_options_release(syn_options *options)
{
    for (int i = 0; i < options->define_count; i++)
        free((char *)options->defines[i].name);
    for (int i = 0; i < options->global_count; i++)
        free((char *)options->globals[i].name);
    free(options->defines);
    free(options->globals);
    free(options->include_paths);
}
