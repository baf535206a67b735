#!/usr/bin/env bash
# The audit_903 example's command-line contract on the shared SSDA903 sample files and on small
# returns written here, with the expected rows worked out by hand. Fails loudly on the first
# difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/data/ssda903
[ -d "$data" ] || { echo "audit_903: $data not found (shared/ must sit beside the checkout)" >&2; exit 1; }
cargo build --quiet --example audit_903
bin=target/debug/examples/audit_903
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "audit_903 example: $*" >&2; exit 1; }
# grep -q stops reading at the first match, so the command before it in a pipe may die of
# SIGPIPE, which `set -o pipefail` turns into a failure (seen under load): read all the input.
quiet_grep() { grep "$@" > /dev/null; }

# The sample 2024-25 return: every review row is rejected (reviews from 2017 to 2023 and one in
# November 2025 are outside the return's year; 186835's April and September 2024 reviews are
# before its period began), so the whole reviews file is unusable: exit 2, outputs still written.
set +e
"$bin" "$data/SSDA903_2025_episodes.csv" "$data/SSDA903_2025_reviews.csv" --output-dir "$tmp/out" \
  --as-at 2025-03-31 --report "$tmp/report.html" > "$tmp/summary" 2> "$tmp/err"
status=$?
set -e
[ "$status" -eq 2 ] || fail "the sample run should exit 2 (no usable review), got $status"
grep -q 'SSDA903_2025_reviews.csv (reviews table): all 24 rows were rejected' "$tmp/err" || fail "whole-file message"
grep -q "all 24 rows were rejected (21 REVIEW outside this return's collection year, 2 REVIEW outside every period of care, 1 unknown child)" "$tmp/err" \
  || fail "whole-file message should name the reasons (not a bad header)"
[ -f "$tmp/out/reviews_audit.csv" ] && [ -f "$tmp/out/rejects.csv" ] && [ -f "$tmp/out/superseded.csv" ] \
  && [ -f "$tmp/report.html" ] || fail "missing output files"
ls -a "$tmp/out" | quiet_grep '\.tmp-' && fail "temporary output files left behind"

grep -qx 'audit_903: collection year(s) 2024-25; profile england (England: regulations and statutory guidance)' "$tmp/summary" \
  || fail "collection year line"
# Coverage first: the line after the per-file years.
# Every review row was rejected: say so, not "0 of 0 reviews assessed" (t9 finding F10).
grep -qx "no review assessed: every review row read was rejected (24; most often REVIEW outside this return's collection year: 21); see rejects.csv" "$tmp/summary" \
  || fail "coverage line when every review row was rejected"
grep -qx 'On time: 0 of 0 assessed reviews (n/a)' "$tmp/summary" || fail "on-time line must say n/a, not 0.0%"
grep -qx 'episodes: 23 rows read = 21 used in periods of care + 2 rejected + 0 superseded by a later year (0 conflicting)' "$tmp/summary" \
  || fail "episode counts"
grep -qx 'reviews:  24 rows read = 0 audited + 24 rejected' "$tmp/summary" || fail "review counts"
grep -qx 'rows in = rows out + rejects + superseded, for every file: yes' "$tmp/summary" || fail "invariant line"
# Periods: 11 built (the blank CHILD's episode and 689661's bad DECOM are rejected). 9 have no
# `RNE` = `S` episode in the data (14338, 173118, 185686, 310964, 689661 from its `A` episode,
# 79630, 817282, 900323, 900327); 237247's `S` of 21 Jul 2023 is before the window too: 10.
grep -qx 'Periods of care: 11 (10 began before the data, 9 of them with no start in the data); children: 13' "$tmp/summary" \
  || fail "periods line"
# The five reviews never held, below.
grep -qx 'Never held before care ended (or the review regime ended) after falling due: 5 reviews' "$tmp/summary" \
  || fail "never-held line"
