#include <stdio.h>
#include <stdlib.h>

typedef struct {
    int *items;
    size_t size, capacity;
} Vec;

static void vec_push(Vec *v, int x) {
    if (v->size == v->capacity) {
        size_t cap = v->capacity ? v->capacity * 2 : 4;
        int *grown = realloc(v->items, cap * sizeof *grown);
        if (!grown) exit(1);
        v->items = grown;
        v->capacity = cap;
        printf("grew to %zu\n", cap);
    }
    v->items[v->size++] = x;
}

static int vec_pop(Vec *v) { return v->items[--v->size]; }

int main(void) {
    Vec v = {0};
    for (int i = 0; i < 20; i++) vec_push(&v, i * 3);
    printf("size %zu cap %zu last %d\n", v.size, v.capacity, v.items[v.size - 1]);
    int popped = vec_pop(&v) + vec_pop(&v);
    printf("popped sum %d, size %zu\n", popped, v.size);
    long sum = 0;
    for (size_t i = 0; i < v.size; i++) sum += v.items[i];
    printf("sum %ld\n", sum);
    free(v.items);
    int *zeros = calloc(10, sizeof *zeros);
    int all_zero = 1;
    for (int i = 0; i < 10; i++) all_zero &= zeros[i] == 0;
    printf("calloc zeroed: %d\n", all_zero);
    free(zeros);
    char *big = malloc(1 << 20);
    printf("1 MiB: %s\n", big ? "ok" : "failed");
    free(big);
    return 0;
}
