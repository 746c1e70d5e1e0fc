#include <stdint.h>
#include <stdio.h>

static int popcount(uint32_t x) {
    int n = 0;
    while (x) { x &= x - 1; n++; }
    return n;
}

static void print_binary(uint8_t x) {
    for (int i = 7; i >= 0; i--) putchar((x >> i) & 1 ? '1' : '0');
    putchar('\n');
}

static uint32_t reverse_bits(uint32_t x) {
    uint32_t r = 0;
    for (int i = 0; i < 32; i++) { r = (r << 1) | (x & 1); x >>= 1; }
    return r;
}

int main(void) {
    uint32_t x = 0xF0F0u;
    printf("%d %d\n", popcount(x), __builtin_popcount(x));
    printf("ctz %d clz %d\n", __builtin_ctz(x), __builtin_clz(x));
    print_binary(0xA5);
    print_binary((uint8_t)~0xA5);
    printf("%08x\n", reverse_bits(1u));
    uint8_t flags = 0;
    flags |= 1u << 3;
    flags |= 1u << 0;
    flags &= (uint8_t)~(1u << 0);
    flags ^= 1u << 6;
    printf("flags 0x%02x has3=%d has0=%d\n", flags, (flags >> 3) & 1, flags & 1);
    printf("power of two: %d %d\n", (64 & 63) == 0, (96 & 95) == 0);
    int32_t neg = -17;
    printf("%d %u\n", neg >> 2, (uint32_t)neg >> 28);
    uint64_t big = 0x0123456789ABCDEFull;
    printf("%016llx %llu\n", (unsigned long long)(big >> 8 | big << 56), (unsigned long long)(big & 0xFFFF));
    int a = 12, b = 25;
    a ^= b; b ^= a; a ^= b;
    printf("swapped %d %d\n", a, b);
    return 0;
}