# The seven overdue reviews of four children, below.
grep -qx 'Overdue at 2025-03-31: 7 reviews due and not held, of 4 children (0 on the stated assumption); 0 more open children the data cannot decide' "$tmp/summary" \
  || fail "overdue line"

# Overdue at 31 Mar 2025 (the rows are in CHILD byte order):
# - 185686 and 900323: looked after before the data (first episodes RNE P), open, no review in the
#   year. Whatever came before, the next review was due by 30 Sep 2024 (6 months after a review on
#   31 Mar 2024): 182 calendar days and 127 working days (Oct 23, Nov 21, Dec 20, Jan 22, Feb 20,
#   Mar 21) overdue; decided by the data. The next, counted from Mon 30 Sep 2024 as if held
#   then, was due by Sun 30 Mar 2025 (last working day Fri 28 Mar): 1 working day and 1 calendar
#   day overdue, decided by the data too.
# - 186835: period from Tue 10 Dec 2024 (RNE S). First review within 20 working days: 11-13,
#   16-20, 23-24, 27, 30-31 Dec, 2-3, 6-10 Jan (25, 26 Dec and 1 Jan are bank holidays) = Fri
#   10 Jan 2025: 80 calendar days, 56 working days (15 in Jan, 20 in Feb, 21 in Mar); known.
# - 900327: before the data, but short breaks (LS V3) from Wed 10 Apr 2024: first short-break
#   review within 3 months = Wed 10 Jul 2024: 264 calendar days; working days Jul 11-31 (15),
#   Aug (21, 26 Aug is a bank holiday), Sep (21), then 127 = 184; known. The second within 6
#   months of it, Fri 10 Jan 2025: 80 calendar days, 56 working days (Jan 13-31 15, Feb 20, Mar
#   21); known. (186835's second review, 3 months after 10 Jan, is due 10 Apr 2025: after.)
# Never held (a review that fell due and was not held before its clock stopped): for a period that
# began before the data, the latest deadline any earlier review could give is 6 months after a
# review on Sun 31 Mar 2024, Mon 30 Sep 2024 (looked after and short breaks alike); a clock that
# stopped after it missed it whatever the earlier reviews (decided by the data, number unknown).
# Lateness is counted to the day the clock stopped.
# - 173118: placement order (LS E1) from before the data, left care Thu 10 Oct 2024: 10 calendar
#   days, 8 working days (1-4, 7-10 Oct). The adoption_authorised review due the same day is the
#   same meeting (named in the note).
# - 237247: looked after from Fri 21 Jul 2023 (RNE S, before the window), legal status V4 (short
#   breaks) from Mon 18 Nov 2024: the looked-after clock stopped then, 49 calendar days and 35
#   working days (23 in Oct, 12 in 1-18 Nov) after 30 Sep. The short-break series (18 Nov to
#   27 Dec 2024) owed its first review 3 months on, after it ended: nothing missed.
# - 310964: left care Mon 10 Feb 2025: 133 calendar days; working days Oct 23, Nov 21, Dec 20,
#   Jan 22, 3-10 Feb 6 = 92. The next, counted from 30 Sep 2024, would be due 30 Mar 2025: after.
# - 79630: short breaks (LS V4), ended Fri 25 Oct 2024: 25 calendar days, 19 working days.
# - 817282: left care Sat 5 Oct 2024: 5 calendar days, 4 working days (1-4 Oct).
cat > "$tmp/want" <<'CSV'
CHILD,collection_year,period_start,regime,review_number,REVIEW,deadline,latest_working_day,on_time,working_days_late,calendar_days_late,basis,missed,note
173118,2024-25,,looked_after,,,2024-09-30,2024-09-30,false,8,10,decided_by_data,statutory,never held: the child left care on 2024-10-10 after it fell due; also adoption_authorised review ? due 2024-09-30; missed whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 07/12/2023)
185686,2024-25,,looked_after,,,2024-09-30,2024-09-30,false,127,182,decided_by_data,statutory,overdue at 2025-03-31: not held; overdue whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 17/02/2024)
185686,2024-25,,looked_after,,,2025-03-30,2025-03-28,false,1,1,decided_by_data,statutory,"overdue at 2025-03-31: not held; counted from 2024-09-30, the last working day by which the previous review (not held) was due, as if held then; overdue whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 17/02/2024)"
186835,2024-25,2024-12-10,looked_after,1,,2025-01-10,2025-01-10,false,56,80,known_review_number,statutory,overdue at 2025-03-31: not held
237247,2024-25,2023-07-21,looked_after,,,2024-09-30,2024-09-30,false,35,49,decided_by_data,statutory,never held: its review clock stopped on 2024-11-18 after it fell due; missed whatever the earlier reviews (latest possible deadline shown)
310964,2024-25,,looked_after,,,2024-09-30,2024-09-30,false,92,133,decided_by_data,statutory,never held: the child left care on 2025-02-10 after it fell due; missed whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 08/02/2024)
79630,2024-25,,short_breaks,,,2024-09-30,2024-09-30,false,19,25,decided_by_data,statutory,never held: the child left care on 2024-10-25 after it fell due; missed whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 12/07/2023)
817282,2024-25,,looked_after,,,2024-09-30,2024-09-30,false,4,5,decided_by_data,statutory,never held: the child left care on 2024-10-05 after it fell due; missed whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 21/03/2024)
900323,2024-25,,looked_after,,,2024-09-30,2024-09-30,false,127,182,decided_by_data,statutory,overdue at 2025-03-31: not held; overdue whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 13/02/2023)
900323,2024-25,,looked_after,,,2025-03-30,2025-03-28,false,1,1,decided_by_data,statutory,"overdue at 2025-03-31: not held; counted from 2024-09-30, the last working day by which the previous review (not held) was due, as if held then; overdue whatever the earlier reviews (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 13/02/2023)"
900327,2024-25,,short_breaks,1,,2024-07-10,2024-07-10,false,184,264,known_review_number,statutory,overdue at 2025-03-31: not held; period of care began before the data (first episode in it: DECOM 30/03/2024)
900327,2024-25,,short_breaks,2,,2025-01-10,2025-01-10,false,56,80,known_review_number,statutory,"overdue at 2025-03-31: not held; counted from 2024-07-10, the last working day by which the previous review (not held) was due, as if held then; period of care began before the data (first episode in it: DECOM 30/03/2024)"
CSV
diff -u "$tmp/want" "$tmp/out/reviews_audit.csv" || fail "reviews_audit.csv differs"

