#include <chrono>
#include <iostream>

int main() {
    using namespace std::chrono;
    using namespace std::chrono_literals;
    auto d = 1h + 23min + 45s + 500ms;
    std::cout << duration_cast<milliseconds>(d).count() << " ms\n";
    std::cout << duration_cast<minutes>(d).count() << " whole minutes\n";
    auto secs = duration_cast<seconds>(d);
    auto h = duration_cast<hours>(secs);
    auto m = duration_cast<minutes>(secs - h);
    auto s = secs - h - m;
    std::cout << h.count() << ":" << m.count() << ":" << s.count() << "\n";
    duration<double, std::ratio<1>> fractional = 2500ms;
    std::cout << fractional.count() << " s\n";
    std::cout << (90s > 1min) << " " << (3600s == 1h) << "\n";
    auto start = steady_clock::now();
    auto end = steady_clock::now();
    std::cout << "elapsed non-negative: " << ((end - start) >= 0ns) << "\n";
    constexpr auto days_in_week = duration_cast<hours>(days{7}).count();
    std::cout << days_in_week << " hours a week\n";
}
