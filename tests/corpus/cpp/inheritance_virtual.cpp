#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

class Shape {
public:
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }
    void describe() const { std::cout << name() << " with area " << area() << "\n"; }
};

class Circle : public Shape {
    double r_;
public:
    explicit Circle(double r) : r_(r) {}
    double area() const override { return 3.14159265358979 * r_ * r_; }
    std::string name() const override { return "circle"; }
};

class Rect : public Shape {
protected:
    double w_, h_;
public:
    Rect(double w, double h) : w_(w), h_(h) {}
    double area() const override { return w_ * h_; }
    std::string name() const override { return "rect"; }
};

class Square final : public Rect {
public:
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square(" + Rect::name() + ")"; }
};

struct Noisy {
    std::string id;
    explicit Noisy(std::string i) : id(std::move(i)) { std::cout << "make " << id << "\n"; }
    ~Noisy() { std::cout << "drop " << id << "\n"; }
};

int main() {
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Circle>(1.5));
    shapes.push_back(std::make_unique<Rect>(2, 3.5));
    shapes.push_back(std::make_unique<Square>(4));
    double total = 0;
    for (const auto& s : shapes) { s->describe(); total += s->area(); }
    std::cout << "total " << total << "\n";
    const Shape& ref = *shapes[2];
    std::cout << "dynamic_cast to Rect: " << (dynamic_cast<const Rect*>(&ref) != nullptr) << "\n";
    std::cout << "dynamic_cast to Circle: " << (dynamic_cast<const Circle*>(&ref) != nullptr) << "\n";
    { Noisy a("a"); Noisy b("b"); }
    std::cout << "end\n";
}
