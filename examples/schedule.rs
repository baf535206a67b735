//! Every dated obligation for a looked-after child's reviews.
//!
//! ```text
//! cargo run --example schedule                                   # the embedded sample child
//! cargo run --example schedule -- --help                         # usage
//! cargo run --example schedule -- --looked-after-from 2026-03-02 [--profile ID|FILE] [--jurisdiction wales]
//!                                 [--as-at DATE] [--horizon-months N] [--explain N]
//!                                 [--csv FILE] [--ics FILE] [--case-id ID]   # also write the exports
//! cargo run --example schedule -- --audit [--as-at DATE] [--csv FILE]   # statuses as at DATE; CSV: aggregates
//! cargo run --example schedule -- --json [--audit] [--input FILE]  # request JSON (stdin by default) -> response JSON
//! cargo run --release --example schedule -- throughput N         # N synthetic schedules in process
//!                                                                   # (twice: without and with placements)
//! ```
//! In `--json` mode an error prints `{"error": {"kind": ..., "message": ...}}` and exits with 2.
//! `--input FILE` must be a regular file of at most 8 MiB (a FIFO or a device is refused);
//! stdin is read up to 8 MiB and one byte more is an error. `--profile FILE` (a profile of your
//! own) is read the same way, up to 1 MiB. A usage error prints the usage and exits with 2; a
//! data error prints only the error and exits with 2; `--help` prints the usage and exits with 0.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::json::{self, ScheduleRequest, MAX_REQUEST_BYTES};
use lac_timescales::model::{CaseHistory, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::profile::{Profile, ProfileRegistry, MAX_PROFILE_BYTES};
use lac_timescales::schedule::{schedule, Breach, Obligation, ScheduleOptions};

#[path = "shared/synthetic.rs"]
mod synthetic;

/// `println!` that stops quietly when the reader goes away (`schedule | head`), instead of
/// panicking on a broken pipe: exit status 141, as a shell reports a process ended by SIGPIPE.
macro_rules! println {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($t)*).is_err() {
            std::process::exit(141);
        }
    }};
}

const USAGE: &str = "usage: schedule [--looked-after-from DATE] [--profile ID|FILE] [--jurisdiction england|wales] [--as-at DATE] [--horizon-months N] [--explain N] [--csv FILE] [--ics FILE] [--case-id ID] [--audit]
       schedule --json [--audit] [--input FILE]
       schedule throughput N [existing|placements]
       schedule --help

Without arguments: the timeline of an embedded sample child (Dudley profile).
  --looked-after-from DATE   a child looked after from DATE (YYYY-MM-DD) instead of the sample
  --profile ID|FILE          a built-in profile (england, wales, sars-checklist, isu-procedure, dudley,
                             iro-expectations) or your own local profile TOML file (at most 1 MiB)
  --jurisdiction J           england or wales
  --as-at DATE               see the schedule as at DATE
  --horizon-months N         project reviews N months ahead (0: the next review only)
  --explain N                how obligation N's date was reached
  --csv FILE, --ics FILE     also write the schedule as CSV or iCalendar (--case-id ID names the case)
  --audit                    each obligation's status as at --as-at; --csv FILE writes the totals
  --json                     request JSON (from --input FILE or stdin, at most 8 MiB) to response JSON
  throughput N [existing|placements]   N synthetic schedules in process, timed";

/// Why the command failed: wrong arguments (print the usage) or wrong data (print the error).
enum Failure {
    Usage(String),
    Data(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Data(message)
    }
}

