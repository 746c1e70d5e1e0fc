// corpus: std=c++23
#include <expected>
#include <iostream>
#include <string>

enum class ParseError { empty, bad_digit, overflow };

std::expected<int, ParseError> parse(const std::string& s) {
    if (s.empty()) return std::unexpected(ParseError::empty);
    long value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::unexpected(ParseError::bad_digit);
        value = value * 10 + (c - '0');
        if (value > 1'000'000) return std::unexpected(ParseError::overflow);
    }
    return static_cast<int>(value);
}

const char* describe(ParseError e) {
    switch (e) {
        case ParseError::empty: return "empty";
        case ParseError::bad_digit: return "bad digit";
        case ParseError::overflow: return "overflow";
    }
    return "?";
}

int main() {
    for (std::string s : {"123", "", "12a", "99999999", "42"}) {
        auto r = parse(s);
        if (r) std::cout << "'" << s << "' -> " << *r << "\n";
        else std::cout << "'" << s << "' -> error: " << describe(r.error()) << "\n";
    }
    auto twenty_one = parse("21");
    std::cout << "doubled " << (twenty_one ? *twenty_one * 2 : -1) << "\n";
    std::cout << "fallback " << parse("x").value_or(0) << "\n";
}
