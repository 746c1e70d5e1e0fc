#include <stdio.h>

struct Permissions {
    unsigned read : 1;
    unsigned write : 1;
    unsigned exec : 1;
    unsigned level : 4;
};

struct Color {
    unsigned r : 5, g : 6, b : 5;
};

int main(void) {
    struct Permissions p = {1, 0, 1, 9};
    printf("r=%u w=%u x=%u level=%u\n", p.read, p.write, p.exec, p.level);
    p.level = p.level + 8;
    p.write = 1;
    printf("level wraps to %u, w=%u\n", p.level, p.write);
    struct Color c = {31, 63, 0};
    unsigned packed = (unsigned)c.r << 11 | (unsigned)c.g << 5 | c.b;
    printf("rgb565 0x%04x\n", packed);
    c.b = c.r;
    c.r = 0;
    printf("%u %u %u\n", c.r, c.g, c.b);
    return 0;
}
