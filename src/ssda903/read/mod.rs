//! Reading the returns: each input is read once, row by row, into an in-memory store grouped by
//! `CHILD`, or (above the memory budget) hash-partitioned by `CHILD` into temporary files that are
//! grouped one at a time.

pub(crate) mod csv;
pub(crate) mod parallel;
pub(crate) mod xml;

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use self::csv::{check_child, field_bytes, header_columns, Columns};
use super::window::year_of;
use super::{FileKind, Reject, Sink};
use crate::error::{Error, Result};

/// The most rows one child may have in all the tables together (the engine's event limit).
pub const MAX_CHILD_ROWS: usize = crate::model::MAX_EVENTS;

/// One table being read: a CSV file, or one of the two tables of an XML return.
#[derive(Debug)]
pub(crate) struct SourceMeta {
    pub name: Arc<str>,
    pub kind: FileKind,
    /// The return it belongs to (index into the returns, in canonical order).
    pub ret: usize,
    pub cols: Option<Columns>,
    /// Data rows read (not counting the header or blank lines).
    pub rows: u64,
    pub blank: u64,
    /// Rows rejected while reading (before grouping by child).
    pub early_rejects: u64,
    /// Those rejects by kind of reason (see [`crate::ssda903::report::reason_kind`]).
    pub early_reasons: BTreeMap<String, u64>,
    /// Why the header could not be used, in full.
    pub header_error: Option<String>,
    /// Collection years of the dates in the table (REVIEW, or DECOM), for inferring the year.
    pub years: BTreeMap<i32, u64>,
    /// Whether to gather `years` (only when the return's year is not given or named).
    pub track_years: bool,
}

/// A row in the store: which table, which line, where its text and `CHILD` are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowRef {
    /// The first 8 bytes of `CHILD`, big-endian (sorts like the bytes, cheaply).
    pub kp: u64,
    pub src: u32,
    /// Where its text is: 0 for the store's own text, `k` for the `k`th table held whole
    /// ([`Store::files`]`[k - 1]`).
    pub arena: u32,
    pub line: u64,
    pub start: usize,
    pub end: usize,
    pub key_start: usize,
    pub key_end: usize,
}

/// Rows held in memory: tables held whole (their rows are slices of them, not copies), the text
/// of rows read otherwise, and where each row is.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub text: Vec<u8>,
    /// Tables read whole (valid UTF-8), shared with the reader thread that found their rows.
    pub files: Vec<Arc<String>>,
    pub rows: Vec<RowRef>,
    /// The rows' places in `CHILD` order, once sorted ([`Store::sort`]).
    order: Vec<u32>,
    /// Where each child's rows start in `order`.
    starts: Vec<u32>,
}

/// The most ascending runs of rows merged as runs; more are sorted ([`Store::sort`]).
const MAX_RUNS: usize = 64;

/// The first place in `s..e` (relative to `s`) where `below` is false (it is true, then false).
fn partition_point(s: usize, e: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (s, e);
    while lo < hi {
        let m = lo + (hi - lo) / 2;
        if below(m) {
            lo = m + 1;
        } else {
            hi = m;
        }
    }
    lo - s
}

impl Store {
    fn arena(&self, r: &RowRef) -> &[u8] {
        match r.arena {
            0 => &self.text,
            k => self.files[k as usize - 1].as_bytes(),
        }
    }
    pub(crate) fn key(&self, r: &RowRef) -> &[u8] {
        &self.arena(r)[r.key_start..r.key_end]
    }
    pub(crate) fn row_text(&self, r: &RowRef) -> &[u8] {
        &self.arena(r)[r.start..r.end]
    }
    /// A row's text, if it is valid UTF-8. `text` is the store's own text as `&str` when it is
    /// valid UTF-8 (checked once per store, not row by row); tables held whole are.
    #[inline]
    pub(crate) fn row_str<'s>(&'s self, text: Option<&'s str>, r: &RowRef) -> Option<&'s str> {
        match (r.arena, text) {
            (0, Some(t)) => t.get(r.start..r.end),
            (0, None) => std::str::from_utf8(self.row_text(r)).ok(),
            (k, _) => self.files[k as usize - 1].get(r.start..r.end),
        }
    }
    fn push(&mut self, src: u32, line: u64, text: &[u8], key: (usize, usize)) {
        let start = self.text.len();
        self.text.extend_from_slice(text);
        let kp = prefix(&text[key.0..key.1]);
        self.rows.push(RowRef {
            kp,
            src,
            arena: 0,
            line,
            start,
            end: self.text.len(),
            key_start: start + key.0,
            key_end: start + key.1,
        });
    }
    /// Adds a row whose key is stored after its text (a quoted key).
    fn push_with_key(&mut self, src: u32, line: u64, text: &[u8], key: &[u8]) {
        let start = self.text.len();
        self.text.extend_from_slice(text);
        let ks = self.text.len();
        self.text.extend_from_slice(key);
        self.rows.push(RowRef {
            kp: prefix(key),
            src,
            arena: 0,
            line,
            start,
            end: ks,
            key_start: ks,
            key_end: ks + key.len(),
        });
    }
    /// Puts the rows in order by `CHILD` (byte order), then table and line, independent of input
    /// order: [`Store::order`] is then the rows' places in that order (the rows themselves are
    /// not moved).
    ///
    /// Rows come in reading order, so one table's rows are in line order in the store, and a
    /// row's place breaks ties of `CHILD` and table as its line would. Each table of a return is
    /// usually already in `CHILD` order, so the store is a few ascending runs: they are found in
    /// one pass and merged (a heap of runs: about `n log2(runs)` comparisons, no copy of the rows,
    /// on two threads each merging the part of every run below or above a splitting row). With
    /// more than [`MAX_RUNS`] runs, a 16-byte key per row is sorted instead (the standard
    /// library's stable sort, which also merges runs), its halves on two threads and merged from
    /// both ends. The order is total, so every way gives the same result.
    pub(crate) fn sort(&mut self, threads: usize) -> Result<()> {
        let n = self.rows.len();
        if n >= u32::MAX as usize {
            // A row's place is 32 bits (in memory, 4 billion rows would take over 200 GB).
            return Err(Error::input(
                "rows held in memory at once",
                n.to_string(),
                "more than 4,294,967,294 rows (over 200 GB): give a smaller memory budget (--memory-budget)",
            ));
        }
        let two = threads >= 2 && n >= 1 << 16;
        let store = &*self;
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for i in 1..n {
            if store.head_less(store.head(i), store.head(i - 1)) {
                runs.push((start, i));
                if runs.len() > MAX_RUNS {
                    break;
                }
                start = i;
            }
        }
        if n > 0 && runs.len() <= MAX_RUNS {
            runs.push((start, n));
        }
        let (order, starts) = if runs.len() <= MAX_RUNS {
            store.merge_runs(&runs, two)
        } else {
            let order = store.sort_keys(two);
            let starts = (0..order.len())
                .filter(|&i| {
                    i == 0 || !store.same_child(store.head(order[i - 1] as usize), store.head(order[i] as usize))
                })
                .map(|i| i as u32)
                .collect();
            (order, starts)
        };
        debug_assert_eq!(order.len(), n);
        self.order = order;
        self.starts = starts;
        Ok(())
    }

