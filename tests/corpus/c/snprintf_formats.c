#include <stdio.h>

int main(void) {
    printf("[%-10s][%10s][%.3s]\n", "left", "right", "truncate");
    printf("[%5d][%-5d][%05d][%+d][% d]\n", 42, 42, 42, 42, 42);
    printf("[%x][%X][%#x][%o][%#o]\n", 255, 255, 255, 8, 8);
    printf("[%8.3f][%-8.2f][%e][%.2E][%g][%g]\n", 3.14159, 2.5, 12345.678, 0.000123, 0.0001, 1e10);
    printf("[%c][%%][%5.1f%%]\n", 'A', 99.5);
    printf("[%*d][%-*d][%.*f]\n", 6, 7, 6, 7, 2, 1.23456);
    char buf[16];
    int needed = snprintf(buf, sizeof buf, "%s-%d-%s", "truncated", 12345, "output");
    printf("%s (needed %d)\n", buf, needed);
    long long big = 9007199254740993LL;
    unsigned long long ubig = 18446744073709551615ULL;
    printf("%lld %llu\n", big, ubig);
    printf("%hhd %hd\n", (signed char)200, (short)70000);
    int n1, n2;
    printf("abc%n-defgh%n\n", &n1, &n2);
    printf("%d %d\n", n1, n2);
    return 0;
}
