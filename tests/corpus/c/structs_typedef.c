#include <stdio.h>
#include <string.h>

typedef struct {
    char name[32];
    int age;
    double gpa;
} Student;

typedef struct { double x, y; } Point;
typedef struct { Point min, max; } Box;

static double area(Box b) { return (b.max.x - b.min.x) * (b.max.y - b.min.y); }

static void birthday(Student *s) { s->age++; }

int main(void) {
    Student s = {"Ada", 20, 3.9};
    Student copy = s;
    birthday(&s);
    strcpy(copy.name, "Copy");
    printf("%s is %d (gpa %.2f); %s is %d\n", s.name, s.age, s.gpa, copy.name, copy.age);
    Box b = {{1.0, 2.0}, {4.5, 6.0}};
    printf("area %.3f\n", area(b));
    Student class_[3] = {{"Bo", 19, 3.1}, {"Cy", 22, 3.5}, {"Di", 21, 2.8}};
    double total = 0;
    for (size_t i = 0; i < sizeof class_ / sizeof class_[0]; i++) total += class_[i].gpa;
    printf("mean gpa %.4f\n", total / 3);
    return 0;
}
