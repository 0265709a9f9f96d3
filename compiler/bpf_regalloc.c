#include "compiler/bpf_regalloc.h"

#include <stdlib.h>
#include <string.h>

#include "util/memory.h"

typedef struct interval {
    uint32_t reg;
    uint32_t start;
    uint32_t end;
    bool used;
} interval;

static void successors(const syn_ir_block *block, uint32_t *targets, uint32_t *count)
{
    *count = 0;
    for (uint32_t i = 0; i < block->count; i++) {
        const syn_ir_instruction *instruction = &block->instructions[i];
        if (instruction->fault_message != SYN_IR_NO_REGISTER)
            targets[(*count)++] = instruction->fault_block;
    }
    if (!block->count)
        return;
    const syn_ir_instruction *last = &block->instructions[block->count - 1];
    if (last->opcode == SYN_IR_JUMP) {
        targets[(*count)++] = last->target_true;
    } else if (last->opcode == SYN_IR_BRANCH || last->opcode == SYN_IR_ITERATE_NEXT) {
        targets[(*count)++] = last->target_true;
        targets[(*count)++] = last->target_false;
    }
}

/* Blocks are laid out in reverse postorder, leaving out those nothing
 * reaches (the verifier rejects unreachable code).  In that order only a
 * loop's edge goes back to an earlier block, which widen_over_loops relies
 * on: a join block created before the branches that reach it still comes
 * after them. */
static void find_reachable(const syn_ir_function *function, syn_bpf_allocation *allocation)
{
    uint32_t blocks = function->block_count + 1;
    allocation->reachable = syn_calloc(blocks, sizeof(bool));
    uint32_t **targets = syn_calloc(blocks, sizeof(uint32_t *));
    uint32_t *target_count = syn_calloc(blocks, sizeof(uint32_t));
    uint32_t *stack = syn_malloc(blocks * sizeof(uint32_t));
    uint32_t *next_target = syn_calloc(blocks, sizeof(uint32_t));
    uint32_t *postorder = syn_malloc(blocks * sizeof(uint32_t));
    uint32_t depth = 0, finished = 0;
    stack[depth++] = 0;
    allocation->reachable[0] = true;
    while (depth) {
        uint32_t b = stack[depth - 1];
        if (!targets[b]) {
            const syn_ir_block *block = &function->blocks[b];
            targets[b] = syn_malloc((block->count + 3) * sizeof(uint32_t));
            successors(block, targets[b], &target_count[b]);
        }
        if (next_target[b] < target_count[b]) {
            uint32_t target = targets[b][next_target[b]++];
            if (!allocation->reachable[target]) {
                allocation->reachable[target] = true;
                stack[depth++] = target;
            }
            continue;
        }
        postorder[finished++] = b;
        depth--;
    }
    allocation->block_order = syn_malloc(blocks * sizeof(uint32_t));
    for (uint32_t i = 0; i < finished; i++)
        allocation->block_order[allocation->block_count++] = postorder[finished - 1 - i];
    for (uint32_t b = 0; b < function->block_count; b++)
        free(targets[b]);
    free(targets);
    free(target_count);
    free(stack);
    free(next_target);
    free(postorder);
}

static void touch(interval *intervals, syn_ir_register reg, uint32_t position)
{
    if (reg == SYN_IR_NO_REGISTER)
        return;
    interval *it = &intervals[reg];
    if (!it->used) {
        it->used = true;
        it->start = it->end = position;
        return;
    }
    if (position < it->start)
        it->start = position;
    if (position > it->end)
        it->end = position;
}

/* A value live anywhere in a loop stays live for all of it: the next
 * iteration may read it before writing it. */
