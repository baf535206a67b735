//! CSV tables: lines (CR, LF or CRLF), fields (quoted or not), the header, dates and `CHILD`.

use std::borrow::Cow;
use std::io::{self, BufRead};

use chrono::NaiveDate;

/// The longest line read (longer lines are rejected whole).
pub(crate) const MAX_LINE: usize = 1 << 20;

/// The most lines one record may span (a quoted field with line breaks in it).
pub(crate) const MAX_RECORD_LINES: usize = 20;

/// How a line break inside a value is held in a row's text: a CR. No line of a CSV table holds
/// one (CR, LF and CRLF all end a line), so it stands for a line break in a quoted field (and,
/// in an XML value, for any line break), a row stays one line in the partition files, and a
/// reason names it as a line break ([`shown`]).
pub(crate) const LINE_BREAK: u8 = b'\r';

/// A value as a reason quotes it (as `{:?}` does), a line break ([`LINE_BREAK`]) shown as `\n`.
pub(crate) fn shown(v: &str) -> String {
    if v.as_bytes().contains(&LINE_BREAK) {
        format!("{:?}", v.replace(char::from(LINE_BREAK), "\n"))
    } else {
        format!("{v:?}")
    }
}

/// `" contains a line break"` when `v` holds one ([`LINE_BREAK`]), for a reason about `v`.
pub(crate) fn breaks(v: &str) -> &'static str {
    if v.as_bytes().contains(&LINE_BREAK) {
        " contains a line break"
    } else {
        ""
    }
}

/// Lines of a reader, ended by LF, CRLF or a lone CR (old Mac files: one header line otherwise).
pub(crate) struct LineReader<R> {
    r: R,
    skip_lf: bool,
    /// Number of the last line returned (1 = the first).
    pub(crate) line: u64,
}

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(r: R) -> Self {
        LineReader { r, skip_lf: false, line: 0 }
    }

    /// Puts the next line (without its end) in `out`; `Ok(None)` at the end. `Some(true)` when
    /// the line was longer than [`MAX_LINE`] (then `out` holds its first part only).
    pub(crate) fn next_line(&mut self, out: &mut Vec<u8>) -> io::Result<Option<bool>> {
        out.clear();
        let mut any = false;
        let mut long = false;
        loop {
            let buf = match self.r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(if any {
                    self.line += 1;
                    Some(long)
                } else {
                    None
                });
            }
            let mut start = 0;
            if self.skip_lf {
                self.skip_lf = false;
                if buf[0] == b'\n' {
                    start = 1;
                    if buf.len() == 1 {
                        self.r.consume(1);
                        continue;
                    }
                }
            }
            any = true;
            match memchr::memchr2(b'\n', b'\r', &buf[start..]) {
                Some(i) => {
                    let end = start + i;
                    if out.len() + (end - start) <= MAX_LINE {
                        out.extend_from_slice(&buf[start..end]);
                    } else {
                        long = true;
                    }
                    let cr = buf[end] == b'\r';
                    let mut used = end + 1;
                    if cr {
                        if used < buf.len() {
                            if buf[used] == b'\n' {
                                used += 1;
                            }
                        } else {
                            self.skip_lf = true;
                        }
                    }
                    self.r.consume(used);
                    self.line += 1;
                    return Ok(Some(long));
                }
                None => {
                    let n = buf.len();
                    if out.len() + (n - start) <= MAX_LINE {
                        out.extend_from_slice(&buf[start..]);
                    } else {
                        long = true;
                    }
                    self.r.consume(n);
                }
            }
        }
    }
}

/// A source of lines for [`super::read_records`]: each line (without its end), its number
/// (1 = the first) and whether it was longer than [`MAX_LINE`].
pub(crate) trait Lines {
    /// The next line; its text is valid until the next call.
    fn next_line(&mut self) -> io::Result<Option<(u64, &[u8], bool)>>;
}

/// The lines of a reader (each copied into a buffer).
pub(crate) struct ReadLines<R> {
    r: LineReader<R>,
    buf: Vec<u8>,
}

impl<R: BufRead> ReadLines<R> {
    pub(crate) fn new(r: R) -> Self {
        ReadLines { r: LineReader::new(r), buf: Vec::with_capacity(256) }
    }
}

impl<R: BufRead> Lines for ReadLines<R> {
    fn next_line(&mut self) -> io::Result<Option<(u64, &[u8], bool)>> {
        Ok(self.r.next_line(&mut self.buf)?.map(|long| (self.r.line, &self.buf[..], long)))
    }
}

