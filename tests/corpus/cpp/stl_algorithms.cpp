#include <algorithm>
#include <iostream>
#include <numeric>
#include <vector>

void show(const char* label, const std::vector<int>& v) {
    std::cout << label << ":";
    for (int x : v) std::cout << " " << x;
    std::cout << "\n";
}

int main() {
    std::vector<int> v{8, 3, 5, 3, 9, 1, 5, 7};
    std::sort(v.begin(), v.end());
    show("sorted", v);
    auto lb = std::lower_bound(v.begin(), v.end(), 5);
    auto ub = std::upper_bound(v.begin(), v.end(), 5);
    std::cout << "5 spans [" << (lb - v.begin()) << ", " << (ub - v.begin()) << ")\n";
    std::cout << "binary_search 6: " << std::binary_search(v.begin(), v.end(), 6) << "\n";
    v.erase(std::unique(v.begin(), v.end()), v.end());
    show("unique", v);
    std::cout << "sum " << std::accumulate(v.begin(), v.end(), 0) << "\n";
    std::vector<int> w(v.size());
    std::transform(v.begin(), v.end(), w.begin(), [](int x) { return x * 10; });
    show("x10", w);
    auto mid = std::partition(v.begin(), v.end(), [](int x) { return x % 2 == 1; });
    std::cout << "odds first, count " << (mid - v.begin()) << "\n";
    std::vector<int> p{1, 2, 3};
    do { show("perm", p); } while (std::next_permutation(p.begin(), p.end()));
    auto [mn, mx] = std::minmax_element(w.begin(), w.end());
    std::cout << "min " << *mn << " max " << *mx << "\n";
    std::reverse(w.begin(), w.end());
    std::rotate(w.begin(), w.begin() + 2, w.end());
    show("rotated", w);
    std::cout << "count>30: " << std::count_if(w.begin(), w.end(), [](int x) { return x > 30; }) << "\n";
}
