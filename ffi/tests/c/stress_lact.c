/*
 * Adversarial C test of the lac-timescales C ABI (adv8): a vendor calling it from several threads
 * at once with hostile and ordinary requests, re-registering a council's profile while other
 * threads schedule with it.
 *
 * Built and run by `cargo test -p lac-timescales-ffi --test c_stress` and, under valgrind, by
 * hand (see the report). Expected dates are worked out by hand from the England and Wales
 * calendar (comments), never taken from the library.
 *
 * Exit status 0 when every check passes, 1 otherwise.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lac_timescales.h"

static int checks = 0;
static int failures = 0;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        int ok_ = (cond) ? 1 : 0;                                                         \
        pthread_mutex_lock(&lock);                                                        \
        checks++;                                                                         \
        if (!ok_) {                                                                       \
            failures++;                                                                   \
            if (failures < 50) {                                                          \
                fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            }                                                                             \
        }                                                                                 \
        pthread_mutex_unlock(&lock);                                                      \
    } while (0)

/* The council's profile with its report due `days` working days before each review. */
static char *council_toml(const char *id, int days) {
    char *t = malloc(1024);
    if (t == NULL) {
        abort();
    }
    snprintf(t, 1024,
             "id = \"%s\"\nname = \"Stress council\"\nkind = \"local\"\nextends = \"england\"\n"
             "version = \"%d\"\nsource = \"test\"\n[[rule]]\nduty = \"submit_social_work_report\"\n"
             "role = \"social_worker\"\nanchor = \"review_date\"\ndirection = \"before\"\n"
             "period = \"%d working days\"\naction = \"Send the report (%d days)\"\n"
             "citation = { instrument = \"Stress council procedure\", provision = \"s.%d\", status = \"V\" }\n",
             id, days, days, days, days);
    return t;
}

/* Looked after from Mon 5 Jan 2026: first review due 20 working days later, Mon 2 Feb 2026
 * (5 Jan is day 0; 6-9 Jan 1-4, 12-16 5-9, 19-23 10-14, 26-30 15-19, Mon 2 Feb 20). */
static const char *COUNCIL_REQUEST =
    "{\"jurisdiction\": \"england\", \"profile\": \"stress-council\", \"horizon_months\": 0, \"events\": "
    "[{\"event\": \"became_looked_after\", \"date\": \"2026-01-05\"}]}";

/* The report's deadline in a response, or "" when there is none. 5 working days before Mon 2
 * Feb 2026 is Mon 26 Jan; 10 working days before is Mon 19 Jan. */
static int report_days(const char *response) {
    const char *p = strstr(response, "\"duty\":\"submit_social_work_report\"");
    if (p == NULL) {
        return -1;
    }
    const char *l = strstr(p, "\"latest\":\"");
    if (l == NULL) {
        return -2;
    }
    l += strlen("\"latest\":\"");
    if (strncmp(l, "2026-01-26", 10) == 0) {
        return 5;
    }
    if (strncmp(l, "2026-01-19", 10) == 0) {
        return 10;
    }
    return -3;
}

static int has_action(const char *response, int days) {
    char want[64];
    snprintf(want, sizeof want, "Send the report (%d days)", days);
    return strstr(response, want) != NULL;
}

/* Re-registering under the same id replaces the profile for the very next request on the same
 * thread: the thread's caches must not keep the old rules. */
static void test_replace_same_thread(void) {
    for (int round = 0; round < 6; round++) {
        int days = round % 2 == 0 ? 5 : 10;
        char *toml = council_toml("stress-council", days);
        CHECK(lact_register_profile("stress-council", toml) == LACT_OK);
        free(toml);
        char *r = NULL;
        CHECK(lact_schedule_json(COUNCIL_REQUEST, &r) == LACT_OK);
        CHECK(r != NULL && report_days(r) == days);
        CHECK(r != NULL && has_action(r, days));
        CHECK(r != NULL && strstr(r, "\"profile\":\"stress-council\"") != NULL);
        lact_string_free(r);
    }
}

/* One thread replaces the profile (5 days, 10 days, ...) and removes and re-adds it, while the
 * others schedule with it: every answer is one of the two profiles whole (deadline and action
 * agree) or "unknown profile", never a mixture, a crash or a panic. */
static volatile int stop_flag = 0;

