#include <stdio.h>

int main(void) {
    printf("Hello, World!\n");
    printf("%d + %d = %d\n", 2, 3, 2 + 3);
    puts("done");
    return 0;
}
