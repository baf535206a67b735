//! Reading several CSV tables at once. Reader threads do the part of reading that needs only the
//! table itself (splitting lines and records, the header, checking `CHILD`, the years of the
//! dates: [`classify`]) and send the rows in small batches; the calling thread takes each table's
//! batches in turn, in the tables' order, and does the rest exactly as for one table read alone
//! (counting, the per-child cap, holding or spilling rows, rejects in order). So the result, the
//! order of the rejects and the memory bound are those of reading the tables one after another:
//! at most a few batches per table wait in a channel.
//!
//! Only regular files and text in memory are read by reader threads; a pipe, a FIFO or a reader
//! is read by the calling thread at its turn (a FIFO is not opened before then).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::sync::Mutex;

use super::csv::{Columns, SliceLines};
use super::{classify, io_err, read_lines, read_records, Ingest, Key, Parsed, Records};
use crate::error::{Error, Result};
use crate::ssda903::FileKind;

/// Text in a batch before it is sent (bytes).
const BATCH_BYTES: usize = 64 << 10;
/// Batches a table's channel holds before its reader waits.
const CHANNEL_BATCHES: usize = 8;

/// A table a reader thread can read.
pub(crate) enum Source<'a> {
    /// A regular file.
    Path(PathBuf),
    /// Text in memory.
    Text(&'a str),
}

/// One table for a reader thread.
pub(crate) struct Job<'a> {
    pub src: u32,
    pub name: String,
    pub kind: FileKind,
    pub track_years: bool,
    pub source: Source<'a>,
}

impl Job<'_> {
    /// Reads the table whole: its text, as read (a file) or copied (text in memory).
    fn read_whole(&self) -> Result<Vec<u8>> {
        match &self.source {
            Source::Path(p) => std::fs::read(p).map_err(|e| io_err(&self.name, e)),
            Source::Text(t) => Ok(t.as_bytes().to_vec()),
        }
    }
}

enum Item {
    Blank,
    /// A row rejected as read: its `CHILD` as shown, and the reason.
    Bad {
        line: u64,
        child: String,
        reason: String,
    },
    /// A usable row: its text and its `CHILD` as ranges of the batch's text, or (`whole`) of the
    /// table held whole.
    Row {
        line: u64,
        text: (usize, usize),
        key: (usize, usize),
        whole: bool,
    },
}

#[derive(Default)]
struct Batch {
    text: Vec<u8>,
    items: Vec<Item>,
}

enum Msg {
    /// The table, read whole (sent before its rows).
    Whole(Arc<String>),
    Header(u64, std::result::Result<Columns, String>),
    Batch(Batch),
    /// The end of the table, with the collection years of its dates (when tracked).
    Done(BTreeMap<i32, u64>),
    Failed(Error),
}

/// The receiving end was dropped: the calling thread stopped (an error elsewhere).
fn stopped() -> Error {
    Error::Io { path: "audit".into(), reason: "reading stopped".into() }
}

struct Sender<'c> {
    tx: &'c SyncSender<Msg>,
    /// Batches the calling thread has emptied, to fill again (fresh memory costs page faults).
    free: &'c Receiver<Batch>,
    cols: Option<Columns>,
    track_years: bool,
    years: BTreeMap<i32, u64>,
    batch: Batch,
    /// Where the table held whole is (its address and length), when it is: a record that is a
    /// slice of it is sent as its place in it, not copied.
    whole: Option<(usize, usize)>,
}

impl Sender<'_> {
    fn flush(&mut self) -> Result<()> {
        let next = match self.free.try_recv() {
            Ok(b) => b,
            Err(_) => Batch { text: Vec::with_capacity(BATCH_BYTES + 1024), items: Vec::with_capacity(4096) },
        };
        let b = std::mem::replace(&mut self.batch, next);
        self.tx.send(Msg::Batch(b)).map_err(|_| stopped())
    }
}

