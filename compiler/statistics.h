/* How a statistic is stored, shared by the BPF code generator (which adds
 * values in the kernel), the interpreter and the output stage (which combine
 * the per-CPU copies and print them).
 *
 * A statistic is a per-CPU record of int64 words:
 *   [0] count  [1] sum  [2] min  [3] max  [4] sum of squares (for @variance)
 *   [5...] histogram buckets, when the script reads a histogram.
 * Log histograms have 128 buckets: SYN_LOG_BUCKET_ZERO holds 0, the buckets
 * above it hold 1, 2-3, 4-7, ... (bucket ZERO + 1 + floor(log2(v))) and the
 * buckets below hold -1, -2..-3, ... (bucket ZERO - 1 - floor(log2(-v))).
 * Linear histograms follow SystemTap: (high - low) / step + 3 buckets, an
 * underflow bucket (index 0, v < low), bucket (v - low) / step + 1 for the
 * others, and the last bucket for everything from there on (so `high`
 * itself still has a row of its own when step divides high - low). */
#ifndef SYN_COMPILER_STATISTICS_H
#define SYN_COMPILER_STATISTICS_H

#include <stdint.h>

enum {
    SYN_STAT_WORD_COUNT = 0,
    SYN_STAT_WORD_SUM = 1,
    SYN_STAT_WORD_MIN = 2,
    SYN_STAT_WORD_MAX = 3,
    SYN_STAT_WORD_SUM_SQUARES = 4,
    SYN_STAT_WORD_BUCKETS = 5,
    SYN_LOG_BUCKETS = 128,
    SYN_LOG_BUCKET_ZERO = 64,
};

/* The bucket a value falls in, for both back ends and the tests. */
static inline uint32_t syn_log_bucket(int64_t value)
{
    if (value == 0)
        return SYN_LOG_BUCKET_ZERO;
    uint64_t magnitude = value > 0 ? (uint64_t)value : (uint64_t)0 - (uint64_t)value;
    uint32_t log2 = 0;
    while (magnitude >>= 1)
        log2++;
    return value > 0 ? SYN_LOG_BUCKET_ZERO + 1 + log2 : SYN_LOG_BUCKET_ZERO - 1 - log2;
}

static inline uint32_t syn_linear_bucket_count(int64_t low, int64_t high, int64_t step)
{
    return (uint32_t)((high - low) / step) + 3;
}

static inline uint32_t syn_linear_bucket(int64_t value, int64_t low, int64_t high, int64_t step)
{
    uint32_t last = syn_linear_bucket_count(low, high, step) - 1;
    if (value < low)
        return 0;
    uint64_t index = (uint64_t)(value - low) / (uint64_t)step + 1;
    return index >= last ? last : (uint32_t)index;
}

#endif
