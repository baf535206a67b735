//! Bounded reading of the files and streams a host program chooses to read (the command-line
//! examples' `--input` and `--profile FILE`). Nothing in a request ever reads a file: these are
//! for the program's own arguments.
//!
//! Every read is bounded before it starts: at most `limit` bytes are read, and one byte more
//! means [`Error::LimitExceeded`] naming the input and the limit. A path must name a regular
//! file (after symlinks): a FIFO, a device such as `/dev/zero`, a socket or a directory is
//! refused before it is read, so a read never blocks or runs without end.
//!
//! ```
//! use lac_timescales::{input, ErrorKind};
//! let err = input::read_file(std::path::Path::new("/dev/zero"), 1024, "input").unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::InvalidInput);
//! let err = input::read_bounded(std::io::repeat(b'x'), 1024, "stdin").unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::LimitExceeded);
//! ```

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Reads at most `limit` bytes of UTF-8 text from `reader`.
///
/// # Errors
/// [`Error::LimitExceeded`] (what: "`what` size in bytes") when there is more; [`Error::InvalidInput`]
/// naming `what` for a read error or text that is not UTF-8.
pub fn read_bounded(reader: impl Read, limit: usize, what: &str) -> Result<String> {
    let mut buf = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut buf)
        .map_err(|e| Error::input(what, String::new(), format!("cannot read: {e}")))?;
    if buf.len() > limit {
        return Err(Error::LimitExceeded {
            what: format!("{what} size in bytes (read up to one byte past the limit)"),
            actual: buf.len(),
            limit,
        });
    }
    String::from_utf8(buf).map_err(|e| {
        Error::input(what, format!("byte {}", e.utf8_error().valid_up_to()), "the text is not valid UTF-8")
    })
}

/// Reads the regular file at `path`, at most `limit` bytes of UTF-8 text.
///
/// # Errors
/// [`Error::InvalidInput`] naming `what` and the path when it is missing, unreadable or not a
/// regular file (a FIFO, a device, a socket, a directory); [`Error::LimitExceeded`] when the
/// file is larger than `limit` (checked from its size before reading, and again while reading).
pub fn read_file(path: &Path, limit: usize, what: &str) -> Result<String> {
    let shown = path.display().to_string();
    let bad = |reason: String| Error::input(what, shown.clone(), reason);
    let check = |meta: &std::fs::Metadata| -> Result<()> {
        if !meta.is_file() {
            return Err(bad(format!("not a regular file ({}): refused, so that reading cannot block", kind(meta))));
        }
        if meta.len() > limit as u64 {
            return Err(Error::LimitExceeded {
                what: format!("{what} size in bytes"),
                actual: usize::try_from(meta.len()).unwrap_or(usize::MAX),
                limit,
            });
        }
        Ok(())
    };
    check(&std::fs::metadata(path).map_err(|e| bad(format!("cannot read: {e}")))?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(all(
        target_os = "linux",
        any(
            target_arch = "x86_64",
            target_arch = "aarch64",
            target_arch = "x86",
            target_arch = "arm",
            target_arch = "riscv64"
        )
    ))]
    {
        // O_NONBLOCK on these targets: should the path be swapped for a FIFO after the check
        // above, opening it still returns at once (and the check below refuses it).
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(0o4000);
    }
    let file = options.open(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    check(&file.metadata().map_err(|e| bad(format!("cannot read: {e}")))?)?;
    read_bounded(file, limit, what)
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}
