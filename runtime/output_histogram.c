/* @hist_log and @hist_linear, laid out as SystemTap's
 * _stp_stat_print_histogram_buf (runtime/stat-common.c) lays them out:
 *
 *   value |-------------------------------------------------- count
 *       0 |                                                   0
 *       1 |@                                                  1
 *       2 |@@                                                 2
 *       4 |@                                                  1
 *       8 |                                                   0
 *      16 |                                                   0
 *   <blank line>
 *
 * Rows run from two buckets below the lowest non-empty bucket to two above
 * the highest; a row is left out when it and the two buckets on each side
 * are empty, and a "~" line stands for each run of left-out rows.  The bar
 * is 50 characters wide; when a count exceeds 50, every '@' stands for
 * ceil(largest count / 50).  Log histograms add no negative rows below the
 * 0 bucket unless there is negative data; linear histograms show their
 * underflow and overflow rows ("<low", ">last") only when those hold data.
 *
 * SystemTap never prints an empty histogram: print(@hist_...) of a
 * statistic with no values is the error "empty aggregate" (translate.cxx,
 * visit_print_format), which the caller raises.  Given no data, this prints
 * nothing. */
#include "runtime/output_format.h"

#include "compiler/statistics.h"

enum {
    BAR_WIDTH = 50,         /* HIST_WIDTH */
    ELISION = 2,            /* HIST_ELISION: empty neighbours that hide a row */
    MARGIN = 2,             /* empty rows shown on each side of the data */
    LABEL_WIDTH_MIN = 5,    /* strlen("value") */
};

/* The rows to print, as bucket indexes, and the data that sizes them. */
typedef struct histogram_rows {
    unsigned first;
    unsigned last;
    int64_t largest;        /* the largest count */
    bool underflow;         /* linear: the "<low" row is shown */
    bool overflow;          /* linear: the ">last" row is shown */
} histogram_rows;

/* Characters of a number in decimal, sign included (needed_space). */
static int decimal_width(int64_t value)
{
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    int width = value < 0 ? 1 : 0;
    do {
        width++;
        magnitude /= 10;
    } while (magnitude != 0);
    return width;
}

/* low + steps * step with int64 wrap-around instead of undefined overflow. */
static int64_t linear_point(int64_t low, int64_t steps, int64_t step)
{
    uint64_t sum = (uint64_t)low + (uint64_t)steps * (uint64_t)step;
    return sum > (uint64_t)INT64_MAX ? -(int64_t)(~sum) - 1 : (int64_t)sum;
}

/* The smallest value of a log bucket: 0, 1, 2, 4, ... above the zero
 * bucket and -1, -2, -4, ... below it (_stp_bucket_to_val). */
static int64_t log_bucket_label(unsigned index)
{
    if (index == SYN_LOG_BUCKET_ZERO)
        return 0;
    if (index > SYN_LOG_BUCKET_ZERO)
        return (int64_t)(UINT64_C(1) << (index - SYN_LOG_BUCKET_ZERO - 1));
    if (index == 0)
        return INT64_MIN;
    return -(int64_t)(UINT64_C(1) << (63 - index));
}

/* The value a linear row shows and the mark before it.  The overflow row
 * repeats the last regular bucket's value after '>' as SystemTap does. */
static int64_t linear_bucket_label(const syn_output_histogram *histogram, unsigned count, unsigned index,
                                   const char **prefix)
{
    *prefix = "";
    if (index == 0) {
        *prefix = "<";
        return histogram->low;
    }
    if (index == count - 1) {
        *prefix = ">";
        return linear_point(histogram->low, (int64_t)index - 2, histogram->step);
    }
    return linear_point(histogram->low, (int64_t)index - 1, histogram->step);
}

static int64_t bucket_label(const syn_output_histogram *histogram, unsigned count, unsigned index,
                            const char **prefix)
{
    if (histogram->is_log) {
        *prefix = "";
        return log_bucket_label(index);
    }
    return linear_bucket_label(histogram, count, index, prefix);
}

/* Finds the non-empty buckets; false when there are none. */
static bool find_data(const int64_t *buckets, unsigned count, histogram_rows *rows)
{
    bool found = false;
    rows->first = rows->last = 0;
    rows->largest = 0;
    for (unsigned i = 0; i < count; i++) {
        if (buckets[i] > 0) {
            if (!found)
                rows->first = i;
            rows->last = i;
            found = true;
        }
        if (buckets[i] > rows->largest)
            rows->largest = buckets[i];
    }
    return found;
}

/* Adds the empty margin rows, then drops empty underflow and overflow rows
 * of linear histograms, which only matter when something fell there. */