# Rejects name the file, the table, the line, the child and the reason.
rej="$tmp/out/rejects.csv"
grep -qx 'file,table,line,CHILD,reason' "$rej" || fail "rejects header"
grep -qx "$data/SSDA903_2025_episodes.csv,episodes,2,,missing CHILD" "$rej" || fail "blank CHILD on episodes line 2"
grep -qx "$data/SSDA903_2025_episodes.csv,episodes,3,689661,\"bad date in DECOM: \"\"notadate\"\" (expected DD/MM/YYYY or YYYY-MM-DD)\"" "$rej" \
  || fail "bad DECOM"
grep -qx "$data/SSDA903_2025_reviews.csv,reviews,19,249901,unknown child: no episodes for this CHILD" "$rej" || fail "unknown child"
grep -qx "$data/SSDA903_2025_reviews.csv,reviews,20,186835,REVIEW 31/10/2020 is outside this return's collection year 2024-25 (01/04/2024 to 31/03/2025): a data error in a 903" "$rej" \
  || fail "review outside the return's year"
grep -qx "$data/SSDA903_2025_reviews.csv,reviews,23,186835,REVIEW 27/04/2024 is outside every period of care (10/12/2024 to open)" "$rej" \
  || fail "review outside the period"
[ "$(($(wc -l < "$rej") - 1))" -eq 26 ] || fail "rejects.csv should hold 2 + 24 rows"

