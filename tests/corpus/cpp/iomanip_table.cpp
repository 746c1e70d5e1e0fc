#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

struct Row { std::string name; int qty; double price; };

int main() {
    std::vector<Row> rows{{"widget", 4, 3.5}, {"gadget", 12, 10.125}, {"doohickey", 1, 99.999}};
    std::cout << std::left << std::setw(12) << "item" << std::right << std::setw(5) << "qty"
              << std::setw(10) << "price" << "\n";
    std::cout << std::setfill('-') << std::setw(27) << "" << std::setfill(' ') << "\n";
    double total = 0;
    for (const auto& r : rows) {
        std::cout << std::left << std::setw(12) << r.name << std::right << std::setw(5) << r.qty
                  << std::setw(10) << std::fixed << std::setprecision(2) << r.price << "\n";
        total += r.qty * r.price;
    }
    std::cout << "total: " << total << "\n";
    std::cout << std::defaultfloat << std::setprecision(6) << 1.0 / 3 << " " << 1e-7 << " " << 123456789.0 << "\n";
    std::cout << std::scientific << std::setprecision(3) << 6.02214076e23 << "\n";
    std::cout << std::hex << 255 << " " << std::uppercase << 255 << " " << std::showbase << 255 << std::dec << "\n";
    std::cout << std::oct << 64 << std::dec << " " << std::setw(6) << std::setfill('0') << 42 << "\n";
    std::cout << std::boolalpha << true << " " << std::noboolalpha << false << "\n";
}
