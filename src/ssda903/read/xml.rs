//! The DfE XML return: root `EXPSSDA903`, one `CHILD` per child with a `HEADER` (`CHILDID`,
//! `DOB`, ..., and the child's reviews as `AREVIEW` elements with `REVIEW` and `REVIEW_CODE`) and
//! its `EPISODE` elements (`DECOM`, `RNE`, `LS`, `CIN`, `PL`, `PLACE_PROVIDER`, `DEC`, `REC`,
//! `REASON_PLACE_CHANGE`, `HOME_POST`, `PL_POST`, `URN`). `PL` is the CSV table's `PLACE`.
//!
//! Read as a stream with `quick-xml`, holding one child at a time (at most
//! [`super::MAX_CHILD_ROWS`] rows of it). Each `EPISODE` and `AREVIEW` becomes the same row the CSV
//! tables would hold, so the audit is identical; a row's "line" is the line of the file where its
//! `EPISODE` (or `AREVIEW`) element starts (lines end in LF, CRLF or a lone CR, as a CSV table's
//! do), counted as the file is read (`Counted`).

use std::cell::Cell;
use std::io::{self, BufRead, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::csv::{header_columns, LINE_BREAK};
use super::{Ingest, MAX_CHILD_ROWS};
use crate::error::{Error, Result};
use crate::export::csv_field;
use crate::ssda903::FileKind;

/// The episode columns in the order the rows are written (the DfE's episode table).
pub(crate) const EP_COLUMNS: [&str; 13] = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
];
const RV_COLUMNS: [&str; 4] = ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"];

/// A buffered reader (as `BufReader`) that knows the line of the next byte its user will read
/// ([`Counted::line`]): `quick-xml` consumes exactly the bytes of each event it returns, so when
/// it returns a start tag, the line the tag ends on is known, and the line it starts on is that
/// less the line ends inside the tag. Line ends (LF, CRLF or a lone CR) are counted when a line
/// is asked for, over the bytes consumed since the last time (and over the rest of the buffer
/// before it is filled again): each byte is counted once, a run at a time.
struct Counted<R> {
    r: R,
    buf: Box<[u8]>,
    /// The next byte to read, and the end of the bytes read into `buf`.
    pos: usize,
    filled: usize,
    /// `buf[..counted]` is counted in `ends`.
    counted: Cell<usize>,
    /// Line ends counted so far.
    ends: Cell<u64>,
    /// Whether the last byte counted was a CR (a LF right after it ends no line).
    cr: Cell<bool>,
}

impl<R: Read> Counted<R> {
    fn new(r: R) -> Self {
        Counted {
            r,
            buf: vec![0; 1 << 20].into_boxed_slice(),
            pos: 0,
            filled: 0,
            counted: Cell::new(0),
            ends: Cell::new(0),
            cr: Cell::new(false),
        }
    }

    /// Counts the line ends in `buf[counted..to]`.
    fn count_to(&self, to: usize) {
        let from = self.counted.get();
        if let Some(b) = self.buf.get(from..to).filter(|b| !b.is_empty()) {
            let mut cr = self.cr.get();
            self.ends.set(self.ends.get() + line_ends(b, &mut cr));
            self.cr.set(cr);
            self.counted.set(to);
        }
    }