    /// Each child's rows, once sorted: a range of [`Store::order`], in order.
    pub(crate) fn children(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = self.order.len();
        self.starts
            .iter()
            .enumerate()
            .map(move |(i, &a)| (a as usize, self.starts.get(i + 1).map_or(n, |&b| b as usize)))
    }

    /// The rows' places in order ([`Store::sort`]).
    pub(crate) fn order(&self) -> &[u32] {
        &self.order
    }

    /// Merges ascending runs of places (on two threads when `two`).
    fn merge_runs(&self, runs: &[(usize, usize)], two: bool) -> (Vec<u32>, Vec<u32>) {
        let n: usize = runs.iter().map(|r| r.1 - r.0).sum();
        let mut out = vec![0u32; n];
        let Some(&(ls, le)) = runs.iter().max_by_key(|r| r.1 - r.0) else { return (out, Vec::new()) };
        if !two || runs.len() == 1 {
            let starts = self.merge_into(runs, &mut out);
            return (out, starts);
        }
        // Each run cut at the longest run's middle row: the parts below it, then the rest.
        let mid = ls + (le - ls) / 2;
        let mut below = Vec::with_capacity(runs.len());
        let mut above = Vec::with_capacity(runs.len());
        for &(s, e) in runs {
            let cut = s + partition_point(s, e, |p| self.head_less(self.head(p), self.head(mid)));
            below.push((s, cut));
            above.push((cut, e));
        }
        let k: usize = below.iter().map(|r| r.1 - r.0).sum();
        let (lo, hi) = out.split_at_mut(k);
        let (mut starts, hi_starts) = std::thread::scope(|sc| {
            let h = sc.spawn(|| self.merge_into(&below, lo));
            let hi_starts = self.merge_into(&above, hi);
            (h.join().unwrap_or_default(), hi_starts)
        });
        // A child whose rows are on both sides of the cut starts once.
        let joined = k > 0 && k < n && self.same_child(self.head(out[k - 1] as usize), self.head(out[k] as usize));
        starts.extend(hi_starts.into_iter().skip(usize::from(joined)).map(|s| s + k as u32));
        (out, starts)
    }

    /// Merges ascending runs of places into `out` (exactly their length) with a tree of losers:
    /// each place out costs one comparison per level of the tree (`log2(runs)`).
    ///
    /// Returns where each child's rows start in `out`.
    fn merge_into(&self, runs: &[(usize, usize)], out: &mut [u32]) -> Vec<u32> {
        let runs: Vec<(usize, usize)> = runs.iter().copied().filter(|r| r.0 < r.1).collect();
        let k = runs.len().next_power_of_two().max(1);
        // Each leaf's next row ([`Store::head`]); a leaf past the runs, or a run used up, holds
        // `DONE`, after every row.
        let mut heads: Vec<Head> = (0..k).map(|i| runs.get(i).map_or(DONE, |r| self.head(r.0))).collect();
        let ends: Vec<usize> = (0..k).map(|i| runs.get(i).map_or(0, |r| r.1)).collect();
        // Play the tournament: `loser[n]` is the loser at node n (1..k).
        let mut loser = vec![0usize; k];
        let mut win = vec![0usize; 2 * k];
        for (i, w) in win[k..].iter_mut().enumerate() {
            *w = i;
        }
        for n in (1..k).rev() {
            let (a, b) = (win[2 * n], win[2 * n + 1]);
            let (w, l) = if self.head_less(heads[b], heads[a]) { (b, a) } else { (a, b) };
            win[n] = w;
            loser[n] = l;
        }
        let mut winner = if k == 1 { 0 } else { win[1] };
        let mut starts = Vec::new();
        let mut last = DONE;
        for (i, slot) in out.iter_mut().enumerate() {
            let h = heads[winner];
            if h == DONE {
                break;
            }
            if i == 0 || !self.same_child(last, h) {
                starts.push(i as u32);
            }
            last = h;
            let pos = place(h);
            *slot = pos as u32;
            heads[winner] = if pos + 1 < ends[winner] { self.head(pos + 1) } else { DONE };
            // Replay the winner's path to the root.
            let mut cand = winner;
            let mut n = (winner + k) / 2;
            while n >= 1 {
                if self.head_less(heads[loser[n]], heads[cand]) {
                    std::mem::swap(&mut loser[n], &mut cand);
                }
                n /= 2;
            }
            winner = cand;
        }
        starts
    }

    /// Whether two rows' heads are of the same `CHILD`.
    #[inline]
    fn same_child(&self, a: Head, b: Head) -> bool {
        a.0 == b.0
            && (a.1 >> 63) == (b.1 >> 63)
            && (a.1 >> 63 == 0 || self.key(&self.rows[place(a)]) == self.key(&self.rows[place(b)]))
    }

    /// A run's next row, packed for comparing ([`Store::head_less`]): its `CHILD` prefix; a flag
    /// for a `CHILD` longer than that (bit 63), its table (bits 32-62) and its place (bits 0-31).
    #[inline]
    fn head(&self, pos: usize) -> Head {
        let r = &self.rows[pos];
        let long = u64::from(r.key_end - r.key_start > 8);
        (r.kp, (long << 63) | (u64::from(r.src & !(1 << 31)) << 32) | pos as u64)
    }