impl Records for Sender<'_> {
    fn header(&mut self, line: u64, cols: std::result::Result<Columns, String>) -> Result<()> {
        self.cols = cols.as_ref().ok().cloned();
        self.tx.send(Msg::Header(line, cols)).map_err(|_| stopped())
    }
    fn record(&mut self, line: u64, text: &[u8], plain: bool) -> Result<()> {
        let item = match classify(self.cols.as_ref(), text, self.track_years, plain) {
            Parsed::Blank => Item::Blank,
            Parsed::Reject { child, reason } => Item::Bad { line, child, reason },
            Parsed::Row { key, year } => {
                if let Some(y) = year {
                    *self.years.entry(y).or_default() += 1;
                }
                let at = text.as_ptr() as usize;
                if let (Some((base, len)), Key::At(a, b)) = (self.whole, &key) {
                    if at >= base && at + text.len() <= base + len {
                        let start = at - base;
                        self.batch.items.push(Item::Row {
                            line,
                            text: (start, start + text.len()),
                            key: (start + a, start + b),
                            whole: true,
                        });
                        if self.batch.items.len() >= 4096 {
                            self.flush()?;
                        }
                        return Ok(());
                    }
                }
                let t = &mut self.batch.text;
                let start = t.len();
                t.extend_from_slice(text);
                let end = t.len();
                let key = match key {
                    Key::At(a, b) => (start + a, start + b),
                    Key::Owned(k) => {
                        t.extend_from_slice(&k);
                        (end, t.len())
                    }
                };
                Item::Row { line, text: (start, end), key, whole: false }
            }
        };
        self.batch.items.push(item);
        if self.batch.text.len() >= BATCH_BYTES || self.batch.items.len() >= 4096 {
            self.flush()?;
        }
        Ok(())
    }
    fn bad(&mut self, line: u64, reason: String) -> Result<()> {
        self.batch.items.push(Item::Bad { line, child: String::new(), reason });
        Ok(())
    }
}

/// Reads one table on a reader thread, sending what it finds.
fn read_job(job: &Job<'_>, whole: bool, tx: &SyncSender<Msg>, free: &Receiver<Batch>) {
    let mut out = Sender {
        tx,
        free,
        cols: None,
        track_years: job.track_years,
        years: BTreeMap::new(),
        batch: Batch::default(),
        whole: None,
    };
    let r = if whole {
        job.read_whole().and_then(|bytes| match String::from_utf8(bytes) {
            Ok(text) => {
                // Valid UTF-8 (as a table usually is): held whole, its rows slices of it.
                let text = Arc::new(text);
                out.tx.send(Msg::Whole(Arc::clone(&text))).map_err(|_| stopped())?;
                out.whole = Some((text.as_ptr() as usize, text.len()));
                read_lines(&job.name, job.kind, &mut SliceLines::new(text.as_bytes()), &mut out)
            }
            // Not: each row copied, as when read in parts.
            Err(e) => read_lines(&job.name, job.kind, &mut SliceLines::new(e.as_bytes()), &mut out),
        })
    } else {
        read_source(job, &mut out)
    };
    let r = r.and_then(|()| out.flush());
    let _ = tx.send(match r {
        Ok(()) => Msg::Done(out.years),
        Err(e) => Msg::Failed(e),
    });
}

/// Reads a table in parts.
fn read_source(job: &Job<'_>, out: &mut Sender<'_>) -> Result<()> {
    match &job.source {
        Source::Path(p) => match std::fs::File::open(p) {
            Ok(f) => read_records(&job.name, job.kind, f, out),
            Err(e) => Err(io_err(&job.name, e)),
        },
        Source::Text(t) => read_records(&job.name, job.kind, t.as_bytes(), out),
    }
}

