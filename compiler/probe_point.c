#include "compiler/probe_point.h"

#include <string.h>

void syn_point_list_append(syn_arena *arena, syn_point_list *list, syn_point *point)
{
    if (list->count == list->capacity) {
        uint32_t capacity = list->capacity ? list->capacity * 2 : 4;
        syn_point **items = syn_arena_alloc(arena, capacity * sizeof(*items));
        if (list->count)
            memcpy(items, list->items, list->count * sizeof(*items));
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = point;
}

const syn_target_variable *syn_point_variable(const syn_point *point, const char *name)
{
    for (uint32_t i = 0; i < point->variable_count; i++) {
        if (strcmp(point->variables[i].name, name) == 0)
            return &point->variables[i];
    }
    return NULL;
}
