// corpus: hand-written (g++ 12 has no <print>; these lines are what g++ 14 -std=c++23 prints)
#include <print>
#include <string>
#include <vector>

int main() {
    std::println("Hello from std::println");
    std::print("{} + {} = {}\n", 2, 3, 2 + 3);
    std::vector<int> v{1, 2, 3};
    int total = 0;
    for (int x : v) total += x;
    std::println("total={:>5}", total);
    std::println("{:.3f}", 2.0 / 3.0);
}