grep -q 'reviews assessed' "$tmp/report.html" || fail "report leads with coverage"
grep -q 'not held' "$tmp/report.html" || fail "report lists the overdue reviews"
! grep -q '0\.0%' "$tmp/report.html" || fail "report shows 0.0% for nothing assessed"
! grep -qiE '<script|<link|src="http|url\(http' "$tmp/report.html" || fail "report must not load external assets"

# The larger fake set: every row accounted for (its random dates fall in many years: the year is
# inferred from the data and printed).
set +e
"$bin" "$data/validator-fake/episodes.csv" "$data/validator-fake/reviews.csv" --output-dir "$tmp/fake" > "$tmp/fs" 2>&1
set -e
grep -qx 'rows in = rows out + rejects + superseded, for every file: yes' "$tmp/fs" || fail "validator-fake invariant"
grep -q '(from the data: check it)' "$tmp/fs" || fail "validator-fake: the inferred year must be printed"
rows=$(($(wc -l < "$data/validator-fake/reviews.csv") - 1))
out=$(($(wc -l < "$tmp/fake/reviews_audit.csv") - 1 + $(grep -c ',reviews,' "$tmp/fake/rejects.csv")))
[ "$rows" -eq "$out" ] || fail "validator-fake: $rows review rows but $out out + rejected"

# Small returns written here. Child A: looked after since Wed 1 Jun 2022 (RNE S, open).
mkdir -p "$tmp/r"
printf 'CHILD,DECOM,RNE,LS,PLACE,DEC,REC\nA,01/06/2022,S,C2,U1,,\n' > "$tmp/r/SSDA903_2024_episodes.csv"
printf 'CHILD,REVIEW\nA,10/05/2023\nA,05/11/2023\n' > "$tmp/r/SSDA903_2024_reviews.csv"
# ISO dates and CRLF line ends in the later return; A left care on Sun 30 Jun 2024.
printf 'CHILD,DECOM,RNE,LS,PLACE,DEC,REC\r\nA,2022-06-01,S,C2,U1,2024-06-30,E4A\r\n' > "$tmp/r/SSDA903_2025_episodes.csv"
printf 'CHILD,REVIEW\r\nA,2024-05-01\r\n' > "$tmp/r/SSDA903_2025_reviews.csv"
r="$tmp/r"
"$bin" "$r/SSDA903_2025_episodes.csv" "$r/SSDA903_2025_reviews.csv" "$r/SSDA903_2024_episodes.csv" "$r/SSDA903_2024_reviews.csv" \
  --output-dir "$tmp/two" --as-at 2025-03-31 --report "$tmp/two.html" > "$tmp/two.txt" || fail "two returns should exit 0"
grep -q '<svg' "$tmp/two.html" || fail "report has no inline chart"
grep -q '66.7%</b>of reviews assessed' "$tmp/two.html" || fail "report: coverage card"
# 5 Nov 2023: due 10 Nov 2023 on the stated assumption (10 May 2023 would otherwise be a first
# review more than 3 months late, due 1 Jul 2022). 1 May 2024: due 6 months after 5 Nov 2023 =
# Sun 5 May 2024 whatever came before. A left care in 2024-25: not overdue. The 2023-24 copy of
# the episode is superseded (only DEC and REC filled in later: no conflict).
cat > "$tmp/want2" <<'CSV'
CHILD,collection_year,period_start,regime,review_number,REVIEW,deadline,latest_working_day,on_time,working_days_late,calendar_days_late,basis,missed,note
A,2023-24,2022-06-01,looked_after,,2023-05-10,,,,,,not_assessable,,previous review before this return: add the 2022-23 return (deadline between 2022-07-01 and 2023-09-30 depending on the earlier reviews)
A,2023-24,2022-06-01,looked_after,,2023-11-05,2023-11-10,2023-11-10,true,0,0,assumption,,"judged as a later review on the stated assumption: its previous review (2023-05-10) would otherwise be the period's first review, held more than 3 months after it was due (2022-07-01)"
A,2024-25,2022-06-01,looked_after,,2024-05-01,2024-05-05,2024-05-03,true,0,0,decided_by_data,,review number not known (earlier reviews are before the data); the deadline is the same whatever they were
CSV
diff -u "$tmp/want2" "$tmp/two/reviews_audit.csv" || fail "two returns: reviews_audit.csv differs"
grep -q "^A,2022-06-01,$r/SSDA903_2024_episodes.csv,2,2023-24,$r/SSDA903_2025_episodes.csv,2,2024-25,\$" "$tmp/two/superseded.csv" \
  || fail "superseded copy"
