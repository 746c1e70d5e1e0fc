#include <algorithm>
#include <iostream>
#include <ranges>
#include <string>
#include <vector>

int main() {
    std::vector<int> nums{5, 12, 7, 3, 18, 21, 4, 10};
    auto evens_squared = nums | std::views::filter([](int n) { return n % 2 == 0; })
                              | std::views::transform([](int n) { return n * n; });
    for (int n : evens_squared) std::cout << n << " ";
    std::cout << "\n";
    for (int i : std::views::iota(1, 6) | std::views::reverse) std::cout << i << " ";
    std::cout << "\n";
    for (int n : nums | std::views::take(3)) std::cout << n << " ";
    std::cout << "| ";
    for (int n : nums | std::views::drop(5)) std::cout << n << " ";
    std::cout << "\n";
    std::ranges::sort(nums);
    std::cout << "sorted:";
    for (int n : nums) std::cout << " " << n;
    std::cout << "\nmax " << std::ranges::max(nums) << ", count>6: "
              << std::ranges::count_if(nums, [](int n) { return n > 6; }) << "\n";
    std::string words = "the quick brown fox";
    for (auto word : words | std::views::split(' ')) {
        std::cout << "[" << std::string(word.begin(), word.end()) << "]";
    }
    std::cout << "\n";
    auto it = std::ranges::find(nums, 18);
    std::cout << "18 at index " << (it - nums.begin()) << "\n";
}
