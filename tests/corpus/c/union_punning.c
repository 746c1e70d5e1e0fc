#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef union {
    float f;
    uint32_t bits;
    uint8_t bytes[4];
} FloatBits;

typedef struct {
    enum { INT, REAL, TEXT } tag;
    union {
        int i;
        double d;
        const char *s;
    } as;
} Value;

static void print_value(Value v) {
    switch (v.tag) {
        case INT: printf("int %d\n", v.as.i); break;
        case REAL: printf("real %.3f\n", v.as.d); break;
        case TEXT: printf("text %s\n", v.as.s); break;
    }
}

int main(void) {
    FloatBits fb = {.f = 1.0f};
    printf("1.0f = 0x%08x\n", fb.bits);
    fb.f = -0.5f;
    printf("-0.5f = 0x%08x sign=%u exponent=%u\n", fb.bits, fb.bits >> 31, (fb.bits >> 23) & 0xFF);
    double d = 2.5;
    uint64_t raw;
    memcpy(&raw, &d, sizeof raw);
    printf("2.5 = 0x%016llx\n", (unsigned long long)raw);
    uint32_t probe = 1;
    uint8_t first;
    memcpy(&first, &probe, 1);
    printf("little endian: %d\n", first == 1);
    Value vs[] = {{INT, {.i = 7}}, {REAL, {.d = 2.25}}, {TEXT, {.s = "hi"}}};
    for (int i = 0; i < 3; i++) print_value(vs[i]);
    return 0;
}