/// The embedded sample child: looked after and placed in an emergency since Mon 5 Jan 2026,
/// visited by the social worker (one visit a day late), first review held on time, second review
/// adjourned and completed, a significant change proposed.
const SAMPLE: &str = r#"{
  "jurisdiction": "england",
  "profile": "dudley",
  "as_at": "2026-06-01",
  "horizon_months": 9,
  "child": {"date_of_birth": "2011-02-14"},
  "events": [
    {"event": "became_looked_after", "date": "2026-01-05"},
    {"event": "placement_started", "date": "2026-01-05", "emergency": true},
    {"event": "care_plan_started", "date": "2026-01-05"},
    {"event": "social_worker_visit", "date": "2026-01-09"},
    {"event": "review_held", "date": "2026-01-29"},
    {"event": "social_worker_visit", "date": "2026-02-18"},
    {"event": "social_worker_visit", "date": "2026-04-02"},
    {"event": "review_adjourned", "date": "2026-04-22"},
    {"event": "review_held", "date": "2026-05-06"},
    {"event": "social_worker_visit", "date": "2026-05-08"},
    {"event": "significant_change", "date": "2026-05-27", "note": "proposed move to a new foster placement"}
  ]
}"#;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("throughput") {
        return match args.get(1).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n > 0 => match args.get(2).map(String::as_str) {
                None => throughput(n, true, true),
                Some("existing") => throughput(n, true, false),
                Some("placements") => throughput(n, false, true),
                Some(other) => {
                    eprintln!("error: throughput N [existing|placements], not {other:?}\n{USAGE}");
                    ExitCode::from(2)
                }
            },
            _ => {
                eprintln!("error: throughput needs a count above 0\n{USAGE}");
                ExitCode::from(2)
            }
        };
    }
    if args.iter().any(|a| a == "--json") {
        return json_mode(&args);
    }
    match human(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("error: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Data(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn value<'a>(args: &'a [String], flag: &str) -> Result<Option<&'a str>, Failure> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => {
            args.get(i + 1).map(|s| Some(s.as_str())).ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))
        }
    }
}

fn json_mode(args: &[String]) -> ExitCode {
    let text = match value(args, "--input") {
        Ok(Some(path)) => lac_timescales::input::read_file(Path::new(path), MAX_REQUEST_BYTES, "input"),
        Ok(None) => lac_timescales::input::read_bounded(std::io::stdin().lock(), MAX_REQUEST_BYTES, "stdin"),
        Err(Failure::Usage(e) | Failure::Data(e)) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let out = text.and_then(|text| {
        if args.iter().any(|a| a == "--audit") {
            json::audit_json(&text)
        } else {
            json::schedule_json(&text)
        }
    });
    match out {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            println!("{}", json::error_json(&err));
            ExitCode::from(2)
        }
    }
}

/// `--profile ID|FILE`: a built-in id as it is, or the user's own profile file, read (bounded)
/// and registered in `registry` under its id.
fn profile_arg(spec: &str, registry: &ProfileRegistry) -> Result<String, Failure> {
    if Profile::builtin_ids().contains(&spec) {
        return Ok(spec.to_string());
    }
    let text = lac_timescales::input::read_file(Path::new(spec), MAX_PROFILE_BYTES, "--profile")
        .map_err(|e| Failure::Data(format!("{e} (--profile takes a built-in id or a profile file)")))?;
    let p = Profile::from_toml(spec, &text).map_err(|e| e.to_string())?;
    let id = p.id.clone();
    registry.register(p).map_err(|e| e.to_string())?;
    Ok(id)
}