/// The lines of text held whole, as slices of it (not copied), ended as [`LineReader`] ends them:
/// LF, CRLF or a lone CR.
pub(crate) struct SliceLines<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> SliceLines<'a> {
    pub(crate) fn new(text: &'a [u8]) -> Self {
        SliceLines { text, pos: 0, line: 0 }
    }
}

impl Lines for SliceLines<'_> {
    fn next_line(&mut self) -> io::Result<Option<(u64, &[u8], bool)>> {
        let rest = &self.text[self.pos.min(self.text.len())..];
        if rest.is_empty() {
            return Ok(None);
        }
        let (line, used) = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) => (&rest[..i], if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 }),
            None => (rest, rest.len()),
        };
        self.pos += used;
        self.line += 1;
        Ok(Some((self.line, line, line.len() > MAX_LINE)))
    }
}

/// Calls `f` with the fields of a CSV line. Fields may be quoted (`"a,b"`, `""` for a quote).
pub(crate) fn with_fields<T>(line: &str, f: impl FnOnce(&[&str]) -> T) -> Result<T, String> {
    let b = line.as_bytes();
    if memchr::memchr(b'"', b).is_none() {
        // Split on the comma byte (ASCII, so every cut is on a character boundary): for fields
        // of a few bytes this is cheaper than `str::split`'s searcher. Up to 24 fields on the
        // stack (a 903 table has 13 or fewer), more in a vector.
        let mut v: [&str; 24] = [""; 24];
        let mut n = 0;
        let mut start = 0;
        for (i, &c) in b.iter().enumerate() {
            if c == b',' {
                if n == v.len() - 1 {
                    let all: Vec<&str> = line.split(',').collect();
                    return Ok(f(&all));
                }
                v[n] = line.get(start..i).unwrap_or("");
                n += 1;
                start = i + 1;
            }
        }
        v[n] = line.get(start..).unwrap_or("");
        return Ok(f(&v[..=n]));
    }
    let mut fields: Vec<String> = vec![String::new()];
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let Some(cur) = fields.last_mut() else { break };
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(String::new()),
            (c, _) => cur.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    let refs: Vec<&str> = fields.iter().map(|s| s.as_str()).collect();
    Ok(f(&refs))
}

/// The raw bytes of field `col` of a line; `Err` for bad quoting, `Ok(None)` for too few fields.
pub(crate) fn field_bytes(line: &[u8], col: usize) -> Result<Option<Cow<'_, [u8]>>, String> {
    if memchr::memchr(b'"', line).is_none() {
        return Ok(line.split(|&b| b == b',').nth(col).map(Cow::Borrowed));
    }
    let text = String::from_utf8_lossy(line);
    with_fields(&text, |f| f.get(col).map(|s| Cow::Owned(s.as_bytes().to_vec())))
}

/// `s.trim()`, without decoding characters when both ends are printable ASCII (nothing to trim).
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Checks a `CHILD` value: trimmed of ASCII spaces, it must be non-empty UTF-8 with no other
/// space or control character, at most 64 bytes. The reason names the problem and the value.
pub(crate) fn check_child(raw: &[u8]) -> Result<&str, String> {
    let t = raw.trim_ascii();
    // The usual value, letters and digits: only the repeated header can be wrong with it.
    if !t.is_empty() && t.len() <= 64 && t.iter().all(u8::is_ascii_alphanumeric) {
        if let Ok(s) = std::str::from_utf8(t) {
            if s.eq_ignore_ascii_case("CHILD") {
                return Err("repeated header row".into());
            }
            return Ok(s);
        }
    }
    if t.is_empty() {
        return Err("missing CHILD".into());
    }
    let s = std::str::from_utf8(t).map_err(|_| format!("CHILD is not valid UTF-8 (bytes {})", hex(t)))?;
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control() || *c == '\u{feff}') {
        let what = match c {
            '\u{a0}' => "a non-breaking space".to_string(),
            ' ' => "a space".to_string(),
            '\r' | '\n' => "a line break".to_string(),
            c => format!("the character U+{:04X}", u32::from(c)),
        };
        return Err(format!("CHILD {} contains {what}", shown(s)));
    }
    if s.len() > 64 {
        return Err(format!("CHILD is {} bytes long (at most 64)", s.len()));
    }
    // The 903's CHILD is alphanumeric. One starting like a formula would run as one when the
    // output CSVs are opened in a spreadsheet (CSV injection), so it is a reject, not echoed.
    if let Some(c) = s.chars().next().filter(|c| matches!(c, '=' | '+' | '-' | '@')) {
        return Err(format!(
            "CHILD {s:?} starts with {c:?}: a spreadsheet would run it as a formula (CHILD is alphanumeric in the 903)"
        ));
    }
    if s.eq_ignore_ascii_case("CHILD") {
        return Err("repeated header row".into());
    }
    Ok(s)
}

