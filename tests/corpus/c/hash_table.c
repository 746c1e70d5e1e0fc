#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 16

typedef struct Entry {
    char *key;
    int value;
    struct Entry *next;
} Entry;

static unsigned hash(const char *s) {
    unsigned h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h % BUCKETS;
}

static void put(Entry **table, const char *key, int value) {
    unsigned h = hash(key);
    for (Entry *e = table[h]; e; e = e->next)
        if (strcmp(e->key, key) == 0) { e->value = value; return; }
    Entry *e = malloc(sizeof *e);
    e->key = malloc(strlen(key) + 1);
    strcpy(e->key, key);
    e->value = value;
    e->next = table[h];
    table[h] = e;
}

static int *get(Entry **table, const char *key) {
    for (Entry *e = table[hash(key)]; e; e = e->next)
        if (strcmp(e->key, key) == 0) return &e->value;
    return NULL;
}

int main(void) {
    Entry *table[BUCKETS] = {0};
    const char *text[] = {"the", "cat", "and", "the", "hat", "and", "the", "bat"};
    for (int i = 0; i < 8; i++) {
        int *v = get(table, text[i]);
        put(table, text[i], v ? *v + 1 : 1);
    }
    const char *probe[] = {"the", "and", "cat", "dog"};
    for (int i = 0; i < 4; i++) {
        int *v = get(table, probe[i]);
        printf("%s: %d\n", probe[i], v ? *v : 0);
    }
    int entries = 0;
    for (int b = 0; b < BUCKETS; b++) {
        for (Entry *e = table[b], *next; e; e = next) {
            next = e->next;
            entries++;
            free(e->key);
            free(e);
        }
    }
    printf("%d distinct words\n", entries);
    return 0;
}
