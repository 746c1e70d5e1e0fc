// corpus: expect-error error: threads are not supported in this sandbox
#include <pthread.h>
#include <stdio.h>

static void *work(void *arg) {
    printf("worker %d\n", *(int *)arg);
    return NULL;
}

int main(void) {
    pthread_t threads[2];
    int ids[2] = {1, 2};
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, work, &ids[i]);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    return 0;
}
