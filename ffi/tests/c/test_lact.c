/*
 * C test of the lac-timescales C ABI (ffi/include/lac_timescales.h).
 *
 * Built and run by `cargo test -p lac-timescales-ffi --test c_abi` (so by `cargo test --workspace`)
 * and by ffi/ci.sh, which also runs it under valgrind. Expected dates are worked out by hand from
 * the England and Wales calendar (see the comments), never taken from the library.
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

#define CHECK(cond)                                                                   \
    do {                                                                              \
        checks++;                                                                     \
        if (!(cond)) {                                                                \
            failures++;                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)

/* A pointer value the library must never write or free: shows an out-parameter was left alone. */
static char sentinel_byte;
#define UNTOUCHED (&sentinel_byte)

static const char *LOOKED_AFTER_CHRISTMAS_EVE =
    "{\"jurisdiction\": \"england\", \"events\": [{\"event\": \"became_looked_after\", \"date\": \"2026-12-24\"}]}";

/* The last error as a new malloc'd string (NULL if none), checking the length protocol. */
static char *last_error(void) {
    size_t need = lact_last_error(NULL, 0);
    if (need == 0) {
        return NULL;
    }
    char *buf = malloc(need);
    if (buf == NULL) {
        abort();
    }
    size_t got = lact_last_error(buf, need);
    CHECK(got == need);
    CHECK(strlen(buf) == need - 1);
    return buf;
}

/* Calls lact_schedule_json and checks the shared contract for `expected`; returns the response
 * (to be freed by the caller) or NULL. */
static char *schedule(const char *request, lact_status expected) {
    char *response = UNTOUCHED;
    lact_status st = lact_schedule_json(request, &response);
    if (st != expected) {
        char *msg = last_error();
        fprintf(stderr, "status %d, expected %d (%s)\n", (int)st, (int)expected, msg ? msg : "");
        free(msg);
    }
    CHECK(st == expected);
    CHECK(response != UNTOUCHED);
    CHECK(response != NULL);
    if (response == UNTOUCHED) {
        return NULL;
    }
    if (st == LACT_OK) {
        CHECK(strstr(response, "\"obligations\"") != NULL);
        CHECK(lact_last_error(NULL, 0) == 0);
    } else {
        CHECK(strncmp(response, "{\"error\":{\"kind\":\"", 18) == 0);
        CHECK(lact_last_error(NULL, 0) > 1);
    }
    return response;
}

static void test_version(void) {
    const char *v = lact_version();
    CHECK(v != NULL);
    /* A semantic version: digits and two dots. */
    int dots = 0;
    for (const char *p = v; *p; p++) {
        CHECK((*p >= '0' && *p <= '9') || *p == '.');
        dots += *p == '.';
    }
    CHECK(dots == 2);
    CHECK(lact_version() == v); /* static: the same pointer every time */
}

/* The text of obligation `n` in a compact response (from its `{"duty":` to the next one), as a
 * new malloc'd string, or NULL. Obligations are the only objects that start with `{"duty":`. */
