#include <bit>
#include <bitset>
#include <cstdint>
#include <iostream>

int main() {
    std::uint32_t x = 0b1011'0110;
    std::cout << "popcount " << std::popcount(x) << ", width " << std::bit_width(x)
              << ", countr_zero " << std::countr_zero(x) << ", countl_zero " << std::countl_zero(x) << "\n";
    std::cout << "bit_ceil(37) " << std::bit_ceil(37u) << ", bit_floor(37) " << std::bit_floor(37u)
              << ", has_single_bit(64) " << std::has_single_bit(64u) << "\n";
    std::cout << "rotl " << std::rotl(std::uint8_t{0b1001'0001}, 2) + 0 << ", rotr " << std::rotr(1u, 1) << "\n";
    std::bitset<12> bits(x);
    std::cout << bits << " " << bits.count() << " " << bits.test(1) << "\n";
    bits.flip(0).set(11).reset(2);
    std::cout << bits << " = " << bits.to_ulong() << "\n";
    unsigned mask = 0;
    for (int b : {0, 3, 5}) mask |= 1u << b;
    std::cout << "mask " << mask << ", has 3: " << ((mask >> 3) & 1) << ", clear lowest: " << (mask & (mask - 1)) << "\n";
    int n = -20;
    std::cout << (n >> 2) << " " << (static_cast<unsigned>(n) >> 28) << " " << (~0u ^ 0xFFu) << "\n";
    std::uint64_t big = 1ull << 40;
    std::cout << big << " " << std::popcount(big - 1) << "\n";
    float f = 1.5f;
    std::cout << std::hex << std::bit_cast<std::uint32_t>(f) << std::dec << "\n";
    std::cout << "subsets of {a,b,c}:";
    for (unsigned m = 0; m < 8; ++m) {
        std::cout << " {";
        for (int i = 0; i < 3; ++i) if (m & (1u << i)) std::cout << char('a' + i);
        std::cout << "}";
    }
    std::cout << "\n";
}
