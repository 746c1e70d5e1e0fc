#include <array>
#include <cstddef>
#include <iostream>

constexpr long long factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }

constexpr std::array<int, 10> make_squares() {
    std::array<int, 10> a{};
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<int>(i * i);
    return a;
}

consteval int cube(int x) { return x * x * x; }

template <std::size_t N>
constexpr std::array<bool, N> sieve() {
    std::array<bool, N> prime{};
    prime.fill(true);
    prime[0] = prime[1] = false;
    for (std::size_t i = 2; i * i < N; ++i)
        if (prime[i]) for (std::size_t j = i * i; j < N; j += i) prime[j] = false;
    return prime;
}

int main() {
    constexpr auto f = factorial(15);
    static_assert(f == 1307674368000LL);
    constexpr auto squares = make_squares();
    std::cout << f << " " << squares[9] << " " << cube(5) << "\n";
    constexpr auto primes = sieve<50>();
    for (std::size_t i = 0; i < primes.size(); ++i) if (primes[i]) std::cout << i << " ";
    std::cout << "\n";
    std::array<std::array<int, 3>, 2> grid{{{1, 2, 3}, {4, 5, 6}}};
    int sum = 0;
    for (const auto& row : grid) for (int v : row) sum += v;
    std::cout << "grid sum " << sum << ", front " << grid.front().front() << ", back " << grid.back().back() << "\n";
}