    /// Whether row head `a` comes before `b` ([`Store::head`]), mostly without reading the rows:
    /// `CHILD` in byte order (its 8-byte prefix first; a `CHILD` within its prefix, as there is no
    /// NUL in a `CHILD`, before a longer one with the same prefix, of which it is a prefix; two
    /// longer ones by their whole bytes), then table, then place (reading order). [`DONE`] is
    /// after every row (no `CHILD` starts with the byte 0xFF, which is not UTF-8). The one
    /// definition of the rows' order ([`Store::head_order`] is this as an `Ordering`).
    #[inline(always)]
    fn head_less(&self, a: Head, b: Head) -> bool {
        if a.0 != b.0 {
            return a.0 < b.0;
        }
        if a.1 == b.1 {
            return false;
        }
        if (a.1 & b.1) >> 63 == 1 {
            // Both longer than their prefix: their whole keys decide first.
            match self.key(&self.rows[place(a)]).cmp(self.key(&self.rows[place(b)])) {
                std::cmp::Ordering::Equal => {}
                o => return o == std::cmp::Ordering::Less,
            }
        }
        a.1 < b.1
    }

    /// [`Store::head_less`] as an `Ordering`, for the standard library's sort.
    fn head_order(&self, a: Head, b: Head) -> std::cmp::Ordering {
        if self.head_less(a, b) {
            std::cmp::Ordering::Less
        } else if self.head_less(b, a) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }

    /// The rows' places in order by sorting every row's head (many runs).
    fn sort_keys(&self, two: bool) -> Vec<u32> {
        let n = self.rows.len();
        let mut keys: Vec<Head> = (0..n).map(|i| self.head(i)).collect();
        let order = |a: &Head, b: &Head| self.head_order(*a, *b);
        let keys = if two {
            let mid = n / 2;
            let (lo, hi) = keys.split_at_mut(mid);
            std::thread::scope(|s| {
                s.spawn(|| lo.sort_by(order));
                hi.sort_by(order);
            });
            merge_two(&keys[..mid], &keys[mid..], order)
        } else {
            keys.sort_by(order);
            keys
        };
        keys.into_iter().map(|k| place(k) as u32).collect()
    }
}

/// A run's next row while merging ([`Store::head`]).
type Head = (u64, u64);

/// A used-up run's head: after every row.
const DONE: Head = (u64::MAX, u64::MAX);

/// A head's place in the store.
#[inline(always)]
fn place(h: Head) -> usize {
    (h.1 & 0xffff_ffff) as usize
}

/// Merges two sorted runs of distinct keys: the first half of the result merged from the front
/// and the second from the back, on two threads (each part is exactly that part of the merged
/// order, as no two keys are equal).
fn merge_two(a: &[Head], b: &[Head], order: impl Fn(&Head, &Head) -> std::cmp::Ordering + Sync) -> Vec<Head> {
    use std::cmp::Ordering::Greater;
    let n = a.len() + b.len();
    let mut out = vec![DONE; n];
    let front = n / 2;
    let (lo, hi) = out.split_at_mut(front);
    let order = &order;
    std::thread::scope(|s| {
        s.spawn(move || {
            let (mut i, mut j) = (0, 0);
            for slot in lo.iter_mut() {
                let take_b = i == a.len() || (j < b.len() && order(&a[i], &b[j]) == Greater);
                if take_b {
                    *slot = b[j];
                    j += 1;
                } else {
                    *slot = a[i];
                    i += 1;
                }
            }
        });
        let (mut i, mut j) = (a.len(), b.len());
        for slot in hi.iter_mut().rev() {
            // The larger of the last remaining of each run.
            let take_b = i == 0 || (j > 0 && order(&b[j - 1], &a[i - 1]) == Greater);
            if take_b {
                j -= 1;
                *slot = b[j];
            } else {
                i -= 1;
                *slot = a[i];
            }
        }
    });
    out
}

