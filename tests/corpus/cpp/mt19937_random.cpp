#include <cstdint>
#include <iostream>
#include <random>
#include <vector>

int main() {
    std::mt19937 gen(12345);
    for (int i = 0; i < 5; ++i) std::cout << gen() << "\n";
    std::mt19937_64 gen64(42);
    std::cout << gen64() << "\n";
    std::minstd_rand lcg(7);
    std::cout << lcg() << " " << lcg() << "\n";
    std::vector<int> deck{1, 2, 3, 4, 5, 6, 7, 8};
    for (std::size_t i = deck.size() - 1; i > 0; --i) {
        std::size_t j = gen() % (i + 1);
        std::swap(deck[i], deck[j]);
    }
    for (int c : deck) std::cout << c << " ";
    std::cout << "\n";
    std::mt19937 a(99), b(99);
    std::cout << "same seed, same stream: " << (a() == b()) << "\n";
}
