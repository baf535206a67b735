//! Audit review timeliness on SSDA903 returns: one or more returns (episodes and reviews tables
//! as CSV, or the DfE XML) in; one row per review out (held, or fell due and never held before
//! its clock stopped), with its deadline, lateness and the basis the deadline stands on; with
//! `--as-at`, one per review overdue (the review due, then each next that fell due before that
//! date, counted from the last working day by which the one before was due); every unusable row in `rejects.csv`; episodes replaced by a later
//! year's copy in `superseded.csv`; a summary; optionally an HTML report.
//!
//! ```sh
//! cargo run --release --example audit_903 -- E1.csv R1.csv [E2.csv R2.csv ...] [RETURN.xml ...] \
//!     --output-dir DIR [--year YYYY] [--report FILE.html] [--as-at DATE] [--profile ID|FILE] \
//!     [--threads N] [--tmp-dir DIR]
//! ```

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use lac_timescales::profile::Profile;
use lac_timescales::ssda903::read::temp_dir_name;
use lac_timescales::ssda903::report::Summary;
use lac_timescales::ssda903::{
    audit, parse_date, AuditOptions, AuditRow, Chunk, Input, Reject, ReturnInput, Sink, Superseded,
};

const USAGE: &str = "usage: audit_903 EPISODES.csv REVIEWS.csv [EPISODES2.csv REVIEWS2.csv ...] [RETURN.xml ...]
                 --output-dir DIR [--year YYYY] [--report FILE.html] [--as-at DATE]
                 [--profile ID|FILE] [--threads N] [--tmp-dir DIR] [--memory-budget MB]

  EPISODES.csv REVIEWS.csv  one return's episodes and reviews tables (in that order), header row
                            first, dates DD/MM/YYYY or YYYY-MM-DD; give several pairs for several years
  RETURN.xml                a return as the DfE XML (root EXPSSDA903)
  --output-dir DIR          where reviews_audit.csv, rejects.csv and superseded.csv are written
  --year YYYY               the collection year (the year it ends: 2025 = 2024-25) of a return
                            whose file names do not say it (SSDA903_2025_reviews.csv does)
  --report FILE.html        also write a self-contained HTML report
  --as-at DATE              add a row for each review overdue on DATE: a child's review due and
                            not held, then each next counted from the last working day by which
                            the one before was due, as if held then, that fell due before DATE
                            (not before the data's last date, not after the last year's end)
  --profile ID|FILE         built-in profile id or a local profile TOML file (default: england)
  --threads N               worker threads (default: one per core)
  --tmp-dir DIR             where temporary partition files go for input larger than the memory
                            budget (default: the output directory); removed on exit, errors, Ctrl-C
  --memory-budget MB        input held in memory before partitioning to --tmp-dir (default 512)

Exit status: 0 when the audit ran; 2 for a bad option, an unreadable file, or a file no row of
which could be used (swapped files, the wrong table, unreadable dates).";

struct Args {
    returns: Vec<Vec<PathBuf>>,
    out_dir: PathBuf,
    year: Option<i32>,
    report: Option<PathBuf>,
    as_at: Option<NaiveDate>,
    profile: String,
    threads: Option<usize>,
    tmp_dir: Option<PathBuf>,
    memory_mb: Option<u64>,
}

fn is_xml(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
}

