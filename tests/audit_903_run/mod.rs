//! The SSDA903 audit of returns given as text, shared by the 903 tests that build their returns
//! by hand (`mod audit_903_run;`): England statute, one thread, the totals checked to balance.

use chrono::NaiveDate;
use lac_timescales::profile::Profile;
use lac_timescales::ssda903::{audit, AuditOptions, Collect, Input, Outcome, ReturnInput};

/// Audits `returns` (episodes text, reviews text, collection year), as at `as_at` if given: the
/// rows collected and the outcome. Every row read must be used, rejected or superseded.
pub fn run(returns: &[(String, String, i32)], as_at: Option<NaiveDate>) -> (Collect, Outcome) {
    let inputs: Vec<ReturnInput<'_>> = returns
        .iter()
        .map(|(e, r, y)| ReturnInput::Csv {
            episodes: Input::Text { name: format!("SSDA903_{y}_episodes.csv"), text: e },
            reviews: Input::Text { name: format!("SSDA903_{y}_reviews.csv"), text: r },
            year: None,
        })
        .collect();
    let mut o = AuditOptions::new(&Profile::builtin("england").unwrap());
    o.as_at = as_at;
    o.threads = 1;
    let mut c = Collect::default();
    let out = audit(inputs, &o, &mut c).unwrap();
    assert!(out.totals.balanced(), "{:?}", out.totals);
    (c, out)
}