static void add_margins(const syn_output_histogram *histogram, unsigned count, histogram_rows *rows)
{
    for (int i = 0; i < MARGIN; i++) {
        /* A log histogram of non-negative data shows no negative rows. */
        bool may_lower = histogram->is_log ? rows->first != SYN_LOG_BUCKET_ZERO : true;
        if (may_lower && rows->first > 0)
            rows->first--;
        if (rows->last < count - 1)
            rows->last++;
    }
    rows->underflow = rows->overflow = false;
    if (histogram->is_log)
        return;
    if (rows->first == 0 && histogram->buckets[0] == 0)
        rows->first++;
    if (rows->last == count - 1 && histogram->buckets[rows->last] == 0)
        rows->last--;
    rows->underflow = rows->first == 0;
    rows->overflow = rows->last == count - 1;
}

/* The width of the value column.  For linear histograms SystemTap sizes it
 * from low and from low + step * (last row index), one step past the last
 * row's own value, which can make the column one character wider; that is
 * kept so that the output matches. */
static int label_column_width(const syn_output_histogram *histogram, const histogram_rows *rows)
{
    int width;
    if (histogram->is_log) {
        int lowest = decimal_width(log_bucket_label(rows->first));
        int highest = decimal_width(log_bucket_label(rows->last));
        width = lowest > highest ? lowest : highest;
    } else {
        int lowest = decimal_width(histogram->low) + rows->underflow;
        int highest = decimal_width(linear_point(histogram->low, rows->last, histogram->step)) + rows->overflow;
        width = lowest > highest ? lowest : highest;
    }
    return width > LABEL_WIDTH_MIN ? width : LABEL_WIDTH_MIN;
}

/* How many counts one '@' stands for, so that the longest bar fits. */
static int64_t bar_scale(int64_t largest)
{
    if (largest <= BAR_WIDTH)
        return 1;
    return largest / BAR_WIDTH + (largest % BAR_WIDTH != 0);
}

/* A row is left out when it and its neighbours within ELISION rows (inside
 * the printed range) are all empty. */
static bool row_is_elided(const int64_t *buckets, const histogram_rows *rows, unsigned index)
{
    unsigned from = index >= rows->first + ELISION ? index - ELISION : rows->first;
    unsigned to = index + ELISION <= rows->last ? index + ELISION : rows->last;
    for (unsigned k = from; k <= to; k++) {
        if (buckets[k] != 0)
            return false;
    }
    return true;
}

static void append_header(syn_buffer *out, int label_width)
{
    syn_buffer_printf(out, "%*s |", label_width, "value");
    syn_buffer_append_repeated(out, '-', BAR_WIDTH);
    syn_buffer_append_string(out, " count\n");
}

static void append_row(syn_buffer *out, const syn_output_histogram *histogram, unsigned count, unsigned index,
                       int label_width, int count_width, int64_t scale)
{
    const char *prefix;
    int64_t label = bucket_label(histogram, count, index, &prefix);
    syn_buffer_printf(out, "%*s%lld |", label_width - decimal_width(label), prefix, (long long)label);
    int64_t value = histogram->buckets[index];
    int64_t bar = value > 0 ? value / scale : 0;
    syn_buffer_append_repeated(out, '@', (size_t)bar);
    syn_buffer_printf(out, "%*lld\n", (int)(BAR_WIDTH - bar + 1 + count_width), (long long)value);
}

void syn_output_print_histogram(syn_buffer *out, const syn_output_histogram *histogram)
{
    if (!out || !histogram || !histogram->buckets)
        return;
    unsigned count = histogram->bucket_count;
    /* Log bucket labels exist for SYN_LOG_BUCKETS buckets only. */
    if (histogram->is_log && count > SYN_LOG_BUCKETS)
        count = SYN_LOG_BUCKETS;
    histogram_rows rows;
    if (count == 0 || !find_data(histogram->buckets, count, &rows))
        return;
    add_margins(histogram, count, &rows);

    int64_t scale = bar_scale(rows.largest);
    int count_width = decimal_width(rows.largest);
    int label_width = label_column_width(histogram, &rows);

    append_header(out, label_width);
    bool eliding = false;
    for (unsigned i = rows.first; i <= rows.last; i++) {
        if (row_is_elided(histogram->buckets, &rows, i)) {
            eliding = true;
            continue;
        }
        if (eliding) {
            syn_buffer_printf(out, "%*s ~\n", label_width, "");
            eliding = false;
        }
        append_row(out, histogram, count, i, label_width, count_width, scale);
    }
    syn_buffer_append_char(out, '\n');
}