static char *obligation_text(const char *response, long n) {
    const char *p = strstr(response, "\"obligations\":[");
    for (long i = 0; p != NULL && i <= n; i++) {
        p = strstr(p + 1, "{\"duty\":");
    }
    if (p == NULL) {
        return NULL;
    }
    const char *end = strstr(p + 1, "{\"duty\":");
    if (end == NULL) {
        end = strstr(p, "],\"next_review\":");
    }
    size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
    char *out = malloc(len + 1);
    if (out == NULL) {
        abort();
    }
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

/* The number after `"key":` in `text`, or -1. */
static long number_after(const char *text, const char *key) {
    const char *p = strstr(text, key);
    if (p == NULL) {
        return -1;
    }
    p += strlen(key);
    return (*p >= '0' && *p <= '9') ? strtol(p, NULL, 10) : -1;
}

static void test_schedule_happy_path(void) {
    /* No error recorded on this thread yet. */
    CHECK(lact_last_error(NULL, 0) == 0);
    char *response = schedule(LOOKED_AFTER_CHRISTMAS_EVE, LACT_OK);
    if (response != NULL) {
        /* Compact JSON by default, and no explanations unless asked for. */
        CHECK(strchr(response, '\n') == NULL);
        CHECK(strstr(response, "\"explanation\"") == NULL);
        const char *start = "{\"citations\":[{\"instrument\":";
        CHECK(strncmp(response, start, strlen(start)) == 0);
        /* 20 working days after Thu 24 Dec 2026, skipping Fri 25 Dec, Mon 28 Dec (Boxing Day
         * substitute) and Fri 1 Jan 2027: Tue 26 Jan 2027 (CPPCR 2010 reg 33(1)). `next_review`
         * is an index into `obligations`; its `citation` an index into `citations`. */
        long next = number_after(response, "\"next_review\":");
        CHECK(next >= 0);
        char *o = obligation_text(response, next);
        CHECK(o != NULL);
        if (o != NULL) {
            CHECK(strstr(o, "\"duty\":\"hold_review\"") != NULL);
            CHECK(strstr(o, "\"latest\":\"2027-01-26\"") != NULL);
            long c = number_after(o, "\"citation\":");
            CHECK(c >= 0);
            /* The citations table: entry c is the one with reg 33(1). */
            const char *entry = strstr(response, "\"citations\":[");
            for (long i = 0; entry != NULL && i <= c; i++) {
                entry = strstr(entry + 1, "{\"instrument\":");
            }
            const char *provision = "\"provision\":\"reg 33(1)\"";
            CHECK(entry != NULL && strncmp(strstr(entry, "\"provision\":"), provision, strlen(provision)) == 0);
            free(o);
        }
    }
    lact_string_free(response);

    /* On request: explanations and indented JSON. */
    response = schedule("{\"jurisdiction\": \"england\", \"explain\": true, \"pretty\": true, \"events\": "
                        "[{\"event\": \"became_looked_after\", \"date\": \"2026-12-24\"}]}",
                        LACT_OK);
    if (response != NULL) {
        CHECK(strstr(response, "\"explanation\": [") != NULL);
        CHECK(strstr(response, "\n  \"obligations\": [") != NULL);
        CHECK(strstr(response, "Christmas Day") != NULL); /* a skipped day, named */
    }
    lact_string_free(response);
}

static void test_null_arguments(void) {
    char *response = UNTOUCHED;
    CHECK(lact_schedule_json(NULL, &response) == LACT_NULL_ARGUMENT);
    CHECK(response == UNTOUCHED);
    char *msg = last_error();
    CHECK(msg != NULL && strstr(msg, "request") != NULL);
    free(msg);
    CHECK(lact_schedule_json(LOOKED_AFTER_CHRISTMAS_EVE, NULL) == LACT_NULL_ARGUMENT);
    msg = last_error();
    CHECK(msg != NULL && strstr(msg, "response_out") != NULL);
    free(msg);
    CHECK(lact_audit_json(NULL, &response) == LACT_NULL_ARGUMENT);
    CHECK(lact_audit_json("{}", NULL) == LACT_NULL_ARGUMENT);
    CHECK(response == UNTOUCHED);

    int32_t y = -1, m = -1, d = -1, w = -1;
    CHECK(lact_add_working_days(2026, 1, 1, 20, NULL, &m, &d) == LACT_NULL_ARGUMENT);
    CHECK(lact_add_working_days(2026, 1, 1, 20, &y, NULL, &d) == LACT_NULL_ARGUMENT);
    CHECK(lact_sub_working_days(2026, 1, 1, 20, &y, &m, NULL) == LACT_NULL_ARGUMENT);
    CHECK(y == -1 && m == -1 && d == -1);
    CHECK(lact_is_working_day(2026, 1, 1, NULL) == LACT_NULL_ARGUMENT);
    msg = last_error();
    CHECK(msg != NULL && strstr(msg, "is_working_out") != NULL);
    free(msg);
    CHECK(w == -1);

    lact_string_free(NULL); /* a no-op */
}

static void test_request_errors(void) {
    /* Invalid UTF-8 (a lone 0xFF byte in a string). */
    char *r = schedule("{\"jurisdiction\": \"engl\xff\"}", LACT_INVALID_UTF8);
    CHECK(r != NULL && strstr(r, "not valid UTF-8") != NULL);
    lact_string_free(r);
    /* Truncated UTF-8 sequence at the very end. */
    lact_string_free(schedule("{\"a\": \"\xe2\x82", LACT_INVALID_UTF8));

    /* Malformed JSON. */
    lact_string_free(schedule("{\"jurisdiction\": ", LACT_INVALID_JSON));
    lact_string_free(schedule("", LACT_INVALID_JSON));
    lact_string_free(schedule("not json at all", LACT_INVALID_JSON));

    /* Well-formed JSON, wrong shape: missing field, unknown field, wrong type, not an object. */
    r = schedule("{\"events\": []}", LACT_INVALID_INPUT);
    CHECK(r != NULL && strstr(r, "jurisdiction") != NULL);
    lact_string_free(r);
    lact_string_free(schedule("{\"jurisdiction\": \"england\", \"events\": [], \"colour\": 1}", LACT_INVALID_INPUT));
    lact_string_free(schedule("{\"jurisdiction\": \"scotland\", \"events\": []}", LACT_INVALID_INPUT));
    lact_string_free(schedule("[1, 2, 3]", LACT_INVALID_INPUT));
    lact_string_free(schedule("42", LACT_INVALID_INPUT));

    /* An impossible event: a review while not looked after. */
    r = schedule("{\"jurisdiction\": \"england\", \"events\": [{\"event\": \"review_held\", \"date\": \"2026-01-01\"}]}",
                 LACT_INVALID_EVENT);
    char *msg = last_error();
    CHECK(msg != NULL && strstr(msg, "event 0 (review_held)") != NULL);
    free(msg);
    lact_string_free(r);

    /* A malformed local profile. */
    lact_string_free(schedule("{\"jurisdiction\": \"england\", \"profile_toml\": \"not = [valid\", \"events\": "
                              "[{\"event\": \"became_looked_after\", \"date\": \"2026-01-01\"}]}",
                              LACT_INVALID_DATA));

    /* Looked after from 1 Dec 2199: the projected reviews run past 31 Dec 2199, the calendar's end. */
    lact_string_free(schedule("{\"jurisdiction\": \"england\", \"events\": "
                              "[{\"event\": \"became_looked_after\", \"date\": \"2199-12-01\"}]}",
                              LACT_DATE_OUT_OF_RANGE));
}

static void test_limits(void) {
    /* One byte over the 8 MiB limit: a JSON string of spaces. */
    size_t n = 8u * 1024u * 1024u + 1u;
    char *big = malloc(n + 1);
    if (big == NULL) {
        abort();
    }
    memset(big, ' ', n);
    big[0] = '"';
    big[n - 1] = '"';
    big[n] = '\0';
    char *r = schedule(big, LACT_REQUEST_TOO_LARGE);
    CHECK(r != NULL && strstr(r, "\"kind\":\"limit_exceeded\"") != NULL);
    CHECK(r != NULL && strstr(r, "8388609") != NULL && strstr(r, "8388608") != NULL);
    lact_string_free(r);
    /* The limit applies before UTF-8 is checked. */
    big[1] = (char)0xff;
    lact_string_free(schedule(big, LACT_REQUEST_TOO_LARGE));
    free(big);

    /* 10,001 events: one over the per-case limit. */
    const char *head = "{\"jurisdiction\": \"england\", \"events\": [";
    const char *event = "{\"event\": \"became_looked_after\", \"date\": \"2026-01-01\"},";
    size_t count = 10001;
    size_t len = strlen(head) + count * strlen(event) + 3;
    char *many = malloc(len);
    if (many == NULL) {
        abort();
    }
    char *p = many;
    memcpy(p, head, strlen(head));
    p += strlen(head);
    for (size_t i = 0; i < count; i++) {
        memcpy(p, event, strlen(event));
        p += strlen(event);
    }
    p[-1] = ']'; /* replaces the last comma */
    p[0] = '}';
    p[1] = '\0';
    r = schedule(many, LACT_REQUEST_TOO_LARGE);
    CHECK(r != NULL && strstr(r, "number of events is 10001, above the limit of 10000") != NULL);
    lact_string_free(r);
    free(many);
}

/* Deterministic pseudo-random bytes (a 64-bit LCG): garbage in never crashes, never succeeds, and
 * always gives an error object. */
static void test_garbage(void) {
    uint64_t state = 0x2545F4914F6CDD1DULL;
    char buf[257];
    for (int round = 0; round < 500; round++) {
        size_t len = (size_t)(round % 256) + 1;
        for (size_t i = 0; i < len; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            char c = (char)(state >> 56);
            buf[i] = c == 0 ? 'x' : c;
        }
        buf[len] = '\0';
        char *response = UNTOUCHED;
        lact_status st = lact_schedule_json(buf, &response);
        CHECK(st == LACT_INVALID_UTF8 || st == LACT_INVALID_JSON || st == LACT_INVALID_INPUT);
        CHECK(response != UNTOUCHED && response != NULL);
        if (response != UNTOUCHED && response != NULL) {
            CHECK(strstr(response, "{\"error\":") == response);
            lact_string_free(response);
        }
        CHECK(lact_last_error(NULL, 0) > 1);
    }
}

static void test_audit(void) {
    /* Looked after Thu 24 Dec 2026, audited as at that day: the first review (due Tue 26 Jan
     * 2027, after Christmas, the Boxing Day substitute and New Year) is pending. */
    char *response = UNTOUCHED;
    lact_status st = lact_audit_json(LOOKED_AFTER_CHRISTMAS_EVE, &response);
    CHECK(st == LACT_OK);
    CHECK(response != UNTOUCHED && response != NULL);
    if (response != UNTOUCHED && response != NULL) {
        CHECK(strncmp(response, "{\"error\":", 9) != 0);
        CHECK(strstr(response, "\"pending\"") != NULL);
        CHECK(strstr(response, "2027-01-26") != NULL);
        lact_string_free(response);
    }
    /* An impossible history: a review before the child is looked after. */
    response = UNTOUCHED;
    st = lact_audit_json("{\"jurisdiction\": \"england\", \"events\": [{\"event\": \"review_held\", \"date\": \"2026-01-05\"}]}", &response);
    CHECK(st == LACT_INVALID_EVENT);
    CHECK(response != UNTOUCHED && response != NULL && strstr(response, "\"kind\":\"invalid_event\"") != NULL);
    if (response != UNTOUCHED && response != NULL) {
        lact_string_free(response);
    }
    /* Checks made by the C layer itself hold for the audit entry point too. */
    response = UNTOUCHED;
    CHECK(lact_audit_json("{\"x\": \"\xff\"}", &response) == LACT_INVALID_UTF8);
    CHECK(response != UNTOUCHED && response != NULL && strstr(response, "not valid UTF-8") != NULL);
    if (response != UNTOUCHED) {
        lact_string_free(response);
    }
}

static const char *COUNCIL_TOML =
    "id = \"c-council\"\nname = \"C council\"\nkind = \"local\"\nextends = \"england\"\nversion = \"1\"\n"
    "source = \"test\"\n[[rule]]\nduty = \"submit_social_work_report\"\nrole = \"social_worker\"\n"
    "anchor = \"review_date\"\ndirection = \"before\"\nperiod = \"5 working days\"\naction = \"Send the report\"\n"
    "citation = { instrument = \"C council procedure\", provision = \"s.4\", status = \"V\" }\n";

static void test_profiles(void) {
    /* A request never reads a file: a path is an unknown profile, whether or not it exists, and
     * the message says nothing about the file. */
    const char *paths[] = {"/etc/passwd", "/dev/zero", "/no/such/file.toml", "ffi/cbindgen.toml"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char request[256];
        snprintf(request, sizeof request,
                 "{\"jurisdiction\": \"england\", \"profile\": \"%s\", \"events\": "
                 "[{\"event\": \"became_looked_after\", \"date\": \"2026-01-05\"}]}",
                 paths[i]);
        char *r = schedule(request, LACT_INVALID_INPUT);
        CHECK(r != NULL && strstr(r, "unknown profile") != NULL);
        CHECK(r != NULL && strstr(r, "root") == NULL && strstr(r, "No such file") == NULL &&
              strstr(r, "language") == NULL);
        lact_string_free(r);
    }

    /* Registered by the host: then named by id in any request, on any thread. */
    const char *request = "{\"jurisdiction\": \"england\", \"profile\": \"c-council\", \"events\": "
                          "[{\"event\": \"became_looked_after\", \"date\": \"2026-01-05\"}]}";
    lact_string_free(schedule(request, LACT_INVALID_INPUT));
    CHECK(lact_register_profile("c-council", COUNCIL_TOML) == LACT_OK);
    CHECK(lact_last_error(NULL, 0) == 0);
    char *r = schedule(request, LACT_OK);
    /* The first review is due 20 working days after Mon 5 Jan 2026: Mon 2 Feb; the report 5
     * working days before the projected review day, Mon 26 Jan 2026. */
    CHECK(r != NULL && strstr(r, "\"basis\":\"local:c-council\"") != NULL);
    CHECK(r != NULL && strstr(r, "\"latest\":\"2026-01-26\"") != NULL);
    lact_string_free(r);
    /* Errors: the id must be the profile's, a built-in id cannot be taken, malformed TOML. */
    CHECK(lact_register_profile("other", COUNCIL_TOML) == LACT_INVALID_INPUT);
    char *msg = last_error();
    CHECK(msg != NULL && strstr(msg, "c-council") != NULL);
    free(msg);
    CHECK(lact_register_profile("c-council", "id = [") == LACT_INVALID_DATA);
    CHECK(lact_register_profile(NULL, COUNCIL_TOML) == LACT_NULL_ARGUMENT);
    CHECK(lact_register_profile("c-council", NULL) == LACT_NULL_ARGUMENT);
    CHECK(lact_register_profile("c-council", "\xff") == LACT_INVALID_UTF8);
    int32_t removed = -1;
    CHECK(lact_unregister_profile("c-council", &removed) == LACT_OK && removed == 1);
    CHECK(lact_unregister_profile("c-council", &removed) == LACT_OK && removed == 0);
    CHECK(lact_unregister_profile("c-council", NULL) == LACT_NULL_ARGUMENT);
    lact_string_free(schedule(request, LACT_INVALID_INPUT));
}

static void test_working_days(void) {
    int32_t y = 0, m = 0, d = 0;
    /* README: 20 working days after Thu 1 Jan 2026 is Thu 29 Jan 2026. */
    CHECK(lact_add_working_days(2026, 1, 1, 20, &y, &m, &d) == LACT_OK);
    CHECK(y == 2026 && m == 1 && d == 29);
    CHECK(lact_last_error(NULL, 0) == 0);
    /* Christmas 2026: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan skipped. */
    CHECK(lact_add_working_days(2026, 12, 24, 20, &y, &m, &d) == LACT_OK);
    CHECK(y == 2027 && m == 1 && d == 26);
    /* 3 working days before Tue 7 Apr 2026: Mon 6 (Easter Monday) and Fri 3 (Good Friday) skipped:
     * Thu 2, Wed 1, Tue 31 Mar. */
    CHECK(lact_sub_working_days(2026, 4, 7, 3, &y, &m, &d) == LACT_OK);
    CHECK(y == 2026 && m == 3 && d == 31);
    /* n = 0 gives the date itself, even a Sunday. */
    CHECK(lact_add_working_days(2026, 3, 1, 0, &y, &m, &d) == LACT_OK);
    CHECK(y == 2026 && m == 3 && d == 1);

    int32_t w = -1;
    CHECK(lact_is_working_day(2026, 4, 3, &w) == LACT_OK && w == 0);   /* Good Friday */
    CHECK(lact_is_working_day(2026, 12, 24, &w) == LACT_OK && w == 1); /* Christmas Eve */
    CHECK(lact_is_working_day(2026, 12, 28, &w) == LACT_OK && w == 0); /* Boxing Day substitute */
    CHECK(lact_is_working_day(2026, 12, 26, &w) == LACT_OK && w == 0); /* a Saturday */
    CHECK(lact_is_working_day(2026, 12, 29, &w) == LACT_OK && w == 1);

    /* Failures write nothing. */
    y = m = d = w = -7;
    CHECK(lact_add_working_days(2026, 2, 30, 1, &y, &m, &d) == LACT_INVALID_INPUT);
    char *msg = last_error();
    CHECK(msg != NULL && strstr(msg, "2026-02-30") != NULL);
    free(msg);
    CHECK(lact_add_working_days(2026, 13, 1, 1, &y, &m, &d) == LACT_INVALID_INPUT);
    CHECK(lact_add_working_days(2026, -1, 1, 1, &y, &m, &d) == LACT_INVALID_INPUT);
    CHECK(lact_add_working_days(2026, 1, 1, -1, &y, &m, &d) == LACT_INVALID_INPUT);
    CHECK(lact_is_working_day(2026, 2, 29, &w) == LACT_INVALID_INPUT); /* 2026 is not a leap year */
    CHECK(lact_add_working_days(1970, 12, 31, 1, &y, &m, &d) == LACT_DATE_OUT_OF_RANGE);
    msg = last_error();
    CHECK(msg != NULL && strstr(msg, "1970-12-31") != NULL);
    free(msg);
    CHECK(lact_add_working_days(2199, 12, 31, 1, &y, &m, &d) == LACT_DATE_OUT_OF_RANGE);
    CHECK(lact_sub_working_days(1971, 1, 1, 1, &y, &m, &d) == LACT_DATE_OUT_OF_RANGE);
    CHECK(lact_is_working_day(2200, 1, 1, &w) == LACT_DATE_OUT_OF_RANGE);
    CHECK(y == -7 && m == -7 && d == -7 && w == -7);
}

static void test_last_error_protocol(void) {
    /* A failure, then the size query, a too-small buffer, an exact one and a larger one. */
    int32_t w;
    CHECK(lact_is_working_day(1900, 1, 1, &w) == LACT_DATE_OUT_OF_RANGE);
    size_t need = lact_last_error(NULL, 0);
    CHECK(need > 1);
    CHECK(lact_last_error(NULL, 1000) == need); /* NULL buffer: nothing written, size returned */

    char *buf = malloc(need + 10);
    if (buf == NULL) {
        abort();
    }
    memset(buf, 'X', need + 10);
    CHECK(lact_last_error(buf, 0) == need); /* len 0: nothing written */
    CHECK(buf[0] == 'X');
    CHECK(lact_last_error(buf, need - 1) == need); /* too small: an empty string, no truncation */
    CHECK(buf[0] == '\0' && buf[1] == 'X');
    memset(buf, 'X', need + 10);
    CHECK(lact_last_error(buf, need) == need); /* exact */
    CHECK(strlen(buf) == need - 1 && buf[need] == 'X');
    CHECK(strstr(buf, "1900-01-01") != NULL);
    memset(buf, 'X', need + 10);
    CHECK(lact_last_error(buf, need + 10) == need); /* larger: the same */
    CHECK(strlen(buf) == need - 1 && buf[need] == 'X');
    /* Reading does not clear it; a success does. */
    CHECK(lact_last_error(NULL, 0) == need);
    CHECK(lact_is_working_day(2026, 1, 5, &w) == LACT_OK && w == 1);
    CHECK(lact_last_error(NULL, 0) == 0);
    memset(buf, 'X', need + 10);
    CHECK(lact_last_error(buf, 5) == 0 && buf[0] == '\0'); /* no error: an empty string */
    free(buf);
}

/* Threads: each has its own last error, and concurrent schedules all succeed. */
struct thread_result {
    int error_seen_at_start;
    int ok;
};

static void *worker(void *arg) {
    struct thread_result *res = arg;
    res->error_seen_at_start = lact_last_error(NULL, 0) != 0;
    res->ok = 1;
    for (int i = 0; i < 5; i++) {
        char *response = NULL;
        if (lact_schedule_json(LOOKED_AFTER_CHRISTMAS_EVE, &response) != LACT_OK) {
            res->ok = 0;
        }
        if (response == NULL || strstr(response, "\"latest\":\"2027-01-26\"") == NULL) {
            res->ok = 0;
        }
        lact_string_free(response);
    }
    return NULL;
}

static void test_threads(void) {
    int32_t w;
    CHECK(lact_is_working_day(1900, 1, 1, &w) == LACT_DATE_OUT_OF_RANGE); /* main thread's error */
    enum { N = 4 };
    pthread_t threads[N];
    struct thread_result results[N];
    for (int i = 0; i < N; i++) {
        CHECK(pthread_create(&threads[i], NULL, worker, &results[i]) == 0);
    }
    for (int i = 0; i < N; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(results[i].error_seen_at_start == 0);
        CHECK(results[i].ok == 1);
    }
    /* The main thread's error is still there. */
    CHECK(lact_last_error(NULL, 0) > 1);
}

int main(void) {
    test_version();
    test_schedule_happy_path();
    test_null_arguments();
    test_request_errors();
    test_limits();
    test_garbage();
    test_audit();
    test_profiles();
    test_working_days();
    test_last_error_protocol();
    test_threads();
    if (failures != 0) {
        fprintf(stderr, "test_lact: %d of %d checks FAILED\n", failures, checks);
        return 1;
    }
    printf("test_lact: all %d checks passed\n", checks);
    return 0;
}
