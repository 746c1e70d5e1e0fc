#include <algorithm>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

struct Employee {
    std::string name;
    std::string dept;
    int salary;
    int age;
};

int main() {
    std::vector<Employee> staff{
        {"Dana", "eng", 120, 34}, {"Ari", "ops", 90, 45}, {"Bo", "eng", 120, 29},
        {"Cy", "ops", 95, 38}, {"Eve", "eng", 105, 41}, {"Fay", "hr", 70, 50},
    };
    std::sort(staff.begin(), staff.end(), [](const Employee& a, const Employee& b) {
        return std::tie(a.dept, b.salary, a.name) < std::tie(b.dept, a.salary, b.name);
    });
    for (const auto& e : staff) std::cout << e.dept << " " << e.salary << " " << e.name << "\n";
    std::stable_sort(staff.begin(), staff.end(), [](const auto& a, const auto& b) { return a.age / 10 < b.age / 10; });
    std::cout << "by decade:";
    for (const auto& e : staff) std::cout << " " << e.name;
    std::cout << "\n";
    auto oldest = std::max_element(staff.begin(), staff.end(), [](const auto& a, const auto& b) { return a.age < b.age; });
    std::cout << "oldest " << oldest->name << "\n";
    std::partial_sort(staff.begin(), staff.begin() + 2, staff.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::cout << staff[0].name << " " << staff[1].name << "\n";
}
