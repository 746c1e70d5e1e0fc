#include <cstdint>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

std::uint64_t fib(int n, std::unordered_map<int, std::uint64_t>& memo) {
    if (n < 2) return n;
    if (auto it = memo.find(n); it != memo.end()) return it->second;
    return memo[n] = fib(n - 1, memo) + fib(n - 2, memo);
}

void hanoi(int n, char from, char to, char via, int& moves) {
    if (n == 0) return;
    hanoi(n - 1, from, via, to, moves);
    ++moves;
    if (n == 3) std::cout << "move disk 3 " << from << "->" << to << "\n";
    hanoi(n - 1, via, to, from, moves);
}

void permutations(std::string& s, std::size_t k, std::vector<std::string>& out) {
    if (k == s.size()) { out.push_back(s); return; }
    for (std::size_t i = k; i < s.size(); ++i) {
        std::swap(s[k], s[i]);
        permutations(s, k + 1, out);
        std::swap(s[k], s[i]);
    }
}

int ackermann(int m, int n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }

int main() {
    std::unordered_map<int, std::uint64_t> memo;
    std::cout << "fib(90) = " << fib(90, memo) << "\n";
    int moves = 0;
    hanoi(10, 'A', 'C', 'B', moves);
    std::cout << "hanoi(10) moves " << moves << "\n";
    std::string s = "abc";
    std::vector<std::string> perms;
    permutations(s, 0, perms);
    for (const auto& p : perms) std::cout << p << " ";
    std::cout << "\nackermann(2, 3) = " << ackermann(2, 3) << "\n";
    std::cout << "depth " << depth(20000) << "\n";
}
