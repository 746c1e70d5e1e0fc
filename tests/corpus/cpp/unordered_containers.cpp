#include <algorithm>
#include <iostream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

struct PointHash {
    std::size_t operator()(const std::pair<int, int>& p) const { return std::hash<int>()(p.first) * 31 + std::hash<int>()(p.second); }
};

int main() {
    std::unordered_map<std::string, int> freq;
    for (std::string w : {"red", "blue", "red", "green", "blue", "red"}) ++freq[w];
    std::vector<std::pair<std::string, int>> items(freq.begin(), freq.end());
    std::sort(items.begin(), items.end());
    for (const auto& [k, v] : items) std::cout << k << "=" << v << "\n";
    std::cout << "size " << freq.size() << ", has blue " << freq.count("blue") << ", has pink " << freq.contains("pink") << "\n";
    std::unordered_set<int> seen;
    std::vector<int> dups;
    for (int x : {4, 7, 4, 1, 7, 9, 4}) if (!seen.insert(x).second) dups.push_back(x);
    for (int d : dups) std::cout << d << " ";
    std::cout << "\n";
    std::unordered_set<std::pair<int, int>, PointHash> grid{{0, 0}, {1, 2}, {0, 0}};
    std::cout << "grid points " << grid.size() << "\n";
    freq.erase("red");
    std::cout << "after erase " << freq.size() << "\n";
    auto it = freq.find("green");
    if (it != freq.end()) it->second += 10;
    std::cout << "green " << freq["green"] << "\n";
}