/// Takes one table's messages, in order, into the ingest.
fn take(ing: &mut Ingest<'_>, src: u32, rx: &Receiver<Msg>, free: &SyncSender<Batch>) -> Result<()> {
    let mut arena = 0;
    loop {
        let msg = rx.recv().map_err(|_| Error::Io {
            path: ing.metas[src as usize].name.to_string(),
            reason: "a reader thread stopped (a bug: please report it)".into(),
        })?;
        match msg {
            Msg::Whole(text) => arena = ing.add_file(text),
            Msg::Header(line, cols) => {
                let m = &mut ing.metas[src as usize];
                match cols {
                    Ok(c) => m.cols = Some(c),
                    Err(reason) => {
                        m.rows += 1;
                        m.header_error = Some(reason.clone());
                        ing.reject(src, line, "", reason)?;
                    }
                }
            }
            Msg::Batch(mut b) => {
                let mut items = std::mem::take(&mut b.items);
                for item in items.drain(..) {
                    match item {
                        Item::Blank => ing.metas[src as usize].blank += 1,
                        Item::Bad { line, child, reason } => {
                            ing.metas[src as usize].rows += 1;
                            ing.reject(src, line, &child, reason)?;
                        }
                        Item::Row { line, text, key, whole: true } => {
                            ing.metas[src as usize].rows += 1;
                            ing.keep_file(src, line, arena, text, key)?;
                        }
                        Item::Row { line, text: (a, z), key: (ka, kz), whole: false } => {
                            ing.metas[src as usize].rows += 1;
                            let at = (ka >= a && kz <= z).then(|| (ka - a, kz - a));
                            ing.keep(src, line, &b.text[a..z], &b.text[ka..kz], at)?;
                        }
                    }
                }
                // Back to the reader, emptied, to fill again (it may have finished: then dropped).
                b.items = items;
                b.text.clear();
                let _ = free.try_send(b);
            }
            Msg::Done(years) => {
                let m = &mut ing.metas[src as usize];
                for (y, n) in years {
                    *m.years.entry(y).or_default() += n;
                }
                return Ok(());
            }
            Msg::Failed(e) => return Err(e),
        }
    }
}

/// A job's channels, taken by the reader that reads it: its messages out, its emptied batches
/// back.
type Channels = (SyncSender<Msg>, Receiver<Batch>);

/// Reading a table on the calling thread.
pub(crate) type ReadHere<'a> = Box<dyn FnOnce(&mut Ingest<'_>) -> Result<()> + 'a>;

/// A table in the order it is taken into the ingest.
pub(crate) enum Step<'a> {
    /// Read by a reader thread.
    Parallel(Job<'a>),
    /// Read by the calling thread, at its turn.
    Here(ReadHere<'a>),
}

/// Runs the steps in order, the `Parallel` ones read ahead by up to `threads` reader threads.
pub(crate) fn run(ing: &mut Ingest<'_>, steps: Vec<Step<'_>>, threads: usize) -> Result<()> {
    let mut jobs = Vec::new();
    let mut order: Vec<std::result::Result<usize, ReadHere<'_>>> = Vec::new();
    for s in steps {
        match s {
            Step::Parallel(j) => {
                order.push(Ok(jobs.len()));
                jobs.push(j);
            }
            Step::Here(f) => order.push(Err(f)),
        }
    }
    let readers = threads.min(jobs.len());
    if readers == 0 {
        for o in order {
            match o {
                Ok(i) => {
                    let j = &jobs[i];
                    let r: Box<dyn Read> = match &j.source {
                        Source::Path(p) => Box::new(std::fs::File::open(p).map_err(|e| io_err(&j.name, e))?),
                        Source::Text(t) => Box::new(t.as_bytes()),
                    };
                    super::read_csv(ing, j.src, r)?;
                }
                Err(f) => f(ing)?,
            }
        }
        return Ok(());
    }
    let (txs, rxs): (Vec<_>, Vec<_>) = jobs.iter().map(|_| sync_channel::<Msg>(CHANNEL_BATCHES)).unzip();
    // Each job with its sender, taken by the reader that reads it (the sender is dropped when the
    // reader is done, so a reader that stopped is seen as a closed channel, never a hang).
    // Each job's channel of emptied batches, back from this thread to its reader.
    let (frees, free_rxs): (Vec<_>, Vec<_>) = jobs.iter().map(|_| sync_channel::<Batch>(CHANNEL_BATCHES)).unzip();
    let work: Vec<Mutex<Option<Channels>>> = txs.into_iter().zip(free_rxs).map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    let whole = ing.reads_whole();
    std::thread::scope(|s| -> Result<()> {
        for _ in 0..readers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(w) = work.get(i) else { break };
                let tx = w.lock().ok().and_then(|mut t| t.take());
                if let Some((tx, free)) = tx {
                    read_job(&jobs[i], whole, &tx, &free);
                }
            });
        }
        // Dropping the receivers (on an error here) stops the readers at their next batch.
        let rxs = rxs;
        for o in order {
            match o {
                Ok(i) => take(ing, jobs[i].src, &rxs[i], &frees[i])?,
                Err(f) => f(ing)?,
            }
        }
        Ok(())
    })
}
