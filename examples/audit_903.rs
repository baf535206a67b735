//! Audit review timeliness on an SSDA903 return: episodes and reviews tables in, one row per
//! review out, with its deadline and lateness, every unusable row in `rejects.csv`, a summary, and
//! optionally an HTML report.
//!
//! ```sh
//! cargo run --release --example audit_903 -- EPISODES.csv REVIEWS.csv --output-dir DIR \
//!     [--report FILE.html] [--as-at DATE] [--profile ID|FILE] [--threads N]
//! ```

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use lac_timescales::profile::Profile;
use lac_timescales::ssda903::{audit_paths, parse_date, AuditOptions, AuditRow, Reject, Sink, Strategy, Totals};

const USAGE: &str = "usage: audit_903 EPISODES.csv REVIEWS.csv --output-dir DIR [--report FILE.html] \
[--as-at DATE] [--profile ID|FILE] [--threads N]

  EPISODES.csv, REVIEWS.csv  SSDA903 episodes and reviews tables, dates DD/MM/YYYY, header row first
  --output-dir DIR           where reviews_audit.csv and rejects.csv are written (created if needed)
  --report FILE.html         also write a self-contained HTML report
  --as-at DATE               add a row for each child still looked after whose next review is overdue
                             (DATE as YYYY-MM-DD or DD/MM/YYYY)
  --profile ID|FILE          built-in profile id or a local profile TOML file (default: england)
  --threads N                worker threads (default: one per core)";

struct Args {
    episodes: PathBuf,
    reviews: PathBuf,
    out_dir: PathBuf,
    report: Option<PathBuf>,
    as_at: Option<NaiveDate>,
    profile: String,
    threads: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut pos = Vec::new();
    let (mut out_dir, mut report, mut as_at, mut profile, mut threads) = (None, None, None, None, None);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--output-dir" => out_dir = Some(PathBuf::from(value("--output-dir")?)),
            "--report" => report = Some(PathBuf::from(value("--report")?)),
            "--profile" => profile = Some(value("--profile")?),
            "--as-at" => {
                let v = value("--as-at")?;
                let d = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .ok()
                    .or_else(|| parse_date(&v))
                    .ok_or_else(|| format!("--as-at {v:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"))?;
                as_at = Some(d);
            }
            "--threads" => {
                let v = value("--threads")?;
                let n: usize = v
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1 && *n <= 256)
                    .ok_or_else(|| format!("--threads {v:?} must be a whole number from 1 to 256"))?;
                threads = Some(n);
            }
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {s}")),
            _ => pos.push(PathBuf::from(a)),
        }
    }
    if pos.len() != 2 {
        return Err(format!("expected two files (episodes and reviews), got {}", pos.len()));
    }
    let out_dir = out_dir.ok_or("--output-dir DIR is required")?;
    let reviews = pos.pop().unwrap_or_default();
    let episodes = pos.pop().unwrap_or_default();
    Ok(Args {
        episodes,
        reviews,
        out_dir,
        report,
        as_at,
        profile: profile.unwrap_or_else(|| "england".into()),
        threads,
    })
}

fn load_profile(spec: &str) -> Result<Profile, String> {
    if Profile::builtin_ids().contains(&spec) {
        return Profile::builtin(spec).map_err(|e| e.to_string());
    }
    let path = Path::new(spec);
    if path.exists() || spec.ends_with(".toml") {
        // Bounded, and a FIFO or a device is refused rather than read without end.
        let text = lac_timescales::input::read_file(path, lac_timescales::profile::MAX_PROFILE_BYTES, "--profile")
            .map_err(|e| e.to_string())?;
        return Profile::from_toml(spec, &text).map_err(|e| e.to_string());
    }
    Profile::builtin(spec).map_err(|e| e.to_string())
}

/// On time / all, for one bucket.
#[derive(Default, Clone, Copy)]
struct Count {
    on_time: u64,
    all: u64,
}

impl Count {
    fn add(&mut self, on: bool) {
        self.all += 1;
        self.on_time += u64::from(on);
    }
    fn pct(&self) -> f64 {
        if self.all == 0 {
            0.0
        } else {
            100.0 * self.on_time as f64 / self.all as f64
        }
    }
}

const REPORT_ROWS: usize = 500;