grep -qx "2 of 3 reviews assessed (66.7%); 1 on the stated assumption; the rest (1) need the previous year's return" "$tmp/two.txt" \
  || fail "two returns: coverage line"
# The same in the other order.
"$bin" "$r/SSDA903_2024_episodes.csv" "$r/SSDA903_2024_reviews.csv" "$r/SSDA903_2025_episodes.csv" "$r/SSDA903_2025_reviews.csv" \
  --output-dir "$tmp/two_b" --as-at 2025-03-31 > /dev/null || fail "two returns (other order) should exit 0"
for f in reviews_audit.csv rejects.csv superseded.csv; do
  cmp -s "$tmp/two/$f" "$tmp/two_b/$f" || fail "$f depends on the order of the returns"
done

# The same two returns as the DfE XML (PLACE is PL; reviews are AREVIEW in the HEADER; CRLF line
# ends and ISO dates in the later one): the same reviews_audit.csv.
cat > "$r/SSDA903_2024.xml" <<'XML'
<?xml version='1.0' encoding='us-ascii'?>
<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID><DOB>01/01/2012</DOB>
<AREVIEW><REVIEW>10/05/2023</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
<AREVIEW><REVIEW>05/11/2023</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW></HEADER>
<EPISODE><DECOM>01/06/2022</DECOM><RNE>S</RNE><LS>C2</LS><PL>U1</PL><DEC /><REC /></EPISODE></CHILD></EXPSSDA903>
XML
printf '%s\r\n' "<?xml version='1.0'?>" '<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID><DOB>01/01/2012</DOB>' \
  '<AREVIEW><REVIEW>2024-05-01</REVIEW></AREVIEW></HEADER><EPISODE><DECOM>2022-06-01</DECOM><RNE>S</RNE><LS>C2</LS>' \
  '<PL>U1</PL><DEC>2024-06-30</DEC><REC>E4A</REC></EPISODE></CHILD></EXPSSDA903>' > "$r/SSDA903_2025.xml"
"$bin" "$r/SSDA903_2025.xml" "$r/SSDA903_2024.xml" --output-dir "$tmp/xml" --as-at 2025-03-31 > /dev/null || fail "XML returns should exit 0"
cmp -s "$tmp/two/reviews_audit.csv" "$tmp/xml/reviews_audit.csv" || fail "XML and CSV give different reviews_audit.csv"

# Errors: clear message, exit status 2, no panic.
check_err() {
  local want=$1; shift
  set +e
  "$bin" "$@" > /dev/null 2> "$tmp/err"
  local status=$?
  set -e
  [ "$status" -eq 2 ] || fail "$* should exit 2, got $status"
  grep -q "$want" "$tmp/err" || fail "$* should say '$want' (said: $(cat "$tmp/err"))"
  ! grep -q panicked "$tmp/err" || fail "$* panicked"
}
printf '<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID>' > "$tmp/SSDA903_2025.xml"
check_err "ends inside a CHILD element" "$tmp/SSDA903_2025.xml" --output-dir "$tmp/xt"
[ ! -e "$tmp/xt/reviews_audit.csv" ] || fail "a truncated XML file must leave no output"
check_err "no usable rows in a whole file" "$r/SSDA903_2025_reviews.csv" "$r/SSDA903_2025_episodes.csv" --output-dir "$tmp/sw"
grep -q "are the files swapped?" "$tmp/sw/rejects.csv" || fail "swapped files: the rejects should say so"
grep -q "are the files swapped?" "$tmp/err" || fail "swapped files: the message should say so"
check_err "is an input: refusing to write over it" "$r/SSDA903_2025_episodes.csv" "$r/SSDA903_2025_reviews.csv" \
  --output-dir "$tmp/x" --report "$r/SSDA903_2025_reviews.csv"
