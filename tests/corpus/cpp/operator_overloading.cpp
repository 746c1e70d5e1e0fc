#include <cmath>
#include <iostream>

struct Vec2 {
    double x = 0, y = 0;
    Vec2 operator+(const Vec2& o) const { return {x + o.x, y + o.y}; }
    Vec2 operator-(const Vec2& o) const { return {x - o.x, y - o.y}; }
    Vec2 operator*(double k) const { return {x * k, y * k}; }
    Vec2& operator+=(const Vec2& o) { x += o.x; y += o.y; return *this; }
    bool operator==(const Vec2& o) const = default;
    double operator[](int i) const { return i == 0 ? x : y; }
    double length() const { return std::sqrt(x * x + y * y); }
};

Vec2 operator*(double k, const Vec2& v) { return v * k; }
std::ostream& operator<<(std::ostream& os, const Vec2& v) { return os << "(" << v.x << ", " << v.y << ")"; }

class Fraction {
    long num_, den_;
    static long gcd(long a, long b) { return b == 0 ? (a < 0 ? -a : a) : gcd(b, a % b); }
public:
    Fraction(long n, long d = 1) : num_(n), den_(d) {
        long g = gcd(num_, den_);
        if (den_ < 0) g = -g;
        num_ /= g; den_ /= g;
    }
    Fraction operator+(const Fraction& o) const { return {num_ * o.den_ + o.num_ * den_, den_ * o.den_}; }
    Fraction operator*(const Fraction& o) const { return {num_ * o.num_, den_ * o.den_}; }
    bool operator<(const Fraction& o) const { return num_ * o.den_ < o.num_ * den_; }
    explicit operator double() const { return double(num_) / den_; }
    friend std::ostream& operator<<(std::ostream& os, const Fraction& f) { return os << f.num_ << "/" << f.den_; }
};

struct Counter {
    int n = 0;
    Counter& operator++() { ++n; return *this; }
    Counter operator++(int) { Counter old = *this; ++n; return old; }
    int operator()(int add) const { return n + add; }
};

int main() {
    Vec2 a{3, 4}, b{1, -2};
    std::cout << a + b << " " << a - b << " " << 2 * a << " " << a.length() << "\n";
    a += b;
    std::cout << a << " " << (a == Vec2{4, 2}) << " " << a[1] << "\n";
    Fraction f(1, 3), g(1, 6);
    std::cout << f + g << " " << f * g << " " << (g < f) << " " << static_cast<double>(f + g) << "\n";
    std::cout << Fraction(6, -8) << "\n";
    Counter c;
    c++;
    ++c;
    std::cout << c.n << " " << c(10) << "\n";
}