/// Writes both CSV files and gathers what the summary and the report need.
struct Out {
    audit: BufWriter<File>,
    rejects: BufWriter<File>,
    line: String,
    rows: u64,
    reject_rows: u64,
    by_year: BTreeMap<i32, Count>,
    by_number: [Count; 3],
    all: Count,
    monthly: BTreeMap<(i32, u32), Count>,
    late: Vec<AuditRow>,
    late_total: u64,
    reasons: BTreeMap<String, u64>,
}

impl Out {
    fn keep_late(&mut self) {
        self.late.sort_by(|a, b| {
            (a.review.is_some(), -a.working_days_late, &a.child).cmp(&(
                b.review.is_some(),
                -b.working_days_late,
                &b.child,
            ))
        });
        self.late.truncate(REPORT_ROWS);
    }
}

impl Out {
    fn count(&mut self, row: &AuditRow) {
        self.rows += 1;
        if let Some(r) = row.review {
            // Collection years run 1 April to 31 March; 2024 = 2024-25.
            let fy = if r.month() >= 4 { r.year() } else { r.year() - 1 };
            self.by_year.entry(fy).or_default().add(row.on_time);
            self.by_number[(row.review_number.clamp(1, 3) - 1) as usize].add(row.on_time);
            self.all.add(row.on_time);
            self.monthly.entry((r.year(), r.month())).or_default().add(row.on_time);
        }
        if !row.on_time {
            self.late_total += 1;
            self.late.push(row.clone());
            if self.late.len() >= 4 * REPORT_ROWS {
                self.keep_late();
            }
        }
    }
}

impl Sink for Out {
    fn row(&mut self, row: &AuditRow) -> io::Result<()> {
        self.line.clear();
        row.write_csv(&mut self.line);
        self.audit.write_all(self.line.as_bytes())?;
        self.count(row);
        Ok(())
    }

    fn rows(&mut self, rows: &[AuditRow], csv: &str) -> io::Result<()> {
        self.audit.write_all(csv.as_bytes())?;
        for r in rows {
            self.count(r);
        }
        Ok(())
    }

    fn reject(&mut self, r: &Reject) -> io::Result<()> {
        self.line.clear();
        r.write_csv(&mut self.line);
        self.rejects.write_all(self.line.as_bytes())?;
        self.reject_rows += 1;
        // Group reasons by their first words, without the values.
        let kind = if r.reason.contains("outside every period") {
            "REVIEW outside every period of care".to_string()
        } else if r.reason.contains("overlaps the previous period") {
            "period of care overlaps the previous period".to_string()
        } else {
            r.reason.split([':', '(', '"']).next().unwrap_or("").trim().to_string()
        };
        *self.reasons.entry(format!("{}: {kind}", r.file.as_str())).or_default() += 1;
        Ok(())
    }
}

fn fy_label(y: i32) -> String {
    format!("{}-{:02}", y, (y + 1) % 100)
}

