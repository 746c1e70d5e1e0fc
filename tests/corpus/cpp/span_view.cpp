#include <array>
#include <iostream>
#include <numeric>
#include <span>
#include <vector>

int sum(std::span<const int> values) { return std::accumulate(values.begin(), values.end(), 0); }

void double_all(std::span<int> values) {
    for (int& v : values) v *= 2;
}

int main() {
    int raw[] = {1, 2, 3, 4};
    std::vector<int> vec{10, 20, 30};
    std::array<int, 3> arr{7, 8, 9};
    std::cout << sum(raw) << " " << sum(vec) << " " << sum(arr) << "\n";
    double_all(vec);
    std::cout << vec[0] << " " << vec[1] << " " << vec[2] << "\n";
    std::span<int> s(raw);
    std::cout << "first2 " << sum(s.first(2)) << " last2 " << sum(s.last(2)) << " sub " << sum(s.subspan(1, 2)) << "\n";
    std::cout << "size " << s.size() << " bytes " << s.size_bytes() << "\n";
}
