/* The REPL's loop: readline's callback interface beside the running
 * script's descriptor in one poll(), so that output of the probes appears
 * above the prompt while a line is being typed. */
#include "cli/repl.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

static const char PROMPT[] = "syn> ";
static const char CONTINUATION_PROMPT[] = "...> ";

/* readline's callbacks take no user data: the one REPL of the process. */
static repl *active;
static volatile sig_atomic_t interrupted;

static void on_interrupt(int signal_number)
{
    (void)signal_number;
    interrupted = 1;
}

void repl_text_append(repl_text *text, const char *data, size_t length)
{
    if (text->length + length + 1 > text->capacity) {
        text->capacity = (text->length + length + 1) * 2;
        text->data = realloc(text->data, text->capacity);
        if (!text->data)
            abort();
    }
    memcpy(text->data + text->length, data, length);
    text->length += length;
    text->data[text->length] = '\0';
}

void repl_text_clear(repl_text *text)
{
    text->length = 0;
    if (text->data)
        text->data[0] = '\0';
}

/* Complete lines go above the prompt, which readline then draws again
 * with the line being typed as it was. */
static void show(repl *r, FILE *stream, const char *data, size_t length)
{
    if (!length)
        return;
    if (r->prompt_shown)
        rl_clear_visible_line();
    fwrite(data, 1, length, stream);
    fflush(stream);
    if (r->prompt_shown)
        rl_forced_update_display();
}

void repl_print(repl *r, const char *data, size_t length)
{
    if (r->capture) {
        repl_text_append(r->capture, data, length);
        return;
    }
    /* A line without its newline waits for it, not to be drawn over. */
    repl_text_append(&r->partial_output, data, length);
    size_t complete = r->partial_output.length;
    while (complete && r->partial_output.data[complete - 1] != '\n')
        complete--;
    if (!complete)
        return;
    show(r, stdout, r->partial_output.data, complete);
    memmove(r->partial_output.data, r->partial_output.data + complete, r->partial_output.length - complete + 1);
    r->partial_output.length -= complete;
}

void repl_printf(repl *r, const char *format, ...)
{
    char buffer[4096];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(buffer, sizeof(buffer), format, arguments);
    va_end(arguments);
    if (length > 0)
        repl_print(r, buffer, (size_t)length < sizeof(buffer) ? (size_t)length : sizeof(buffer) - 1);
}

static void on_output(const char *data, size_t length, void *user_data)
{
    repl_print(user_data, data, length);
}

static void on_diagnostic(const syn_diagnostic *diagnostic, void *user_data)
{
    repl *r = user_data;
    /* The program is checked whole for every input: warnings about what was
     * typed before were shown then. */
    if (diagnostic->severity != SYN_SEVERITY_ERROR && r->typed_chunk && diagnostic->file &&
        strcmp(diagnostic->file, r->typed_chunk) != 0)
        return;
    size_t length = strlen(diagnostic->rendered);
    if (r->holding_diagnostics)
        repl_text_append(&r->diagnostics, diagnostic->rendered, length);
    else
        show(r, stderr, diagnostic->rendered, length);
}

/* ---- one input ------------------------------------------------------------------ */

static const char *skip_space(const char *text)
{
    while (isspace((unsigned char)*text))
        text++;
    return text;
}

static bool starts_with_word(const char *text, const char *word)
{
    size_t length = strlen(word);
    return strncmp(text, word, length) == 0 && !isalnum((unsigned char)text[length]) && text[length] != '_';
}

/* Definitions are kept and attached; anything else runs once. */
static bool is_definition(const char *text)
{
    text = skip_space(text);
    return starts_with_word(text, "global") || starts_with_word(text, "probe") ||
           starts_with_word(text, "function") || starts_with_word(text, "private") ||
           starts_with_word(text, "@define") || strncmp(text, "%{", 2) == 0;
}

/* A bare name: the global it names is shown, as SystemTap shows globals. */
static bool bare_name(const char *text, char *name, size_t size)
{
    text = skip_space(text);
    size_t length = 0;
    while (isalnum((unsigned char)text[length]) || text[length] == '_')
        length++;
    if (!length || length >= size || isdigit((unsigned char)text[0]) || *skip_space(text + length))
        return false;
    memcpy(name, text, length);
    name[length] = '\0';
    return true;
}

