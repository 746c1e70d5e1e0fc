// corpus: expect-error error: C++ exceptions are not supported in this sandbox
#include <iostream>
#include <stdexcept>
#include <string>

int checked_divide(int a, int b) {
    if (b == 0) throw std::invalid_argument("division by zero");
    return a / b;
}

int main() {
    try {
        std::cout << checked_divide(10, 2) << "\n";
        std::cout << checked_divide(1, 0) << "\n";
    } catch (const std::invalid_argument& e) {
        std::cout << "caught: " << e.what() << "\n";
    }
}
