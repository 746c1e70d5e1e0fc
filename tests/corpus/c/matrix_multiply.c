#include <stdio.h>

#define N 3

static void multiply(const double a[N][N], const double b[N][N], double out[N][N]) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            out[i][j] = 0;
            for (int k = 0; k < N; k++) out[i][j] += a[i][k] * b[k][j];
        }
}

static double determinant(const double m[N][N]) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
         - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
         + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

int main(void) {
    double a[N][N] = {{1, 2, 3}, {0, 1, 4}, {5, 6, 0}};
    double id[N][N] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    double c[N][N];
    multiply(a, a, c);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) printf("%6.1f", c[i][j]);
        printf("\n");
    }
    multiply(a, id, c);
    printf("a*I == a: %d\n", c[2][1] == a[2][1] && c[0][2] == a[0][2]);
    printf("det %.1f\n", determinant(a));
    int t[2][3] = {{1, 2, 3}, {4, 5, 6}}, tt[3][2];
    for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) tt[j][i] = t[i][j];
    for (int i = 0; i < 3; i++) printf("%d %d\n", tt[i][0], tt[i][1]);
    return 0;
}