fn human(args: &[String]) -> Result<(), Failure> {
    let known = [
        "--looked-after-from",
        "--profile",
        "--jurisdiction",
        "--as-at",
        "--horizon-months",
        "--explain",
        "--csv",
        "--ics",
        "--case-id",
    ];
    let audit = args.iter().any(|a| a == "--audit");
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--audit" {
            i += 1;
            continue;
        }
        if !known.contains(&args[i].as_str()) {
            return Err(Failure::Usage(format!("unrecognised argument {:?}", args[i])));
        }
        i += 2;
    }
    let mut req: ScheduleRequest = serde_json::from_str(SAMPLE).map_err(|e| e.to_string())?;
    let sample = value(args, "--looked-after-from")?.is_none();
    if let Some(j) = value(args, "--jurisdiction")? {
        req.jurisdiction = match j {
            "england" => Jurisdiction::England,
            "wales" => Jurisdiction::Wales,
            _ => return Err(Failure::Usage(format!("bad --jurisdiction {j:?} (england or wales)"))),
        };
        if value(args, "--profile")?.is_none() {
            req.profile = Some(j.to_string());
        }
    }
    if let Some(d) = value(args, "--looked-after-from")? {
        let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|e| format!("bad date {d:?}: {e}"))?;
        req.events =
            vec![serde_json::to_value(Event::new(date, EventKind::BecameLookedAfter)).map_err(|e| e.to_string())?];
        req.child = None;
        req.as_at = None;
        req.horizon_months = Some(12);
        if value(args, "--profile")?.is_none() && value(args, "--jurisdiction")?.is_none() {
            req.profile = None;
        }
    }
    let registry = ProfileRegistry::new();
    if let Some(p) = value(args, "--profile")? {
        req.profile = Some(profile_arg(p, &registry)?);
    }
    if let Some(a) = value(args, "--as-at")? {
        req.as_at = Some(NaiveDate::parse_from_str(a, "%Y-%m-%d").map_err(|e| format!("bad --as-at {a:?}: {e}"))?);
    }
    if let Some(h) = value(args, "--horizon-months")? {
        req.horizon_months = Some(h.parse().map_err(|_| format!("bad --horizon-months {h:?}"))?);
    }
    if audit {
        if value(args, "--horizon-months")?.is_none() {
            req.horizon_months = None;
        }
        return Ok(print_audit(&req, &registry, value(args, "--csv")?)?);
    }
    let (case, s) = json::run_with(&req, &registry).map_err(|e| e.to_string())?;
    let write = |path: &str, text: String| std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"));
    if let Some(path) = value(args, "--csv")? {
        write(path, lac_timescales::export::schedule_csv(&s))?;
    }
    if let Some(path) = value(args, "--ics")? {
        let first = case.events().first().map(|e| e.date.to_string()).unwrap_or_default();
        let case_id = value(args, "--case-id")?
            .map_or_else(|| format!("{:?}-{first}", case.jurisdiction()).to_lowercase(), String::from);
        let opts = lac_timescales::export::IcsOptions { case_id, dtstamp: None };
        write(path, lac_timescales::export::schedule_ics(&s, &case, &opts))?;
    }
    if let Some(n) = value(args, "--explain")? {
        let n: usize = n.parse().map_err(|_| format!("bad --explain {n:?} (an obligation number)"))?;
        let ex = s.explain(n, &Calendar::england_and_wales(), case.events()).map_err(|e| e.to_string())?;
        let o = &s.obligations[n];
        println!("Obligation {n}: {} — {}", o.duty, o.action);
        for step in ex.steps {
            println!("  - {step}");
        }
        return Ok(());
    }
    print_timeline(&case, &s, sample);
    Ok(())
}

/// `--audit`: each obligation's status as at the audit date, the breaches, unmatched events and
/// the totals; `--csv FILE` writes the aggregates.
fn print_audit(req: &ScheduleRequest, registry: &ProfileRegistry, csv: Option<&str>) -> Result<(), String> {
    use lac_timescales::audit::Status;
    let (_, a) = json::run_audit_with(req, registry).map_err(|e| e.to_string())?;
    println!("Audit as at {}: profile {} {}", day(a.as_at), a.metadata.profile, a.metadata.profile_version);
    for ao in &a.obligations {
        let o = &ao.obligation;
        let status = match &ao.status {
            Status::Met { margin_working_days: w, margin_calendar_days: c, .. } => {
                format!("met, {w} wd / {c} d to spare")
            }
            Status::Late { late_working_days: w, late_calendar_days: c, .. } => format!("LATE by {w} wd / {c} d"),
            Status::Overdue { overdue_working_days: w, overdue_calendar_days: c } => {
                format!("OVERDUE by {w} wd / {c} d")
            }
            Status::Pending { working_days_left: w, calendar_days_left: c } => format!("pending, {w} wd / {c} d left"),
            Status::NotApplicable { reason } => format!("n/a: {reason}"),
        };
        // A number with a regime is a review's; without one, the occurrence of a repeating duty.
        let what = if o.regime.is_some() { "review" } else { "no." };
        let review = o.review_number.map(|n| format!(" ({what} {n})")).unwrap_or_default();
        let due = o.latest.map(day).unwrap_or_else(|| "no date fixed".into());
        println!(
            "  {:>3}  {due:<16} {}{review}: {status} — {}{}",
            ao.index,
            o.duty,
            o.citation.provision,
            unverified(&o.citation)
        );
    }
    for b in &a.breaches {
        println!(
            "Breach: obligation {} ({}): {}",
            b.obligation,
            b.duty,
            lac_timescales::export::breach_kind(&b.breach)
        );
    }
    for e in a.events.iter().filter(|e| e.unmatched.is_some()) {
        println!("Event {} ({} {}) unmatched: {}", e.index, e.event, e.date, e.unmatched.as_deref().unwrap_or(""));
    }
    let t = &a.aggregates.total;
    let pct = t.on_time_percent.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "-".into());
    println!(
        "Totals: {} met, {} late, {} overdue, {} pending, {} not applicable; on time {pct} (met / (met + late + overdue))",
        t.met, t.late, t.overdue, t.pending, t.not_applicable
    );
    if let Some(path) = csv {
        std::fs::write(path, a.aggregates.to_csv()).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}