fn hex(b: &[u8]) -> String {
    b.iter().take(24).map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ")
}

/// Reads a date written `DD/MM/YYYY` (one- or two-digit day and month) or `YYYY-MM-DD`. `None`
/// when it is neither.
///
/// # Example
/// ```
/// use lac_timescales::ssda903::parse_date;
/// let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
/// assert_eq!(parse_date("01/04/2024"), d(2024, 4, 1));
/// assert_eq!(parse_date("2024-04-01"), d(2024, 4, 1));
/// assert_eq!(parse_date("1/4/2024"), d(2024, 4, 1));
/// assert_eq!(parse_date("31/02/2024"), None);
/// assert_eq!(parse_date("2024/04/01"), None);
/// assert_eq!(parse_date("99999999999999/01/2024"), None);
/// ```
#[inline]
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    // The usual form, DD/MM/YYYY, read directly (the same date as the general reading below).
    if let [d1, d2, b'/', m1, m2, b'/', y1, y2, y3, y4] = *b {
        let g = |c: u8| u32::from(c.wrapping_sub(b'0'));
        let (d1, d2, m1, m2, y1, y2, y3, y4) = (g(d1), g(d2), g(m1), g(m2), g(y1), g(y2), g(y3), g(y4));
        if d1 < 10 && d2 < 10 && m1 < 10 && m2 < 10 && y1 < 10 && y2 < 10 && y3 < 10 && y4 < 10 {
            let y = ((y1 * 10 + y2) * 10 + y3) * 10 + y4;
            return NaiveDate::from_ymd_opt(y as i32, m1 * 10 + m2, d1 * 10 + d2);
        }
    }
    parse_date_general(s)
}

/// [`parse_date`] for any form but the usual `DD/MM/YYYY` (kept out of line so that the usual
/// form inlines into its callers).
#[inline(never)]
fn parse_date_general(s: &str) -> Option<NaiveDate> {
    let b = trim(s).as_bytes();
    let mut parts = [0u32; 3];
    let mut digits = [0usize; 3];
    let mut k = 0;
    let mut sep = 0u8;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                digits[k] += 1;
                if digits[k] > 4 {
                    return None;
                }
                parts[k] = parts[k] * 10 + u32::from(c - b'0');
            }
            b'/' | b'-' if k < 2 && (sep == 0 || sep == c) => {
                sep = c;
                k += 1
            }
            _ => return None,
        }
    }
    if k != 2 {
        return None;
    }
    if sep == b'/' && (1..=2).contains(&digits[0]) && (1..=2).contains(&digits[1]) && digits[2] == 4 {
        return NaiveDate::from_ymd_opt(parts[2] as i32, parts[1], parts[0]);
    }
    if sep == b'-' && digits[0] == 4 && digits[1] == 2 && digits[2] == 2 {
        return NaiveDate::from_ymd_opt(parts[0] as i32, parts[1], parts[2]);
    }
    None
}

/// A date field: the date, or why not (naming the field and value).
#[inline]
pub(crate) fn date_field(field: &str, value: &str) -> Result<NaiveDate, String> {
    match parse_date(value) {
        // The calendar's range (what `Calendar::check_in_range` checks), compared directly.
        Some(d) if (crate::calendar::FIRST_DATE..=crate::calendar::LAST_DATE).contains(&d) => Ok(d),
        Some(d) => Err(format!("{field} {}: date {d} is outside the calendar", shown(value))),
        None if value.trim().is_empty() => Err(format!("{field} is empty (expected a date DD/MM/YYYY or YYYY-MM-DD)")),
        None => {
            Err(format!("bad date in {field}: {}{} (expected DD/MM/YYYY or YYYY-MM-DD)", shown(value), breaks(value)))
        }
    }
}

