#include <algorithm>
#include <cctype>
#include <compare>
#include <iostream>
#include <string>
#include <vector>

struct Version {
    int major, minor, patch;
    auto operator<=>(const Version&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Version& v) { return os << v.major << "." << v.minor << "." << v.patch; }

struct CaseInsensitive {
    std::string s;
    std::weak_ordering operator<=>(const CaseInsensitive& o) const {
        for (std::size_t i = 0; i < std::min(s.size(), o.s.size()); ++i) {
            char a = std::tolower(s[i]), b = std::tolower(o.s[i]);
            if (a != b) return a <=> b;
        }
        return s.size() <=> o.s.size();
    }
    bool operator==(const CaseInsensitive& o) const { return (*this <=> o) == 0; }
};

int main() {
    std::vector<Version> vs{{1, 2, 3}, {1, 10, 0}, {0, 9, 9}, {1, 2, 0}};
    std::sort(vs.begin(), vs.end());
    for (const auto& v : vs) std::cout << v << " ";
    std::cout << "\n";
    std::cout << (Version{1, 0, 0} < Version{1, 0, 1}) << (Version{2, 0, 0} == Version{2, 0, 0}) << "\n";
    auto cmp = 3 <=> 5;
    std::cout << (cmp < 0) << (cmp == 0) << (cmp > 0) << "\n";
    CaseInsensitive x{"Hello"}, y{"hello"}, z{"help"};
    std::cout << (x == y) << (x < z) << "\n";
    auto d = 1.0 <=> 2.0;
    std::cout << (d == std::partial_ordering::less) << "\n";
}
