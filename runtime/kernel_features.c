#include "runtime/kernel_features.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/kernel.h"

static const char *const feature_names[SYN_FEATURE_COUNT] = {"kprobes", "fentry", "uprobes", "kprobe_pmu",
                                                              "uprobe_pmu", "tcx", "tc"};

const char *syn_kernel_feature_name(syn_kernel_feature feature)
{
    return feature < SYN_FEATURE_COUNT ? feature_names[feature] : "?";
}

static bool parse_switch(const char *text, size_t length, bool *value)
{
    static const char *const yes[] = {"1", "yes", "on", "y"}, *const no[] = {"0", "no", "off", "n"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strlen(yes[i]) == length && strncmp(text, yes[i], length) == 0) {
            *value = true;
            return true;
        }
        if (strlen(no[i]) == length && strncmp(text, no[i], length) == 0) {
            *value = false;
            return true;
        }
    }
    return false;
}

bool syn_kernel_features_force(syn_kernel_features *features, const char *spec, char *error, size_t error_size)
{
    syn_kernel_features parsed = *features;
    for (const char *item = spec; *item;) {
        size_t length = strcspn(item, ",");
        const char *equals = memchr(item, '=', length);
        bool value = false;
        syn_kernel_feature found = SYN_FEATURE_COUNT;
        if (equals) {
            for (int f = 0; f < SYN_FEATURE_COUNT; f++) {
                if (strlen(feature_names[f]) == (size_t)(equals - item) &&
                    strncmp(item, feature_names[f], (size_t)(equals - item)) == 0)
                    found = (syn_kernel_feature)f;
            }
        }
        if (found == SYN_FEATURE_COUNT || !parse_switch(equals + 1, length - (size_t)(equals + 1 - item), &value)) {
            snprintf(error, error_size,
                     "'%.*s' is not FEATURE=yes|no with FEATURE one of kprobes, fentry, uprobes, kprobe_pmu, "
                     "uprobe_pmu, tcx",
                     (int)length, item);
            return false;
        }
        parsed.state[found] = value ? SYN_FEATURE_PRESENT : SYN_FEATURE_ABSENT;
        parsed.forced[found] = true;
        item += length;
        if (*item == ',')
            item++;
    }
    *features = parsed;
    return true;
}

/* /sys/bus/event_source/devices/NAME/type and format/retprobe ("config:0"). */
static syn_probe_pmu read_pmu(const char *name)
{
    syn_probe_pmu pmu = {.type = -1, .return_bit = 0};
    char path[128];
    snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", name);
    FILE *file = fopen(path, "re");
    if (!file)
        return pmu;
    if (fscanf(file, "%d", &pmu.type) != 1)
        pmu.type = -1;
    fclose(file);
    snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/format/retprobe", name);
    file = fopen(path, "re");
    if (file) {
        if (fscanf(file, "config:%d", &pmu.return_bit) != 1)
            pmu.return_bit = 0;
        fclose(file);
    }
    return pmu;
}

const syn_probe_pmu *syn_kernel_probe_pmu(syn_kernel *kernel, bool uprobe)
{
    syn_kernel_features *features = &kernel->features;
    if (!features->pmus_read) {
        features->kprobe_pmu = read_pmu("kprobe");
        features->uprobe_pmu = read_pmu("uprobe");
        features->pmus_read = true;
    }
    /* A PMU forced away leaves tracefs, as on a kernel without it. */
    static const syn_probe_pmu none = {.type = -1, .return_bit = 0};
    syn_kernel_feature feature = uprobe ? SYN_FEATURE_UPROBE_PMU : SYN_FEATURE_KPROBE_PMU;
    if (features->forced[feature] && features->state[feature] == SYN_FEATURE_ABSENT)
        return &none;
    return uprobe ? &features->uprobe_pmu : &features->kprobe_pmu;
}

static bool tracefs_has(syn_kernel *kernel, const char *file)
{
    const char *tracefs = syn_kernel_tracefs(kernel);
    if (!tracefs)
        return false;
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", tracefs, file);
    return access(path, W_OK) == 0;
}

/* Trampolines exist when the verifier takes an fentry program: one that
 * only returns, on a function the kernel has for testing BPF, else on any
 * function of its BTF. */
static bool fentry_loads(syn_kernel *kernel)
{
    struct btf *btf = syn_kernel_btf(kernel);
    if (!btf)
        return false;
    int id = btf__find_by_name_kind(btf, "bpf_fentry_test1", BTF_KIND_FUNC);
    if (id < 0)
        id = btf__find_by_name_kind(btf, "do_nanosleep", BTF_KIND_FUNC);
    if (id < 0)
        return false;
    struct bpf_insn program[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
        {.code = BPF_JMP | BPF_EXIT},
    };
    LIBBPF_OPTS(bpf_prog_load_opts, options, .expected_attach_type = BPF_TRACE_FENTRY, .attach_btf_id = (__u32)id);
    int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "syn_fentry_test", "GPL", program, 2, &options);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static bool detect(syn_kernel *kernel, syn_kernel_feature feature)
{
    switch (feature) {
    case SYN_FEATURE_KPROBES:
        return syn_kernel_probe_pmu(kernel, false)->type >= 0 || tracefs_has(kernel, "kprobe_events");
    case SYN_FEATURE_UPROBES:
        return syn_kernel_probe_pmu(kernel, true)->type >= 0 || tracefs_has(kernel, "uprobe_events");
    case SYN_FEATURE_FENTRY:
        return fentry_loads(kernel);
    case SYN_FEATURE_KPROBE_PMU:
        return syn_kernel_probe_pmu(kernel, false)->type >= 0;
    case SYN_FEATURE_UPROBE_PMU:
        return syn_kernel_probe_pmu(kernel, true)->type >= 0;
    case SYN_FEATURE_TCX: {
        /* Found out without attaching anything: the kernel's types say. */
        struct btf *btf = syn_kernel_btf(kernel);
        return btf && btf__find_by_name_kind(btf, "tcx_entry", BTF_KIND_STRUCT) > 0;
    }
    case SYN_FEATURE_TC: {
        /* The classifier core (CONFIG_NET_CLS); cls_bpf itself may be a module. */
        struct btf *btf = syn_kernel_btf(kernel);
        return btf && btf__find_by_name_kind(btf, "tcf_classify", BTF_KIND_FUNC) > 0;
    }
    default:
        return false;
    }
}

bool syn_kernel_has(syn_kernel *kernel, syn_kernel_feature feature)
{
    syn_feature_state *state = &kernel->features.state[feature];
    if (*state == SYN_FEATURE_UNKNOWN)
        *state = detect(kernel, feature) ? SYN_FEATURE_PRESENT : SYN_FEATURE_ABSENT;
    return *state == SYN_FEATURE_PRESENT;
}