/* Whether the text assigns at its top level (x = 1, x += 1, x++, s <<< 1):
 * a statement, whose value is not shown. */
static bool assigns(const char *text, size_t length)
{
    int depth = 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < length && text[i] != '"'; i++)
                i += text[i] == '\\';
            continue;
        }
        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == ']') && depth)
            depth--;
        else if (depth)
            continue;
        else if ((c == '+' || c == '-') && i + 1 < length && text[i + 1] == c)
            return true;
        else if (c == '<' && i + 2 < length && text[i + 1] == '<' && text[i + 2] == '<')
            return true;
        else if (c == '=' && (i + 1 >= length || text[i + 1] != '=') &&
                 (i == 0 || !strchr("=!<>", text[i - 1]) || (i >= 2 && strchr("<>", text[i - 1]) &&
                                                             text[i - 2] == text[i - 1])))
            return true;
    }
    return false;
}

/* An expression shows its value, as in Lua's REPL: it is tried as
 * println(EXPRESSION) first; what that cannot check, and assignments, run
 * as they are. */
static syn_status evaluate(repl *r, const char *text)
{
    size_t length = strlen(text);
    while (length && isspace((unsigned char)text[length - 1]))
        length--;
    if (length && text[length - 1] != ';' && text[length - 1] != '}' && !assigns(text, length)) {
        repl_text wrapped = {0};
        repl_text_append(&wrapped, "println(", 8);
        repl_text_append(&wrapped, text, length);
        repl_text_append(&wrapped, ")\n", 2);
        syn_status status = syn_evaluate(r->state, "<input>", wrapped.data, wrapped.length);
        free(wrapped.data);
        if (status != SYN_ERROR_SYNTAX && status != SYN_ERROR_SEMANTIC && status != SYN_ERROR_INCOMPLETE)
            return status;
        repl_text_clear(&r->diagnostics);
    }
    return syn_evaluate(r->state, "<input>", text, strlen(text));
}

repl_chunk *repl_keep_chunk(repl *r, unsigned number, const char *name, const char *text)
{
    r->chunks = realloc(r->chunks, (r->chunk_count + 1) * sizeof(*r->chunks));
    if (!r->chunks)
        abort();
    repl_chunk *chunk = &r->chunks[r->chunk_count++];
    memset(chunk, 0, sizeof(*chunk));
    chunk->number = number;
    chunk->name = strdup(name);
    chunk->text = strdup(text);
    chunk->is_probe = starts_with_word(skip_space(text), "probe");
    chunk->enabled = true;
    return chunk;
}

static void submit(repl *r)
{
    const char *text = r->pending.data;
    /* Definitions are numbered when they are kept; what runs once is "<input>". */
    unsigned number = r->next_number;
    char name[24], global[128];
    snprintf(name, sizeof(name), "<%u>", number);
    repl_text_clear(&r->diagnostics);
    r->holding_diagnostics = true;
    bool definition = is_definition(text);
    r->typed_chunk = definition ? name : "<input>";
    syn_status status;
    if (definition) {
        status = syn_load_string(r->state, name, text, r->pending.length);
        if (status == SYN_OK)
            status = syn_update(r->state);
    } else if (bare_name(text, global, sizeof(global)) && syn_display(r->state, global) == SYN_OK) {
        status = SYN_OK;
        repl_text_clear(&r->diagnostics);
    } else {
        repl_text_clear(&r->diagnostics);
        status = evaluate(r, text);
    }
    r->holding_diagnostics = false;
    r->typed_chunk = NULL;
    if (status == SYN_ERROR_INCOMPLETE)
        return;   /* more lines: the errors said only that the text ended */
    show(r, stderr, r->diagnostics.data, r->diagnostics.length);
    repl_text_clear(&r->diagnostics);
    if (definition && status == SYN_OK) {
        r->next_number++;
        repl_keep_chunk(r, number, name, text);
        repl_printf(r, "[%u] %s\n", number, r->chunks[r->chunk_count - 1].is_probe ? "attached" : "defined");
    }
    repl_text_clear(&r->pending);
}

