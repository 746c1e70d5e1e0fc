#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **split(const char *text, const char *delims, int *count) {
    char *copy = strdup(text);
    char **parts = NULL;
    *count = 0;
    for (char *save = NULL, *tok = strtok_r(copy, delims, &save); tok; tok = strtok_r(NULL, delims, &save)) {
        parts = realloc(parts, (size_t)(*count + 1) * sizeof *parts);
        parts[(*count)++] = strdup(tok);
    }
    free(copy);
    return parts;
}

int main(void) {
    int n;
    char **parts = split("usr/local//lib/runno", "/", &n);
    for (int i = 0; i < n; i++) printf("%d:%s\n", i, parts[i]);
    char joined[64] = "";
    for (int i = n - 1; i >= 0; i--) {
        strcat(joined, parts[i]);
        if (i) strcat(joined, ".");
        free(parts[i]);
    }
    free(parts);
    printf("%s\n", joined);
    char *prefix = strndup("abcdefgh", 3);
    printf("%s %zu\n", prefix, strlen(prefix));
    free(prefix);
    return 0;
}