fn parse_args() -> Result<Args, String> {
    let mut pos: Vec<PathBuf> = Vec::new();
    let (mut out_dir, mut report, mut as_at, mut profile, mut threads, mut year, mut tmp_dir) =
        (None, None, None, None, None, None, None);
    let mut memory_mb = None;
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        let s = a.to_string_lossy().into_owned();
        let mut value = |name: &str| {
            it.next().map(|v| v.to_string_lossy().into_owned()).ok_or_else(|| format!("{name} needs a value"))
        };
        match s.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--output-dir" => out_dir = Some(PathBuf::from(value("--output-dir")?)),
            "--report" => report = Some(PathBuf::from(value("--report")?)),
            "--tmp-dir" => tmp_dir = Some(PathBuf::from(value("--tmp-dir")?)),
            "--memory-budget" => {
                let v = value("--memory-budget")?;
                memory_mb = Some(v.parse::<u64>().ok().filter(|n| (1..=1 << 20).contains(n)).ok_or_else(|| {
                    format!("--memory-budget {v:?} must be a whole number of MB from 1 to 1048576 (1 TB)")
                })?);
            }
            "--profile" => profile = Some(value("--profile")?),
            "--year" => {
                let v = value("--year")?;
                let y: i32 = v
                    .parse()
                    .ok()
                    .filter(|y| (1990..=2199).contains(y))
                    .ok_or_else(|| format!("--year {v:?} must be a year from 1990 to 2199 (2025 = 2024-25)"))?;
                year = Some(y);
            }
            "--as-at" => {
                let v = value("--as-at")?;
                as_at = Some(
                    parse_date(&v).ok_or_else(|| format!("--as-at {v:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"))?,
                );
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
            x if x.starts_with('-') && x.len() > 1 => return Err(format!("unknown option {x}")),
            _ => pos.push(PathBuf::from(a)),
        }
    }
    let mut returns = Vec::new();
    let mut csv: Vec<PathBuf> = Vec::new();
    for p in pos {
        if is_xml(&p) {
            returns.push(vec![p]);
        } else {
            csv.push(p);
        }
    }
    if csv.len() % 2 != 0 || (csv.is_empty() && returns.is_empty()) {
        return Err(format!(
            "expected pairs of files (episodes then reviews of each return) or XML returns, got {} CSV file(s)",
            csv.len()
        ));
    }
    for pair in csv.chunks(2) {
        returns.push(pair.to_vec());
    }
    if year.is_some() && returns.len() > 1 {
        return Err(
            "--year applies to one return; with several, put each year in its file names (SSDA903_2025_...)".into()
        );
    }
    let out_dir = out_dir.ok_or("--output-dir DIR is required")?;
    Ok(Args {
        returns,
        out_dir,
        year,
        report,
        as_at,
        profile: profile.unwrap_or_else(|| "england".into()),
        threads,
        tmp_dir,
        memory_mb,
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

/// The same file, whether or not the output exists yet.
fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        let parent = p.parent().filter(|x| !x.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    };
    matches!((canon(a), canon(b)), (Some(x), Some(y)) if x == y)
}

/// An output written to a temporary name beside it and renamed into place when complete.
struct Pending {
    tmp: PathBuf,
    fin: PathBuf,
}

/// Paths to remove if the process is interrupted.
type Cleanup = Arc<Mutex<Vec<PathBuf>>>;

fn pending(fin: &Path, cleanup: &Cleanup) -> Pending {
    let name = fin.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = fin.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    if let Ok(mut c) = cleanup.lock() {
        c.push(tmp.clone());
    }
    Pending { tmp, fin: fin.to_path_buf() }
}

struct Out {
    audit: BufWriter<File>,
    rejects: BufWriter<File>,
    superseded: BufWriter<File>,
    line: String,
    rows: u64,
    reject_rows: u64,
    superseded_rows: u64,
    summary: Summary,
}

impl Sink for Out {
    fn row(&mut self, row: &AuditRow) -> io::Result<()> {
        self.line.clear();
        row.write_csv(&mut self.line);
        self.audit.write_all(self.line.as_bytes())?;
        self.rows += 1;
        self.summary.add_row(row);
        Ok(())
    }
    fn reject(&mut self, r: &Reject) -> io::Result<()> {
        self.line.clear();
        r.write_csv(&mut self.line);
        self.rejects.write_all(self.line.as_bytes())?;
        self.reject_rows += 1;
        self.summary.add_reject(r);
        Ok(())
    }
    fn superseded(&mut self, s: &Superseded) -> io::Result<()> {
        self.line.clear();
        s.write_csv(&mut self.line);
        self.superseded.write_all(self.line.as_bytes())?;
        self.superseded_rows += 1;
        self.summary.add_superseded(s);
        Ok(())
    }
    // The audit's worker threads format the lines; this thread writes them and counts.
    fn wants_csv(&self) -> bool {
        true
    }
    fn chunk(&mut self, c: &Chunk) -> io::Result<()> {
        self.audit.write_all(c.rows_csv.as_bytes())?;
        self.rejects.write_all(c.rejects_csv.as_bytes())?;
        self.superseded.write_all(c.superseded_csv.as_bytes())?;
        self.rows += c.rows.len() as u64;
        self.reject_rows += c.rejects.len() as u64;
        self.superseded_rows += c.superseded.len() as u64;
        self.summary.add_chunk(c);
        Ok(())
    }
}

fn run(args: &Args, cleanup: &Cleanup) -> Result<(), String> {
    let profile = load_profile(&args.profile)?;
    let inputs: Vec<&PathBuf> = args.returns.iter().flatten().collect();
    for p in &inputs {
        // A named pipe is not opened here (that would block, or take its data): the audit opens
        // and reads every input once.
        let m = std::fs::metadata(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        if m.is_file() {
            File::open(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        }
    }
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| format!("cannot create output directory {}: {e}", args.out_dir.display()))?;
    let names = ["reviews_audit.csv", "rejects.csv", "superseded.csv"];
    let mut outputs: Vec<PathBuf> = names.iter().map(|n| args.out_dir.join(n)).collect();
    if let Some(r) = &args.report {
        if r.is_dir() {
            return Err(format!("--report {} is a directory: give a file name (report.html)", r.display()));
        }
        if let Some(o) = outputs.iter().find(|o| same_file(o, r)) {
            return Err(format!("--report {} is also the output {}: give another name", r.display(), o.display()));
        }
    }
    outputs.extend(args.report.clone());
    for o in &outputs {
        for i in &inputs {
            if same_file(o, i) {
                return Err(format!("output {} is an input: refusing to write over it", o.display()));
            }
        }
    }
    let tmp_root = args.tmp_dir.clone().unwrap_or_else(|| args.out_dir.clone());
    if let Ok(mut c) = cleanup.lock() {
        c.push(temp_dir_name(&tmp_root));
    }
    let pend: Vec<Pending> = outputs.iter().map(|o| pending(o, cleanup)).collect();
    let create = |p: &Pending| -> Result<BufWriter<File>, String> {
        File::create(&p.tmp)
            // The audit hands over each chunk's lines at once (about 1 MB of audit rows): a
            // buffer smaller than that writes them straight to the file rather than copying them
            // into itself first, and still gathers the small writes (headers, a few rejects).
            .map(|f| BufWriter::with_capacity(64 << 10, f))
            .map_err(|e| format!("cannot write {}: {e}", p.tmp.display()))
    };
    let mut out = Out {
        audit: create(&pend[0])?,
        rejects: create(&pend[1])?,
        superseded: create(&pend[2])?,
        line: String::new(),
        rows: 0,
        reject_rows: 0,
        superseded_rows: 0,
        summary: Summary::default(),
    };
    let write_err = |e: io::Error| format!("cannot write to {}: {e}", args.out_dir.display());
    writeln!(out.audit, "{}", AuditRow::CSV_HEADER).map_err(write_err)?;
    writeln!(out.rejects, "{}", Reject::CSV_HEADER).map_err(write_err)?;
    writeln!(out.superseded, "{}", Superseded::CSV_HEADER).map_err(write_err)?;
    let mut opts = AuditOptions::new(&profile);
    opts.as_at = args.as_at;
    opts.tmp_dir = tmp_root;
    if let Some(n) = args.threads {
        opts.threads = n;
    }
    if let Some(mb) = args.memory_mb {
        opts.memory_budget = mb << 20;
    }
    let returns: Vec<ReturnInput<'_>> = args
        .returns
        .iter()
        .filter_map(|r| match r.as_slice() {
            [x] => Some(ReturnInput::Xml { file: Input::Path(x.clone()), year: args.year }),
            [e, v] => Some(ReturnInput::Csv {
                episodes: Input::Path(e.clone()),
                reviews: Input::Path(v.clone()),
                year: args.year,
            }),
            _ => None,
        })
        .collect();
    let outcome = audit(returns, &opts, &mut out).map_err(|e| e.to_string())?;
    for w in [&mut out.audit, &mut out.rejects, &mut out.superseded] {
        w.flush().map_err(write_err)?;
    }
    out.summary.keep_late();
    let files: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    if let (Some(_), Some(p)) = (&args.report, pend.get(3)) {
        std::fs::write(&p.tmp, out.summary.html(&outcome, &files, &profile.id, args.as_at))
            .map_err(|e| format!("cannot write report {}: {e}", p.tmp.display()))?;
    }
    drop(out.audit);
    drop(out.rejects);
    drop(out.superseded);
    for p in &pend {
        std::fs::rename(&p.tmp, &p.fin)
            .map_err(|e| format!("cannot rename {} to {}: {e}", p.tmp.display(), p.fin.display()))?;
    }
    // Stdout may be a closed pipe (`| head`): ignore write errors there rather than panic.
    let mut stdout = io::stdout().lock();
    let _ = write!(stdout, "{}", out.summary.text(&outcome, &format!("{} ({})", profile.id, profile.name), args.as_at));
    let _ = writeln!(
        stdout,
        "Wrote {} ({} rows), {} ({} rows) and {} ({} rows)",
        pend[0].fin.display(),
        out.rows,
        pend[1].fin.display(),
        out.reject_rows,
        pend[2].fin.display(),
        out.superseded_rows
    );
    if let Some(r) = &args.report {
        let _ = writeln!(stdout, "Wrote report {}", r.display());
    }
    if !outcome.totals.balanced() {
        return Err("rows in != rows out + rejects + superseded: this is a bug".into());
    }
    let failures: Vec<String> = outcome.totals.whole_file_failures();
    if !failures.is_empty() {
        return Err(format!("no usable rows in a whole file:\n  {}", failures.join("\n  ")));
    }
    Ok(())
}

/// Removes `path` (a file, or a directory and what is in it) while other threads of this process
/// may still be creating files in it: reading goes on while the signal handler runs, and a
/// partition file made between `remove_dir_all`'s listing and its final `rmdir` would leave the
/// directory behind. So it tries again until the path is gone (a file can be made in a directory
/// only while the directory exists), for at most about a second.
fn remove_while_written(path: &Path) {
    for _ in 0..1000 {
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_dir_all(path);
        if std::fs::symlink_metadata(path).is_err() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
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
    // Temporary outputs and partition files (child ids and dates: personal data) are removed on
    // every exit path: errors and success below, Ctrl-C, SIGTERM and SIGHUP here.
    let cleanup: Cleanup = Arc::new(Mutex::new(Vec::new()));
    let c = cleanup.clone();
    let _ = ctrlc::set_handler(move || {
        // The lock is held until the process exits: the main thread, which may fail on a file
        // removed here, waits for it before it can print an error or exit with another status,
        // so an interrupted run always ends with this one message and status 130.
        let guard = c.lock();
        if let Ok(paths) = &guard {
            for p in paths.iter() {
                remove_while_written(p);
            }
        }
        eprintln!("audit_903: interrupted; temporary files removed, no output written");
        std::process::exit(130);
    });
    let result = run(&args, &cleanup);
    if let Ok(paths) = cleanup.lock() {
        for p in paths.iter() {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("audit_903: {e}");
            ExitCode::from(2)
        }
    }
}
