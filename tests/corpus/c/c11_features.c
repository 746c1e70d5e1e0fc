#include <assert.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <stdlib.h>

static_assert(sizeof(int32_t) == 4, "int32_t is 4 bytes");

struct Shape {
    int kind;
    union {
        struct { double radius; };
        struct { double width, height; };
    };
};

static double area(const struct Shape *s) {
    return s->kind == 0 ? 3.0 * s->radius * s->radius : s->width * s->height;
}

noreturn static void finish(int code) {
    printf("finishing with %d\n", code);
    exit(code);
}

int main(void) {
    struct Shape c = {.kind = 0, .radius = 2.0};
    struct Shape r = {.kind = 1, .width = 3.0, .height = 4.5};
    printf("%.2f %.2f\n", area(&c), area(&r));
    alignas(16) char buffer[32];
    printf("aligned: %d, alignof(double) >= 4: %d\n", (int)((uintptr_t)buffer % 16 == 0), (int)(alignof(double) >= 4));
    printf("offsetof width: %d\n", (int)(offsetof(struct Shape, width) == offsetof(struct Shape, radius)));
    const char *u8 = u8"h\u00e9";
    printf("utf-8 bytes: %d\n", (int)(sizeof(u8"h\u00e9") - 1));
    printf("%s\n", u8);
    finish(0);
}
