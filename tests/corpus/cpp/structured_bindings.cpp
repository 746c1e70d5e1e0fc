#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <utility>

struct Point { int x; int y; };

std::tuple<int, int, int> divmod3(int a, int b) { return {a / b, a % b, a * b}; }

int main() {
    std::map<std::string, int> stock{{"apples", 5}, {"pears", 2}, {"plums", 9}};
    for (const auto& [fruit, count] : stock) std::cout << fruit << ": " << count << "\n";
    auto [q, r, p] = divmod3(17, 5);
    std::cout << q << " " << r << " " << p << "\n";
    Point pt{3, -4};
    auto& [x, y] = pt;
    x *= 2;
    std::cout << pt.x << "," << y << "\n";
    std::pair<std::string, double> item{"tea", 2.25};
    auto [name, price] = item;
    std::cout << name << " costs " << price << "\n";
    if (auto [it, inserted] = stock.insert({"kiwis", 4}); inserted) std::cout << "inserted " << it->first << "\n";
}
