#include <math.h>
#include <stdio.h>

int main(void) {
    printf("%.6f %.6f %.6f\n", sqrt(2.0), pow(2.0, 0.5), cbrt(27.0));
    printf("%.6f %.6f %.6f\n", sin(M_PI / 6), cos(M_PI / 3), tan(M_PI / 4));
    printf("%.6f %.6f %.6f\n", atan2(1.0, 1.0), asin(1.0), acos(0.0));
    printf("%.6f %.6f %.6f %.6f\n", exp(1.0), log(M_E), log10(1000.0), log2(1024.0));
    printf("%.1f %.1f %.1f %.1f\n", floor(-2.5), ceil(-2.5), round(2.5), trunc(-2.7));
    printf("%.3f %.3f %.3f\n", fmod(10.5, 3.0), fabs(-4.25), hypot(3.0, 4.0));
    printf("%d %d %d\n", isnan(NAN) != 0, isinf(INFINITY) != 0, isfinite(1.0) != 0);
    printf("%.6f %.6f\n", fmax(1.5, -2.0), fmin(1.5, -2.0));
    double ip;
    double frac = modf(3.75, &ip);
    printf("modf %.2f %.2f\n", ip, frac);
    int e;
    double m = frexp(48.0, &e);
    printf("frexp %.4f %d ldexp %.1f\n", m, e, ldexp(0.75, 4));
    printf("%ld %ld\n", lround(2.5), lround(-2.5));
    float f = sqrtf(10.0f);
    printf("%.5f\n", f);
    return 0;
}
