#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t length;
    char data[];
} Buffer;

static Buffer *buffer_from(const char *s) {
    size_t n = strlen(s);
    Buffer *b = malloc(sizeof *b + n + 1);
    b->length = n;
    memcpy(b->data, s, n + 1);
    return b;
}

typedef struct {
    int count;
    double values[];
} Series;

int main(void) {
    Buffer *b = buffer_from("flexible array member");
    printf("%zu: %s\n", b->length, b->data);
    free(b);
    int n = 5;
    Series *s = malloc(sizeof *s + n * sizeof s->values[0]);
    s->count = n;
    for (int i = 0; i < n; i++) s->values[i] = i * 1.5;
    double total = 0;
    for (int i = 0; i < s->count; i++) total += s->values[i];
    printf("total %.2f\n", total);
    free(s);
    int rows = 3, cols = 4;
    int (*grid)[cols] = malloc(sizeof(int[rows][cols]));
    for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) grid[r][c] = r * cols + c;
    printf("grid[2][3] = %d, row size %zu\n", grid[2][3], sizeof grid[0]);
    free(grid);
    return 0;
}