    /// The line of the next byte to be read (the first line is 1).
    fn line(&self) -> u64 {
        self.count_to(self.pos);
        self.ends.get() + 1
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let b = self.fill_buf()?;
            let n = b.len().min(out.len());
            out[..n].copy_from_slice(&b[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> Counted<R> {
    /// Fills the buffer again (its bytes counted first), once all of it is consumed.
    #[inline(never)]
    fn refill(&mut self) -> io::Result<()> {
        self.count_to(self.filled);
        let n = loop {
            match self.r.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.pos = 0;
        self.filled = n;
        self.counted.set(0);
        Ok(())
    }
}

impl<R: Read> BufRead for Counted<R> {
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.filled {
            self.refill()?;
        }
        Ok(self.buf.get(self.pos..self.filled).unwrap_or_default())
    }
    #[inline]
    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.filled);
    }
}

/// How many lines `b` ends (LF, CRLF or a lone CR); `cr`: whether the byte before `b` was a CR,
/// updated to whether its last byte is.
fn line_ends(b: &[u8], cr: &mut bool) -> u64 {
    let Some(&last) = b.last() else { return 0 };
    // The LFs and CRs, counted in one pass (up to 255 bytes into 8-bit counts, which the compiler
    // does many bytes at a time).
    let (mut lf, mut crs) = (0u64, 0u64);
    for c in b.chunks(255) {
        let (l, r) = c.iter().fold((0u8, 0u8), |(l, r), &x| (l + u8::from(x == b'\n'), r + u8::from(x == b'\r')));
        lf += u64::from(l);
        crs += u64::from(r);
    }
    let n = if crs == 0 {
        // The usual text, with no CR: its LFs, less one right after a CR before `b`.
        lf - u64::from(*cr && b[0] == b'\n')
    } else {
        let mut prev = *cr;
        let mut n = 0;
        for &c in b {
            n += u64::from(c == b'\r' || (c == b'\n' && !prev));
            prev = c == b'\r';
        }
        n
    };
    *cr = last == b'\r';
    n
}

#[derive(Default)]
struct Child {
    id: Option<String>,
    dob: String,
    /// (the element's line, values in column order without CHILD)
    episodes: Vec<(u64, Vec<String>)>,
    reviews: Vec<(u64, [String; 2])>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    Nothing,
    Header,
    Review,
    Episode,
}

fn row(child: &str, values: &[&str]) -> String {
    let mut s = String::new();
    for (i, v) in std::iter::once(&child).chain(values).enumerate() {
        if i > 0 {
            s.push(',');
        }
        let v = v.trim_ascii();
        if v.contains(['\r', '\n']) {
            // Rows are single lines: a line break inside a value (LF, CRLF or CR) is held as the
            // CSV reader holds one in a quoted field (`LINE_BREAK`), so a reason names it.
            let b = char::from(LINE_BREAK).to_string();
            csv_field(&mut s, &v.replace("\r\n", &b).replace('\n', &b));
        } else {
            csv_field(&mut s, v);
        }
    }
    s
}

/// Reads an XML return into the ingest: its episodes as table `ep`, its reviews as `rv`.
pub(crate) fn read_xml(ing: &mut Ingest<'_>, ep: u32, rv: u32, r: impl Read) -> Result<()> {
    let name = ing.metas[ep as usize].name.to_string();
    let cols = |kind, names: &[&str]| header_columns(kind, &names.join(",")).ok();
    ing.metas[ep as usize].cols = cols(FileKind::Episodes, &EP_COLUMNS);
    ing.metas[rv as usize].cols = cols(FileKind::Reviews, &RV_COLUMNS);
    let mut src = Counted::new(r);
    if let Some(what) = utf16(src.fill_buf().map_err(|e| super::io_err(&name, e))?) {
        return Err(Error::data(
            &name,
            "line 1 (byte 0)",
            format!("the file is {what}; an SSDA903 XML return is read as UTF-8: save it as UTF-8 and audit it again"),
        ));
    }
    let mut reader = Reader::from_reader(src);
    let mut buf = Vec::new();
    let mut child: Option<Child> = None;
    let mut section = In::Nothing;
    let mut leaf: Option<String> = None;
    let mut text = String::new();
    let mut current: Vec<(String, String)> = Vec::new();
    // The line of the last EPISODE and AREVIEW element started.
    let (mut n_ep, mut n_rv) = (0u64, 0u64);
    let mut saw_root = false;
    let err = |reader: &Reader<Counted<_>>, e: String| {
        Error::data(&name, format!("line {} (byte {})", reader.get_ref().line(), reader.buffer_position()), e)
    };
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| err(&reader, e.to_string()))?;
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let tag = String::from_utf8_lossy(e.name().as_ref()).to_ascii_uppercase();
                match tag.as_str() {
                    "EXPSSDA903" => saw_root = true,
                    // An empty <CHILD/> holds no rows.
                    "CHILD" if child.is_none() && !empty => {
                        child = Some(Child::default());
                        section = In::Nothing;
                    }
                    "HEADER" if child.is_some() => section = In::Header,
                    "AREVIEW" if child.is_some() => {
                        n_rv = start_line(&reader, e);
                        section = In::Review;
                        current.clear();
                    }
                    "EPISODE" if child.is_some() => {
                        n_ep = start_line(&reader, e);
                        section = In::Episode;
                        current.clear();
                    }
                    _ if child.is_some() && section != In::Nothing => {
                        if empty {
                            current.push((tag.clone(), String::new()));
                        } else {
                            leaf = Some(tag.clone());
                            text.clear();
                        }
                    }
                    _ => {}
                }
                if empty {
                    // <AREVIEW/> or <EPISODE/>: a row with no values.
                    if matches!(tag.as_str(), "AREVIEW" | "EPISODE") {
                        close(&tag, &mut child, &mut current, &mut section, n_ep, n_rv, ing, ep, rv)?;
                    }
                }
            }
            Event::Text(t) if leaf.is_some() => {
                text.push_str(&t.decode().map_err(|e| err(&reader, e.to_string()))?);
            }
            Event::CData(t) if leaf.is_some() => {
                text.push_str(&String::from_utf8_lossy(&t.into_inner()));
            }
            Event::GeneralRef(r) if leaf.is_some() => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| err(&reader, e.to_string()))? {
                    text.push(c);
                } else {
                    let n = r.decode().map_err(|e| err(&reader, e.to_string()))?;
                    text.push_str(match n.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => return Err(err(&reader, format!("unknown entity &{other};"))),
                    });
                }
            }
            Event::End(e) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).to_ascii_uppercase();
                if leaf.as_deref() == Some(tag.as_str()) {
                    let value = std::mem::take(&mut text);
                    if let (Some(c), In::Header) = (child.as_mut(), section) {
                        match tag.as_str() {
                            // ASCII spaces only, as in CSV: a CHILDID with a non-breaking space
                            // is a reject in either format.
                            "CHILDID" => c.id = Some(value.trim_ascii().to_string()),
                            "DOB" => c.dob = value.trim_ascii().to_string(),
                            _ => {}
                        }
                    } else {
                        current.push((tag.clone(), value));
                    }
                    leaf = None;
                    continue;
                }
                match tag.as_str() {
                    "AREVIEW" | "EPISODE" => {
                        close(&tag, &mut child, &mut current, &mut section, n_ep, n_rv, ing, ep, rv)?
                    }
                    "HEADER" => section = In::Nothing,
                    "CHILD" => {
                        if let Some(c) = child.take() {
                            emit(c, ing, ep, rv)?;
                        }
                        section = In::Nothing;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(err(&reader, "no EXPSSDA903 root element: not an SSDA903 XML return".into()));
    }
    if child.is_some() {
        return Err(err(&reader, "the file ends inside a CHILD element (truncated?)".into()));
    }
    Ok(())
}

