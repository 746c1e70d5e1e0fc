#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_string(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_length_desc(const void *a, const void *b) {
    size_t la = strlen(*(const char *const *)a), lb = strlen(*(const char *const *)b);
    if (la != lb) return la < lb ? 1 : -1;
    return by_string(a, b);
}

static int by_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void) {
    const char *words[] = {"pear", "apple", "fig", "banana", "kiwi", "cherry"};
    size_t n = sizeof words / sizeof words[0];
    qsort(words, n, sizeof words[0], by_string);
    for (size_t i = 0; i < n; i++) printf("%s ", words[i]);
    printf("\n");
    qsort(words, n, sizeof words[0], by_length_desc);
    for (size_t i = 0; i < n; i++) printf("%s ", words[i]);
    printf("\n");
    int nums[] = {42, -7, 19, 0, 3, -100, 56};
    qsort(nums, 7, sizeof nums[0], by_int);
    for (int i = 0; i < 7; i++) printf("%d ", nums[i]);
    printf("\n");
    int key = 19;
    int *found = bsearch(&key, nums, 7, sizeof nums[0], by_int);
    printf("19 at index %d\n", found ? (int)(found - nums) : -1);
    return 0;
}
