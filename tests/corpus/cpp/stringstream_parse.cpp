#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

struct Record { std::string name; int score; double weight; };

int main() {
    std::string input = "alice 90 1.5\nbob 72 2.25\ncarol 85 0.75\n";
    std::istringstream in(input);
    std::vector<Record> records;
    Record r;
    while (in >> r.name >> r.score >> r.weight) records.push_back(r);
    double weighted = 0, total_weight = 0;
    for (const auto& rec : records) { weighted += rec.score * rec.weight; total_weight += rec.weight; }
    std::ostringstream out;
    out << std::fixed << std::setprecision(3) << "weighted mean " << weighted / total_weight;
    std::cout << out.str() << " (" << records.size() << " records)\n";
    std::stringstream conv;
    conv << 255;
    int back;
    conv >> back;
    std::cout << back + 1 << "\n";
    std::istringstream hex_in("ff 10");
    int h1, h2;
    hex_in >> std::hex >> h1 >> h2;
    std::cout << h1 << " " << h2 << "\n";
    std::istringstream bad("12 x 7");
    int a, b;
    bad >> a >> b;
    std::cout << "a=" << a << " fail=" << bad.fail() << "\n";
    std::ostringstream joined;
    for (std::size_t i = 0; i < records.size(); ++i) joined << (i ? ", " : "") << records[i].name;
    std::cout << joined.str() << "\n";
}
