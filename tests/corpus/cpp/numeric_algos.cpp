#include <cmath>
#include <iostream>
#include <numeric>
#include <vector>

int main() {
    std::cout << std::gcd(84, 36) << " " << std::lcm(4, 6) << " " << std::midpoint(10, 20) << "\n";
    std::vector<int> v(8);
    std::iota(v.begin(), v.end(), 1);
    std::vector<int> prefix(v.size());
    std::partial_sum(v.begin(), v.end(), prefix.begin());
    for (int p : prefix) std::cout << p << " ";
    std::cout << "\n";
    std::cout << std::inner_product(v.begin(), v.begin() + 3, v.begin() + 3, 0) << "\n";
    std::cout << std::reduce(v.begin(), v.end()) << " " << std::transform_reduce(v.begin(), v.end(), 0, std::plus<>(), [](int x) { return x * x; }) << "\n";
    std::vector<int> diffs(v.size());
    std::adjacent_difference(prefix.begin(), prefix.end(), diffs.begin());
    for (int d : diffs) std::cout << d << " ";
    std::cout << "\n";
    std::cout << std::sqrt(2.0) << " " << std::pow(2, 10) << " " << std::hypot(3, 4) << " " << std::cbrt(27.0) << "\n";
    std::cout << std::floor(-2.5) << " " << std::ceil(-2.5) << " " << std::round(2.5) << " " << std::trunc(-2.7) << "\n";
    std::cout << std::fmod(10.5, 3) << " " << std::abs(-7) << " " << std::exp(1.0) << " " << std::log10(1000.0) << "\n";
    std::vector<double> xs{2.5, 3.5, 1.0, 4.0};
    double mean = std::accumulate(xs.begin(), xs.end(), 0.0) / xs.size();
    double var = 0;
    for (double x : xs) var += (x - mean) * (x - mean);
    std::cout << "mean " << mean << " stddev " << std::sqrt(var / xs.size()) << "\n";
}
