#include <stdio.h>

int main(void) {
    long long sum = 0;
    int count = 0, min = 0, max = 0, x;
    while (scanf("%d", &x) == 1) {
        if (count == 0 || x < min) min = x;
        if (count == 0 || x > max) max = x;
        sum += x;
        count++;
    }
    if (count == 0) {
        printf("no numbers\n");
        return 0;
    }
    printf("count %d sum %lld min %d max %d mean %.3f\n", count, sum, min, max, (double)sum / count);
    return 0;
}
