#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    const char *inputs[] = {"42", "-17xyz", "0x1F", "  +8", "abc", "99999999999999999999"};
    for (int i = 0; i < 6; i++) {
        char *end;
        errno = 0;
        long long v = strtoll(inputs[i], &end, 0);
        printf("'%s' -> %lld, rest '%s'%s%s\n", inputs[i], v, end, end == inputs[i] ? " (no digits)" : "",
               errno == ERANGE ? " (out of range)" : "");
    }
    printf("%d %d %ld\n", atoi("123"), atoi("12.7"), atol("-5"));
    char *end;
    double d = strtod("3.5e2 rest", &end);
    printf("%.1f '%s'\n", d, end);
    printf("%lu\n", strtoul("ff", NULL, 16));
    printf("%lld\n", strtoll("-9223372036854775807", NULL, 10));
    int a, b;
    char word[16];
    int got = sscanf("10 20 thirty", "%d %d %15s", &a, &b, word);
    printf("sscanf %d: %d %d %s\n", got, a, b, word);
    printf("INT_MAX %d INT_MIN %d\n", INT_MAX, INT_MIN);
    return 0;
}