fn summary(t: &Totals, o: &Out, args: &Args, profile: &Profile, strategy: Strategy) -> String {
    let mut s = String::new();
    let ok = if t.balanced() { "yes" } else { "NO (a bug: please report it)" };
    s += &format!(
        "audit_903: profile {} ({}), {} children, {} periods of care\n",
        profile.id, profile.name, t.children, t.periods
    );
    s += &format!(
        "episodes: {} rows read = {} used in periods of care + {} rejected\n",
        t.episodes_in, t.episodes_used, t.episodes_rejected
    );
    s += &format!(
        "reviews:  {} rows read = {} audited + {} rejected\n",
        t.reviews_in, t.reviews_audited, t.reviews_rejected
    );
    s += &format!("rows in = rows out + rejects: {ok}\n");
    if let Some(a) = args.as_at {
        s += &format!("overdue as at {a}: {} children still looked after with their next review overdue\n", t.overdue);
    }
    s += "\nReviews on time by collection year (1 April to 31 March):\n";
    for (y, c) in &o.by_year {
        s += &format!("  {}  {:>9} of {:>9}  {:5.1}%\n", fy_label(*y), c.on_time, c.all, c.pct());
    }
    s += "Reviews on time by review number:\n";
    for (name, c) in ["first ", "second", "later "].iter().zip(&o.by_number) {
        s += &format!("  {name}   {:>9} of {:>9}  {:5.1}%\n", c.on_time, c.all, c.pct());
    }
    s += &format!("  all      {:>9} of {:>9}  {:5.1}%\n", o.all.on_time, o.all.all, o.all.pct());
    if !o.reasons.is_empty() {
        s += "Rejected rows by reason:\n";
        let mut v: Vec<_> = o.reasons.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (k, n) in v {
            s += &format!("  {n:>9}  {k}\n");
        }
    }
    let how = match strategy {
        Strategy::Merge => "both files sorted by CHILD: merged as they streamed".to_string(),
        Strategy::InMemory => "files not both sorted by CHILD: grouped in memory (output in CHILD order)".to_string(),
        Strategy::Partitioned(n) => format!("files not both sorted by CHILD: external sort in {n} partitions"),
    };
    s += &format!("Read: {how}\n");
    s
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn chart(o: &Out) -> String {
    let months: Vec<_> = o.monthly.iter().collect();
    if months.is_empty() {
        return "<p>No reviews audited.</p>".into();
    }
    let max = months.iter().map(|(_, c)| c.all).max().unwrap_or(1).max(1);
    let n = months.len();
    let (w, h, left, bottom, top) = (900.0f64, 260.0f64, 50.0f64, 40.0f64, 10.0f64);
    let bw = (w - left - 10.0) / n as f64;
    let scale = (h - bottom - top) / max as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" \
aria-label=\"Reviews per month: on time and late\">"
    );
    s += &format!(
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#555\"/>",
        y = h - bottom,
        x2 = w - 10.0
    );
    for k in 0..=4 {
        let v = max as f64 * k as f64 / 4.0;
        let y = h - bottom - v * scale;
        s += &format!(
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">{:.0}</text>\
<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>",
            left - 4.0,
            y + 4.0,
            v,
            w - 10.0
        );
    }
    let every = n.div_ceil(10).max(1);
    for (i, ((y, m), c)) in months.iter().enumerate() {
        let x = left + i as f64 * bw + bw * 0.1;
        let bwi = bw * 0.8;
        let on_h = c.on_time as f64 * scale;
        let late_h = (c.all - c.on_time) as f64 * scale;
        let base = h - bottom;
        s += &format!(
            "<g><title>{m:02}/{y}: {} on time, {} late</title>\
<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bwi:.1}\" height=\"{on_h:.1}\" fill=\"#2e7d32\"/>\
<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bwi:.1}\" height=\"{late_h:.1}\" fill=\"#c62828\"/></g>",
            c.on_time,
            c.all - c.on_time,
            base - on_h,
            base - on_h - late_h
        );
        if i % every == 0 {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
                x + bwi / 2.0,
                h - bottom + 15.0,
                NaiveDate::from_ymd_opt(*y, *m, 1).map(|d| d.format("%b %Y").to_string()).unwrap_or_default()
            );
        }
    }
    s += "</svg>";
    s
}