static void handle_line(repl *r, const char *line)
{
    if (!r->pending.length) {
        const char *start = skip_space(line);
        if (!*start)
            return;
        if (*start == ':') {
            if (!repl_command(r, start))
                repl_printf(r, "unknown command '%s' (:help lists them)\n", start);
            return;
        }
    }
    repl_text_append(&r->pending, line, strlen(line));
    repl_text_append(&r->pending, "\n", 1);
    submit(r);
}

static void on_line(char *line)
{
    repl *r = active;
    r->prompt_shown = false;
    if (!line) {
        r->quit = true;
        return;
    }
    if (*skip_space(line))
        add_history(line);
    handle_line(r, line);
    free(line);
    if (r->quit) {
        rl_callback_handler_remove();   /* no prompt after :quit */
        return;
    }
    rl_set_prompt(r->pending.length ? CONTINUATION_PROMPT : PROMPT);
    r->prompt_shown = true;
}

/* Ctrl-C: the line (and an incomplete input) is dropped; probes run on. */
static void cancel_line(repl *r)
{
    repl_text_clear(&r->pending);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_crlf();
    rl_set_prompt(PROMPT);
    rl_on_new_line();
    rl_redisplay();
}

/* ---- history ----------------------------------------------------------------------- */

static char *history_path(void)
{
    const char *state_home = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char path[4096];
    if (state_home && *state_home) {
        snprintf(path, sizeof(path), "%s/syn/history", state_home);
        /* Every folder on the way, as mkdir -p makes them. */
        for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            mkdir(path, 0700);
            *slash = '/';
        }
    } else if (home && *home) {
        snprintf(path, sizeof(path), "%s/.syn_history", home);
    } else {
        return NULL;
    }
    return strdup(path);
}

static void load_history(repl *r)
{
    using_history();
    const char *size = getenv("SYN_HISTSIZE");
    stifle_history(size && *size ? atoi(size) : 1000);
    r->history_path = history_path();
    if (r->history_path)
        read_history(r->history_path);
}

static void save_history(repl *r)
{
    if (r->history_path && write_history(r->history_path) != 0 && errno != ENOENT)
        fprintf(stderr, "syn: cannot write the history to %s: %s\n", r->history_path, strerror(errno));
}

/* ---- the loop --------------------------------------------------------------------- */

int repl_run(syn_state *state)
{
    repl r = {.state = state, .next_number = 1};
    active = &r;
    syn_set_output_handler(state, on_output, &r);
    syn_set_diagnostic_handler(state, on_diagnostic, &r);
    load_history(&r);
    rl_catch_signals = 0;
    rl_readline_name = "syn";
    struct sigaction action = {.sa_handler = on_interrupt};
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    repl_complete_install(&r);
    /* :list's hits: the kernel's accounting, on while the REPL runs. */
    syn_count_hits(state, true);
    printf("syn %s: type a probe to attach it, an expression to evaluate it, :help for commands\n",
           syn_version());
    rl_callback_handler_install(PROMPT, on_line);
    r.prompt_shown = true;
    while (!r.quit && !syn_finished(state)) {
        struct pollfd watched[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                    {.fd = syn_poll_fd(state), .events = POLLIN}};
        int ready = poll(watched, 2, 200);
        if (interrupted) {
            interrupted = 0;
            cancel_line(&r);
            continue;
        }
        if (ready > 0 && (watched[0].revents & (POLLIN | POLLHUP | POLLERR)))
            rl_callback_read_char();
        if (!r.quit)
            syn_service(state, 0);
    }
    if (r.prompt_shown)
        rl_crlf();
    r.prompt_shown = false;
    rl_callback_handler_remove();
    save_history(&r);
    syn_status status = syn_stop(state);
    if (r.partial_output.length)
        show(&r, stdout, r.partial_output.data, r.partial_output.length);
    for (unsigned i = 0; i < r.chunk_count; i++) {
        free(r.chunks[i].text);
        free(r.chunks[i].name);
    }
    free(r.chunks);
    free(r.pending.data);
    free(r.partial_output.data);
    free(r.diagnostics.data);
    free(r.history_path);
    active = NULL;
    return status == SYN_OK ? 0 : 1;
}
