#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int is_palindrome(const char *s) {
    size_t i = 0, j = strlen(s);
    while (i < j) {
        if (!isalnum((unsigned char)s[i])) { i++; continue; }
        if (!isalnum((unsigned char)s[j - 1])) { j--; continue; }
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)s[j - 1])) return 0;
        i++;
        j--;
    }
    return 1;
}

static void capitalize_words(char *s) {
    int start = 1;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) start = 1;
        else if (start) { *s = (char)toupper((unsigned char)*s); start = 0; }
        else *s = (char)tolower((unsigned char)*s);
    }
}

static void reverse(char *s) {
    for (size_t i = 0, j = strlen(s); i + 1 < j; i++, j--) {
        char t = s[i]; s[i] = s[j - 1]; s[j - 1] = t;
    }
}

int main(void) {
    const char *tests[] = {"A man, a plan, a canal: Panama", "hello", "Was it a car or a cat I saw?"};
    for (int i = 0; i < 3; i++) printf("%d %s\n", is_palindrome(tests[i]), tests[i]);
    char title[] = "the qUICK brown FOX";
    capitalize_words(title);
    printf("%s\n", title);
    char word[] = "stressed";
    reverse(word);
    printf("%s\n", word);
    int vowels = 0;
    for (const char *p = "Programming in C"; *p; p++) if (strchr("aeiouAEIOU", *p)) vowels++;
    printf("vowels %d\n", vowels);
    printf("%d %d %d %d\n", isupper('Q') != 0, ispunct('!') != 0, isxdigit('g') != 0, isspace('\t') != 0);
    return 0;
}
