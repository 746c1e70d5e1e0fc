#include <iostream>
#include <string>
#include <variant>
#include <vector>

template <class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

using Value = std::variant<int, double, std::string>;

int main() {
    std::vector<Value> values{42, 3.5, std::string("hello"), 7};
    for (const auto& v : values) {
        std::visit(overloaded{
            [](int i) { std::cout << "int " << i << "\n"; },
            [](double d) { std::cout << "double " << d << "\n"; },
            [](const std::string& s) { std::cout << "string " << s << "\n"; },
        }, v);
    }
    Value v = 10;
    std::cout << "index " << v.index() << " holds int: " << std::holds_alternative<int>(v) << "\n";
    v = "text";
    std::cout << "index " << v.index() << " get: " << std::get<std::string>(v) << "\n";
    if (auto p = std::get_if<int>(&v)) std::cout << *p << "\n"; else std::cout << "not an int\n";
}
