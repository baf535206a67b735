//! The DfE XML return (root `EXPSSDA903`).

use std::io::Read;

use super::Ingest;
use crate::error::{Error, Result};

/// Reads an XML return into the ingest: its episodes as table `ep`, its reviews as `rv`.
pub(crate) fn read_xml(ing: &mut Ingest<'_>, ep: u32, rv: u32, r: impl Read) -> Result<()> {
    let _ = (ing, ep, rv, r);
    Err(Error::Io { path: "xml".into(), reason: "XML returns are not read yet".into() })
}