static void *replacer(void *arg) {
    (void)arg;
    char *t5 = council_toml("stress-council", 5);
    char *t10 = council_toml("stress-council", 10);
    for (int i = 0; i < 400; i++) {
        CHECK(lact_register_profile("stress-council", i % 2 ? t10 : t5) == LACT_OK);
        if (i % 7 == 0) {
            int32_t removed = -1;
            CHECK(lact_unregister_profile("stress-council", &removed) == LACT_OK && removed == 1);
        }
    }
    CHECK(lact_register_profile("stress-council", t5) == LACT_OK);
    free(t5);
    free(t10);
    __atomic_store_n(&stop_flag, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *scheduler(void *arg) {
    int *seen = arg;
    while (!__atomic_load_n(&stop_flag, __ATOMIC_SEQ_CST)) {
        char *r = NULL;
        lact_status st = lact_schedule_json(COUNCIL_REQUEST, &r);
        CHECK(st == LACT_OK || st == LACT_INVALID_INPUT);
        CHECK(r != NULL);
        if (r == NULL) {
            continue;
        }
        if (st == LACT_OK) {
            int d = report_days(r);
            CHECK(d == 5 || d == 10);
            CHECK(has_action(r, d));
            seen[0]++;
        } else {
            CHECK(strstr(r, "unknown profile") != NULL);
            seen[1]++;
        }
        lact_string_free(r);
    }
    return NULL;
}

static void test_replace_while_scheduling(void) {
    enum { N = 4 };
    pthread_t rep, th[N];
    int seen[N][2];
    memset(seen, 0, sizeof seen);
    stop_flag = 0;
    for (int i = 0; i < N; i++) {
        CHECK(pthread_create(&th[i], NULL, scheduler, seen[i]) == 0);
    }
    CHECK(pthread_create(&rep, NULL, replacer, NULL) == 0);
    pthread_join(rep, NULL);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
    }
}

/* Each thread's last error is its own: a thread sends a request with its own bad date and reads
 * back a message naming that date, while other threads succeed and fail in between. */
static void *own_error(void *arg) {
    int k = (int)(intptr_t)arg;
    for (int i = 0; i < 200; i++) {
        char req[256], want[32];
        /* Day 30 of February never exists; the month varies by thread to tell them apart. */
        snprintf(want, sizeof want, "20%02d-02-30", 30 + k);
        snprintf(req, sizeof req,
                 "{\"jurisdiction\": \"england\", \"events\": [{\"event\": \"became_looked_after\", "
                 "\"date\": \"%s\"}]}",
                 want);
        char *r = NULL;
        CHECK(lact_schedule_json(req, &r) == LACT_INVALID_EVENT);
        CHECK(r != NULL && strstr(r, want) != NULL);
        lact_string_free(r);
        char buf[512];
        size_t need = lact_last_error(buf, sizeof buf);
        CHECK(need > 1 && need <= sizeof buf);
        CHECK(strstr(buf, want) != NULL);
        CHECK(strstr(buf, "event 0") != NULL);
        if (i % 3 == 0) {
            int32_t y = 0, m = 0, d = 0;
            /* 2026-12-24 plus 20 working days: Mon 26 Jan 2027 (header's example). */
            CHECK(lact_add_working_days(2026, 12, 24, 20, &y, &m, &d) == LACT_OK);
            CHECK(y == 2027 && m == 1 && d == 26);
            CHECK(lact_last_error(NULL, 0) == 0);
        }
    }
    return NULL;
}

static void test_last_error_per_thread(void) {
    enum { N = 6 };
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        CHECK(pthread_create(&th[i], NULL, own_error, (void *)(intptr_t)i) == 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
    }
}

/* A real day in a year far outside the calendar is out of range, as year 2200 is, not "no such
 * day": the year does not fit chrono's range, but the day exists. A day that exists in no year
 * (29 Feb of a common year, month 13) stays an invalid input. Nothing is written on failure. */
static void test_far_years(void) {
    int32_t y = -7, m = -7, d = -7, w = -7;
    CHECK(lact_add_working_days(2147483647, 12, 31, 1, &y, &m, &d) == LACT_DATE_OUT_OF_RANGE);
    CHECK(y == -7 && m == -7 && d == -7);
    char buf[256];
    CHECK(lact_last_error(buf, sizeof buf) > 1);
    CHECK(strstr(buf, "2147483647-12-31") != NULL && strstr(buf, "outside the supported range") != NULL);
    CHECK(lact_sub_working_days(INT32_MIN, 1, 1, 0, &y, &m, &d) == LACT_DATE_OUT_OF_RANGE);
    /* INT32_MIN is divisible by 4 and not by 100: a leap year, so 29 Feb exists. */
    CHECK(lact_is_working_day(INT32_MIN, 2, 29, &w) == LACT_DATE_OUT_OF_RANGE);
    CHECK(lact_is_working_day(300000, 6, 1, &w) == LACT_DATE_OUT_OF_RANGE);
    CHECK(lact_is_working_day(2200, 1, 1, &w) == LACT_DATE_OUT_OF_RANGE);
    CHECK(w == -7);
    /* 2147483647 = 4 * 536870911 + 3: a common year, so 29 Feb is no day at all. */
    CHECK(lact_is_working_day(2147483647, 2, 29, &w) == LACT_INVALID_INPUT);
    CHECK(lact_is_working_day(2147483647, 13, 1, &w) == LACT_INVALID_INPUT);
    CHECK(lact_is_working_day(INT32_MAX, 1, INT32_MIN, &w) == LACT_INVALID_INPUT);
    CHECK(lact_last_error(buf, sizeof buf) > 1 && strstr(buf, "no such day") != NULL);
    CHECK(w == -7);
}

/* The statuses the header gives for ids: a statutory profile's id is refused by the profile
 * loader (LACT_INVALID_DATA), a built-in local profile's id by the registry (LACT_INVALID_INPUT).
 * At the limit of 1,000 registered profiles a new id is refused, replacing one is not. */
static void test_register_ids_and_limit(void) {
    char *t = council_toml("england", 5);
    CHECK(lact_register_profile("england", t) == LACT_INVALID_DATA);
    free(t);
    t = council_toml("dudley", 5);
    CHECK(lact_register_profile("dudley", t) == LACT_INVALID_INPUT);
    free(t);
    t = council_toml("Upper", 5);
    CHECK(lact_register_profile("Upper", t) == LACT_INVALID_DATA);
    free(t);
    char id[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof id, "limit-%d", i);
        t = council_toml(id, 5);
        CHECK(lact_register_profile(id, t) == LACT_OK);
        free(t);
    }
    t = council_toml("limit-1000", 5);
    CHECK(lact_register_profile("limit-1000", t) == LACT_REQUEST_TOO_LARGE);
    free(t);
    t = council_toml("limit-7", 10);
    CHECK(lact_register_profile("limit-7", t) == LACT_OK);
    free(t);
    for (int i = 0; i < 1000; i++) {
        int32_t removed = -1;
        snprintf(id, sizeof id, "limit-%d", i);
        CHECK(lact_unregister_profile(id, &removed) == LACT_OK && removed == 1);
    }
}

