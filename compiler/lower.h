/* Lowering: the checked program to IR.  Globals get their storage (the
 * scalar region, hash maps, per-CPU statistics), print statements become
 * output events, each probe's body becomes an IR function; user functions
 * are inlined into kernel probes and called from userspace ones. */
#ifndef SYN_COMPILER_LOWER_H
#define SYN_COMPILER_LOWER_H

#include "compiler/ir.h"
#include "compiler/semantic.h"

struct btf;

typedef struct syn_lower_options {
    uint32_t max_string_length;    /* -D MAXSTRINGLEN, SystemTap's 512 by default */
    uint32_t max_map_entries;      /* -D MAXMAPENTRIES, 2048 by default */
    /* The kernel's types, for $x->field and @cast: asked for only when a
     * script reads the kernel through them, since loading them is most of
     * the start-up time of a script that does not.  NULL when there are none. */
    struct btf *(*btf)(void *context);
    void *btf_context;
    /* A script that grows while it runs (syn_update): statistics no
     * histogram reads get log-histogram buckets anyway, so that one read
     * later finds the values the probes kept (a layout change would start
     * the statistic anew). */
    bool growing;
} syn_lower_options;

/* NULL when a located error was reported (a construct a kernel probe cannot
 * run, an unknown struct member, ...). */
syn_ir_program *syn_lower(const syn_semantic_program *checked, const syn_lower_options *options,
                          syn_diagnostics *diagnostics);

#endif
