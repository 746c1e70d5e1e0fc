#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

int main() {
    std::map<std::string, int> counts;
    std::string line;
    int lines = 0, words = 0;
    while (std::getline(std::cin, line)) {
        ++lines;
        std::istringstream in(line);
        std::string word;
        while (in >> word) {
            std::transform(word.begin(), word.end(), word.begin(), ::tolower);
            word.erase(std::remove_if(word.begin(), word.end(), [](char c) { return !std::isalpha(c); }), word.end());
            if (word.empty()) continue;
            ++counts[word];
            ++words;
        }
    }
    std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::cout << lines << " lines, " << words << " words, " << counts.size() << " distinct\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, sorted.size()); ++i)
        std::cout << sorted[i].first << " " << sorted[i].second << "\n";
}