/// Dates already read (by this worker), by their text: a table indexed by a hash of a ten-byte
/// value (`DD/MM/YYYY` or `YYYY-MM-DD`), so that a date read again (most are: a few thousand days
/// cover a return's rows) costs a look-up rather than a parse. A date is the same function of
/// its text wherever it is read, so the answer is [`date_field`]'s; values of other lengths, and
/// values that are not dates, are read by [`date_field`] every time.
pub(crate) struct DateCache {
    /// (first eight bytes, last two bytes, date). An empty slot holds `NaiveDate::MIN`, which is
    /// outside the calendar and so never remembered: its key (zero) can be any value's (ten NUL
    /// bytes), so a slot is taken only when its date is not `MIN`.
    slots: Vec<(u64, u16, NaiveDate)>,
}

/// How many slots a [`DateCache`] has (a power of two: a few times the days in 14 years).
const DATE_SLOTS: usize = 1 << 14;

impl Default for DateCache {
    fn default() -> DateCache {
        DateCache { slots: vec![(0, 0, NaiveDate::MIN); DATE_SLOTS] }
    }
}

impl DateCache {
    /// [`date_field`], remembering each date read from a ten-byte value.
    #[inline]
    pub(crate) fn field(&mut self, field: &str, value: &str) -> Result<NaiveDate, String> {
        let Ok(a) = <[u8; 10]>::try_from(value.as_bytes()) else {
            return date_field(field, value);
        };
        let k = u64::from_le_bytes([a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]]);
        let t = u16::from_le_bytes([a[8], a[9]]);
        let h = (k ^ (u64::from(t) << 48)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - DATE_SLOTS.trailing_zeros());
        let slot = &mut self.slots[h as usize];
        if slot.0 == k && slot.1 == t && slot.2 != NaiveDate::MIN {
            return Ok(slot.2);
        }
        let r = date_field(field, value);
        if let Ok(d) = r {
            *slot = (k, t, d);
        }
        r
    }
}

/// Column positions in an episodes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EpisodeColumns {
    pub child: usize,
    pub decom: usize,
    pub rne: usize,
    pub ls: usize,
    pub place: usize,
    pub dec: usize,
    pub rec: usize,
    /// Every column name, upper case (for comparing two copies of an episode).
    pub names: Vec<String>,
}

/// Column positions in a reviews table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReviewColumns {
    pub child: usize,
    pub review: usize,
}

/// Which table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Columns {
    Episodes(EpisodeColumns),
    Reviews(ReviewColumns),
}

impl Columns {
    pub(crate) fn child(&self) -> usize {
        match self {
            Columns::Episodes(c) => c.child,
            Columns::Reviews(c) => c.child,
        }
    }
}

pub(crate) const EPISODE_REQUIRED: [&str; 7] = ["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"];
pub(crate) const REVIEW_REQUIRED: [&str; 2] = ["CHILD", "REVIEW"];

