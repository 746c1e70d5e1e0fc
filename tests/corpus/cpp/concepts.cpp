#include <concepts>
#include <iostream>
#include <string>
#include <vector>

template <typename T>
concept Number = std::integral<T> || std::floating_point<T>;

template <typename T>
concept HasSize = requires(const T& t) {
    { t.size() } -> std::convertible_to<std::size_t>;
};

template <Number T>
T twice(T value) { return value * 2; }

std::size_t size_of(const HasSize auto& container) { return container.size(); }

template <typename T>
void describe(const T&) {
    if constexpr (Number<T>) std::cout << "a number\n";
    else if constexpr (HasSize<T>) std::cout << "something with a size\n";
    else std::cout << "something else\n";
}

int main() {
    std::cout << twice(21) << " " << twice(1.25) << "\n";
    std::vector<int> v{1, 2, 3};
    std::string s = "hello";
    std::cout << size_of(v) << " " << size_of(s) << "\n";
    describe(5);
    describe(s);
    describe(nullptr);
    static_assert(Number<long>);
    static_assert(!Number<std::string>);
    std::cout << std::boolalpha << std::same_as<int, int> << " " << std::derived_from<int, long> << "\n";
}
