/* Drives an interactive program through a pseudo-terminal, for the REPL's
 * tests: pty_driver COMMAND [ARGUMENTS] reads directives on standard input,
 *
 *   send TEXT      types TEXT (\n, \t, \r, \\ and \xHH escapes; \x03 is Ctrl-C)
 *   expect TEXT    waits until the program has printed TEXT since the last
 *                  expect (escapes as for send)
 *   sleep MS       waits
 *   run COMMAND    runs a shell command and waits for it (a workload for
 *                  the probes), reading the program's output meanwhile
 *   close          ends the input side (the program then reads end of file)
 *
 * and writes what the program printed to standard output as a terminal
 * would show it: a line redrawn (carriage return, cursor moves, erase to
 * the end of the line) appears as it ended up.  Expects look at the text
 * without terminal controls.  An expect that waits longer than 10 seconds
 * fails: "pty_driver: timed out waiting for ..." on standard error and
 * exit status 1.  Otherwise the status is the program's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum { EXPECT_TIMEOUT_MS = 10000 };

static char *seen;
static bool in_control;

/* The terminal's current line, for the transcript. */
static char screen_line[16384];
static size_t screen_length, screen_column;
static char control[32];
static size_t control_length;

static void screen_control(void)
{
    char final = control[control_length - 1];
    int count = atoi(control + 1);   /* after the '[' */
    if (count <= 0)
        count = 1;
    if (final == 'K') {
        screen_length = screen_column;
    } else if (final == 'C') {
        screen_column += (size_t)count;
        while (screen_length < screen_column && screen_length < sizeof(screen_line))
            screen_line[screen_length++] = ' ';
    } else if (final == 'D') {
        screen_column = screen_column > (size_t)count ? screen_column - (size_t)count : 0;
    }
}

static void screen_put(char c)
{
    if (c == '\n') {
        fwrite(screen_line, 1, screen_length, stdout);
        putchar('\n');
        screen_length = screen_column = 0;
    } else if (c == '\r') {
        screen_column = 0;
    } else if (c == '\b') {
        if (screen_column)
            screen_column--;
    } else if (c != '\a' && screen_column < sizeof(screen_line)) {
        screen_line[screen_column++] = c;
        if (screen_column > screen_length)
            screen_length = screen_column;
    }
}
static size_t seen_length, seen_capacity, expect_from;

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void unescape(const char *text, char *out, size_t *length)
{
    size_t n = 0;
    for (const char *c = text; *c; c++) {
        if (*c != '\\' || !c[1]) {
            out[n++] = *c;
            continue;
        }
        c++;
        switch (*c) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'x': {
            char hex[3] = {c[1], c[1] ? c[2] : 0, 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            c += 2;
            break;
        }
        default: out[n++] = *c; break;
        }
    }
    out[n] = '\0';
    *length = n;
}

/* Reads what the program printed, waiting at most `wait_ms`; false at its end. */
static bool pump(int master, int wait_ms)
{
    struct pollfd watched = {.fd = master, .events = POLLIN};
    if (poll(&watched, 1, wait_ms) <= 0)
        return true;
    char buffer[4096];
    ssize_t got = read(master, buffer, sizeof(buffer));
    if (got <= 0)
        return false;
    for (ssize_t i = 0; i < got; i++) {
        char c = buffer[i];
        /* Terminal controls (readline's bracketed paste, redisplay): ESC [
         * parameters, then a letter; applied to the screen line, left out
         * of what expects see. */
        if (in_control) {
            if (control_length < sizeof(control) - 1)
                control[control_length++] = c;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                in_control = false;
                control[control_length] = '\0';
                screen_control();
            }
            continue;
        }
        if (c == '\x1b') {
            in_control = true;
            control_length = 0;
            continue;
        }
        screen_put(c);
        if (c == '\r' || c == '\b' || c == '\a')
            continue;
        if (seen_length + 2 > seen_capacity) {
            seen_capacity = seen_capacity ? 2 * seen_capacity : 65536;
            seen = realloc(seen, seen_capacity);
            if (!seen)
                abort();
        }
        seen[seen_length++] = c;
    }
    if (seen)
        seen[seen_length] = '\0';
    fflush(stdout);
    return true;
}

static bool expect(int master, const char *text)
{
    long long deadline = now_ms() + EXPECT_TIMEOUT_MS;
    for (;;) {
        if (seen && seen_length > expect_from) {
            char *found = strstr(seen + expect_from, text);
            if (found) {
                expect_from = (size_t)(found - seen) + strlen(text);
                return true;
            }
        }
        long long left = deadline - now_ms();
        if (left <= 0 || !pump(master, (int)(left < 100 ? left : 100)))
            break;
    }
    /* The program ended or took too long: one last look. */
    if (seen && strstr(seen + expect_from, text))
        return true;
    fprintf(stderr, "pty_driver: timed out waiting for '%s'\n", text);
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pty_driver COMMAND [ARGUMENTS] < DIRECTIVES\n");
        return 2;
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        perror("pty_driver: posix_openpt");
        return 2;
    }
    struct winsize size = {.ws_row = 40, .ws_col = 200};
    pid_t child = fork();
    if (child == 0) {
        setsid();
        int slave = open(ptsname(master), O_RDWR);
        if (slave < 0)
            _exit(127);
        ioctl(slave, TIOCSCTTY, 0);
        ioctl(slave, TIOCSWINSZ, &size);
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        if (slave > 2)
            close(slave);
        close(master);
        setenv("TERM", "xterm", 1);
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    char line[8192], text[8192];
    int status = 0;
    bool failed = false;
    while (!failed && fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = '\0';
        size_t length;
        if (strncmp(line, "send ", 5) == 0) {
            pump(master, 0);
            unescape(line + 5, text, &length);
            if (write(master, text, length) != (ssize_t)length)
                failed = true;
        } else if (strncmp(line, "expect ", 7) == 0) {
            unescape(line + 7, text, &length);
            failed = !expect(master, text);
        } else if (strncmp(line, "sleep ", 6) == 0) {
            long long until = now_ms() + atoi(line + 6);
            while (now_ms() < until)
                pump(master, (int)(until - now_ms()));
        } else if (strncmp(line, "run ", 4) == 0) {
            pid_t worker = fork();
            if (worker == 0) {
                execl("/bin/sh", "sh", "-c", line + 4, (char *)NULL);
                _exit(127);
            }
            while (waitpid(worker, NULL, WNOHANG) == 0)
                pump(master, 20);
        } else if (strcmp(line, "close") == 0) {
            char end_of_file = 4;   /* Ctrl-D at the start of a line */
            if (write(master, &end_of_file, 1) != 1)
                failed = true;
        }
    }
    /* The program's last words, then its status. */
    long long deadline = now_ms() + EXPECT_TIMEOUT_MS;
    while (!failed && now_ms() < deadline) {
        bool open = pump(master, 100);
        if (waitpid(child, &status, open ? WNOHANG : 0) == child) {
            while (pump(master, 50))
                ;
            fwrite(screen_line, 1, screen_length, stdout);
            close(master);
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
    }
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    close(master);
    if (!failed)
        fprintf(stderr, "pty_driver: the program did not end\n");
    return 1;
}
