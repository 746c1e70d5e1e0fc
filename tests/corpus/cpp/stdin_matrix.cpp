#include <iostream>
#include <string>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int rows, cols;
    std::cin >> rows >> cols;
    std::vector<std::vector<int>> m(rows, std::vector<int>(cols));
    for (auto& row : m) for (auto& v : row) std::cin >> v;
    std::vector<std::vector<int>> t(cols, std::vector<int>(rows));
    for (int i = 0; i < rows; ++i) for (int j = 0; j < cols; ++j) t[j][i] = m[i][j];
    for (const auto& row : t) {
        for (std::size_t j = 0; j < row.size(); ++j) std::cout << (j ? " " : "") << row[j];
        std::cout << '\n';
    }
    long long sum = 0;
    for (const auto& row : m) for (int v : row) sum += v;
    std::cout << "sum " << sum << '\n';
    std::string rest;
    std::cin >> rest;
    std::cout << "trailing word: " << (rest.empty() ? "<none>" : rest) << '\n';
}
