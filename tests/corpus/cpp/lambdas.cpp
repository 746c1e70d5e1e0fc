#include <algorithm>
#include <functional>
#include <string>
#include <iostream>
#include <vector>

int main() {
    int base = 10;
    auto add_base = [base](int x) { return x + base; };
    auto counter = [count = 0]() mutable { return ++count; };
    std::cout << add_base(5) << " " << counter() << counter() << counter() << "\n";
    std::vector<int> v{4, 1, 3, 9, 2};
    std::sort(v.begin(), v.end(), [](int a, int b) { return a > b; });
    for (int x : v) std::cout << x << " ";
    std::cout << "\n";
    int total = 0;
    std::for_each(v.begin(), v.end(), [&total](int x) { total += x; });
    std::cout << "total " << total << "\n";
    std::function<int(int)> fact = [&fact](int n) { return n <= 1 ? 1 : n * fact(n - 1); };
    std::cout << "6! = " << fact(6) << "\n";
    auto generic = [](auto a, auto b) { return a + b; };
    std::cout << generic(1, 2) << " " << generic(1.5, 2.25) << " " << generic(std::string("a"), "b") << "\n";
    auto make_multiplier = [](int k) { return [k](int x) { return x * k; }; };
    auto triple = make_multiplier(3);
    std::cout << triple(7) << "\n";
}
