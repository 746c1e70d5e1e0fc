#include <array>
#include <deque>
#include <forward_list>
#include <iostream>
#include <list>
#include <queue>
#include <stack>
#include <string>
#include <tuple>

int main() {
    std::deque<int> dq{3, 4};
    dq.push_front(2); dq.push_back(5); dq.push_front(1);
    for (int x : dq) std::cout << x;
    std::cout << " front " << dq.front() << " back " << dq.back() << "\n";
    std::stack<std::string> st;
    for (std::string w : {"a", "b", "c"}) st.push(w);
    while (!st.empty()) { std::cout << st.top(); st.pop(); }
    std::cout << "\n";
    std::queue<int> q;
    for (int i = 1; i <= 3; ++i) q.push(i * 10);
    q.pop();
    std::cout << q.front() << " " << q.size() << "\n";
    std::list<int> l{5, 1, 4, 1};
    l.sort();
    l.unique();
    l.push_front(0);
    for (int x : l) std::cout << x << " ";
    std::cout << "\n";
    std::forward_list<int> fl{3, 2, 1};
    fl.reverse();
    for (int x : fl) std::cout << x;
    std::cout << "\n";
    auto t = std::make_tuple(1, std::string("two"), 3.0);
    std::cout << std::get<0>(t) << " " << std::get<1>(t) << " " << std::get<2>(t) << " " << std::tuple_size_v<decltype(t)> << "\n";
    std::array<int, 4> arr{4, 3, 2, 1};
    std::cout << arr.size() << " " << arr.at(2) << "\n";
}