fn report(t: &Totals, o: &Out, args: &Args, profile: &Profile) -> String {
    let late = o.all.all - o.all.on_time;
    let mut s = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Review timeliness audit</title>\
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1000px}\
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:8px;padding:.8em 1.2em;min-width:150px}\
.card b{display:block;font-size:2em}.good b{color:#2e7d32}.bad b{color:#c62828}\
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}\
th{background:#f3f3f3}.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}\
small{color:#666}</style></head><body>",
    );
    s += "<h1>Review timeliness audit</h1>";
    s += &format!(
        "<p>{} &middot; {} &middot; profile <b>{}</b> ({}){}</p>",
        esc(&args.episodes.display().to_string()),
        esc(&args.reviews.display().to_string()),
        esc(&profile.id),
        esc(&profile.name),
        args.as_at.map(|a| format!(" &middot; as at {a}")).unwrap_or_default()
    );
    s += "<div class=\"cards\">";
    s += &format!("<div class=\"card good\"><b>{:.1}%</b>of reviews on time</div>", o.all.pct());
    s += &format!("<div class=\"card\"><b>{}</b>reviews audited</div>", o.all.all);
    s += &format!("<div class=\"card bad\"><b>{late}</b>reviews late</div>");
    if args.as_at.is_some() {
        s += &format!("<div class=\"card bad\"><b>{}</b>reviews overdue now</div>", t.overdue);
    }
    s += &format!("<div class=\"card\"><b>{}</b>rows rejected (see rejects.csv)</div>", o.reject_rows);
    s += "</div>";
    s += "<h2>Reviews per month</h2><p class=\"key\"><span style=\"background:#2e7d32\"></span>on time\
<span style=\"background:#c62828\"></span>late</p>";
    s += &chart(o);
    s += "<h2>By review number</h2><table><tr><th>Review</th><th>On time</th><th>All</th><th>%</th></tr>";
    for (name, c) in ["First (within 20 working days)", "Second (within 3 months)", "Later (within 6 months)"]
        .iter()
        .zip(&o.by_number)
    {
        s += &format!("<tr><td>{name}</td><td>{}</td><td>{}</td><td>{:.1}%</td></tr>", c.on_time, c.all, c.pct());
    }
    s += "</table>";
    s += &format!(
        "<h2>Late and overdue reviews</h2><p><small>{} in all{}; overdue first, then the most late. \
The full list is in reviews_audit.csv.</small></p>",
        o.late_total,
        if o.late_total as usize > o.late.len() { format!(", showing {}", o.late.len()) } else { String::new() }
    );
    s += "<table><tr><th>Child</th><th>Period from</th><th>Review</th><th>Held</th><th>Deadline</th>\
<th>Working days late</th><th>Note</th></tr>";
    for r in &o.late {
        s += &format!(
            "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.child),
            r.period_start.format("%d %b %Y"),
            r.regime.describe(),
            r.review_number,
            r.review.map(|d| d.format("%d %b %Y").to_string()).unwrap_or_else(|| "<b>not held</b>".into()),
            r.deadline.format("%d %b %Y"),
            r.working_days_late,
            esc(&r.note)
        );
    }
    s += "</table>";
    s += &format!(
        "<p><small>Episodes: {} rows = {} used + {} rejected. Reviews: {} rows = {} audited + {} rejected. \
Deadlines by lac-timescales {}.</small></p></body></html>\n",
        t.episodes_in,
        t.episodes_used,
        t.episodes_rejected,
        t.reviews_in,
        t.reviews_audited,
        t.reviews_rejected,
        env!("CARGO_PKG_VERSION")
    );
    s
}

fn run(args: &Args) -> Result<(), String> {
    let profile = load_profile(&args.profile)?;
    for p in [&args.episodes, &args.reviews] {
        File::open(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    }
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| format!("cannot create output directory {}: {e}", args.out_dir.display()))?;
    let create = |name: &str| -> Result<BufWriter<File>, String> {
        let p = args.out_dir.join(name);
        File::create(&p)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    let mut out = Out {
        audit: create("reviews_audit.csv")?,
        rejects: create("rejects.csv")?,
        line: String::new(),
        rows: 0,
        reject_rows: 0,
        by_year: BTreeMap::new(),
        by_number: [Count::default(); 3],
        all: Count::default(),
        monthly: BTreeMap::new(),
        late: Vec::new(),
        late_total: 0,
        reasons: BTreeMap::new(),
    };
    let write_err = |e: io::Error| format!("cannot write to {}: {e}", args.out_dir.display());
    writeln!(out.audit, "{}", AuditRow::CSV_HEADER).map_err(write_err)?;
    writeln!(out.rejects, "{}", Reject::CSV_HEADER).map_err(write_err)?;
    let mut opts = AuditOptions::new(&profile);
    opts.as_at = args.as_at;
    if let Some(n) = args.threads {
        opts.threads = n;
    }
    let (totals, strategy) =
        audit_paths(&args.episodes, &args.reviews, &opts, &args.out_dir, &mut out).map_err(|e| e.to_string())?;
    out.audit.flush().map_err(write_err)?;
    out.rejects.flush().map_err(write_err)?;
    out.keep_late();
    // Stdout may be a closed pipe (`| head`): ignore write errors there rather than panic.
    let mut stdout = io::stdout().lock();
    let _ = write!(stdout, "{}", summary(&totals, &out, args, &profile, strategy));
    let _ = writeln!(
        stdout,
        "Wrote {} ({} rows) and {} ({} rows)",
        args.out_dir.join("reviews_audit.csv").display(),
        out.rows,
        args.out_dir.join("rejects.csv").display(),
        out.reject_rows
    );
    if let Some(r) = &args.report {
        std::fs::write(r, report(&totals, &out, args, &profile))
            .map_err(|e| format!("cannot write report {}: {e}", r.display()))?;
        let _ = writeln!(stdout, "Wrote report {}", r.display());
    }
    if !totals.balanced() {
        return Err("rows in != rows out + rejects: this is a bug".into());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            let _ = writeln!(io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("audit_903: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("audit_903: {e}");
            ExitCode::from(2)
        }
    }
}