static void widen_over_loops(const syn_ir_function *function, const syn_bpf_allocation *allocation,
                             const uint32_t *block_start, interval *intervals)
{
    bool changed = true;
    while (changed) {
        changed = false;
        uint32_t position = 0;
        for (uint32_t o = 0; o < allocation->block_count; o++) {
            const syn_ir_block *block = &function->blocks[allocation->block_order[o]];
            position += block->count;
            uint32_t *targets = syn_malloc((block->count + 3) * sizeof(uint32_t));
            uint32_t count;
            successors(block, targets, &count);
            for (uint32_t t = 0; t < count; t++) {
                uint32_t start = block_start[targets[t]];
                uint32_t end = position;
                if (start >= end)
                    continue;
                for (uint32_t r = 0; r < function->register_count; r++) {
                    interval *it = &intervals[r];
                    if (!it->used || it->end < start || it->start > end)
                        continue;
                    if (it->start > start || it->end < end) {
                        if (it->start > start)
                            it->start = start;
                        if (it->end < end)
                            it->end = end;
                        changed = true;
                    }
                }
            }
            free(targets);
        }
    }
}

static int compare_starts(const void *left, const void *right)
{
    const interval *a = *(const interval *const *)left, *b = *(const interval *const *)right;
    return (a->start > b->start) - (a->start < b->start);
}

static void collect_intervals(const syn_ir_function *function, syn_bpf_allocation *allocation, interval *intervals)
{
    uint32_t *block_start = syn_calloc(function->block_count + 1, sizeof(uint32_t));
    uint32_t position = 0;
    for (uint32_t o = 0; o < allocation->block_count; o++) {
        uint32_t b = allocation->block_order[o];
        block_start[b] = position;
        const syn_ir_block *block = &function->blocks[b];
        for (uint32_t i = 0; i < block->count; i++, position++) {
            const syn_ir_instruction *instruction = &block->instructions[i];
            touch(intervals, instruction->dest, position);
            touch(intervals, instruction->a, position);
            touch(intervals, instruction->b, position);
            touch(intervals, instruction->fault_message, position);
            for (uint32_t k = 0; k < instruction->argument_count; k++)
                touch(intervals, instruction->arguments[k], position);
        }
    }
    widen_over_loops(function, allocation, block_start, intervals);
    free(block_start);
}

/* Linear scan: each interval takes a free place, or the one of the active
 * interval ending last is given up (spilled) when none is free. */