cp "$r/SSDA903_2025_reviews.csv" "$tmp/x_reviews.csv"
mkdir -p "$tmp/x2" && cp "$r/SSDA903_2025_reviews.csv" "$tmp/x2/rejects.csv"
check_err "is an input" "$r/SSDA903_2025_episodes.csv" "$tmp/x2/rejects.csv" --output-dir "$tmp/x2" --year 2025
cmp -s "$tmp/x2/rejects.csv" "$r/SSDA903_2025_reviews.csv" || fail "an input in the output directory was written over"
# --report must be neither one of the CSV outputs nor a directory: refused before anything is written.
check_err "is also the output" "$r/SSDA903_2025_episodes.csv" "$r/SSDA903_2025_reviews.csv" --output-dir "$tmp/x4" \
  --report "$tmp/x4/rejects.csv"
[ ! -e "$tmp/x4/rejects.csv" ] || fail "--report naming rejects.csv: an output was written"
mkdir -p "$tmp/x5/rep"
check_err "is a directory" "$r/SSDA903_2025_episodes.csv" "$r/SSDA903_2025_reviews.csv" --output-dir "$tmp/x5/out" \
  --report "$tmp/x5/rep"
[ ! -e "$tmp/x5/out/reviews_audit.csv" ] || fail "--report naming a directory: outputs were written"
! ls -a "$tmp/x5" | quiet_grep '\.tmp-' || fail "--report naming a directory: a temporary file was left beside it"
check_err "before the data's last date" "$r/SSDA903_2025_episodes.csv" "$r/SSDA903_2025_reviews.csv" --output-dir "$tmp/x3" --as-at 2024-05-01
[ ! -e "$tmp/x3/reviews_audit.csv" ] || fail "a refused as-at date must leave no output"
check_err "cannot read /nonexistent.csv" /nonexistent.csv "$data/SSDA903_2025_reviews.csv" --output-dir "$tmp/x"
check_err "unknown option --bogus" a.csv b.csv --output-dir "$tmp/x" --bogus
check_err "is not a date" a.csv b.csv --output-dir "$tmp/x" --as-at 31/02/2025
check_err "output-dir DIR is required" "$data/SSDA903_2025_episodes.csv" "$data/SSDA903_2025_reviews.csv"
check_err "unknown profile" "$data/SSDA903_2025_episodes.csv" "$data/SSDA903_2025_reviews.csv" --output-dir "$tmp/x" --profile nowhere
check_err "expected pairs of files" "$data/SSDA903_2025_episodes.csv" --output-dir "$tmp/x"
# A pipe is read once: the same rows as the file.
"$bin" <(cat "$r/SSDA903_2025_episodes.csv") <(cat "$r/SSDA903_2025_reviews.csv") --year 2025 --output-dir "$tmp/pipe" > /dev/null \
  || fail "pipes should be read"
[ "$(wc -l < "$tmp/pipe/reviews_audit.csv")" -eq 2 ] || fail "pipes: one review row expected"
# Partitioned reading (a 1 MB budget): the same output, and the temporary files are removed.
awk 'BEGIN { print "CHILD,DECOM,RNE,LS,PLACE,DEC,REC"; for (i = 0; i < 40000; i++) printf "%d,01/06/2022,S,C2,U1,,\n", 100000 + i }' \
  > "$tmp/SSDA903_2025_big_episodes.csv"
