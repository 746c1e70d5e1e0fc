#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(void) {
    mkdir("out", 0755);
    FILE *f = fopen("out/data.txt", "w");
    if (!f) { perror("fopen"); return 1; }
    for (int i = 1; i <= 5; i++) fprintf(f, "line %d: %d\n", i, i * i);
    fclose(f);
    f = fopen("out/data.txt", "r");
    char line[64];
    int total = 0, n;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "line %*d: %d", &n) == 1) total += n;
    }
    printf("total %d\n", total);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    printf("size %ld\n", size);
    rewind(f);
    int c, lines = 0;
    while ((c = fgetc(f)) != EOF) if (c == '\n') lines++;
    printf("lines %d\n", lines);
    fclose(f);
    f = fopen("out/data.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    FILE *b = fopen("out/nums.bin", "wb");
    int nums[4] = {10, 20, 30, 40};
    fwrite(nums, sizeof nums[0], 4, b);
    fclose(b);
    int back[4] = {0};
    b = fopen("out/nums.bin", "rb");
    size_t got = fread(back, sizeof back[0], 4, b);
    fclose(b);
    printf("read %zu: %d %d\n", got, back[0], back[3]);
    struct stat st;
    if (stat("out/data.txt", &st) == 0) printf("data.txt is %lld bytes\n", (long long)st.st_size);
    printf("missing: %s\n", fopen("out/nope.txt", "r") == NULL ? "NULL" : "opened");
    remove("out/nums.bin");
    printf("removed: %s\n", fopen("out/nums.bin", "rb") == NULL ? "yes" : "no");
    return 0;
}