static void scan(const syn_ir_function *function, interval *intervals, syn_ir_register_kind kind,
                 const int *available, int available_count, syn_bpf_allocation *allocation,
                 uint32_t stack_base, uint32_t scratch_base, uint32_t slot_size)
{
    interval **sorted = syn_malloc((function->register_count + 1) * sizeof(interval *));
    uint32_t count = 0;
    for (uint32_t r = 0; r < function->register_count; r++) {
        if (intervals[r].used && function->registers[r] == kind)
            sorted[count++] = &intervals[r];
    }
    qsort(sorted, count, sizeof(*sorted), compare_starts);
    interval **active = syn_malloc((count + 1) * sizeof(interval *));
    uint32_t active_count = 0;
    /* Places: BPF registers for longs; for strings, scratch slots without limit. */
    uint32_t place_capacity = kind == SYN_IR_LONG ? (uint32_t)available_count : count;
    int32_t *place_of = syn_malloc((function->register_count + 1) * sizeof(int32_t));
    bool *place_busy = syn_calloc(place_capacity + 1, sizeof(bool));
    /* Spilled intervals give their stack slot back when they end. */
    interval **spilled = syn_malloc((count + 1) * sizeof(interval *));
    uint32_t spilled_count = 0;
    uint32_t *free_slots = syn_malloc((count + 1) * sizeof(uint32_t));
    uint32_t free_count = 0;
    uint32_t *slot_of = syn_calloc(function->register_count + 1, sizeof(uint32_t));
    uint32_t *slot_free_after = syn_calloc(count + 2, sizeof(uint32_t));
    uint32_t spill_slots = 0;
    uint32_t slots_used = 0;
    for (uint32_t i = 0; i < count; i++) {
        interval *current = sorted[i];
        /* Expire intervals that ended. */
        for (uint32_t a = 0; a < active_count;) {
            if (active[a]->end < current->start) {
                place_busy[place_of[active[a]->reg]] = false;
                active[a] = active[--active_count];
            } else {
                a++;
            }
        }
        for (uint32_t a = 0; a < spilled_count;) {
            if (spilled[a]->end < current->start) {
                free_slots[free_count++] = slot_of[spilled[a]->reg];
                slot_free_after[slot_of[spilled[a]->reg]] = spilled[a]->end;
                spilled[a] = spilled[--spilled_count];
            } else {
                a++;
            }
        }
        int32_t place = -1;
        for (uint32_t p = 0; p < place_capacity; p++) {
            if (!place_busy[p]) {
                place = (int32_t)p;
                break;
            }
        }
        if (place < 0 && kind == SYN_IR_LONG) {
            uint32_t furthest = 0;
            for (uint32_t a = 1; a < active_count; a++) {
                if (active[a]->end > active[furthest]->end)
                    furthest = a;
            }
            interval *victim = active_count ? active[furthest] : NULL;
            interval *spill = victim && victim->end > current->end ? victim : current;
            /* The slot is the value's home for its whole interval, which for a
             * victim began before the current one: a freed slot serves only if
             * its last owner ended before that. */
            uint32_t slot = 0;
            for (uint32_t f = 0; f < free_count && !slot; f++) {
                if (slot_free_after[free_slots[f]] < spill->start) {
                    slot = free_slots[f];
                    free_slots[f] = free_slots[--free_count];
                }
            }
            if (!slot)
                slot = ++spill_slots;
            slot_of[spill->reg] = slot;
            spilled[spilled_count++] = spill;
            allocation->physical[spill->reg] = -1;
            allocation->stack_offset[spill->reg] = (int16_t)-(int32_t)(stack_base + 8 * slot);
            if (spill == current)
                continue;
            place = place_of[victim->reg];
            active[furthest] = active[--active_count];
        }
        place_of[current->reg] = place;
        place_busy[place] = true;
        active[active_count++] = current;
        if (kind == SYN_IR_LONG) {
            allocation->physical[current->reg] = (int8_t)available[place];
        } else {
            allocation->scratch_offset[current->reg] = scratch_base + (uint32_t)place * slot_size;
            if ((uint32_t)place + 1 > slots_used)
                slots_used = (uint32_t)place + 1;
        }
    }
    if (kind == SYN_IR_LONG)
        allocation->stack_bytes = 8 * spill_slots;
    else
        allocation->scratch_bytes = slots_used * slot_size;
    free(sorted);
    free(active);
    free(place_of);
    free(place_busy);
    free(spilled);
    free(free_slots);
    free(slot_of);
    free(slot_free_after);
}

void syn_bpf_allocate(const syn_ir_function *function, const int *available, int available_count,
                      uint32_t stack_base, uint32_t scratch_base, uint32_t slot_size,
                      syn_bpf_allocation *allocation)
{
    memset(allocation, 0, sizeof(*allocation));
    uint32_t registers = function->register_count + 1;
    allocation->physical = syn_malloc(registers * sizeof(int8_t));
    memset(allocation->physical, -1, registers * sizeof(int8_t));
    allocation->stack_offset = syn_calloc(registers, sizeof(int16_t));
    allocation->scratch_offset = syn_calloc(registers, sizeof(uint32_t));
    find_reachable(function, allocation);
    interval *intervals = syn_calloc(registers, sizeof(interval));
    for (uint32_t r = 0; r < function->register_count; r++)
        intervals[r].reg = r;
    collect_intervals(function, allocation, intervals);
    scan(function, intervals, SYN_IR_LONG, available, available_count, allocation, stack_base, scratch_base,
         slot_size);
    scan(function, intervals, SYN_IR_STRING, available, available_count, allocation, stack_base, scratch_base,
         slot_size);
    free(intervals);
}

void syn_bpf_allocation_release(syn_bpf_allocation *allocation)
{
    free(allocation->physical);
    free(allocation->stack_offset);
    free(allocation->scratch_offset);
    free(allocation->block_order);
    free(allocation->reachable);
    memset(allocation, 0, sizeof(*allocation));
}
