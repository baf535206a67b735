#!/usr/bin/env bash
# The audit_903 example's command-line contract on the shared SSDA903 sample files, with the
# expected rows worked out by hand. Fails loudly on the first difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/data/ssda903
[ -d "$data" ] || { echo "audit_903: $data not found (shared/ must sit beside the checkout)" >&2; exit 1; }
cargo build --quiet --example audit_903
bin=target/debug/examples/audit_903
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "audit_903 example: $*" >&2; exit 1; }

"$bin" "$data/SSDA903_2025_episodes.csv" "$data/SSDA903_2025_reviews.csv" --output-dir "$tmp/out" \
  --as-at 2025-03-31 --report "$tmp/report.html" > "$tmp/summary" || fail "the sample run should exit 0"
[ -f "$tmp/out/reviews_audit.csv" ] && [ -f "$tmp/out/rejects.csv" ] && [ -f "$tmp/report.html" ] || fail "missing output files"

# Accounting: 23 episode rows = 3 used + 20 rejected; 24 review rows = 1 audited + 23 rejected.
grep -qx 'episodes: 23 rows read = 3 used in periods of care + 20 rejected' "$tmp/summary" || fail "episode counts"
grep -qx 'reviews:  24 rows read = 1 audited + 23 rejected' "$tmp/summary" || fail "review counts"
grep -qx 'rows in = rows out + rejects: yes' "$tmp/summary" || fail "invariant line"
[ "$(($(wc -l < "$tmp/out/rejects.csv") - 1))" -eq 43 ] || fail "rejects.csv should hold 20 + 23 rows"
[ "$(grep -c '^episodes,' "$tmp/out/rejects.csv")" -eq 20 ] || fail "20 episode rejects"
[ "$(grep -c '^reviews,' "$tmp/out/rejects.csv")" -eq 23 ] || fail "23 review rejects"

# Child 186835: period of care from Tue 10 Dec 2024 (RNE S, open). First review within 20 working
# days: 11-13, 16-20, 23-24, 27, 30-31 Dec, 2-3, 6-10 Jan (25, 26 Dec and 1 Jan are bank holidays)
# = Fri 10 Jan 2025. Held Tue 4 Nov 2025: 298 calendar days and 207 working days late. As at
# 31 Mar 2025 it was overdue: 80 calendar days, 56 working days (15 in Jan, 20 in Feb, 21 in Mar).
cat > "$tmp/want" <<'CSV'
CHILD,period_start,regime,review_number,REVIEW,deadline,latest_working_day,on_time,working_days_late,calendar_days_late,note
186835,2024-12-10,looked_after,1,2025-11-04,2025-01-10,2025-01-10,false,207,298,
186835,2024-12-10,looked_after,1,,2025-01-10,2025-01-10,false,56,80,"overdue at 2025-03-31: not held (held later, 2025-11-04)"
CSV
diff -u "$tmp/want" "$tmp/out/reviews_audit.csv" || fail "reviews_audit.csv differs"

# Rejects name the file, the line, the child and the reason.
grep -qx 'file,line,CHILD,reason' "$tmp/out/rejects.csv" || fail "rejects header"
grep -qx 'episodes,2,,missing CHILD' "$tmp/out/rejects.csv" || fail "blank CHILD on episodes line 2"
grep -qx 'episodes,3,689661,"bad date in DECOM: ""notadate"" (expected DD/MM/YYYY)"' "$tmp/out/rejects.csv" || fail "bad DECOM"
grep -qx 'reviews,6,458294,unknown child: no episodes for this CHILD' "$tmp/out/rejects.csv" || fail "unknown child"
grep -qx 'reviews,20,186835,REVIEW 31/10/2020 is outside every period of care (10/12/2024 to open)' "$tmp/out/rejects.csv" \
  || fail "review outside the period"
grep -q '^episodes,5,900327,no period start' "$tmp/out/rejects.csv" || fail "episode before the first RNE S"

# Summary percentages and the self-contained report.
grep -qE '^  first +0 of +1 +0\.0%$' "$tmp/summary" || fail "summary by review number"
grep -qE '^  2025-26 +0 of +1 +0\.0%$' "$tmp/summary" || fail "summary by year"
grep -q '<svg' "$tmp/report.html" || fail "report has no inline chart"
grep -q 'not held' "$tmp/report.html" || fail "report lists the overdue review"
! grep -qiE '<script|<link|src="http|url\(http' "$tmp/report.html" || fail "report must not load external assets"

# The larger fake set: every row accounted for.
"$bin" "$data/validator-fake/episodes.csv" "$data/validator-fake/reviews.csv" --output-dir "$tmp/fake" > "$tmp/fs" \
  || fail "the validator-fake run should exit 0"
grep -qx 'rows in = rows out + rejects: yes' "$tmp/fs" || fail "validator-fake invariant"
rows=$(($(wc -l < "$data/validator-fake/reviews.csv") - 1))
out=$(($(wc -l < "$tmp/fake/reviews_audit.csv") - 1 + $(grep -c '^reviews,' "$tmp/fake/rejects.csv")))
[ "$rows" -eq "$out" ] || fail "validator-fake: $rows review rows but $out out + rejected"

# Errors: clear message, exit status 2, no panic.
check_err() {
  local want=$1; shift
  set +e
  "$bin" "$@" > /dev/null 2> "$tmp/err"
  local status=$?
  set -e
  [ "$status" -eq 2 ] || fail "$* should exit 2, got $status"
  grep -q "$want" "$tmp/err" || fail "$* should say '$want'"
  ! grep -q panicked "$tmp/err" || fail "$* panicked"
}
check_err "cannot read /nonexistent.csv" /nonexistent.csv "$data/SSDA903_2025_reviews.csv" --output-dir "$tmp/x"
check_err "unknown option --bogus" a.csv b.csv --output-dir "$tmp/x" --bogus
check_err "is not a date" a.csv b.csv --output-dir "$tmp/x" --as-at 31/02/2025
check_err "output-dir DIR is required" "$data/SSDA903_2025_episodes.csv" "$data/SSDA903_2025_reviews.csv"
check_err "unknown profile" "$data/SSDA903_2025_episodes.csv" "$data/SSDA903_2025_reviews.csv" --output-dir "$tmp/x" --profile nowhere
check_err "expected two files" "$data/SSDA903_2025_episodes.csv" --output-dir "$tmp/x"
echo "audit_903 CLI contract: ok"
