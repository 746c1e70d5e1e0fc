#include <stdio.h>
#include <string.h>

int main(void) {
    char name[32];
    int score;
    int count = 0, best = -1;
    char best_name[32] = "";
    int histogram[5] = {0};
    while (scanf("%31s %d", name, &score) == 2) {
        count++;
        if (score > best) { best = score; strcpy(best_name, name); }
        int bucket = score >= 90 ? 0 : score >= 80 ? 1 : score >= 70 ? 2 : score >= 60 ? 3 : 4;
        histogram[bucket]++;
    }
    const char *letters = "ABCDF";
    for (int i = 0; i < 5; i++) {
        printf("%c: ", letters[i]);
        for (int j = 0; j < histogram[i]; j++) putchar('#');
        printf(" (%d)\n", histogram[i]);
    }
    printf("%d students, best %s with %d\n", count, best_name, best);
    return 0;
}
