#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

static bool is_prime(uint64_t n) {
    if (n < 2) return false;
    for (uint64_t d = 2; d * d <= n; d++)
        if (n % d == 0) return false;
    return true;
}

int main(void) {
    int64_t big = INT64_MAX;
    uint64_t ubig = UINT64_MAX;
    printf("%" PRId64 " %" PRIu64 "\n", big, ubig);
    printf("%" PRIx32 " %" PRIo8 "\n", UINT32_MAX, (uint8_t)8);
    uint32_t wrap = UINT32_MAX;
    wrap += 2;
    printf("wrapped %" PRIu32 "\n", wrap);
    int8_t small = INT8_MIN;
    printf("int8 min %" PRId8 " int16 max %" PRId16 "\n", small, INT16_MAX);
    uint64_t factorial = 1;
    for (int i = 2; i <= 20; i++) factorial *= (uint64_t)i;
    printf("20! = %" PRIu64 "\n", factorial);
    bool flags[] = {true, false, 3, 0};
    printf("%d %d %d %d\n", flags[0], flags[1], flags[2], flags[3]);
    printf("prime 1000000007: %d, prime 1000000008: %d\n", is_prime(1000000007ULL), is_prime(1000000008ULL));
    intmax_t m = INTMAX_MAX / 3;
    printf("%jd\n", m);
    return 0;
}
