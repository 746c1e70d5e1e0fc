#include <iostream>
#include <string>
#include <type_traits>

template <typename T>
T max_of(T a, T b) { return a > b ? a : b; }

template <typename T, typename... Rest>
T max_of(T first, Rest... rest) { return max_of(first, max_of(rest...)); }

template <typename... Args>
auto sum(Args... args) { return (args + ...); }

template <typename... Args>
void print_all(const Args&... args) {
    ((std::cout << args << ' '), ...);
    std::cout << '\n';
}

template <typename T, int N>
struct Matrix {
    T data[N][N]{};
    T trace() const {
        T t{};
        for (int i = 0; i < N; ++i) t += data[i][i];
        return t;
    }
};

template <typename T>
std::string kind() {
    if constexpr (std::is_integral_v<T>) return "integral";
    else if constexpr (std::is_floating_point_v<T>) return "floating";
    else return "other";
}

int main() {
    std::cout << max_of(3, 9, 4, 7) << "\n";
    std::cout << sum(1, 2, 3, 4.5) << "\n";
    print_all("mixed", 1, 2.5, 'c', std::string("str"));
    Matrix<int, 3> m;
    for (int i = 0; i < 3; ++i) m.data[i][i] = i + 1;
    std::cout << "trace " << m.trace() << "\n";
    std::cout << kind<int>() << " " << kind<double>() << " " << kind<std::string>() << "\n";
}
