#include <stdio.h>

struct Config {
    const char *name;
    int width, height;
    double scale;
    int flags[4];
};

static void show(struct Config c) {
    printf("%s %dx%d scale=%.2f flags=%d%d%d%d\n", c.name ? c.name : "(none)", c.width, c.height, c.scale,
           c.flags[0], c.flags[1], c.flags[2], c.flags[3]);
}

static int sum(const int *xs, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) s += xs[i];
    return s;
}

int main(void) {
    struct Config a = {.name = "window", .height = 480, .width = 640, .flags = {[2] = 1}};
    show(a);
    show((struct Config){.scale = 1.5, .flags = {1, 1}});
    int days[12] = {[0] = 31, [1] = 28, [2] = 31, [11] = 31};
    printf("%d %d %d\n", days[0], days[5], days[11]);
    printf("sum %d\n", sum((int[]){1, 2, 3, 4, 5}, 5));
    const char *names[] = {[3] = "three", [1] = "one"};
    for (int i = 0; i < 4; i++) printf("%d:%s ", i, names[i] ? names[i] : "-");
    printf("\n");
    return 0;
}
