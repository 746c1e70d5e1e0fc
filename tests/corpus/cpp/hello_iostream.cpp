#include <iostream>
using namespace std;

int main() {
    cout << "Hello, World!" << endl;
    cout << "2 + 3 = " << 2 + 3 << '\n';
    return 0;
}
