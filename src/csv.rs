//! CSV writing (RFC 4180): the one quoting rule, shared by the exports, the audit and the SSDA903
//! outputs. Depends on nothing else in the crate; re-exported as `export::csv_field` and
//! `export::csv_row`.

/// Appends one CSV field, quoted when it holds a comma, a double quote, CR or LF (RFC 4180).
pub fn csv_field(out: &mut String, field: &str) {
    if field.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Appends one CSV record: the fields separated by commas, ended by CRLF.
pub fn csv_row<I, S>(out: &mut String, fields: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f.as_ref());
    }
    out.push_str("\r\n");
}