fn prefix(key: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = key.len().min(8);
    b[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(b)
}

/// Where a row's checked `CHILD` is.
#[derive(Debug)]
pub(crate) enum Key {
    /// A plain slice of the row text (start, end).
    At(usize, usize),
    /// Unquoted from a quoted field.
    Owned(Vec<u8>),
}

/// What one data row of a table is, before it is counted and held: the part of reading that
/// needs nothing but the row and its table's columns (so reader threads can do it).
#[derive(Debug)]
pub(crate) enum Parsed {
    /// A blank line (not a row).
    Blank,
    /// A row rejected as read, with the `CHILD` to show and the reason.
    Reject { child: String, reason: String },
    /// A usable row: its `CHILD`, and the collection year of its date (when years are tracked
    /// and the date is readable).
    Row { key: Key, year: Option<i32> },
}

/// Which bytes are ASCII letters and digits (a table: cheaper per byte than the ranges).
static ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// A trimmed `CHILD` that needs no more checking: 1 to 64 ASCII letters and digits, and not the
/// header's `CHILD` repeated.
#[inline(always)]
fn usual_child(t: &[u8]) -> bool {
    (1..=64).contains(&t.len())
        && t.iter().all(|&b| ALNUM[usize::from(b)])
        && !(t.len() == 5 && t.eq_ignore_ascii_case(b"CHILD"))
}

/// Field `col` of a row with no `"` (cut at every comma).
#[inline(always)]
fn plain_field(text: &[u8], col: usize) -> Option<&[u8]> {
    let mut start = 0;
    for _ in 0..col {
        start += memchr::memchr(b',', &text[start..])? + 1;
    }
    let end = memchr::memchr(b',', &text[start..]).map_or(text.len(), |i| start + i);
    Some(&text[start..end])
}

/// Classifies one data row of a table with columns `cols` (`None`: the header was bad). `plain`:
/// the row is known to have no `"` (its fields are cut at every comma).
pub(crate) fn classify(cols: Option<&Columns>, text: &[u8], track_years: bool, plain: bool) -> Parsed {
    // The usual row: no quote, a CHILD of letters and digits (not the header repeated), no year
    // to find. What follows gives the same answer for it, more slowly.
    if let (true, false, Some(cols)) = (plain, track_years, cols) {
        if let Some(t) = plain_field(text, cols.child()).map(<[u8]>::trim_ascii) {
            if usual_child(t) {
                let i = t.as_ptr() as usize - text.as_ptr() as usize;
                return Parsed::Row { key: Key::At(i, i + t.len()), year: None };
            }
        }
    }
    if text.trim_ascii().is_empty() {
        return Parsed::Blank;
    }
    let reject = |child: String, reason: String| Parsed::Reject { child, reason };
    let Some(cols) = cols else {
        return reject(String::new(), "unusable: the table's header is bad (see its line 1)".into());
    };
    let child_col = cols.child();
    let field = |col: usize| {
        if plain {
            Ok(plain_field(text, col).map(std::borrow::Cow::Borrowed))
        } else {
            field_bytes(text, col)
        }
    };
    let raw = match field(child_col) {
        Err(e) => return reject(String::new(), e),
        Ok(None) => return reject(String::new(), format!("too few fields: no CHILD (column {})", child_col + 1)),
        Ok(Some(k)) => k,
    };
    // The usual CHILD (letters and digits, not the header repeated) needs no more checking.
    if let Some(Err(reason)) = (!usual_child(raw.trim_ascii())).then(|| check_child(&raw)) {
        // A line break in it is shown as a space (rejects.csv keeps one line a row; the reason
        // names the line break).
        let mut shown = String::from_utf8_lossy(raw.trim_ascii()).replace(char::from(csv::LINE_BREAK), " ");
        if shown.starts_with(['=', '+', '-', '@']) {
            // Shown in rejects.csv: a leading quote keeps a spreadsheet from running it.
            shown.insert(0, '\'');
        }
        return reject(shown, reason);
    }
    let year = if track_years {
        let date_col = match cols {
            Columns::Reviews(c) => c.review,
            Columns::Episodes(c) => c.decom,
        };
        match field(date_col) {
            Ok(Some(d)) => std::str::from_utf8(&d).ok().and_then(csv::parse_date).map(year_of),
            _ => None,
        }
    } else {
        None
    };
    let key = match raw {
        std::borrow::Cow::Borrowed(f) => {
            let t = f.trim_ascii();
            let i = t.as_ptr() as usize - text.as_ptr() as usize;
            Key::At(i, i + t.len())
        }
        std::borrow::Cow::Owned(k) => Key::Owned(k.trim_ascii().to_vec()),
    };
    Parsed::Row { key, year }
}

/// A temporary directory removed when dropped (on success, error or panic).
#[derive(Debug)]
pub(crate) struct TempDir {
    pub path: PathBuf,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The name of the temporary directory an audit in this process uses under `dir`.
pub fn temp_dir_name(dir: &Path) -> PathBuf {
    dir.join(format!(".audit_903_tmp_{}", std::process::id()))
}

struct Spill {
    dir: TempDir,
    files: Vec<BufWriter<File>>,
}

/// Where rows go while being read.
pub(crate) struct Ingest<'s> {
    pub metas: Vec<SourceMeta>,
    pub store: Store,
    budget: u64,
    tmp_dir: PathBuf,
    parts: usize,
    spill: Option<Spill>,
    /// Whether tables read by reader threads are read whole (the input fits the budget).
    whole: bool,
    /// Bytes of the tables held whole.
    file_bytes: usize,
    /// Rows kept so far for each `CHILD`, once rows go to partition files: rows past
    /// [`MAX_CHILD_ROWS`] are rejected as they are read, so a partition holds at most that many
    /// rows of any child. (Rows held in memory are within the budget, and the audit rejects a
    /// child's rows past the cap itself.)
    counts: HashMap<ChildKey, u32, BuildHasherDefault<Fnv>>,
    /// The same counts for a `CHILD` of at most 8 bytes (as they usually are), keyed by its bytes
    /// as a number ([`prefix`]: one number per value, as `CHILD` has no NUL byte).
    short: HashMap<u64, u32, BuildHasherDefault<Mix>>,
    sink: &'s mut dyn Sink,
}

/// A `CHILD` value as a key of the per-child counts: held inline when short (as `CHILD` values
/// are), so a look-up compares keys without following a pointer to the heap (the look-up was the
/// largest single cost of reading: about 8% of a whole audit, mostly cache misses on boxed keys).
#[derive(Clone)]
enum ChildKey {
    Inline(u8, [u8; 22]),
    Heap(Box<[u8]>),
}

impl ChildKey {
    fn new(b: &[u8]) -> Self {
        if b.len() <= 22 {
            let mut a = [0u8; 22];
            a[..b.len()].copy_from_slice(b);
            ChildKey::Inline(b.len() as u8, a)
        } else {
            ChildKey::Heap(b.into())
        }
    }
    fn bytes(&self) -> &[u8] {
        match self {
            ChildKey::Inline(n, a) => &a[..*n as usize],
            ChildKey::Heap(b) => b,
        }
    }
}

// Hashed and compared as its bytes, so that a `&[u8]` looks it up (`Borrow`).
impl std::hash::Hash for ChildKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bytes().hash(state);
    }
}
impl PartialEq for ChildKey {
    fn eq(&self, o: &Self) -> bool {
        self.bytes() == o.bytes()
    }
}
impl Eq for ChildKey {}
impl std::borrow::Borrow<[u8]> for ChildKey {
    fn borrow(&self) -> &[u8] {
        self.bytes()
    }
}

/// FNV-1a as a `Hasher`, for the per-child row counts (`CHILD` values are short; SipHash costs
/// about 7% of a whole audit there).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv_from(if self.0 == 0 { FNV_OFFSET } else { self.0 }, bytes);
    }
}

