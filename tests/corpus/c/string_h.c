#include <stdio.h>
#include <string.h>

int main(void) {
    char buf[64] = "Hello";
    strcat(buf, ", ");
    strncat(buf, "World!!!", 6);
    printf("%s (%zu)\n", buf, strlen(buf));
    char copy[64];
    strcpy(copy, buf);
    printf("cmp %d %d\n", strcmp(buf, copy) == 0, strncmp("abcd", "abcz", 3));
    printf("strchr %s | strrchr %s | strstr %s\n", strchr(buf, 'o'), strrchr(buf, 'o'), strstr(buf, "Wor"));
    char line[] = "alpha,beta;gamma delta";
    for (char *tok = strtok(line, ",; "); tok; tok = strtok(NULL, ",; ")) printf("[%s]", tok);
    printf("\n");
    char mem[8];
    memset(mem, 'x', sizeof mem - 1);
    mem[7] = '\0';
    memcpy(mem, "ab", 2);
    printf("%s %d\n", mem, memcmp("abc", "abd", 3) < 0);
    char overlap[] = "123456789";
    memmove(overlap + 2, overlap, 5);
    printf("%s\n", overlap);
    printf("spn %zu cspn %zu\n", strspn("aabbcx", "ab"), strcspn("hello world", " "));
    return 0;
}
