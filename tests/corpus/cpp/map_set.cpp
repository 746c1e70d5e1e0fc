#include <iostream>
#include <map>
#include <set>
#include <string>

int main() {
    std::map<std::string, std::set<int>> index;
    const char* words[] = {"to", "be", "or", "not", "to", "be", "that", "is"};
    for (int i = 0; i < 8; ++i) index[words[i]].insert(i);
    for (const auto& [word, positions] : index) {
        std::cout << word << ":";
        for (int p : positions) std::cout << " " << p;
        std::cout << "\n";
    }
    std::multimap<int, std::string> by_len;
    for (const auto& [word, _] : index) by_len.emplace(word.size(), word);
    for (auto [lo, hi] = by_len.equal_range(2); lo != hi; ++lo) std::cout << lo->second << " ";
    std::cout << "\n";
    std::set<int> a{1, 3, 5, 7, 9}, b{3, 4, 5, 6};
    std::cout << "a contains 5: " << a.contains(5) << ", count 4: " << a.count(4) << "\n";
    auto it = a.lower_bound(4);
    std::cout << "first >= 4: " << *it << "\n";
    a.erase(3);
    std::cout << "size " << a.size() << ", first " << *a.begin() << ", last " << *a.rbegin() << "\n";
    std::map<int, int, std::greater<int>> desc{{1, 10}, {3, 30}, {2, 20}};
    for (auto [k, v] : desc) std::cout << k << "=" << v << " ";
    std::cout << "\n";
    std::multiset<int> ms{2, 2, 3, 2};
    std::cout << "twos " << ms.count(2) << "\n";
}