fn day(d: NaiveDate) -> String {
    d.format("%a %e %b %Y").to_string()
}

/// A group of obligations: the review (number, regime) it belongs to, and obligation indices.
type Group = (Option<(u32, String)>, Vec<usize>);

fn print_timeline(case: &CaseHistory, s: &lac_timescales::schedule::Schedule, sample: bool) {
    let m = &s.metadata;
    if sample {
        println!("Sample child (born 14 Feb 2011), looked after and placed in an emergency since Mon 5 Jan 2026.");
        println!("Social worker visits 9 Jan, 18 Feb, 2 Apr and 8 May; first review held 29 Jan; second");
        println!("review adjourned on 22 Apr and completed on 6 May; a move to a new foster placement");
        println!("proposed on 27 May.");
    }
    println!(
        "Rules: {} {} on {} statute {} | calendar {} (verified to {}) | as at {} | planning to {}",
        m.profile,
        m.profile_version,
        m.statutory_profile,
        m.statutory_profile_version,
        m.calendar.table_version,
        m.calendar.verified_through,
        m.as_at.map(day).unwrap_or_else(|| "-".into()),
        m.horizon_end.map(day).unwrap_or_else(|| "next review only".into()),
    );
    println!("Dates are the last working day to act by; '(deadline Sat 3 Jan)' shows a legal deadline that falls on a non-working day.");
    println!("No. = the obligation number for --explain N.\n");
    // Group: whole-case duties first, then the placement and its visits, then each review in order.
    let mut groups: Vec<Group> = Vec::new();
    let key = |o: &Obligation| match (o.review_number, o.regime) {
        (Some(n), Some(r)) => Some((n, r.as_str().to_string())),
        _ if is_placement_duty(o.duty) => Some((0, "placement".to_string())),
        _ => None,
    };
    for (i, o) in s.obligations.iter().enumerate() {
        let k = key(o);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, v)) => v.push(i),
            None => groups.push((k, vec![i])),
        }
    }
    groups.sort_by_key(|(k, v)| {
        (k.is_some(), k.as_ref().map(|(n, r)| (r != "placement", r != "looked_after", *n)), v[0])
    });
    for (k, items) in &groups {
        match k {
            None => println!("Whole period of care"),
            Some((_, r)) if r == "placement" => println!("Placements and social worker visits"),
            Some((n, regime)) => {
                let review =
                    items.iter().map(|i| &s.obligations[*i]).find(|o| o.duty.as_str() == "hold_review" && !o.early);
                let status = match review.and_then(|o| o.done) {
                    Some(d) => format!("held {}", day(d)),
                    None if review.is_some_and(|o| o.projected) => "projected".to_string(),
                    None => "not yet held".to_string(),
                };
                let regime = lac_timescales::model::Regime::from_id(regime).map(|r| r.describe()).unwrap_or("review");
                println!("Review {n} ({regime}) — {status}");
            }
        }
        for &i in items {
            println!("{}", line(i, &s.obligations[i], case));
        }
        println!();
    }
    if let Some(n) = s.next_review() {
        let when = n.latest_working_day.map(day).unwrap_or_else(|| "no date fixed".into());
        println!("Next review due: review {} by {}.", n.review_number.unwrap_or(0), when);
    }
}

