#include <iostream>
#include <memory>
#include <string>
#include <vector>

struct Node {
    std::string name;
    std::vector<std::shared_ptr<Node>> children;
    std::weak_ptr<Node> parent;
    explicit Node(std::string n) : name(std::move(n)) {}
    ~Node() { std::cout << "~" << name << "\n"; }
};

int main() {
    auto up = std::make_unique<int>(41);
    ++*up;
    std::cout << "unique " << *up << "\n";
    std::unique_ptr<int> moved = std::move(up);
    std::cout << "after move: up is " << (up ? "set" : "null") << ", moved " << *moved << "\n";
    {
        auto root = std::make_shared<Node>("root");
        auto child = std::make_shared<Node>("child");
        child->parent = root;
        root->children.push_back(child);
        std::cout << "root uses " << root.use_count() << ", child uses " << child.use_count() << "\n";
        if (auto p = child->parent.lock()) std::cout << "child's parent is " << p->name << "\n";
        std::shared_ptr<Node> alias = root;
        std::cout << "root uses " << root.use_count() << "\n";
    }
    std::weak_ptr<int> w;
    {
        auto s = std::make_shared<int>(7);
        w = s;
        std::cout << "expired inside: " << w.expired() << "\n";
    }
    std::cout << "expired outside: " << w.expired() << "\n";
    auto arr = std::make_unique<int[]>(4);
    for (int i = 0; i < 4; ++i) arr[i] = i * i;
    std::cout << arr[3] << "\n";
}
