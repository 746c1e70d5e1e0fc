#include <stdio.h>

#define type_name(x) _Generic((x), \
    int: "int", long: "long", double: "double", float: "float", \
    char *: "char *", const char *: "const char *", default: "other")

#define abs_value(x) _Generic((x), int: abs_int, double: abs_double)(x)

static int abs_int(int x) { return x < 0 ? -x : x; }
static double abs_double(double x) { return x < 0 ? -x : x; }

int main(void) {
    int i = 1;
    long l = 2;
    double d = 3.0;
    float f = 4.0f;
    char *s = "x";
    printf("%s %s %s %s %s %s\n", type_name(i), type_name(l), type_name(d), type_name(f), type_name(s), type_name('c'));
    printf("%d %.2f\n", abs_value(-5), abs_value(-2.5));
    return 0;
}
