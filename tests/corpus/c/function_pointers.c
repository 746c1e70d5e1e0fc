#include <stdio.h>
#include <string.h>

typedef double (*binary_op)(double, double);

static double add(double a, double b) { return a + b; }
static double sub(double a, double b) { return a - b; }
static double mul(double a, double b) { return a * b; }
static double divide(double a, double b) { return b != 0 ? a / b : 0; }

struct Command {
    const char *name;
    binary_op op;
};

static void apply_all(int *xs, int n, int (*f)(int)) {
    for (int i = 0; i < n; i++) xs[i] = f(xs[i]);
}

static int square(int x) { return x * x; }
static int negate(int x) { return -x; }

int main(void) {
    struct Command table[] = {{"add", add}, {"sub", sub}, {"mul", mul}, {"div", divide}};
    const char *program[] = {"mul", "add", "div", "sub", "pow"};
    double acc = 2;
    for (int i = 0; i < 5; i++) {
        binary_op op = NULL;
        for (size_t j = 0; j < sizeof table / sizeof table[0]; j++)
            if (strcmp(table[j].name, program[i]) == 0) op = table[j].op;
        if (!op) { printf("unknown %s\n", program[i]); continue; }
        acc = op(acc, 3);
        printf("%s 3 -> %.4f\n", program[i], acc);
    }
    int xs[] = {1, -2, 3};
    apply_all(xs, 3, square);
    apply_all(xs, 3, negate);
    printf("%d %d %d\n", xs[0], xs[1], xs[2]);
    int (*ops[])(int) = {square, negate};
    printf("%d\n", ops[1](ops[0](7)));
    return 0;
}
