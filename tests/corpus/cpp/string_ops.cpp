#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int main() {
    std::string s = "Hello, World";
    std::cout << s.length() << " " << s.find("World") << " " << s.substr(7, 3) << " " << (s.find("xyz") == std::string::npos) << "\n";
    s.replace(0, 5, "Goodbye");
    s += '!';
    s.insert(0, ">> ");
    std::cout << s << "\n";
    std::string upper = s;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    std::cout << upper << "\n";
    std::cout << std::stoi("  -42abc") << " " << std::stod("3.25") << " " << std::stol("123456789") << " " << std::stoi("ff", nullptr, 16) << "\n";
    std::cout << std::to_string(17) + "/" + std::to_string(4) << "\n";
    std::string csv = "name,age,city", field;
    std::vector<std::string> fields;
    std::stringstream ss(csv);
    while (std::getline(ss, field, ',')) fields.push_back(field);
    std::cout << fields.size() << " fields, last=" << fields.back() << "\n";
    std::string word = "racecar";
    std::cout << word << (std::equal(word.begin(), word.end(), word.rbegin()) ? " is" : " is not") << " a palindrome\n";
    std::string padded = std::string(3, '*') + "x" + std::string(3, '*');
    std::cout << padded << " " << std::count(padded.begin(), padded.end(), '*') << "\n";
    std::cout << (std::string("apple") < std::string("banana")) << " " << std::string("abc").compare("abd") << "\n";
}
