#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char name[16];
    char team[8];
    int points;
    double average;
} Player;

static int by_team_points_name(const void *a, const void *b) {
    const Player *x = a, *y = b;
    int c = strcmp(x->team, y->team);
    if (c) return c;
    if (x->points != y->points) return y->points - x->points;
    return strcmp(x->name, y->name);
}

static int by_average_desc(const void *a, const void *b) {
    double x = ((const Player *)a)->average, y = ((const Player *)b)->average;
    return (x < y) - (x > y);
}

int main(void) {
    Player players[] = {
        {"Nia", "blue", 30, 7.5}, {"Oz", "red", 42, 8.1}, {"Pat", "blue", 30, 6.0},
        {"Quin", "red", 17, 9.9}, {"Ray", "blue", 55, 5.5}, {"Sol", "green", 8, 2.0},
    };
    size_t n = sizeof players / sizeof players[0];
    qsort(players, n, sizeof players[0], by_team_points_name);
    for (size_t i = 0; i < n; i++) printf("%-6s %-5s %3d\n", players[i].team, players[i].name, players[i].points);
    qsort(players, n, sizeof players[0], by_average_desc);
    printf("best average: %s (%.1f)\n", players[0].name, players[0].average);
    return 0;
}