/// A hash of a `u64` key: a folded multiply (both halves of the 128-bit product), so that the
/// high bits (the table's tags) and the low bits (its buckets) both depend on every key byte.
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b) ^ self.0.rotate_left(8));
        }
    }
    fn write_u64(&mut self, x: u64) {
        let m = u128::from(x ^ self.0) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

/// Why a row past [`MAX_CHILD_ROWS`] is rejected.
pub(crate) fn cap_reason() -> String {
    format!("CHILD has more than {MAX_CHILD_ROWS} rows: its rows after that are not used")
}

/// Writes a row to its partition file (chosen by a hash of its `CHILD`).
fn write_part(sp: &mut Spill, src: u32, line: u64, text: &[u8], key: &[u8]) -> Result<()> {
    let h = fnv(key);
    let nf = sp.files.len() as u64;
    let f = &mut sp.files[(h % nf) as usize];
    (|| -> io::Result<()> {
        write!(f, "{src}\t{line}\t")?;
        f.write_all(text)?;
        f.write_all(b"\n")
    })()
    .map_err(|e| io_err(&sp.dir.path.display().to_string(), e))
}

/// FNV-1a's starting value.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of `bytes`, continuing from `h`.
fn fnv_from(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

fn fnv(key: &[u8]) -> u64 {
    fnv_from(FNV_OFFSET, key)
}

pub(crate) fn io_err(path: &str, e: io::Error) -> Error {
    Error::Io { path: path.to_string(), reason: e.to_string() }
}

impl<'s> Ingest<'s> {
    pub(crate) fn new(budget: u64, tmp_dir: PathBuf, expected_bytes: Option<u64>, sink: &'s mut dyn Sink) -> Self {
        let budget = budget.max(1024);
        let parts = match expected_bytes {
            Some(b) => (b.div_ceil(budget) as usize * 2).clamp(2, 1024),
            None => 64,
        };
        let mut store = Store::default();
        // Input that fits the budget is held whole: each table read by a reader thread is read
        // whole and its rows are slices of it; room for (about) its rows at once, not grown by
        // copying. Pages not written are not used.
        let whole = expected_bytes.filter(|b| b.saturating_mul(2) <= budget);
        if let Some(b) = whole {
            store.rows.reserve(b as usize / 32);
        }
        Ingest {
            metas: Vec::new(),
            store,
            budget,
            tmp_dir,
            parts,
            spill: None,
            whole: whole.is_some(),
            file_bytes: 0,
            counts: HashMap::default(),
            short: HashMap::default(),
            sink,
        }
    }

    pub(crate) fn add_source(&mut self, name: Arc<str>, kind: FileKind, ret: usize, track_years: bool) -> u32 {
        self.metas.push(SourceMeta {
            name,
            kind,
            ret,
            cols: None,
            rows: 0,
            blank: 0,
            early_rejects: 0,
            early_reasons: BTreeMap::new(),
            header_error: None,
            years: BTreeMap::new(),
            track_years,
        });
        (self.metas.len() - 1) as u32
    }

    pub(crate) fn reject(&mut self, src: u32, line: u64, child: &str, reason: String) -> Result<()> {
        let m = &mut self.metas[src as usize];
        m.early_rejects += 1;
        *m.early_reasons.entry(super::report::reason_kind(&reason)).or_default() += 1;
        let r = Reject { file: m.name.clone(), table: m.kind, line, child: child.to_string(), reason };
        self.sink.reject(&r).map_err(|e| Error::Io { path: "output".into(), reason: e.to_string() })
    }

    /// One data row of table `src` (`plain`: known to have no `"`).
    pub(crate) fn push(&mut self, src: u32, line: u64, text: &[u8], plain: bool) -> Result<()> {
        let m = &self.metas[src as usize];
        match classify(m.cols.as_ref(), text, m.track_years, plain) {
            Parsed::Blank => {
                self.metas[src as usize].blank += 1;
                Ok(())
            }
            Parsed::Reject { child, reason } => {
                self.metas[src as usize].rows += 1;
                self.reject(src, line, &child, reason)
            }
            Parsed::Row { key, year } => {
                let m = &mut self.metas[src as usize];
                m.rows += 1;
                if let Some(y) = year {
                    *m.years.entry(y).or_default() += 1;
                }
                match key {
                    Key::At(ks, ke) => self.keep(src, line, text, &text[ks..ke], Some((ks, ke))),
                    Key::Owned(k) => self.keep(src, line, text, &k, None),
                }
            }
        }
    }

    /// Whether tables read by reader threads are to be read whole (the input fits the budget).
    pub(crate) fn reads_whole(&self) -> bool {
        self.whole
    }

    /// Holds a table read whole; its rows are then kept by [`Ingest::keep_file`] with the number
    /// returned.
    pub(crate) fn add_file(&mut self, text: Arc<String>) -> u32 {
        self.file_bytes += text.len();
        self.store.files.push(text);
        self.store.files.len() as u32
    }

    /// A row whose `CHILD` has been checked (`key`; `at` where it is in `text`, when it is a
    /// plain slice of it): held (its text copied), or spilled.
    pub(crate) fn keep(
        &mut self,
        src: u32,
        line: u64,
        text: &[u8],
        key_bytes: &[u8],
        at: Option<(usize, usize)>,
    ) -> Result<()> {
        if self.spill.is_some() {
            return self.spill_row(src, line, text, key_bytes);
        }
        match at {
            Some(at) => self.store.push(src, line, text, at),
            // Quoted key: keep a plain copy of the key after the text.
            None => self.store.push_with_key(src, line, text, key_bytes),
        }
        self.check_budget()
    }

    /// A row of table `src` held whole as [`Ingest::add_file`]'s `arena`: its text and checked
    /// `CHILD` are the byte ranges `text` and `key` of it.
    pub(crate) fn keep_file(
        &mut self,
        src: u32,
        line: u64,
        arena: u32,
        text: (usize, usize),
        key: (usize, usize),
    ) -> Result<()> {
        if self.spill.is_some() {
            let f = Arc::clone(&self.store.files[arena as usize - 1]);
            let b = f.as_bytes();
            return self.spill_row(src, line, &b[text.0..text.1], &b[key.0..key.1]);
        }
        let kp = prefix(&self.store.files[arena as usize - 1].as_bytes()[key.0..key.1]);
        self.store.rows.push(RowRef {
            kp,
            src,
            arena,
            line,
            start: text.0,
            end: text.1,
            key_start: key.0,
            key_end: key.1,
        });
        self.check_budget()
    }

    /// Counts a row against its child's cap, then writes it to its partition file.
    fn spill_row(&mut self, src: u32, line: u64, text: &[u8], key: &[u8]) -> Result<()> {
        if self.count(key) {
            // CHILD was checked to be UTF-8 (`check_child`).
            return self.reject(src, line, &String::from_utf8_lossy(key), cap_reason());
        }
        let Some(sp) = &mut self.spill else { return Ok(()) };
        write_part(sp, src, line, text, key)
    }

    /// Counts a row of `key`; whether it is past the cap.
    fn count(&mut self, key: &[u8]) -> bool {
        let n = if key.len() <= 8 {
            self.short.entry(prefix(key)).or_default()
        } else {
            match self.counts.get_mut(key) {
                Some(n) => n,
                None => self.counts.entry(ChildKey::new(key)).or_default(),
            }
        };
        *n += 1;
        *n as usize > MAX_CHILD_ROWS
    }

    /// Spills the rows held when what is held passes the budget: the text of rows read
    /// otherwise, the tables held whole, the row references (their real size, not an estimate).
    fn check_budget(&mut self) -> Result<()> {
        let held = self.store.text.len() + self.file_bytes + self.store.rows.len() * std::mem::size_of::<RowRef>();
        if held as u64 > self.budget {
            self.spill_now()?;
        }
        Ok(())
    }

    fn spill_now(&mut self) -> Result<()> {
        let path = temp_dir_name(&self.tmp_dir);
        let ps = path.display().to_string();
        std::fs::create_dir_all(&path).map_err(|e| io_err(&ps, e))?;
        let dir = TempDir { path };
        // The partition count was set from the file sizes; a partition loaded back holds about as
        // much again per row as its text (short rows cost more in row references than in text), so
        // scale it by what the rows held so far cost per byte of text.
        // The text the partitions will hold: the rows' own (a table held whole holds more).
        let text = self.store.rows.iter().map(|r| r.end - r.start).sum::<usize>().max(1);
        let held = text + self.store.rows.len() * std::mem::size_of::<RowRef>();
        self.parts = (self.parts * held.div_ceil(text)).clamp(2, 1024);
        let mut files = Vec::with_capacity(self.parts);
        for i in 0..self.parts {
            let p = dir.path.join(format!("part{i}.txt"));
            files.push(BufWriter::new(File::create(&p).map_err(|e| io_err(&ps, e))?));
        }
        let mut sp = Spill { dir, files };
        // The rows held, in the order they were read: counted against their child's cap (the
        // rows past it rejected, as they would have been had they been read now), the rest
        // written out. The tables held whole stay held (rows still to come may be in them).
        let rows = std::mem::take(&mut self.store.rows);
        let mut capped = Vec::new();
        for r in &rows {
            let key = self.store.key(r).to_vec();
            if self.count(&key) {
                capped.push((r.src, r.line, String::from_utf8_lossy(&key).into_owned()));
                continue;
            }
            write_part(&mut sp, r.src, r.line, self.store.row_text(r), &key)?;
        }
        self.store.text = Vec::new();
        self.spill = Some(sp);
        for (src, line, child) in capped {
            self.reject(src, line, &child, cap_reason())?;
        }
        Ok(())
    }

    /// Whether rows went to temporary partition files, and how many.
    pub(crate) fn partitions(&self) -> Option<usize> {
        self.spill.as_ref().map(|s| s.files.len())
    }

    /// Finishes reading: the in-memory store, or the partition files (with their directory,
    /// removed when the guard is dropped).
    pub(crate) fn finish(self) -> Result<(Vec<SourceMeta>, Finished, &'s mut dyn Sink)> {
        match self.spill {
            None => Ok((self.metas, Finished::Memory(self.store), self.sink)),
            Some(mut sp) => {
                let ps = sp.dir.path.display().to_string();
                for f in &mut sp.files {
                    f.flush().map_err(|e| io_err(&ps, e))?;
                }
                let paths = (0..sp.files.len()).map(|i| sp.dir.path.join(format!("part{i}.txt"))).collect();
                drop(sp.files);
                Ok((self.metas, Finished::Parts { dir: sp.dir, paths }, self.sink))
            }
        }
    }
}

/// The rows, read.
pub(crate) enum Finished {
    Memory(Store),
    Parts { dir: TempDir, paths: Vec<PathBuf> },
}

/// Loads one partition file into a store, finding each row's key again.
pub(crate) fn load_part(path: &Path, metas: &[SourceMeta]) -> Result<Store> {
    let ps = path.display().to_string();
    let f = File::open(path).map_err(|e| io_err(&ps, e))?;
    let mut r = BufReader::with_capacity(1 << 20, f);
    let mut store = Store::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf).map_err(|e| io_err(&ps, e))? == 0 {
            break;
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        let mut it = buf.splitn(3, |&b| b == b'\t');
        let (Some(a), Some(b), Some(text)) = (it.next(), it.next(), it.next()) else { continue };
        let src: u32 = std::str::from_utf8(a).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
        let line: u64 = std::str::from_utf8(b).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
        let Some(cols) = metas.get(src as usize).and_then(|m| m.cols.as_ref()) else { continue };
        let Ok(Some(raw)) = field_bytes(text, cols.child()) else { continue };
        let Ok(key) = check_child(&raw) else { continue };
        let key = key.to_string();
        match memfind(text, key.as_bytes()) {
            Some(i) => store.push(src, line, text, (i, i + key.len())),
            None => store.push_with_key(src, line, text, key.as_bytes()),
        }
    }
    Ok(store)
}

/// Position of the trimmed field value `key` as a whole field of the unquoted `text`.
fn memfind(text: &[u8], key: &[u8]) -> Option<usize> {
    if text.contains(&b'"') {
        return None;
    }
    let mut pos = 0;
    for f in text.split(|&b| b == b',') {
        let t = f.trim_ascii();
        if t == key {
            let lead = f.len() - f.trim_ascii_start().len();
            return Some(pos + lead);
        }
        pos += f.len() + 1;
    }
    None
}

/// What reading a CSV table finds, in order: the header, then each record or unusable line.
pub(crate) trait Records {
    /// The header line (the first that is not blank) and its columns, or why it is not a header.
    fn header(&mut self, line: u64, cols: std::result::Result<Columns, String>) -> Result<()>;
    /// One record (a line, or lines joined inside a quoted field); `plain`: it has no `"`.
    fn record(&mut self, line: u64, text: &[u8], plain: bool) -> Result<()>;
    /// A line that cannot be read as a record: a row, rejected for `reason`.
    fn bad(&mut self, line: u64, reason: String) -> Result<()>;
}

/// The ingest reading table `src` itself.
struct Direct<'i, 's> {
    ing: &'i mut Ingest<'s>,
    src: u32,
}

impl Records for Direct<'_, '_> {
    fn header(&mut self, line: u64, cols: std::result::Result<Columns, String>) -> Result<()> {
        let m = &mut self.ing.metas[self.src as usize];
        match cols {
            Ok(c) => m.cols = Some(c),
            Err(reason) => {
                m.rows += 1;
                m.header_error = Some(reason.clone());
                self.ing.reject(self.src, line, "", reason)?;
            }
        }
        Ok(())
    }
    fn record(&mut self, line: u64, text: &[u8], plain: bool) -> Result<()> {
        self.ing.push(self.src, line, text, plain)
    }
    fn bad(&mut self, line: u64, reason: String) -> Result<()> {
        self.ing.metas[self.src as usize].rows += 1;
        self.ing.reject(self.src, line, "", reason)
    }
}

/// Reads a CSV table into the ingest.
pub(crate) fn read_csv(ing: &mut Ingest<'_>, src: u32, r: impl Read) -> Result<()> {
    let name = ing.metas[src as usize].name.to_string();
    let kind = ing.metas[src as usize].kind;
    read_records(&name, kind, r, &mut Direct { ing, src })
}

/// Reads a CSV table (`name`, for errors) of kind `kind` from a reader: its header and records go
/// to `out`.
pub(crate) fn read_records(name: &str, kind: FileKind, r: impl Read, out: &mut impl Records) -> Result<()> {
    read_lines(name, kind, &mut csv::ReadLines::new(BufReader::with_capacity(1 << 20, r)), out)
}

/// A line read ahead: its number, whether it was too long, its text.
type OwnedLine = (u64, bool, Vec<u8>);

/// Reads a CSV table (`name`, for errors) of kind `kind` from its lines: its header and records
/// go to `out`. A record of one line is passed as the line's own text (a slice of the text, when
/// the table is held whole).
pub(crate) fn read_lines(
    name: &str,
    kind: FileKind,
    lines: &mut impl csv::Lines,
    out: &mut impl Records,
) -> Result<()> {
    // The header: the first line that is not blank.
    let (header_line, head) = loop {
        match lines.next_line().map_err(|e| io_err(name, e))? {
            None => return Ok(()),
            Some((_, t, _)) if t.trim_ascii().is_empty() => continue,
            Some((n, t, _)) => break (n, String::from_utf8_lossy(t).into_owned()),
        }
    };
    out.header(header_line, header_columns(kind, &head))?;
    // Lines read ahead while looking for the end of a quoted field, to be read again as records
    // when it does not end within the bound: (line number, too long, text).
    let mut pending: std::collections::VecDeque<OwnedLine> = std::collections::VecDeque::new();
    let next_owned = |pending: &mut std::collections::VecDeque<OwnedLine>,
                      lines: &mut dyn FnMut() -> Result<Option<OwnedLine>>|
     -> Result<Option<OwnedLine>> {
        match pending.pop_front() {
            Some(p) => Ok(Some(p)),
            None => lines(),
        }
    };
    loop {
        let owned: Vec<u8>;
        let (n, long, buf): (u64, bool, &[u8]) = match pending.pop_front() {
            Some((n, long, t)) => {
                owned = t;
                (n, long, &owned[..])
            }
            None => match lines.next_line().map_err(|e| io_err(name, e))? {
                None => break,
                Some(l) => (l.0, l.2, l.1),
            },
        };
        if long {
            out.bad(n, format!("line longer than {} bytes", csv::MAX_LINE))?;
            continue;
        }
        let plain = memchr::memchr(b'"', buf).is_none();
        if plain || !odd_quotes(buf) {
            out.record(n, buf, plain)?;
            continue;
        }
        // A quoted field with a line break in it (RFC 4180, as spreadsheets write it): the record
        // goes on until the quote closes, the line break held as `csv::LINE_BREAK` (rows are
        // single lines in the partition files; a reason names it), within MAX_RECORD_LINES lines
        // and MAX_LINE bytes.
        let mut rec = buf.to_vec();
        let mut taken: Vec<OwnedLine> = Vec::new();
        let mut closed = false;
        let mut read_more = || -> Result<Option<OwnedLine>> {
            Ok(lines.next_line().map_err(|e| io_err(name, e))?.map(|(m, t, long)| (m, long, t.to_vec())))
        };
        while taken.len() + 1 < csv::MAX_RECORD_LINES {
            let Some((m, long, more)) = next_owned(&mut pending, &mut read_more)? else { break };
            let fits = !long && rec.len() + 1 + more.len() <= csv::MAX_LINE;
            if fits {
                rec.push(csv::LINE_BREAK);
                rec.extend_from_slice(&more);
                closed = odd_quotes(&more);
            }
            taken.push((m, long, more));
            if closed || !fits {
                break;
            }
        }
        if closed {
            out.record(n, &rec, false)?;
            continue;
        }
        // Not closed within the bound (a stray quote, or a truncated file): the first line is the
        // reject, and the lines after it are read again as records of their own.
        for t in taken.into_iter().rev() {
            pending.push_front(t);
        }
        out.bad(
            n,
            format!(
                "unterminated quoted field: no closing quote within {} lines or {} bytes",
                csv::MAX_RECORD_LINES,
                csv::MAX_LINE
            ),
        )?;
    }
    Ok(())
}

/// Whether a line leaves a quoted field open (an odd number of `"`: quotes inside a quoted field
/// are doubled).
fn odd_quotes(line: &[u8]) -> bool {
    memchr::memchr_iter(b'"', line).count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store of rows whose text is just `CHILD`, from (table, line, CHILD) in reading order.
    fn store(rows: &[(u32, u64, &str)]) -> Store {
        let mut s = Store::default();
        for &(src, line, key) in rows {
            s.push(src, line, key.as_bytes(), (0, key.len()));
        }
        s
    }

    /// The store's children, checked: ranges that cover the order in turn, each of one `CHILD`,
    /// each `CHILD` in one range. Returns how many.
    fn children_checked(s: &Store) -> usize {
        let key = |i: usize| s.key(&s.rows[s.order()[i] as usize]).to_vec();
        let mut next = 0;
        let mut seen = std::collections::BTreeSet::new();
        for (a, b) in s.children() {
            assert_eq!(a, next, "ranges in turn");
            assert!(b > a, "no empty range");
            assert!((a..b).all(|i| key(i) == key(a)), "one CHILD in {a}..{b}");
            assert!(seen.insert(key(a)), "{:?} in two ranges", String::from_utf8_lossy(&key(a)));
            next = b;
        }
        assert_eq!(next, s.order().len());
        seen.len()
    }

    fn order(s: &Store) -> Vec<(String, u32, u64)> {
        children_checked(s);
        s.order()
            .iter()
            .map(|&p| &s.rows[p as usize])
            .map(|r| (String::from_utf8_lossy(s.key(r)).into_owned(), r.src, r.line))
            .collect()
    }

    #[test]
    fn rows_sort_by_child_bytes_then_table_then_line() {
        // Keys of 8 bytes and longer sharing their first 8 bytes, shorter keys, two tables.
        let mut s = store(&[
            (0, 2, "ABCDEFGHZ"),
            (0, 3, "ABCDEFGH"),
            (0, 4, "B"),
            (0, 5, "ABCDEFGHA"),
            (1, 2, "ABCDEFGH"),
            (1, 3, "A"),
            (1, 4, "ABCDEFGHA"),
            (0, 6, "AB"),
        ]);
        s.sort(1).unwrap();
        let want: Vec<(String, u32, u64)> = [
            ("A", 1, 3),
            ("AB", 0, 6),
            ("ABCDEFGH", 0, 3),
            ("ABCDEFGH", 1, 2),
            ("ABCDEFGHA", 0, 5),
            ("ABCDEFGHA", 1, 4),
            ("ABCDEFGHZ", 0, 2),
            ("B", 0, 4),
        ]
        .iter()
        .map(|&(k, s, l)| (k.to_string(), s, l))
        .collect();
        assert_eq!(order(&s), want);
    }

    #[test]
    fn two_threads_sort_as_one_does() {
        // Enough rows for the two-thread path: three tables, each mostly in CHILD order (runs),
        // keys short and long; the order wanted comes from comparing the keys' bytes directly.
        let mut rows = Vec::new();
        let mut x: u64 = 12345;
        let mut keys = Vec::new();
        for src in 0..3u32 {
            for line in 0..30_000u64 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let k =
                    if x % 7 == 0 { format!("LONGCHILD{}", (x >> 33) % 500) } else { format!("{}", (x >> 20) % 9000) };
                keys.push((src, line + 2, k));
            }
        }
        for (src, line, k) in &keys {
            rows.push((*src, *line, k.as_str()));
        }
        let mut want: Vec<(String, u32, u64)> = keys.iter().map(|(s, l, k)| (k.clone(), *s, *l)).collect();
        want.sort();
        for threads in [1, 2] {
            let mut s = store(&rows);
            s.sort(threads).unwrap();
            assert_eq!(order(&s), want, "{threads} threads");
        }
    }

    #[test]
    fn a_few_sorted_runs_are_merged_as_a_sort_would_order_them() {
        // Runs as returns give them: each table in CHILD order (byte order, keys short and long,
        // the same CHILD several times in a run), table 0 in two runs (its lines go on across
        // them), and a run where tables 3 and 4 interleave (as an XML return's two tables do).
        // On one thread and on two (the merge cut at a splitting row), in the order a plain sort
        // by (CHILD bytes, table, line) gives.
        let mut x: u64 = 99;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            x >> 33
        };
        let mut rows: Vec<(u32, u64, String)> = Vec::new();
        let mut line = [1u64; 5];
        for (src, len) in [(0u32, 30_000), (1, 25_000), (0, 20_000), (2, 15_000), (3, 12_000)] {
            let mut keys: Vec<String> = (0..len)
                .map(|_| {
                    let v = next();
                    if v % 5 == 0 {
                        format!("CHILDNUMBER{}", v % 3000)
                    } else {
                        format!("{}", v % 40_000)
                    }
                })
                .collect();
            keys.sort();
            if src == 3 {
                // Interleaved tables within one CHILD would start new runs: distinct CHILDs here.
                keys.dedup();
            }
            for k in keys {
                // Table 3's run also holds table 4's rows, interleaved.
                let s = if src == 3 && next() % 2 == 0 { 4 } else { src };
                line[s as usize] += 1;
                rows.push((s, line[s as usize], k));
            }
        }
        let mut want: Vec<(String, u32, u64)> = rows.iter().map(|(s, l, k)| (k.clone(), *s, *l)).collect();
        want.sort();
        let refs: Vec<(u32, u64, &str)> = rows.iter().map(|(s, l, k)| (*s, *l, k.as_str())).collect();
        // The runs are few enough to be merged as runs (not sorted as keys).
        let runs = 1 + rows.windows(2).filter(|w| (&w[0].2, w[0].0, w[0].1) > (&w[1].2, w[1].0, w[1].1)).count();
        assert!((5..=MAX_RUNS).contains(&runs), "{runs} runs");
        for threads in [1, 2] {
            let mut st = store(&refs);
            st.sort(threads).unwrap();
            assert_eq!(order(&st), want, "{threads} threads");
        }
        // An empty store and a store of one row.
        let mut st = store(&[]);
        st.sort(2).unwrap();
        assert!(st.order().is_empty());
        let mut st = store(&[(0, 2, "A")]);
        st.sort(2).unwrap();
        assert_eq!(st.order(), &[0]);
    }

    #[test]
    fn a_plain_rows_fields_are_cut_at_every_comma() {
        assert_eq!(plain_field(b"A1,01/01/2024,S", 0), Some(&b"A1"[..]));
        assert_eq!(plain_field(b"A1,01/01/2024,S", 1), Some(&b"01/01/2024"[..]));
        assert_eq!(plain_field(b"A1,01/01/2024,S", 2), Some(&b"S"[..]));
        assert_eq!(plain_field(b"A1,01/01/2024,S", 3), None);
        assert_eq!(plain_field(b",,", 1), Some(&b""[..]));
        assert_eq!(plain_field(b",,", 2), Some(&b""[..]));
        assert_eq!(plain_field(b"", 0), Some(&b""[..]));
        assert_eq!(plain_field(b"", 1), None);
        assert_eq!(plain_field(b" x ,y", 0), Some(&b" x "[..]));
    }

    #[test]
    fn a_child_on_both_sides_of_the_two_threads_cut_is_one_child() {
        // Two tables with the same 40,000 children, each in CHILD order: the merge is cut at the
        // middle row of one of them, and that child's row in the other table falls on the other
        // side of the cut. It is still one child (one range of the order), as every other is.
        let keys: Vec<String> = {
            let mut k: Vec<String> = (0..40_000).map(|i| format!("C{i}")).collect();
            k.sort();
            k
        };
        let mut rows: Vec<(u32, u64, &str)> = Vec::new();
        for src in 0..2u32 {
            rows.extend(keys.iter().enumerate().map(|(i, k)| (src, i as u64 + 2, k.as_str())));
        }
        for threads in [1, 2] {
            let mut s = store(&rows);
            s.sort(threads).unwrap();
            assert_eq!(children_checked(&s), 40_000, "{threads} threads");
            assert!(s.children().all(|(a, b)| b - a == 2), "{threads} threads: two rows each");
        }
    }

    #[test]
    fn merging_from_both_ends_gives_the_merged_order() {
        let k = |kp: u64, idx: u64| (kp, idx);
        let a = [k(1, 0), k(3, 1), k(5, 2), k(7, 3), k(9, 4)];
        let b = [k(2, 5), k(3, 6), k(4, 7)];
        let by = |x: &Head, y: &Head| x.cmp(y);
        let got: Vec<Head> = merge_two(&a, &b, by);
        assert_eq!(got, vec![(1, 0), (2, 5), (3, 1), (3, 6), (4, 7), (5, 2), (7, 3), (9, 4)]);
        assert!(merge_two(&[], &[], by).is_empty());
        assert_eq!(merge_two(&[], &b, by).len(), 3);
        assert_eq!(merge_two(&a[..1], &[], by)[0].0, 1);
    }
}
