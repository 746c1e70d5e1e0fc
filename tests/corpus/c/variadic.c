#include <stdarg.h>
#include <stdio.h>

static int sum(int count, ...) {
    va_list ap;
    va_start(ap, count);
    int total = 0;
    for (int i = 0; i < count; i++) total += va_arg(ap, int);
    va_end(ap);
    return total;
}

static double average(int count, ...) {
    va_list ap;
    va_start(ap, count);
    double total = 0;
    for (int i = 0; i < count; i++) total += va_arg(ap, double);
    va_end(ap);
    return count ? total / count : 0;
}

static void log_message(const char *level, const char *fmt, ...) {
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    printf("[%s] %s\n", level, buf);
}

static void print_strings(const char *first, ...) {
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *)) printf("<%s>", s);
    va_end(ap);
    printf("\n");
}

int main(void) {
    printf("%d %d\n", sum(3, 1, 2, 3), sum(0));
    printf("%.3f\n", average(4, 1.0, 2.5, 3.5, 5.0));
    log_message("info", "%d files, %.1f%% done, user=%s", 12, 87.5, "ada");
    print_strings("a", "bc", "def", NULL);
    return 0;
}