/// Duties that belong to a placement rather than to a review or the whole period of care.
fn is_placement_duty(duty: Duty) -> bool {
    matches!(
        duty,
        Duty::VisitChild
            | Duty::PrepareCarePlan
            | Duty::PreparePlacementPlan
            | Duty::NotifyPlacement
            | Duty::NotifyPlacementEnded
            | Duty::PersonalEducationPlan
    )
}

fn line(i: usize, o: &Obligation, _case: &CaseHistory) -> String {
    let date = match (o.latest_working_day, o.latest) {
        (Some(w), Some(l)) if w != l => format!("{} (deadline {})", day(w), l.format("%a %-d %b")),
        (Some(w), _) => day(w),
        _ => "no date fixed".to_string(),
    };
    let mut flags = Vec::new();
    if o.early {
        flags.push("EARLY REVIEW".to_string());
    }
    if let Some(d) = o.done {
        flags.push(format!("done {}", d.format("%-d %b")));
    }
    if let Some(b) = &o.breach {
        flags.push(match b {
            Breach::LateReview { working_days_late, .. } => {
                format!("LATE by {}", days(*working_days_late, "working day"))
            }
            Breach::NotHeld { .. } => "OVERDUE".into(),
            Breach::SecondAdjournment { .. } => "SECOND ADJOURNMENT (not allowed)".into(),
            Breach::AdjournedReviewCompletedLate { working_days_late, .. } => {
                format!("completed {} late", days(*working_days_late, "working day"))
            }
            Breach::RearrangedPastDeadline { basis, .. } => match basis {
                lac_timescales::profile::Basis::Statutory => "MOVED PAST STATUTORY DATE".into(),
                local => format!("MOVED PAST {local} DATE"),
            },
            Breach::LateDuty { working_days_late, calendar_days_late, .. } => {
                format!("LATE by {} ({})", days(*calendar_days_late, "day"), days(*working_days_late, "working day"))
            }
            Breach::NotDone { .. } => "OVERDUE".into(),
            other => other.to_string(),
        });
        // Whose standard: statute's unless only a local procedure's earlier date was missed.
        if *b.basis() != lac_timescales::profile::Basis::Statutory {
            flags.push(format!("breach of {} only", b.basis()));
        }
    }
    if o.projected {
        flags.push("projected".into());
    }
    if o.provisional {
        flags.push("provisional".into());
    }
    let flags = if flags.is_empty() { String::new() } else { format!(" [{}]", flags.join(", ")) };
    let who = o.role.describe();
    format!(
        "  {i:>3}  {date:<37} {who:<20} {}{flags}\n       {:<37} {} — {}, {}{}",
        o.action,
        "",
        o.basis,
        o.citation.instrument,
        o.citation.provision,
        unverified(&o.citation)
    )
}

/// The mark of a rule not verified against its text (status U), for every line that shows a rule.
fn unverified(c: &lac_timescales::profile::Citation) -> &'static str {
    match c.status {
        lac_timescales::profile::Status::U => " [U: not verified against the text]",
        _ => "",
    }
}

fn throughput(n: usize, existing: bool, placements: bool) -> ExitCode {
    let cal = Calendar::england_and_wales();
    let profile = match Profile::builtin("england") {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // Synthetic histories of 5-10 events, and the same with placements and visits, built before
    // timing. Each set is timed on its own and reported.
    let opts = ScheduleOptions::default();
    let mut sets = Vec::new();
    if existing {
        sets.push(("", synthetic::histories()));
    }
    if placements {
        sets.push(("with_placements_", synthetic::histories_with_placements()));
    }
    for (label, cases) in sets {
        let events: usize = cases.iter().map(|c| c.events().len()).sum();
        let start = Instant::now();
        let mut obligations = 0usize;
        for i in 0..n {
            match schedule(&cases[i & 1023], &profile, &cal, &opts) {
                Ok(s) => obligations += s.obligations.len(),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!("{label}schedules: {n}");
        println!("{label}events_per_history: {:.1}", events as f64 / cases.len() as f64);
        println!("{label}obligations: {obligations}");
        println!("{label}seconds: {secs:.6}");
        println!("{label}schedules_per_second: {:.0}", n as f64 / secs);
    }
    ExitCode::SUCCESS
}

/// "1 day", "2 days": a count with its noun.
fn days(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
