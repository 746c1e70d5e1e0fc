// corpus: std=c++23
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    while (true) {
        auto pos = text.find(sep);
        parts.push_back(text.substr(0, pos));
        if (pos == std::string_view::npos) break;
        text.remove_prefix(pos + 1);
    }
    return parts;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

int main() {
    std::string csv = "  alpha, beta ,gamma,, delta  ";
    for (auto part : split(csv, ',')) std::cout << "[" << trim(part) << "]";
    std::cout << "\n";
    std::string_view sv = "hello world";
    std::cout << sv.starts_with("hell") << sv.ends_with("world") << sv.contains("lo w") << "\n";
    std::cout << sv.substr(6) << " " << sv.size() << " " << sv.find('o') << " " << sv.rfind('o') << "\n";
    using namespace std::literals;
    auto lit = "literal"sv;
    std::cout << lit.length() << " " << (lit == "literal") << "\n";
}