/// The columns of a header line, or why it is not the header of that table (naming a likely
/// swap of the files when it is the other table's header).
pub(crate) fn header_columns(kind: super::super::FileKind, line: &str) -> Result<Columns, String> {
    use super::super::FileKind;
    let line = line.trim_start_matches('\u{feff}');
    let names: Vec<String> = with_fields(line, |f| f.iter().map(|s| s.trim().to_ascii_uppercase()).collect())?;
    let required: &[&str] = match kind {
        FileKind::Episodes => &EPISODE_REQUIRED,
        FileKind::Reviews => &REVIEW_REQUIRED,
    };
    let mut pos = Vec::with_capacity(required.len());
    let mut missing = Vec::new();
    for r in required {
        match names.iter().position(|n| n == r) {
            Some(p) => pos.push(p),
            None => missing.push(*r),
        }
    }
    if !missing.is_empty() {
        let has = |n: &str| names.iter().any(|x| x == n);
        let hint = match kind {
            FileKind::Episodes if has("REVIEW") => {
                " (it has REVIEW: this looks like the reviews table; are the files swapped?)"
            }
            FileKind::Reviews if has("DECOM") => {
                " (it has DECOM: this looks like the episodes table; are the files swapped?)"
            }
            _ => "",
        };
        return Err(format!(
            "bad header: missing column {} (the {} table needs {}){hint}",
            missing.join(", "),
            kind.as_str(),
            required.join(", ")
        ));
    }
    Ok(match kind {
        FileKind::Episodes => Columns::Episodes(EpisodeColumns {
            child: pos[0],
            decom: pos[1],
            rne: pos[2],
            ls: pos[3],
            place: pos[4],
            dec: pos[5],
            rec: pos[6],
            names,
        }),
        FileKind::Reviews => Columns::Reviews(ReviewColumns { child: pos[0], review: pos[1] }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_cache_answers_as_date_field_every_time() {
        let mut c = DateCache::default();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // Twice each: read, then remembered (or, for errors, read again).
        for _ in 0..2 {
            assert_eq!(c.field("REVIEW", "01/04/2024"), Ok(d(2024, 4, 1)));
            assert_eq!(c.field("REVIEW", "2024-04-01"), Ok(d(2024, 4, 1)));
            assert_eq!(c.field("DEC", "1/4/2024"), Ok(d(2024, 4, 1)));
            assert_eq!(
                c.field("DEC", "31/02/2024"),
                Err("bad date in DEC: \"31/02/2024\" (expected DD/MM/YYYY or YYYY-MM-DD)".into())
            );
            assert_eq!(
                c.field("DECOM", "01/01/1970"),
                Err("DECOM \"01/01/1970\": date 1970-01-01 is outside the calendar".into())
            );
            assert_eq!(c.field("DECOM", ""), date_field("DECOM", ""));
            // Ten NUL bytes have an empty slot's key: still an error, never the empty slot's date.
            assert_eq!(
                c.field("DECOM", "\0\0\0\0\0\0\0\0\0\0"),
                Err("bad date in DECOM: \"\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\" (expected DD/MM/YYYY or YYYY-MM-DD)".into())
            );
        }
        // More dates than slots (every day 1975 to 2030, in both forms, twice): slots are
        // shared, and each answer is still the date's own.
        let days: Vec<NaiveDate> = d(1975, 1, 1).iter_days().take_while(|x| *x <= d(2030, 12, 31)).collect();
        assert!(days.len() > DATE_SLOTS);
        for _ in 0..2 {
            for x in &days {
                assert_eq!(c.field("REVIEW", &x.format("%d/%m/%Y").to_string()), Ok(*x));
                assert_eq!(c.field("REVIEW", &x.to_string()), Ok(*x));
            }
        }
    }

    fn all(l: &mut impl Lines) -> Vec<(u64, Vec<u8>, bool)> {
        let mut v = Vec::new();
        while let Some((n, t, long)) = l.next_line().unwrap() {
            v.push((n, t.to_vec(), long));
        }
        v
    }

    fn slice(text: &[u8]) -> Vec<(u64, Vec<u8>, bool)> {
        all(&mut SliceLines::new(text))
    }

    #[test]
    fn lines_of_text_held_whole_end_at_lf_crlf_or_a_lone_cr() {
        let want = |v: &[&str]| -> Vec<(u64, Vec<u8>, bool)> {
            v.iter().enumerate().map(|(i, s)| (i as u64 + 1, s.as_bytes().to_vec(), false)).collect()
        };
        assert_eq!(slice(b"a\nb\r\nc\rd"), want(&["a", "b", "c", "d"]));
        assert_eq!(slice(b"a\n\nb\n"), want(&["a", "", "b"]));
        assert_eq!(slice(b"x\r"), want(&["x"]));
        assert_eq!(slice(b"\r\n\r\n"), want(&["", ""]));
        assert_eq!(slice(b"\n\r"), want(&["", ""]));
        assert_eq!(slice(b""), want(&[]));
        let long = vec![b'x'; MAX_LINE + 1];
        let mut text = long.clone();
        text.extend_from_slice(b"\nok");
        let got = slice(&text);
        assert_eq!(got.len(), 2);
        assert!(got[0].2, "a line over MAX_LINE is long");
        assert_eq!(got[1], (2, b"ok".to_vec(), false));
        let exact = vec![b'y'; MAX_LINE];
        assert!(!slice(&exact)[0].2, "a line of exactly MAX_LINE bytes is not long");
    }

    #[test]
    fn lines_held_whole_are_the_lines_a_reader_gives_whatever_its_buffer() {
        // The same lines as the reader in any buffering (a 1-byte buffer splits every CRLF).
        let texts: [&[u8]; 7] =
            [b"a\nb\r\nc\rd", b"a\r", b"\r\r\n\n", b"h1,h2\r\n1,2\r\n", b"", b"\n", b"q\"x\ny\"\rz"];
        for t in texts {
            for cap in [1, 2, 3, 64] {
                let mut r = ReadLines::new(std::io::BufReader::with_capacity(cap, t));
                assert_eq!(all(&mut r), slice(t), "{:?} with a {cap}-byte buffer", String::from_utf8_lossy(t));
            }
        }
    }
}
