// corpus: expect-error error: threads are not supported in this sandbox
#include <iostream>
#include <thread>
#include <vector>

int main() {
    std::vector<std::thread> workers;
    int results[4] = {};
    for (int i = 0; i < 4; ++i) workers.emplace_back([i, &results] { results[i] = i * i; });
    for (auto& t : workers) t.join();
    for (int r : results) std::cout << r << "\n";
}
