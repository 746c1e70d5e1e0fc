#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_LINES 100

int main(void) {
    static char lines[MAX_LINES][256];
    int n = 0;
    while (n < MAX_LINES && fgets(lines[n], sizeof lines[n], stdin)) {
        lines[n][strcspn(lines[n], "\n")] = '\0';
        n++;
    }
    printf("%d lines\n", n);
    for (int i = n - 1; i >= 0; i--) {
        int letters = 0, digits = 0, spaces = 0;
        for (const char *p = lines[i]; *p; p++) {
            if (isalpha((unsigned char)*p)) letters++;
            else if (isdigit((unsigned char)*p)) digits++;
            else if (isspace((unsigned char)*p)) spaces++;
        }
        printf("%2d: %-20s letters=%d digits=%d spaces=%d\n", i + 1, lines[i], letters, digits, spaces);
    }
    return 0;
}
