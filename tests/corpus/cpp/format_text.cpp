// corpus: hand-written (g++ 12 has no <format>; these lines are what g++ 13 prints)
#include <format>
#include <iostream>
#include <string>
#include <vector>

int main() {
    std::cout << std::format("Hello, {}!\n", "format");
    std::cout << std::format("{:>8}|{:<8}|{:^8}|\n", "right", "left", "mid");
    std::cout << std::format("{:08.3f} {:.3e}\n", 3.14159, 12345.678);
    std::cout << std::format("{:#x} {:#o} {:#b} {:+d}\n", 255, 8, 5, 42);
    std::vector<std::string> names{"ann", "bo"};
    for (std::size_t i = 0; i < names.size(); ++i) std::cout << std::format("{}: {:*^7}\n", i, names[i]);
    std::string s = std::format("{1} before {0}", "zero", "one");
    std::cout << s << " (" << s.size() << " chars)\n";
}