/* Calls made while a thread exits: from a pthread key's destructor, which glibc runs after the
 * thread's C++-style thread-local destructors (Rust's among them). The library's thread-local
 * last error is gone by then; a call must still work (no abort of the whole process: before the
 * fix, setting the last error panicked outside the boundary's catch and the process aborted). */
static pthread_key_t exit_key;
static lact_status exit_ok = (lact_status)-1, exit_bad = (lact_status)-1, exit_days = (lact_status)-1;
static int exit_ok_response = 0, exit_bad_response = 0;
static size_t exit_last_error = 99;
static int32_t exit_y = 0, exit_m = 0, exit_d = 0;

static void on_thread_exit(void *p) {
    (void)p;
    char *r = NULL;
    exit_ok = lact_schedule_json(
        "{\"jurisdiction\": \"england\", \"events\": [{\"event\": \"became_looked_after\", \"date\": \"2026-12-24\"}]}", &r);
    /* Looked after Thu 24 Dec 2026: the first review by Tue 26 Jan 2027 (the header's example). */
    exit_ok_response = r != NULL && strstr(r, "\"latest\":\"2027-01-26\"") != NULL;
    lact_string_free(r);
    r = NULL;
    exit_bad = lact_schedule_json("{\"jurisdiction\": \"mars\", \"events\": []}", &r);
    exit_bad_response = r != NULL && strstr(r, "mars") != NULL;
    lact_string_free(r);
    exit_last_error = lact_last_error(NULL, 0);
    exit_days = lact_add_working_days(2026, 12, 24, 20, &exit_y, &exit_m, &exit_d);
}

static void *exiting_thread(void *arg) {
    (void)arg;
    CHECK(pthread_setspecific(exit_key, (void *)1) == 0);
    char *r = NULL;
    CHECK(lact_schedule_json("{\"jurisdiction\": \"england\", \"events\": []}", &r) == LACT_OK);
    lact_string_free(r);
    return NULL;
}

static void test_calls_while_a_thread_exits(void) {
    CHECK(pthread_key_create(&exit_key, on_thread_exit) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, exiting_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(exit_ok == LACT_OK && exit_ok_response);
    CHECK(exit_bad == LACT_INVALID_INPUT && exit_bad_response);
    /* No message can be kept for an exiting thread: reported as none. */
    CHECK(exit_last_error == 0);
    CHECK(exit_days == LACT_OK && exit_y == 2027 && exit_m == 1 && exit_d == 26);
    CHECK(pthread_key_delete(exit_key) == 0);
}

int main(void) {
    test_calls_while_a_thread_exits();
    test_far_years();
    test_register_ids_and_limit();
    test_replace_same_thread();
    test_replace_while_scheduling();
    test_last_error_per_thread();
    int32_t removed = -1;
    CHECK(lact_unregister_profile("stress-council", &removed) == LACT_OK);
    printf("%d checks, %d failures\n", checks, failures);
    if (failures == 0) {
        printf("all checks passed\n");
    }
    return failures == 0 ? 0 : 1;
}
