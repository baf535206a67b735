#!/usr/bin/env bash
# The calendar example's command-line contract, with expected output worked out by hand.
# Run by .ci/run. Fails loudly on the first difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet --example calendar
bin=target/debug/examples/calendar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "calendar example: $*" >&2; exit 1; }
# grep -q stops reading at the first match, so the command before it in a pipe may die of
# SIGPIPE, which `set -o pipefail` turns into a failure (seen under load): read all the input.
quiet_grep() { grep "$@" > /dev/null; }

# holidays: one line per weekday holiday, TAB-separated; 2029 is projected (provisional).
"$bin" holidays 2026 2026 > "$tmp/h"
[ "$(wc -l < "$tmp/h")" -eq 8 ] || fail "2026 should list 8 weekday holidays"
grep -qxP '2026-12-28\tBoxing Day \(substitute day\)' "$tmp/h" || fail "missing 2026-12-28 substitute day"
# (to a file first: `grep -q` stops reading at its first match, which would break the pipe)
"$bin" holidays 2029 2029 > "$tmp/h29"
grep -qxP '2029-03-30\tGood Friday\tprovisional' "$tmp/h29" || fail "2029 Good Friday should be provisional"
"$bin" holidays 2022 2022 > "$tmp/h22"
grep -qxP '2022-09-19\tState Funeral of Queen Elizabeth II' "$tmp/h22" || fail "missing the 2022 State Funeral"

# offset: one output line per input line, errors in place, exit status 1 if any line failed.
printf '2026-01-01 20\n2022-09-09 20\nnot a line\n2026-01-29 -20\n2026-12-24 20\n' > "$tmp/in"
set +e
"$bin" offset < "$tmp/in" > "$tmp/out"
status=$?
set -e
[ "$status" -eq 1 ] || fail "offset with a bad line should exit 1, got $status"
printf '2026-01-29\n2022-10-10\nerror: expected "YYYY-MM-DD N", got "not a line"\n2025-12-31\n2027-01-26\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/out" || fail "offset output differs"
printf '2026-01-01 20\n' | "$bin" offset > /dev/null || fail "a clean offset run should exit 0"

# between: working days x with A < x <= B; 2026 has 253 working days.
[ "$("$bin" between 2025-12-31 2026-12-31)" = "253" ] || fail "2026 should have 253 working days"
[ "$("$bin" between 2026-01-29 2026-01-01)" = "-20" ] || fail "between should be negative backwards"

# options: a GOV.UK feed replacing 2027, and closure days.
cat > "$tmp/feed.json" <<'JSON'
{"england-and-wales": {"division": "england-and-wales", "events": [
  {"title": "New Year's Day", "date": "2027-01-01"}, {"title": "Extra day", "date": "2027-06-11"}]}}
JSON
"$bin" --govuk-json "$tmp/feed.json" holidays 2027 2027 | quiet_grep -xP '2027-06-11\tExtra day' || fail "--govuk-json not applied"
printf '2026-12-29 Council closure\n2026-12-30\n' > "$tmp/closures"
# 20 working days after Thu 24 Dec 2026 is Tue 26 Jan 2027; with two closure days, Thu 28 Jan.
[ "$(printf '2026-12-24 20\n' | "$bin" --closure-days "$tmp/closures" offset)" = "2027-01-28" ] || fail "--closure-days not applied"
set +e
"$bin" --govuk-json /nonexistent holidays 2026 2026 2> "$tmp/err"
status=$?
set -e
[ "$status" -eq 2 ] && grep -q "cannot read /nonexistent" "$tmp/err" || fail "a missing feed file should exit 2 with a clear message"

# table: one row per date. CSV (CRLF) by default; the 2022 State Funeral carries Friday's number
# (13,080 working days since 1 Jan 1971, counted by hand from the holiday list).
"$bin" table 2022 2022 > "$tmp/t22"
[ "$(wc -l < "$tmp/t22")" -eq 366 ] || fail "table 2022 should print a header and 365 rows"
head -1 "$tmp/t22" | tr -d '\r' | quiet_grep -x 'date,working_day,working_day_number,holiday,provisional' || fail "table header"
tr -d '\r' < "$tmp/t22" | quiet_grep -x '2022-09-16,1,13080,,0' || fail "table: Fri 16 Sep 2022"
tr -d '\r' < "$tmp/t22" | quiet_grep -x '2022-09-19,0,13080,State Funeral of Queen Elizabeth II,0' || fail "table: the State Funeral"
"$bin" table 2029 2029 --format csv | tr -d '\r' > "$tmp/t29"
grep -qx '2029-03-30,0,14731,Good Friday,1' "$tmp/t29" || fail "table: 2029 is provisional"
# SQL: loaded into SQLite, the README's join gives the n-th working day after each date, worked by
# hand: 20 after Fri 9 Sep 2022 = Mon 10 Oct (the funeral skipped); 5 after Fri 1 May 2020 =
# Mon 11 May (Fri 8 May, the moved May day, skipped); 20 after Thu 24 Dec 2026 = Tue 26 Jan 2027;
# 20 after Sun 18 Sep 2022 (a non-working day 0) = Mon 17 Oct 2022.
"$bin" table 1990 2035 --format sql > "$tmp/cal.sql"
python3 - "$tmp/cal.sql" > "$tmp/joined" <<'PY' || fail "the SQL script does not load into SQLite"
import sqlite3, sys
db = sqlite3.connect(":memory:")
db.executescript(open(sys.argv[1]).read())
db.executescript("CREATE TABLE episodes (CHILD TEXT, DECOM DATE, n INTEGER);"
                 "INSERT INTO episodes VALUES ('a', '2022-09-09', 20), ('b', '2020-05-01', 5),"
                 " ('c', '2026-12-24', 20), ('d', '2022-09-18', 20), ('e', '2035-12-20', 20);")
q = """SELECT e.CHILD, due.date
FROM episodes AS e
JOIN lac_calendar AS s ON s.date = e.DECOM
LEFT JOIN lac_calendar AS due ON due.working_day = 1 AND due.working_day_number = s.working_day_number + e.n
ORDER BY e.CHILD"""
for child, due in db.execute(q):
    print(child, due)
print(db.execute("SELECT COUNT(*) FROM lac_calendar").fetchone()[0])
PY
printf 'a 2022-10-10\nb 2020-05-11\nc 2027-01-26\nd 2022-10-17\ne None\n16801\n' > "$tmp/want_join"
diff -u "$tmp/want_join" "$tmp/joined" || fail "the SQL join differs"
set +e
"$bin" table 2030 2029 2> "$tmp/err"; s1=$?
"$bin" table 2026 2026 --format xml 2> "$tmp/err2"; s2=$?
set -e
[ "$s1" -eq 2 ] && grep -q 'invalid last_year "2029"' "$tmp/err" || fail "reversed years should exit 2 naming the year"
[ "$s2" -eq 2 ] && grep -q 'unknown format "xml"' "$tmp/err2" || fail "a bad --format should exit 2"

# throughput: last line names the rate.
"$bin" throughput 1000 | tail -1 | quiet_grep -E '^offsets_per_second: [0-9]+$' || fail "throughput output"
echo "calendar example: all command-line checks passed"
