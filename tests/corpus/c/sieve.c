#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    int limit = 100000;
    char *composite = calloc((size_t)limit + 1, 1);
    int count = 0, last = 0;
    for (int i = 2; i <= limit; i++) {
        if (composite[i]) continue;
        count++;
        last = i;
        for (long long j = (long long)i * i; j <= limit; j += i) composite[j] = 1;
    }
    printf("%d primes below %d, largest %d\n", count, limit, last);
    printf("first: ");
    for (int i = 2, shown = 0; shown < 15; i++) if (!composite[i]) { printf("%d ", i); shown++; }
    printf("\n");
    int twins = 0;
    for (int i = 3; i + 2 <= limit; i += 2) if (!composite[i] && !composite[i + 2]) twins++;
    printf("twin pairs %d\n", twins);
    free(composite);
    return 0;
}
