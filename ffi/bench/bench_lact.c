/*
 * Throughput of lact_schedule_json from C: the README's Dudley sample request, on 1 and 2 threads.
 * Not run by CI (ffi/bench/run.sh builds and runs it; ffi/ci.sh runs a tiny smoke pass).
 *
 *   cc -O2 -std=c11 -pthread -I ffi/include ffi/bench/bench_lact.c -o bench_lact \
 *      target/release/liblac_timescales_ffi.so -Wl,-rpath,$PWD/target/release
 *   ./bench_lact [SECONDS_PER_RUN] [MAX_THREADS]
 *   valgrind --tool=callgrind ./bench_lact calls N      # instructions: (N=101 minus N=1) / 100
 *
 * Prints calls per second for each thread count (the whole call: request parsing, the schedule,
 * writing the response, lact_string_free).
 */
#define _POSIX_C_SOURCE 199309L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lac_timescales.h"

/* The README's sample request ("JSON request and response"). */
static const char *REQUEST =
    "{\"jurisdiction\": \"england\", \"profile\": \"dudley\", \"as_at\": \"2026-06-01\", \"horizon_months\": 12,"
    " \"child\": {\"date_of_birth\": \"2011-02-14\"},"
    " \"events\": [{\"event\": \"became_looked_after\", \"date\": \"2026-01-05\"},"
    " {\"event\": \"review_held\", \"date\": \"2026-01-29\"}]}";

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct job {
    double seconds;
    uint64_t calls;
    size_t bytes;
    int failed;
};

static void *worker(void *arg) {
    struct job *j = arg;
    double end = now() + j->seconds;
    uint64_t calls = 0;
    while (1) {
        for (int i = 0; i < 64; i++) {
            char *response = NULL;
            if (lact_schedule_json(REQUEST, &response) != LACT_OK) {
                j->failed = 1;
                lact_string_free(response);
                return NULL;
            }
            j->bytes = strlen(response);
            lact_string_free(response);
        }
        calls += 64;
        if (now() >= end) {
            break;
        }
    }
    j->calls = calls;
    return NULL;
}

/* `bench_lact calls N`: exactly N calls on one thread, for instruction counts under callgrind. */
static int fixed_calls(long n) {
    for (long i = 0; i < n; i++) {
        char *response = NULL;
        if (lact_schedule_json(REQUEST, &response) != LACT_OK) {
            fprintf(stderr, "bench_lact: the request failed\n");
            lact_string_free(response);
            return 1;
        }
        lact_string_free(response);
    }
    printf("calls: %ld\n", n);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "calls") == 0) {
        return fixed_calls(atol(argv[2]));
    }
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    int max_threads = argc > 2 ? atoi(argv[2]) : 2;
    if (seconds <= 0 || max_threads < 1 || max_threads > 64) {
        fprintf(stderr, "usage: bench_lact [SECONDS_PER_RUN > 0] [MAX_THREADS 1-64]\n");
        return 2;
    }
    /* Warm up (first call builds the calendar and profile tables). */
    struct job warm = {0.2, 0, 0, 0};
    worker(&warm);
    if (warm.failed) {
        fprintf(stderr, "bench_lact: the request failed\n");
        return 1;
    }
    printf("response bytes: %zu\n", warm.bytes);
    for (int n = 1; n <= max_threads; n++) {
        pthread_t t[64];
        struct job jobs[64];
        double start = now();
        for (int i = 0; i < n; i++) {
            jobs[i] = (struct job){seconds, 0, 0, 0};
            pthread_create(&t[i], NULL, worker, &jobs[i]);
        }
        uint64_t total = 0;
        for (int i = 0; i < n; i++) {
            pthread_join(t[i], NULL);
            total += jobs[i].calls;
            if (jobs[i].failed) {
                fprintf(stderr, "bench_lact: a call failed\n");
                return 1;
            }
        }
        double elapsed = now() - start;
        printf("threads: %d  calls: %llu  seconds: %.3f  calls_per_second: %.0f\n", n, (unsigned long long)total,
               elapsed, (double)total / elapsed);
    }
    return 0;
}
