#include <ctype.h>
#include <stdio.h>

typedef enum { START, IN_NUMBER, IN_WORD, DONE } State;
typedef enum { RED, YELLOW, GREEN, LIGHT_COUNT } Light;

static const char *light_names[LIGHT_COUNT] = {"red", "yellow", "green"};

static Light next_light(Light l) {
    switch (l) {
        case RED: return GREEN;
        case GREEN: return YELLOW;
        case YELLOW: return RED;
        default: return RED;
    }
}

int main(void) {
    const char *text = "abc 123 de 4 5f";
    State state = START;
    int numbers = 0, words = 0;
    for (const char *p = text;; p++) {
        char c = *p;
        switch (state) {
            case START:
                if (isdigit((unsigned char)c)) { state = IN_NUMBER; numbers++; }
                else if (isalpha((unsigned char)c)) { state = IN_WORD; words++; }
                break;
            case IN_NUMBER:
            case IN_WORD:
                if (c == ' ' || c == '\0') state = START;
                break;
            case DONE:
                break;
        }
        if (c == '\0') { state = DONE; break; }
    }
    printf("numbers %d words %d final state %d\n", numbers, words, state);
    Light l = RED;
    for (int i = 0; i < 5; i++) {
        printf("%s ", light_names[l]);
        l = next_light(l);
    }
    printf("\n");
    return 0;
}