awk 'BEGIN { print "CHILD,REVIEW"; for (i = 0; i < 40000; i++) printf "%d,15/10/2024\n", 100000 + i }' > "$tmp/SSDA903_2025_big_reviews.csv"
"$bin" "$tmp/SSDA903_2025_big_episodes.csv" "$tmp/SSDA903_2025_big_reviews.csv" --output-dir "$tmp/big" --memory-budget 1 \
  > "$tmp/big.txt" || fail "partitioned run should exit 0"
grep -q 'rows held partitioned by CHILD' "$tmp/big.txt" || fail "a 1 MB budget should partition"
[ "$(grep -c ',decided_by_data,statutory,"late whatever' "$tmp/big/reviews_audit.csv")" -eq 40000 ] || fail "partitioned: 40000 late rows expected"
! ls -a "$tmp/big" | quiet_grep -E '^\.audit_903_tmp|\.tmp-' || fail "partitioned: temporary files left behind"
# Killed while blocked on a pipe after partitioning: SIGTERM removes the partition files and the
# temporary outputs, and leaves no output. Twenty times, killed as soon as the partition directory
# appears, so that some signals land while partition files are still being made in it (before
# the handler retried its removal, about one kill in eight left the directory behind).
mkfifo "$tmp/fifo"
for k in $(seq 20); do
  rm -rf "$tmp/kill"
  "$bin" "$tmp/SSDA903_2025_big_episodes.csv" "$tmp/fifo" --year 2025 --output-dir "$tmp/kill" --memory-budget 1 \
    > /dev/null 2> "$tmp/kill.err" &
  pid=$!
  for _ in $(seq 1000); do ls -a "$tmp/kill" 2>/dev/null | quiet_grep '^\.audit_903_tmp' && break; sleep 0.01; done
  ls -a "$tmp/kill" | quiet_grep '^\.audit_903_tmp' || { kill "$pid"; fail "no partition directory appeared"; }
  kill -TERM "$pid"
  set +e; wait "$pid"; status=$?; set -e
  [ "$status" -eq 130 ] || fail "SIGTERM should exit 130, got $status (kill $k)"
  [ -z "$(ls -A "$tmp/kill")" ] || fail "SIGTERM left files (kill $k): $(ls -A "$tmp/kill")"
done
# The generator's damaged rows (--errors: dates that are not dates, ISO dates, blank CHILDs) cut
# into returns: a row whose date cannot be read goes in the latest return, and the audit balances.
if command -v python3 > /dev/null; then
  python3 scripts/gen_ssda903.py --reviews 3000 --out-dir "$tmp/gen" --errors 0.02 --returns 2024,2025 > /dev/null \
    || fail "gen_ssda903.py --errors --returns should run"
  quiet_grep -E 'notadate|2020-01-01|31/02/2020' "$tmp/gen/SSDA903_2025_reviews.csv" \
    || fail "gen_ssda903.py: the damaged review dates belong in the latest return"
  ! quiet_grep -E 'notadate|2020-01-01|31/02/2020' "$tmp/gen/SSDA903_2024_reviews.csv" \
    || fail "gen_ssda903.py: a damaged date is in one return only"
  "$bin" "$tmp/gen/SSDA903_2024_episodes.csv" "$tmp/gen/SSDA903_2024_reviews.csv" \
    "$tmp/gen/SSDA903_2025_episodes.csv" "$tmp/gen/SSDA903_2025_reviews.csv" --output-dir "$tmp/gen/out" \
    > "$tmp/gen.txt" || fail "the generated returns with errors should audit"
  quiet_grep 'rows in = rows out + rejects + superseded, for every file: yes' "$tmp/gen.txt" \
    || fail "generated returns with errors: rows do not balance"
else
  echo "audit_903 CLI: python3 not found, skipped the generator's --errors check" >&2
fi
echo "audit_903 CLI contract: ok"