/// The line a start (or empty) tag just read starts on: the line the reader is on, less the line
/// ends inside the tag (between its `<` and `>`).
fn start_line<R: Read>(reader: &Reader<Counted<R>>, tag: &[u8]) -> u64 {
    reader.get_ref().line() - line_ends(tag, &mut false)
}

/// Whether a file starting `b` is UTF-16, and which: a byte order mark, or (without one) its
/// first character `<` as two bytes with a NUL.
fn utf16(b: &[u8]) -> Option<&'static str> {
    match b {
        [0xFF, 0xFE, ..] => Some("UTF-16 (little-endian, with a byte order mark)"),
        [0xFE, 0xFF, ..] => Some("UTF-16 (big-endian, with a byte order mark)"),
        [b'<', 0, ..] => Some("UTF-16 (little-endian)"),
        [0, b'<', ..] => Some("UTF-16 (big-endian)"),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn close(
    tag: &str,
    child: &mut Option<Child>,
    current: &mut Vec<(String, String)>,
    section: &mut In,
    n_ep: u64,
    n_rv: u64,
    ing: &mut Ingest<'_>,
    ep: u32,
    rv: u32,
) -> Result<()> {
    let Some(c) = child.as_mut() else { return Ok(()) };
    let get = |n: &str| current.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_default();
    let full = c.episodes.len() + c.reviews.len() >= MAX_CHILD_ROWS;
    if tag == "AREVIEW" {
        if full {
            let id = c.id.clone().unwrap_or_default();
            ing.metas[rv as usize].rows += 1;
            ing.reject(rv, n_rv, &id, super::cap_reason())?;
        } else {
            c.reviews.push((n_rv, [get("REVIEW"), get("REVIEW_CODE")]));
        }
        *section = In::Header;
    } else {
        if full {
            let id = c.id.clone().unwrap_or_default();
            ing.metas[ep as usize].rows += 1;
            ing.reject(ep, n_ep, &id, super::cap_reason())?;
        } else {
            let values: Vec<String> = EP_COLUMNS[1..]
                .iter()
                .map(|n| match *n {
                    "PLACE" => {
                        let pl = get("PL");
                        if pl.is_empty() {
                            get("PLACE")
                        } else {
                            pl
                        }
                    }
                    n => get(n),
                })
                .collect();
            c.episodes.push((n_ep, values));
        }
        *section = In::Nothing;
    }
    current.clear();
    Ok(())
}

fn emit(c: Child, ing: &mut Ingest<'_>, ep: u32, rv: u32) -> Result<()> {
    let id = c.id.unwrap_or_default();
    for (n, v) in &c.episodes {
        let values: Vec<&str> = v.iter().map(String::as_str).collect();
        ing.push(ep, *n, row(&id, &values).as_bytes(), false)?;
    }
    for (n, [review, code]) in &c.reviews {
        ing.push(rv, *n, row(&id, &[&c.dob, review, code]).as_bytes(), false)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most `k` bytes a read (so the buffer is filled again between any
    /// two bytes, a CRLF split between two fills).
    struct Dribble<'a>(&'a [u8], usize);

    impl Read for Dribble<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_line_of_the_next_byte_whatever_the_reads_and_the_steps() {
        // "a" CRLF "b" CR "c" LF LF "d" CR: bytes 0-9. The line of the next byte after k bytes
        // are consumed (a line end ends its line as soon as it is read; the LF of a CRLF ends
        // none), by hand for k = 0..=10:
        let text = b"a\r\nb\rc\n\nd\r";
        let want = [1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6];
        for k in [1, 2, 3, 64] {
            for step in [1, 2, 3, 10] {
                let mut c = Counted::new(Dribble(text, k));
                let mut at = 0;
                assert_eq!(c.line(), 1);
                while at < text.len() {
                    let n = c.fill_buf().unwrap().len().min(step);
                    c.consume(n);
                    at += n;
                    assert_eq!(c.line(), want[at], "reads of {k}, steps of {step}, {at} consumed");
                }
                assert!(c.fill_buf().unwrap().is_empty());
                assert_eq!(c.line(), 6);
            }
            // Asked only at the end, after the buffer was filled again and again (read through
            // `Read`, 4 bytes a time): the bytes of each fill were counted before the next.
            let mut c = Counted::new(Dribble(text, k));
            let mut out = [0u8; 4];
            while c.read(&mut out).unwrap() > 0 {}
            assert_eq!(c.line(), 6, "reads of {k}");
        }
    }
}
