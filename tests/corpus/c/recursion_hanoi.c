#include <stdio.h>

static int moves;

static void hanoi(int n, char from, char to, char via) {
    if (n == 0) return;
    hanoi(n - 1, from, via, to);
    if (n >= 3) printf("disk %d: %c -> %c\n", n, from, to);
    moves++;
    hanoi(n - 1, via, to, from);
}

static unsigned long long fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }

static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

static int ackermann(int m, int n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static void permute(char *s, int k, int n) {
    if (k == n) { printf("%s ", s); return; }
    for (int i = k; i < n; i++) {
        char t = s[k]; s[k] = s[i]; s[i] = t;
        permute(s, k + 1, n);
        t = s[k]; s[k] = s[i]; s[i] = t;
    }
}

static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }

int main(void) {
    hanoi(4, 'A', 'C', 'B');
    printf("moves %d\n", moves);
    printf("20! = %llu\n", fact(20));
    printf("gcd %d\n", gcd(1071, 462));
    printf("A(2,3) = %d\n", ackermann(2, 3));
    char s[] = "abc";
    permute(s, 0, 3);
    printf("\ndepth %d\n", depth(10000));
    return 0;
}
