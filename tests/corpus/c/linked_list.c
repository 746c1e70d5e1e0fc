#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    int value;
    struct Node *next;
} Node;

static Node *push(Node *head, int value) {
    Node *n = malloc(sizeof *n);
    if (!n) exit(1);
    n->value = value;
    n->next = head;
    return n;
}

static Node *reverse(Node *head) {
    Node *prev = NULL;
    while (head) {
        Node *next = head->next;
        head->next = prev;
        prev = head;
        head = next;
    }
    return prev;
}

static void print_list(const Node *n) {
    for (; n; n = n->next) printf("%d%s", n->value, n->next ? " -> " : "\n");
}

int main(void) {
    Node *list = NULL;
    for (int i = 1; i <= 5; i++) list = push(list, i * i);
    print_list(list);
    list = reverse(list);
    print_list(list);
    int sum = 0, count = 0;
    for (Node *n = list; n; n = n->next) { sum += n->value; count++; }
    printf("count=%d sum=%d\n", count, sum);
    while (list) { Node *next = list->next; free(list); list = next; }
    return 0;
}
