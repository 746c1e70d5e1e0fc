#include <iostream>
#include <map>
#include <optional>
#include <string>

std::optional<int> find_age(const std::map<std::string, int>& ages, const std::string& name) {
    auto it = ages.find(name);
    if (it == ages.end()) return std::nullopt;
    return it->second;
}

int main() {
    std::map<std::string, int> ages{{"alice", 31}, {"bob", 27}};
    for (const std::string name : {"alice", "carol", "bob"}) {
        if (auto age = find_age(ages, name)) {
            std::cout << name << " is " << *age << "\n";
        } else {
            std::cout << name << " not found\n";
        }
    }
    std::optional<double> nothing;
    std::cout << "value_or: " << nothing.value_or(-1.5) << "\n";
    std::cout << "has_value: " << std::boolalpha << nothing.has_value() << "\n";
}
