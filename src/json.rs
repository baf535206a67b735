//! The JSON boundary: one request in, one response (or error object) out. Used by the
//! `schedule --json` example and by the C ABI, so both speak exactly the same JSON.
//!
//! Request (`jurisdiction` and `events` required):
//! ```json
//! {"jurisdiction": "england", "profile": "dudley", "as_at": "2026-06-01", "horizon_months": 12,
//!  "child": {"date_of_birth": "2012-04-01"},
//!  "events": [{"event": "became_looked_after", "date": "2026-01-05"}]}
//! ```
//! `profile` is a built-in id (`england`, `wales`, `sars-checklist`, `isu-procedure`, `dudley`,
//! `iro-expectations`) or the id of a profile the host program registered
//! ([`ProfileRegistry`]); a request never reads a file. `profile_toml` gives a local profile
//! inline instead. `closure_days` (list of dates) are applied to local rules only.
//! `"explain": true` adds each obligation's explanation; `"pretty": true` indents the response.
//!
//! Response ([`ScheduleResponse`]): `{"citations": [...], "obligations": [...], "next_review":
//! index | null, "metadata": {...}}`, compact JSON. Each citation is sent once; an obligation's
//! `citation` is an index into `citations`, and `next_review` an index into `obligations`.
//! Error: `{"error": {"kind": "...", "message": "..."}}` ([`ErrorResponse`]); the functions
//! return the typed [`Error`], and [`error_json`] writes its object.
//!
//! Audit ([`audit_json`]): the same request, where `as_at` is the audit date (default: the last
//! event's date) and `horizon_months` defaults to 0. Response ([`AuditResponse`]): the
//! [`crate::audit::Audit`] with the schedule response's `citations` table, `{"as_at",
//! "citations", "obligations": [{"index", "obligation", "done_by_event", "status": {"kind":
//! ...}}], "breaches", "events", "aggregates", "metadata"}`, each `obligation` as in the schedule
//! response (its `citation` an index into `citations`); errors as for the schedule.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::audit::{audit, Aggregates, Audit, AuditBreach, AuditOptions, EventAccount};
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::model::{CaseHistory, Child, Duty, Event, Jurisdiction, Regime, Role, Roles, Shared};
use crate::period::Period;
use crate::profile::AdjournedReviewDate;
use crate::profile::{Basis, Citation, Profile, ProfileRegistry, Status};
use crate::schedule::{schedule, Breach, Considered, Metadata, Obligation, Schedule, ScheduleOptions};

/// The largest request accepted, in bytes.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// A schedule request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// `england` or `wales`.
    pub jurisdiction: Jurisdiction,
    /// A built-in profile id, or the id of a profile the host program registered (default: the
    /// jurisdiction's statutory profile). Never a file path: a request never reads a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// A local profile given inline as TOML text (instead of `profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_toml: Option<String>,
    /// The as-at date (default: the last event's date), written `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::model::strict_as_at")]
    pub as_at: Option<NaiveDate>,
    /// Planning horizon in months (default 12; 0 = none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_months: Option<u32>,
    /// Child details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<Child>,
    /// Council closure days, used for local rules only.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::model::strict_closure_days")]
    pub closure_days: Option<Vec<NaiveDate>>,
    /// The case history: events in date order.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::model::Event>"))]
    #[serde(deserialize_with = "strict_values")]
    pub events: Vec<serde_json::Value>,
    /// Include each obligation's `explanation` (default false). Schedules only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub explain: bool,
    /// Indent the response JSON (default false: compact).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pretty: bool,
}

/// A list of JSON values, refusing an object with the same key twice (serde_json's own `Value`
/// keeps the last silently; the request's own fields are checked by serde's derive).
fn strict_values<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<serde_json::Value>, D::Error> {
    Ok(Vec::<Strict>::deserialize(d)?.into_iter().map(|s| s.0).collect())
}

struct Strict(serde_json::Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Strict, D::Error> {
        use serde::de::{Error as _, MapAccess, SeqAccess, Visitor};
        use serde_json::Value;
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Strict;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, b: bool) -> std::result::Result<Strict, E> {
                Ok(Strict(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> std::result::Result<Strict, E> {
                Ok(Strict(Value::from(n)))
            }
            fn visit_u64<E>(self, n: u64) -> std::result::Result<Strict, E> {
                Ok(Strict(Value::from(n)))
            }
            fn visit_f64<E>(self, n: f64) -> std::result::Result<Strict, E> {
                Ok(Strict(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)))
            }
            fn visit_str<E>(self, s: &str) -> std::result::Result<Strict, E> {
                Ok(Strict(Value::String(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> std::result::Result<Strict, E> {
                Ok(Strict(Value::String(s)))
            }
            fn visit_unit<E>(self) -> std::result::Result<Strict, E> {
                Ok(Strict(Value::Null))
            }
            fn visit_none<E>(self) -> std::result::Result<Strict, E> {
                Ok(Strict(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Strict, A::Error> {
                let mut items = Vec::new();
                while let Some(Strict(v)) = seq.next_element()? {
                    items.push(v);
                }
                Ok(Strict(Value::Array(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Strict, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let Strict(v) = map.next_value()?;
                    if out.contains_key(&key) {
                        return Err(A::Error::custom(format!(
                            "duplicate key {:?} in an event",
                            crate::error::shown(&key)
                        )));
                    }
                    out.insert(key, v);
                }
                Ok(Strict(Value::Object(out)))
            }
        }
        d.deserialize_any(V)
    }
}

impl ScheduleRequest {
    /// The response options the request asks for.
    pub fn response_options(&self) -> ResponseOptions {
        ResponseOptions { explain: self.explain, pretty: self.pretty }
    }
}

/// How a response is written: explanations included or not, compact or pretty JSON. Both
/// default to `false` (lean, compact); a request asks with its `explain` and `pretty` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseOptions {
    /// Include each obligation's `explanation` steps.
    pub explain: bool,
    /// Indent the JSON (about three times the size); compact otherwise.
    pub pretty: bool,
}

/// One obligation in a response. Its `citation` (and each `binding` entry's) is an index into
/// the response's `citations` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ObligationOut {
    /// What must be done.
    pub duty: Duty,
    /// Who must do it: the binding rule's role.
    pub role: Role,
    /// Every role its rules name (the binding rule's and those of the other rules considered).
    #[serde(default)]
    pub roles: Roles,
    /// The action in plain English (from the binding rule).
    pub action: String,
    /// The review regime, when the obligation is about a review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<Regime>,
    /// The review number (or, for a repeating duty not about a review, the repetition number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_number: Option<u32>,
    /// The earliest date it can be done (its trigger), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest: Option<NaiveDate>,
    /// The legal deadline (null: no day fixed).
    pub latest: Option<NaiveDate>,
    /// The last working day on or before `latest`: the day to plan for.
    pub latest_working_day: Option<NaiveDate>,
    /// `statutory` or `local:<profile id>`: where the binding rule comes from.
    pub basis: Basis,
    /// When more than one rule governs this duty here: every rule considered, earliest deadline
    /// first (the first binds; ties go to statute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<Vec<ConsideredOut>>,
    /// The binding rule's citation: an index into `citations`.
    pub citation: usize,
    /// Indices of the request's events that triggered it.
    pub triggered_by: Vec<usize>,
    /// True when it rests on an assumed date (a review not yet held, an unrecorded completion).
    pub projected: bool,
    /// True when its date relies on bank holidays projected for a year not yet announced.
    pub provisional: bool,
    /// True for an early review (left out when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub early: bool,
    /// When it was done, if the case history says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<NaiveDate>,
    /// What went wrong, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breach: Option<Breach>,
    /// Why it cannot apply, when it cannot (every rule for it would fall due before the child
    /// became looked after).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<String>,
    /// How its date was reached, step by step: only when the request has `"explain": true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Vec<String>>,
}

/// One rule considered for an obligation governed by more than one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsideredOut {
    /// `statutory` or `local:<profile id>`.
    pub basis: Basis,
    /// The rule's period (null: no day fixed).
    pub period: Option<Period>,
    /// The deadline it gives (null: no day fixed).
    pub latest: Option<NaiveDate>,
    /// The rule's citation: an index into `citations`.
    pub citation: usize,
    /// True when its deadline falls before the child became looked after (counted back from a
    /// review held soon after): it cannot apply, and is listed after the rules that can. Left out
    /// when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub before_care: bool,
    /// Present when the rule did not apply because it is a local procedure's that was not yet in
    /// force on the date it was read on: the first day it applies. Such a rule never binds and is
    /// listed after the others (`latest`: the deadline it would have given). Left out otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_from: Option<NaiveDate>,
}

/// A schedule response: every obligation, sorted by date, each referring to a table of the
/// citations it rests on (sent once per response).
///
/// ```json
/// {"citations": [{"instrument": "...", "provision": "reg 33(1)", "status": "V"}],
///  "obligations": [{"duty": "hold_review", "role": "local_authority", "action": "...",
///                   "regime": "looked_after", "review_number": 1, "latest": "2027-01-26",
///                   "latest_working_day": "2027-01-26", "basis": "statutory", "citation": 0,
///                   "triggered_by": [0], "projected": false, "provisional": false}],
///  "next_review": 0,
///  "metadata": {"profile": "england", ...}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleResponse {
    /// Every citation the obligations rest on, each once (instrument, provision, status V/G/U,
    /// note). Obligations and their `binding` entries refer to it by index.
    pub citations: Vec<Citation>,
    /// Every obligation, sorted by date (the day to plan for), undated ones last.
    pub obligations: Vec<ObligationOut>,
    /// The next review due (not yet held): an index into `obligations`, or null.
    pub next_review: Option<usize>,
    /// What produced the schedule.
    pub metadata: Metadata,
}

impl ObligationOut {
    /// Obligation `o` with its citation references `r` (binding entries' in `binding_cites`).
    fn new(o: &Obligation, r: Refs, binding_cites: &[u32], explanation: Option<Vec<String>>) -> ObligationOut {
        ObligationOut {
            duty: o.duty,
            role: o.role,
            roles: o.roles,
            action: o.action.to_string(),
            regime: o.regime,
            review_number: o.review_number,
            earliest: o.earliest,
            latest: o.latest,
            latest_working_day: o.latest_working_day,
            basis: o.basis.clone(),
            binding: o.binding().map(|b| {
                b.iter()
                    .zip(&binding_cites[r.binding_from as usize..])
                    .map(|(c, &ci)| ConsideredOut {
                        basis: c.basis.clone(),
                        period: c.period,
                        latest: c.latest,
                        citation: ci as usize,
                        before_care: c.before_care,
                        in_force_from: c.in_force_from,
                    })
                    .collect()
            }),
            citation: r.citation as usize,
            triggered_by: o.triggered_by.to_vec(),
            projected: o.projected,
            provisional: o.provisional,
            early: o.early,
            done: o.done,
            breach: o.breach.clone(),
            not_applicable: o.not_applicable().map(str::to_string),
            explanation,
        }
    }
}

impl ScheduleResponse {
    /// The response for a schedule `s` of `case` (explanations when `explain`).
    ///
    /// # Errors
    /// None in practice: explanations of a schedule's own obligations cannot fail.
    pub fn new(case: &CaseHistory, s: &Schedule, explain: bool) -> Result<ScheduleResponse> {
        let view = View::new(case, s, ResponseOptions { explain, pretty: false })?;
        let obligations = s
            .obligations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                ObligationOut::new(
                    o,
                    view.refs[i],
                    &view.binding_cites,
                    view.explanations.as_ref().map(|e| e[i].clone()),
                )
            })
            .collect();
        Ok(ScheduleResponse {
            citations: view.table.cites.iter().map(|c| (*c).clone()).collect(),
            obligations,
            next_review: view.next_review,
            metadata: s.metadata.clone(),
        })
    }

    /// The obligation `next_review` points to.
    pub fn next_review(&self) -> Option<&ObligationOut> {
        self.next_review.and_then(|i| self.obligations.get(i))
    }

    /// The citation an obligation (or a binding entry) refers to.
    pub fn citation(&self, index: usize) -> Option<&Citation> {
        self.citations.get(index)
    }
}

/// The citations table being built: each distinct citation once, in the order first met, with
/// the JSON of each from this thread's [`Fragments`].
struct Table<'a> {
    cites: Vec<&'a Citation>,
    /// The [`Fragments`] entry of each citation in `cites`.
    entries: Vec<u32>,
    frag: Fragments,
}

impl Table<'_> {
    fn new() -> Self {
        let mut frag = Fragments::take();
        frag.stamp = frag.stamp.wrapping_add(1);
        if frag.stamp == 0 {
            frag.seen.iter_mut().for_each(|s| *s = (0, 0));
            frag.stamp = 1;
        }
        Table { cites: Vec::new(), entries: Vec::new(), frag }
    }
}

impl<'a> Table<'a> {
    #[inline(always)]
    fn index(&mut self, c: &'a Shared<Citation>) -> u32 {
        let e = self.frag.citation(c);
        let value = self.frag.entries[e as usize].value as usize;
        match self.frag.seen[value] {
            (stamp, i) if stamp == self.frag.stamp => i,
            _ => {
                let i = self.cites.len() as u32;
                self.cites.push(c);
                self.entries.push(e);
                self.frag.seen[value] = (self.frag.stamp, i);
                i
            }
        }
    }
}

impl Drop for Table<'_> {
    fn drop(&mut self) {
        std::mem::take(&mut self.frag).give_back();
    }
}

/// The JSON of the profile text responses repeat (each citation's object, each action's string),
/// written and escaped once per thread rather than once per response, keyed by the address of the
/// value the obligations share ([`Shared`]: interned for the life of the process, or counted),
/// which an entry keeps (a clone) so that the address cannot be reused. Citations equal in value share a `value` id, so a
/// response lists them once. Bounded: emptied past [`MAX_FRAGMENTS`] entries.
#[derive(Default)]
struct Fragments {
    /// Address -> entry: open addressing, a power of two of slots at least twice the entries;
    /// address 0 marks an empty slot (no `Arc` points at address 0).
    by_ptr: Vec<(usize, u32)>,
    entries: Vec<Fragment>,
    /// A citation's JSON -> its value id.
    values: HashMap<Box<[u8]>, u32>,
    /// Per value id: the stamp of the response that last listed it, and its index there.
    seen: Vec<(u32, u32)>,
    stamp: u32,
}

struct Fragment {
    _keep: Keep,
    json: Box<[u8]>,
    value: u32,
    /// For an obligation's head (see [`Fragments::head`]): the fields it was written with besides
    /// the action, which a later obligation must match to share it.
    head: Option<HeadKey>,
}

/// The fields of an obligation's head besides its action: `duty`, `role`, `roles` and `regime`.
#[derive(Clone, Copy, PartialEq, Eq)]
struct HeadKey {
    duty: Duty,
    role: Role,
    roles: Roles,
    regime: Option<Regime>,
}

impl HeadKey {
    #[inline(always)]
    fn of(o: &Obligation) -> HeadKey {
        HeadKey { duty: o.duty, role: o.role, roles: o.roles, regime: o.regime }
    }
}

enum Keep {
    Citation(#[allow(dead_code)] Shared<Citation>),
    Text(#[allow(dead_code)] Shared<str>),
}

/// Entries a thread's [`Fragments`] holds before it is emptied.
const MAX_FRAGMENTS: usize = 4096;

thread_local! {
    static FRAGMENTS: std::cell::RefCell<Fragments> = std::cell::RefCell::new(Fragments::default());
}

impl Fragments {
    /// This thread's fragments (empty ones if they are in use or the thread is ending), emptied
    /// first when they have grown past the bound.
    fn take() -> Fragments {
        let mut f = FRAGMENTS
            .try_with(|c| c.try_borrow_mut().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default())
            .unwrap_or_default();
        if f.entries.len() > MAX_FRAGMENTS {
            f = Fragments::default();
        }
        f
    }

    fn give_back(self) {
        let _ = FRAGMENTS.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                *c = self;
            }
        });
    }

    /// The entry at address `ptr`, if any.
    #[inline(always)]
    fn find(&self, ptr: usize) -> Option<u32> {
        let mask = self.by_ptr.len().wrapping_sub(1);
        let mut h = ptr_hash(ptr) & mask;
        loop {
            match *self.by_ptr.get(h)? {
                (0, _) => return None,
                (p, e) if p == ptr => return Some(e),
                _ => h = (h + 1) & mask,
            }
        }
    }

    /// The entry of citation `c`, written the first time it is met.
    #[inline(always)]
    fn citation(&mut self, c: &Shared<Citation>) -> u32 {
        match self.find(c.as_ptr() as usize) {
            Some(e) => e,
            None => self.new_citation(c),
        }
    }

    #[inline(never)]
    fn new_citation(&mut self, c: &Shared<Citation>) -> u32 {
        let ptr = c.as_ptr() as usize;
        let mut w = W(Vec::with_capacity(64 + c.instrument.len()));
        w.citation(c);
        let next = self.values.len() as u32;
        let value = *self.values.entry(w.0.clone().into_boxed_slice()).or_insert(next);
        if value == next {
            self.seen.push((0, 0));
        }
        self.push(ptr, Fragment { _keep: Keep::Citation(c.clone()), json: w.0.into_boxed_slice(), value, head: None })
    }

    /// The entry of obligation `o`'s head, keyed by the address of its action: the JSON from its
    /// opening brace through `"duty"`, `"role"`, `"roles"`, `"action"` and `"regime"` (when it
    /// has one), written the first time the action is met. `None` when the action's entry was
    /// written for other duty, roles or regime (the caller then writes the head itself).
    #[inline(always)]
    fn head(&mut self, o: &Obligation) -> Option<u32> {
        match self.find(o.action.as_ptr() as *const u8 as usize) {
            Some(e) => (self.entries[e as usize].head == Some(HeadKey::of(o))).then_some(e),
            None => Some(self.new_head(o)),
        }
    }

    #[inline(never)]
    fn new_head(&mut self, o: &Obligation) -> u32 {
        let ptr = o.action.as_ptr() as *const u8 as usize;
        let mut w = W(Vec::with_capacity(o.action.len() + 160));
        w.head(o);
        let f = Fragment {
            _keep: Keep::Text(o.action.clone()),
            json: w.0.into_boxed_slice(),
            value: 0,
            head: Some(HeadKey::of(o)),
        };
        self.push(ptr, f)
    }

    fn push(&mut self, ptr: usize, f: Fragment) -> u32 {
        let e = self.entries.len() as u32;
        self.entries.push(f);
        if self.by_ptr.len() < 2 * self.entries.len() {
            // Twice the slots, and every address placed again.
            let old = std::mem::replace(&mut self.by_ptr, vec![(0, 0); (4 * self.entries.len()).next_power_of_two()]);
            for (p, x) in old.into_iter().filter(|&(p, _)| p != 0) {
                self.place(p, x);
            }
        }
        self.place(ptr, e);
        e
    }

    fn place(&mut self, ptr: usize, e: u32) {
        let mask = self.by_ptr.len() - 1;
        let mut h = ptr_hash(ptr) & mask;
        while self.by_ptr[h].0 != 0 {
            h = (h + 1) & mask;
        }
        self.by_ptr[h] = (ptr, e);
    }
}

/// A slot for an address: one multiplication, the high bits (addresses are distinct and spread).
#[inline(always)]
fn ptr_hash(ptr: usize) -> usize {
    ((ptr as u64 >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize
}

#[derive(Clone, Copy)]
struct Refs {
    citation: u32,
    binding_from: u32,
}

/// A response ready to write, borrowing the schedule: no obligation is copied.
struct View<'a> {
    s: &'a Schedule,
    table: Table<'a>,
    /// The [`Fragments`] entry of each obligation's head ([`Fragments::head`]), or `u32::MAX`
    /// when the obligation's head is written in full.
    heads: Vec<u32>,
    refs: Vec<Refs>,
    binding_cites: Vec<u32>,
    next_review: Option<usize>,
    explanations: Option<Vec<Vec<String>>>,
}

impl<'a> View<'a> {
    fn new(case: &CaseHistory, s: &'a Schedule, options: ResponseOptions) -> Result<View<'a>> {
        let mut table = Table::new();
        let mut binding_cites = Vec::with_capacity(2 * s.obligations.len());
        let mut heads = Vec::with_capacity(s.obligations.len());
        let refs = s
            .obligations
            .iter()
            .map(|o| {
                let binding_from = binding_cites.len() as u32;
                if let Some(b) = o.binding() {
                    binding_cites.extend(b.iter().map(|c| table.index(&c.citation)));
                }
                heads.push(table.frag.head(o).unwrap_or(u32::MAX));
                Refs { citation: table.index(&o.citation), binding_from }
            })
            .collect();
        let next_review = s.next_review().and_then(|n| s.obligations.iter().position(|o| std::ptr::eq(o, n)));
        let explanations = if options.explain {
            let cal = Calendar::england_and_wales();
            Some(
                (0..s.obligations.len())
                    .map(|i| s.explain(i, &cal, case.events()).map(|e| e.steps))
                    .collect::<Result<Vec<_>>>()?,
            )
        } else {
            None
        };
        Ok(View { s, table, heads, refs, binding_cites, next_review, explanations })
    }
}

impl Serialize for View<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = ser.serialize_struct("ScheduleResponse", 4)?;
        st.serialize_field("citations", &self.table.cites)?;
        st.serialize_field("obligations", &Obligations(self))?;
        st.serialize_field("next_review", &self.next_review)?;
        st.serialize_field("metadata", &self.s.metadata)?;
        st.end()
    }
}

struct Obligations<'v, 'a>(&'v View<'a>);

impl Serialize for Obligations<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let v = self.0;
        let mut seq = ser.serialize_seq(Some(v.s.obligations.len()))?;
        for (i, o) in v.s.obligations.iter().enumerate() {
            let r = v.refs[i];
            seq.serialize_element(&ObligationRef {
                duty: o.duty,
                role: o.role,
                roles: o.roles,
                action: &o.action,
                regime: o.regime,
                review_number: o.review_number,
                earliest: o.earliest,
                latest: o.latest,
                latest_working_day: o.latest_working_day,
                basis: &o.basis,
                binding: o.binding().map(|items| BindingRef {
                    items,
                    cites: &v.binding_cites[r.binding_from as usize..r.binding_from as usize + items.len()],
                }),
                citation: r.citation,
                triggered_by: &o.triggered_by,
                projected: o.projected,
                provisional: o.provisional,
                early: o.early,
                done: o.done,
                breach: o.breach.as_ref(),
                not_applicable: o.not_applicable(),
                explanation: v.explanations.as_ref().map(|e| e[i].as_slice()),
            })?;
        }
        seq.end()
    }
}

/// [`ObligationOut`], borrowed: the same fields in the same order (a test checks that the two
/// write the same JSON).
#[derive(Serialize)]
struct ObligationRef<'a> {
    duty: Duty,
    role: Role,
    roles: Roles,
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    regime: Option<Regime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review_number: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_day")]
    earliest: Option<NaiveDate>,
    #[serde(serialize_with = "opt_day")]
    latest: Option<NaiveDate>,
    #[serde(serialize_with = "opt_day")]
    latest_working_day: Option<NaiveDate>,
    basis: &'a Basis,
    #[serde(skip_serializing_if = "Option::is_none")]
    binding: Option<BindingRef<'a>>,
    citation: u32,
    triggered_by: &'a [usize],
    projected: bool,
    provisional: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    early: bool,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_day")]
    done: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    breach: Option<&'a Breach>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_applicable: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a [String]>,
}

struct BindingRef<'a> {
    items: &'a [Considered],
    cites: &'a [u32],
}

impl Serialize for BindingRef<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = ser.serialize_seq(Some(self.items.len()))?;
        for (c, &citation) in self.items.iter().zip(self.cites) {
            seq.serialize_element(&ConsideredRef {
                basis: &c.basis,
                period: c.period,
                latest: c.latest,
                citation,
                before_care: c.before_care,
                in_force_from: c.in_force_from,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct ConsideredRef<'a> {
    basis: &'a Basis,
    period: Option<Period>,
    #[serde(serialize_with = "opt_day")]
    latest: Option<NaiveDate>,
    citation: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    before_care: bool,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_day")]
    in_force_from: Option<NaiveDate>,
}

/// The compact response, written by hand: the same bytes as serde_json writes for
/// [`ScheduleResponse`] (a test checks it), into one buffer sized for it up front. The bytes are
/// UTF-8: only whole `&str`s (constant text, the profile's text escaped as serde_json escapes
/// it) and ASCII (dates and numbers from tables) are written.
fn write_compact(v: &View<'_>) -> Result<Vec<u8>> {
    let s = v.s;
    let mut w = W::with_capacity(v, 0);
    w.lit("{\"citations\":[");
    for (i, &e) in v.table.entries.iter().enumerate() {
        if i > 0 {
            w.lit(",");
        }
        w.0.extend_from_slice(&v.table.frag.entries[e as usize].json);
    }
    w.lit("],\"obligations\":[");
    let mut basis_text = BasisText::default();
    for (i, o) in s.obligations.iter().enumerate() {
        let r = v.refs[i];
        if i > 0 {
            w.0.push(b',');
        }
        match v.table.frag.entries.get(v.heads[i] as usize) {
            Some(head) => w.0.extend_from_slice(&head.json),
            None => w.head(o),
        }
        if let Some(n) = o.review_number {
            w.lit(",\"review_number\":");
            w.uint(u64::from(n));
        }
        if let Some(d) = o.earliest {
            match ymd(d) {
                Some(day) => {
                    let mut text = *b",\"earliest\":\"YYYY-MM-DD\"";
                    text[13..23].copy_from_slice(&day);
                    w.0.extend_from_slice(&text);
                }
                None => {
                    w.lit(",\"earliest\":");
                    w.day(Some(d));
                }
            }
        }
        match (o.latest.and_then(ymd), o.latest_working_day.and_then(ymd)) {
            // Both days in one write of fixed length (nearly every obligation).
            (Some(latest), Some(working)) => {
                let mut text = *b",\"latest\":\"YYYY-MM-DD\",\"latest_working_day\":\"YYYY-MM-DD\"";
                text[11..21].copy_from_slice(&latest);
                text[45..55].copy_from_slice(&working);
                w.0.extend_from_slice(&text);
            }
            _ => {
                w.lit(",\"latest\":");
                w.day(o.latest);
                w.lit(",\"latest_working_day\":");
                w.day(o.latest_working_day);
            }
        }
        match o.basis {
            Basis::Statutory => w.lit(",\"basis\":\"statutory\""),
            Basis::Local(_) => {
                w.lit(",\"basis\":");
                w.lit(basis_text.get(&o.basis));
            }
        }
        if let Some(b) = o.binding() {
            w.lit(",\"binding\":[");
            for (k, c) in b.iter().enumerate() {
                w.lit(if k > 0 { ",{\"basis\":" } else { "{\"basis\":" });
                w.lit(basis_text.get(&c.basis));
                w.lit(",\"period\":");
                match c.period {
                    Some(p) => w.period(p),
                    None => w.lit("null"),
                }
                match c.latest.and_then(ymd) {
                    Some(day) => {
                        let mut text = *b",\"latest\":\"YYYY-MM-DD\",\"citation\":";
                        text[11..21].copy_from_slice(&day);
                        w.0.extend_from_slice(&text);
                    }
                    None => {
                        w.lit(",\"latest\":");
                        w.day(c.latest);
                        w.lit(",\"citation\":");
                    }
                }
                w.uint(u64::from(v.binding_cites[r.binding_from as usize + k]));
                if c.before_care {
                    w.lit(",\"before_care\":true");
                }
                if let Some(from) = c.in_force_from {
                    w.lit(",\"in_force_from\":");
                    w.day(Some(from));
                }
                w.lit("}");
            }
            w.lit("]");
        }
        w.lit(",\"citation\":");
        w.uint(u64::from(r.citation));
        w.lit(",\"triggered_by\":[");
        for (k, e) in o.triggered_by.iter().enumerate() {
            if k > 0 {
                w.lit(",");
            }
            w.uint(*e as u64);
        }
        w.lit(match (o.projected, o.provisional) {
            (false, false) => "],\"projected\":false,\"provisional\":false",
            (true, false) => "],\"projected\":true,\"provisional\":false",
            (false, true) => "],\"projected\":false,\"provisional\":true",
            (true, true) => "],\"projected\":true,\"provisional\":true",
        });
        if o.early {
            w.lit(",\"early\":true");
        }
        if let Some(d) = o.done {
            w.lit(",\"done\":");
            w.day(Some(d));
        }
        if let Some(b) = &o.breach {
            w.lit(",\"breach\":");
            w.lit(&serde_json::to_string(b).map_err(|e| Error::input("response", "", e.to_string()))?);
        }
        if let Some(reason) = o.not_applicable() {
            w.lit(",\"not_applicable\":");
            w.str(reason);
        }
        if let Some(e) = &v.explanations {
            w.lit(",\"explanation\":[");
            for (k, step) in e[i].iter().enumerate() {
                if k > 0 {
                    w.lit(",");
                }
                w.str(step);
            }
            w.lit("]");
        }
        w.lit("}");
    }
    w.lit("],\"next_review\":");
    match v.next_review {
        Some(n) => w.uint(n as u64),
        None => w.lit("null"),
    }
    w.lit(",\"metadata\":");
    w.metadata(&s.metadata);
    w.lit("}");
    Ok(w.0)
}

/// The output of the hand-written writers: bytes, written from whole `&str`s and ASCII only.
struct W(Vec<u8>);

impl W {
    /// A buffer large enough for the whole response of `v` (with `extra` bytes more), so that it
    /// never grows while writing: the citations' text, a bound per obligation (its fixed fields,
    /// its action and triggering events, its binding entries), and explanations when asked for.
    fn with_capacity(v: &View<'_>, extra: usize) -> W {
        let cites: usize = v
            .table
            .cites
            .iter()
            .map(|c| 64 + c.instrument.len() + c.provision.len() + c.note.as_ref().map_or(0, |n| 10 + n.len()))
            .sum();
        let obligations: usize =
            v.s.obligations
                .iter()
                .map(|o| 420 + o.action.len() + 8 * o.triggered_by.len() + o.binding().map_or(0, |b| 120 * b.len()))
                .sum();
        let explained: usize =
            v.explanations.as_ref().map_or(0, |e| e.iter().flatten().map(|step| step.len() + 8).sum::<usize>());
        W(Vec::with_capacity(1024 + cites + obligations + explained + extra))
    }

    /// An obligation's head: `{`, then `"duty"`, `"role"`, `"roles"`, `"action"` and `"regime"`
    /// (when it has one), as serde writes them.
    fn head(&mut self, o: &Obligation) {
        self.lit("{\"duty\":\"");
        self.lit(o.duty.as_str());
        self.lit("\",\"role\":\"");
        self.lit(o.role.as_str());
        self.lit("\",\"roles\":[");
        for (k, role) in o.roles.iter().enumerate() {
            self.lit(if k > 0 { ",\"" } else { "\"" });
            self.lit(role.as_str());
            self.lit("\"");
        }
        self.lit("],\"action\":");
        self.str(&o.action);
        if let Some(regime) = o.regime {
            self.lit(",\"regime\":\"");
            self.lit(regime.as_str());
            self.lit("\"");
        }
    }

    #[inline(always)]
    fn lit(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    /// A JSON string, escaped exactly as serde_json escapes it: `"` and `\\`, the short escapes
    /// `\\b \\t \\n \\f \\r`, other control characters as `\\u00xx`. Text that needs no escaping
    /// (nearly all of it) is copied whole after a check of eight bytes at a time.
    fn str(&mut self, text: &str) {
        self.0.push(b'"');
        if !needs_escape(text.as_bytes()) {
            self.0.extend_from_slice(text.as_bytes());
        } else {
            escape_into(&mut self.0, text);
        }
        self.0.push(b'"');
    }

    #[inline(always)]
    fn uint(&mut self, n: u64) {
        if n < 10 {
            self.0.push(b'0' + n as u8);
            return;
        }
        if n < 100 {
            let k = n as usize * 2;
            self.0.extend_from_slice(&[DIGITS[k], DIGITS[k + 1]]);
            return;
        }
        let mut buf = [b'0'; 20];
        let mut i = buf.len();
        let mut n = n;
        while n > 0 {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        self.0.extend_from_slice(&buf[i..]);
    }

    fn int(&mut self, n: i64) {
        if n < 0 {
            self.0.push(b'-');
        }
        self.uint(n.unsigned_abs());
    }

    /// A date as `"YYYY-MM-DD"` (or `null`), from the tables of years and of days of the year.
    #[inline(always)]
    fn day(&mut self, d: Option<NaiveDate>) {
        let Some(d) = d else {
            self.0.extend_from_slice(b"null");
            return;
        };
        let Some(ymd) = ymd(d) else {
            // Outside the library's range (never in a schedule): chrono's own text.
            self.str(&d.to_string());
            return;
        };
        let mut text = [b'"'; 12];
        text[1..11].copy_from_slice(&ymd);
        self.0.extend_from_slice(&text);
    }

    fn period(&mut self, p: Period) {
        let (n, one, many) = match p {
            Period::WorkingDays(n) => (n, " working day\"", " working days\""),
            Period::Days(n) => (n, " day\"", " days\""),
            Period::Weeks(n) => (n, " week\"", " weeks\""),
            Period::Months(n) => (n, " month\"", " months\""),
            Period::Hours(n) => (n, " hour\"", " hours\""),
        };
        self.0.push(b'"');
        self.uint(u64::from(n));
        self.lit(if n == 1 { one } else { many });
    }

    /// A citation's object, as serde writes it.
    fn citation(&mut self, c: &Citation) {
        self.lit("{\"instrument\":");
        self.str(&c.instrument);
        self.lit(",\"provision\":");
        self.str(&c.provision);
        self.lit(match c.status {
            Status::V => ",\"status\":\"V\"",
            Status::G => ",\"status\":\"G\"",
            Status::U => ",\"status\":\"U\"",
        });
        if let Some(note) = &c.note {
            self.lit(",\"note\":");
            self.str(note);
        }
        self.lit("}");
    }

    /// [`Metadata`] as serde writes it (the response test compares the two).
    fn metadata(&mut self, m: &Metadata) {
        self.lit("{\"profile\":");
        self.str(&m.profile);
        self.lit(",\"profile_version\":");
        self.str(&m.profile_version);
        self.lit(",\"statutory_profile\":");
        self.str(&m.statutory_profile);
        self.lit(",\"statutory_profile_version\":");
        self.str(&m.statutory_profile_version);
        self.lit(match m.jurisdiction {
            Jurisdiction::England => ",\"jurisdiction\":\"england\"",
            Jurisdiction::Wales => ",\"jurisdiction\":\"wales\"",
        });
        self.lit(match m.adjourned_review_date {
            AdjournedReviewDate::Original => ",\"adjourned_review_date\":\"original\"",
            AdjournedReviewDate::CompletingMeeting => ",\"adjourned_review_date\":\"completing_meeting\"",
        });
        self.lit(",\"as_at\":");
        self.day(m.as_at);
        self.lit(",\"horizon_end\":");
        self.day(m.horizon_end);
        let c = &m.calendar;
        self.lit(",\"calendar\":{\"table_version\":");
        self.str(&c.table_version);
        self.lit(",\"last_announced_year\":");
        self.int(i64::from(c.last_announced_year));
        self.lit(",\"verified_through\":");
        self.day(Some(c.verified_through));
        self.lit(",\"checked\":");
        self.day(Some(c.checked));
        self.lit(",\"first\":");
        self.day(Some(c.first));
        self.lit(",\"last\":");
        self.day(Some(c.last));
        self.lit(",\"govuk_feed_years\":[");
        for (k, y) in c.govuk_feed_years.iter().enumerate() {
            if k > 0 {
                self.lit(",");
            }
            self.int(i64::from(*y));
        }
        self.lit("],\"closure_days\":");
        self.uint(c.closure_days as u64);
        self.lit("},\"library_version\":");
        self.str(&m.library_version);
        self.lit("}");
    }
}

/// A date as the ten bytes `YYYY-MM-DD`, from the tables of years and of days of the year;
/// `None` outside the tables' years.
#[inline(always)]
fn ymd(d: NaiveDate) -> Option<[u8; 10]> {
    let y = d.year();
    let k = y.wrapping_sub(TABLE_FIRST_YEAR) as u32 as usize;
    if k >= TABLE_YEARS {
        return None;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let o = d.ordinal0() as usize + if leap { 366 } else { 0 };
    let mut text = [0; 10];
    text[..4].copy_from_slice(&YEARS[k * 4..k * 4 + 4]);
    text[4..].copy_from_slice(&MONTH_DAYS[o * 6..o * 6 + 6]);
    Some(text)
}

/// Whether `b` holds a byte JSON must escape (`"`, `\\` or a control character), sixteen bytes
/// at a time (a fixed-length inner loop the compiler turns into vector compares).
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    #[inline(always)]
    fn any16(c: &[u8; 16]) -> bool {
        let mut found = false;
        for &x in c {
            found |= (x < 0x20) | (x == b'"') | (x == b'\\');
        }
        found
    }
    if b.len() < 16 {
        // Padded with a byte that needs no escape.
        let mut c = [b'a'; 16];
        c[..b.len()].copy_from_slice(b);
        return any16(&c);
    }
    let mut chunks = b.chunks_exact(16);
    for c in &mut chunks {
        if any16(c.try_into().unwrap_or(&[0; 16])) {
            return true;
        }
    }
    // The last sixteen bytes (overlapping bytes already checked) cover the remainder.
    !chunks.remainder().is_empty() && any16(b[b.len() - 16..].try_into().unwrap_or(&[0; 16]))
}

/// `text` escaped as serde_json escapes it, without the quotes.
fn escape_into(out: &mut Vec<u8>, text: &str) {
    let mut start = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x09 => "\\t",
            0x0A => "\\n",
            0x0C => "\\f",
            0x0D => "\\r",
            0x00..=0x1F => "",
            _ => continue,
        };
        // Every escaped byte is ASCII, so `i` and `i + 1` are character boundaries.
        out.extend_from_slice(&text.as_bytes()[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&HEX[usize::from(b) * 2..usize::from(b) * 2 + 2]);
        } else {
            out.extend_from_slice(esc.as_bytes());
        }
        start = i + 1;
    }
    out.extend_from_slice(&text.as_bytes()[start..]);
}

/// The text of a basis (`"statutory"` or `"local:<id>"`, quoted), kept for the last local id met.
#[derive(Default)]
struct BasisText {
    id: Option<Arc<str>>,
    text: String,
}

impl BasisText {
    fn get(&mut self, b: &Basis) -> &str {
        match b {
            Basis::Statutory => "\"statutory\"",
            Basis::Local(id) => {
                if !self.id.as_ref().is_some_and(|last| Arc::ptr_eq(last, id) || **last == **id) {
                    self.text = serde_json::to_string(&format!("local:{id}")).unwrap_or_default();
                    self.id = Some(id.clone());
                }
                &self.text
            }
        }
    }
}

/// The first year of [`YEARS`].
const TABLE_FIRST_YEAR: i32 = 1900;
/// Years in [`YEARS`]: 1900 to 2299, beyond the library's range (1971 to 2199) on both sides.
const TABLE_YEARS: usize = 400;

/// `"1900" "1901" ... "2299"`, four bytes each.
const YEARS: &[u8] = &years_table();

const fn years_table() -> [u8; TABLE_YEARS * 4] {
    let mut t = [0u8; TABLE_YEARS * 4];
    let mut k = 0;
    while k < TABLE_YEARS {
        let y = TABLE_FIRST_YEAR as usize + k;
        t[k * 4] = b'0' + (y / 1000) as u8;
        t[k * 4 + 1] = b'0' + (y / 100 % 10) as u8;
        t[k * 4 + 2] = b'0' + (y / 10 % 10) as u8;
        t[k * 4 + 3] = b'0' + (y % 10) as u8;
        k += 1;
    }
    t
}

/// `"-MM-DD"` for each day of the year (by `ordinal0`), six bytes each: a common year's 366
/// entries (the last unused), then a leap year's.
const MONTH_DAYS: &[u8] = &month_days_table();

const fn month_days_table() -> [u8; 2 * 366 * 6] {
    let mut t = [b'-'; 2 * 366 * 6];
    let mut leap = 0;
    while leap < 2 {
        let lengths = [31, if leap == 1 { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let (mut m, mut d, mut o) = (1usize, 1usize, 0usize);
        while o < 366 {
            let at = (leap * 366 + o) * 6;
            t[at + 1] = b'0' + (m / 10) as u8;
            t[at + 2] = b'0' + (m % 10) as u8;
            t[at + 4] = b'0' + (d / 10) as u8;
            t[at + 5] = b'0' + (d % 10) as u8;
            o += 1;
            d += 1;
            if m <= 12 && d > lengths[m - 1] {
                d = 1;
                m += 1;
            }
            if m > 12 {
                // The 366th entry of a common year: never used.
                m = 12;
                d = 31;
            }
        }
        leap += 1;
    }
    t
}

/// `"00" "01" ... "99"`.
const DIGITS: &[u8] = &digits_table();

const fn digits_table() -> [u8; 200] {
    let mut t = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        t[n * 2] = b'0' + (n / 10) as u8;
        t[n * 2 + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    t
}

/// `"00" "01" ... "ff"`: a byte in lower-case hexadecimal.
const HEX: &[u8] = &hex_table();

const fn hex_table() -> [u8; 512] {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut t = [0u8; 512];
    let mut n = 0;
    while n < 256 {
        t[n * 2] = H[n >> 4];
        t[n * 2 + 1] = H[n & 15];
        n += 1;
    }
    t
}

/// A date as `YYYY-MM-DD` without the formatting machinery (years 0-9999; chrono's own text
/// otherwise, which is the same for those years).
fn opt_day<S: serde::Serializer>(d: &Option<NaiveDate>, ser: S) -> std::result::Result<S::Ok, S::Error> {
    match d {
        None => ser.serialize_none(),
        Some(d) => {
            let (y, m, day) = (d.year(), d.month(), d.day());
            if !(0..=9999).contains(&y) {
                return ser.collect_str(d);
            }
            let y = y as u32;
            let digit = |n: u32| b'0' + (n % 10) as u8;
            let b = [
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                b'-',
                digit(m / 10),
                digit(m),
                b'-',
                digit(day / 10),
                digit(day),
            ];
            // Only ASCII digits and '-' were written.
            ser.serialize_str(std::str::from_utf8(&b).unwrap_or_default())
        }
    }
}

/// An error response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorBody,
}

/// The body of an error response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// The fixed kind name ([`crate::ErrorKind::as_str`]).
    pub kind: String,
    /// What was wrong, naming the input.
    pub message: String,
}

impl ErrorResponse {
    /// The error object for `e`.
    pub fn from_error(e: &Error) -> ErrorResponse {
        ErrorResponse { error: ErrorBody { kind: e.kind().as_str().to_string(), message: e.to_string() } }
    }

    /// As compact JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| "{\"error\":{\"kind\":\"invalid_input\",\"message\":\"unprintable error\"}}".into())
    }
}

/// The error object `{"error": {"kind": ..., "message": ...}}` for `e`, as compact JSON: what
/// `schedule --json` prints and the C ABI returns for a failed request.
///
/// ```
/// let e = lac_timescales::json::schedule_json(r#"{"events": []}"#).unwrap_err();
/// assert!(lac_timescales::json::error_json(&e).starts_with(r#"{"error":{"kind":"invalid_input","#));
/// ```
pub fn error_json(e: &Error) -> String {
    ErrorResponse::from_error(e).to_json()
}

/// Parses a request from JSON text, with errors naming the field or event.
///
/// # Errors
/// [`Error::LimitExceeded`] above [`MAX_REQUEST_BYTES`]; [`Error::MalformedJson`] for text that
/// is not JSON; [`Error::InvalidInput`] for a missing, unknown or wrongly typed field.
pub fn parse_request(json: &str) -> Result<ScheduleRequest> {
    if json.len() > MAX_REQUEST_BYTES {
        return Err(Error::LimitExceeded {
            what: "request size in bytes".into(),
            actual: json.len(),
            limit: MAX_REQUEST_BYTES,
        });
    }
    serde_json::from_str(json).map_err(|e| request_error(json, &e))
}

fn request_error(json: &str, e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    let reason = full.strip_suffix(&at).unwrap_or(&full).to_string();
    // A type error met while reading (e.g. `[1, 2]` for the request object) can surface as a
    // syntax error; on this error path only, confirm that the text itself is not JSON.
    let malformed = matches!(e.classify(), Category::Syntax | Category::Eof)
        && serde_json::from_str::<serde::de::IgnoredAny>(json).is_err();
    if malformed {
        Error::MalformedJson { document: "request".into(), line: e.line(), column: e.column(), reason }
    } else {
        Error::input("request", format!("line {} column {}", e.line(), e.column()), reason)
    }
}

/// The most council closure days a request may give.
pub const MAX_CLOSURE_DAYS: usize = 10_000;

/// Builds the case, profile and options a request describes, with `profile` looked up in the
/// process-wide [`ProfileRegistry::global`].
///
/// # Errors
/// As [`prepare_with`].
pub fn prepare(req: &ScheduleRequest) -> Result<(CaseHistory, Arc<Profile>, ScheduleOptions)> {
    prepare_with(req, ProfileRegistry::global())
}

/// Builds the case, profile and options a request describes. `profile` names a built-in
/// profile or one registered in `registry`; it is never read from a file. `profile_toml` is
/// parsed (after its size is checked).
///
/// # Errors
/// Event, profile and calendar errors; [`Error::LimitExceeded`] for too many events or closure
/// days, or an oversized `profile_toml`.
pub fn prepare_with(
    req: &ScheduleRequest,
    registry: &ProfileRegistry,
) -> Result<(CaseHistory, Arc<Profile>, ScheduleOptions)> {
    if req.events.len() > crate::model::MAX_EVENTS {
        return Err(Error::LimitExceeded {
            what: "number of events".into(),
            actual: req.events.len(),
            limit: crate::model::MAX_EVENTS,
        });
    }
    let profile = match (&req.profile, &req.profile_toml) {
        (Some(_), Some(_)) => {
            return Err(Error::input("profile_toml", "(given)", "give either profile or profile_toml, not both"))
        }
        (None, Some(text)) => Arc::new(Profile::from_toml("profile_toml", text)?),
        (Some(id), None) => registry.get(id)?,
        (None, None) => Profile::statutory_shared(req.jurisdiction),
    };
    let events = req.events.iter().enumerate().map(|(i, v)| Event::from_json(i, v)).collect::<Result<Vec<_>>>()?;
    let case = CaseHistory::new(req.jurisdiction, req.child.clone().unwrap_or_default(), events)?;
    let local_calendar = match &req.closure_days {
        Some(days) if days.len() > MAX_CLOSURE_DAYS => {
            return Err(Error::LimitExceeded {
                what: "number of closure_days".into(),
                actual: days.len(),
                limit: MAX_CLOSURE_DAYS,
            })
        }
        Some(days) => Some(Calendar::england_and_wales().with_closure_days(days.iter().map(|d| (*d, String::new())))?),
        None => None,
    };
    Ok((case, profile, ScheduleOptions { as_at: req.as_at, horizon_months: req.horizon_months, local_calendar }))
}

/// Runs a request: the case and its schedule (profiles from [`ProfileRegistry::global`]).
///
/// # Errors
/// As [`prepare`] and [`schedule`].
pub fn run(req: &ScheduleRequest) -> Result<(CaseHistory, Schedule)> {
    run_with(req, ProfileRegistry::global())
}

/// Runs a request with profiles from `registry`.
///
/// # Errors
/// As [`prepare_with`] and [`schedule`].
pub fn run_with(req: &ScheduleRequest, registry: &ProfileRegistry) -> Result<(CaseHistory, Schedule)> {
    let (case, profile, options) = prepare_with(req, registry)?;
    let cal = Calendar::england_and_wales();
    // A horizon past the calendar's last day is named `horizon_months` by `schedule` itself.
    let s = schedule(&case, &profile, &cal, &options)?;
    Ok((case, s))
}

/// Writes the response for schedule `s` of `case` as JSON text (compact unless
/// `options.pretty`), without copying the obligations.
///
/// # Errors
/// None in practice (explanations of the schedule's own obligations cannot fail).
pub fn response_json(case: &CaseHistory, s: &Schedule, options: ResponseOptions) -> Result<String> {
    utf8(response_json_bytes(case, s, options)?)
}

/// [`response_json`] as UTF-8 bytes (the same text), for a caller that wants bytes rather than a
/// `String`, such as the C ABI: it saves checking the text once more.
///
/// # Errors
/// As [`response_json`].
pub fn response_json_bytes(case: &CaseHistory, s: &Schedule, options: ResponseOptions) -> Result<Vec<u8>> {
    let view = View::new(case, s, options)?;
    if options.pretty {
        to_bytes(&view, true, s.obligations.len() * 1024 + 4096)
    } else {
        write_compact(&view)
    }
}

fn to_bytes<T: Serialize>(value: &T, pretty: bool, capacity: usize) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(capacity);
    let written =
        if pretty { serde_json::to_writer_pretty(&mut out, value) } else { serde_json::to_writer(&mut out, value) };
    written.map_err(|e| Error::input("response", "", e.to_string()))?;
    Ok(out)
}

/// JSON text written as bytes, as a `String`. The writers write UTF-8 only (serde_json, and the
/// hand-written writers from whole `&str`s and ASCII), so this check never fails.
fn utf8(bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| Error::input("response", "", e.to_string()))
}

/// The whole boundary: JSON request text in, JSON response text out (compact unless the request
/// has `"pretty": true`), or the typed error. [`error_json`] gives the error object.
///
/// # Example
/// ```
/// use lac_timescales::{json, ErrorKind};
/// let out = json::schedule_json(
///     r#"{"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": "2026-01-01"}]}"#,
/// )?;
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// let next = &v["obligations"][v["next_review"].as_u64().unwrap() as usize];
/// assert_eq!(next["latest"], "2026-01-29"); // 20 working days after Thu 1 Jan 2026
/// assert_eq!(v["citations"][next["citation"].as_u64().unwrap() as usize]["provision"], "reg 33(1)");
///
/// let err = json::schedule_json(r#"{"events": []}"#).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidInput);
/// assert!(err.to_string().contains("jurisdiction"));
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn schedule_json(request: &str) -> Result<String> {
    schedule_json_with(request, ProfileRegistry::global())
}

/// [`schedule_json`] with profiles from `registry` (built-in ids always resolve).
///
/// # Errors
/// As [`schedule_json`].
pub fn schedule_json_with(request: &str, registry: &ProfileRegistry) -> Result<String> {
    utf8(schedule_json_bytes_with(request, registry)?)
}

/// [`schedule_json_with`] as UTF-8 bytes (the same text), for a caller that wants bytes, such
/// as the C ABI.
///
/// # Errors
/// As [`schedule_json`].
pub fn schedule_json_bytes_with(request: &str, registry: &ProfileRegistry) -> Result<Vec<u8>> {
    let req = parse_request(request)?;
    let (case, s) = run_with(&req, registry)?;
    response_json_bytes(&case, &s, req.response_options())
}

/// An audit request: a [`ScheduleRequest`] whose `as_at` is the audit date (default: the last
/// event's date) and whose `horizon_months` defaults to 0.
pub type AuditRequest = ScheduleRequest;

/// An audit response: the [`Audit`], with each citation sent once in a `citations` table as in
/// the schedule response ([`ScheduleResponse`]), and each obligation as in the schedule response
/// ([`ObligationOut`]: its `citation`, and each `binding` entry's, an index into `citations`).
///
/// ```json
/// {"as_at": "2026-02-02",
///  "citations": [{"instrument": "...", "provision": "reg 33(1)", "status": "V"}],
///  "obligations": [{"index": 0, "obligation": {"duty": "hold_review", ..., "citation": 0},
///                   "status": {"kind": "overdue", ...}}],
///  "breaches": [...], "events": [...], "aggregates": {...}, "metadata": {...}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditResponse {
    /// The audit date.
    pub as_at: NaiveDate,
    /// Every citation the obligations rest on, each once (instrument, provision, status V/G/U,
    /// note). Obligations and their `binding` entries refer to it by index.
    pub citations: Vec<Citation>,
    /// Every obligation of the schedule as at that date, in the schedule's order, with status.
    pub obligations: Vec<AuditedObligationOut>,
    /// Every breach the schedule found (second adjournment, rearrangement past the deadline,
    /// late or missed reviews...).
    pub breaches: Vec<AuditBreach>,
    /// Every input event, in input order, and what it was used for.
    pub events: Vec<EventAccount>,
    /// This case's counts.
    pub aggregates: Aggregates,
    /// What produced the schedule.
    pub metadata: Metadata,
}

/// One obligation of an audit response with its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditedObligationOut {
    /// Its index in `obligations` (and in the schedule it came from).
    pub index: usize,
    /// The obligation, as in a schedule response; its `done` also reflects a matched
    /// `duty_done` event.
    pub obligation: ObligationOut,
    /// The event that records it as done, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by_event: Option<usize>,
    /// The outcome.
    pub status: crate::audit::Status,
}

impl AuditResponse {
    /// The response for audit `a`.
    pub fn new(a: &Audit) -> AuditResponse {
        let mut table = Table::new();
        let mut binding_cites = Vec::new();
        let refs: Vec<Refs> = a
            .obligations
            .iter()
            .map(|x| {
                let binding_from = binding_cites.len() as u32;
                if let Some(b) = x.obligation.binding() {
                    binding_cites.extend(b.iter().map(|c| table.index(&c.citation)));
                }
                Refs { citation: table.index(&x.obligation.citation), binding_from }
            })
            .collect();
        let obligations = a
            .obligations
            .iter()
            .zip(refs)
            .map(|(x, r)| AuditedObligationOut {
                index: x.index,
                obligation: ObligationOut::new(&x.obligation, r, &binding_cites, None),
                done_by_event: x.done_by_event,
                status: x.status.clone(),
            })
            .collect();
        AuditResponse {
            as_at: a.as_at,
            citations: table.cites.iter().map(|c| (*c).clone()).collect(),
            obligations,
            breaches: a.breaches.clone(),
            events: a.events.clone(),
            aggregates: a.aggregates.clone(),
            metadata: a.metadata.clone(),
        }
    }

    /// The citation an obligation (or a binding entry) refers to.
    pub fn citation(&self, index: usize) -> Option<&Citation> {
        self.citations.get(index)
    }
}

/// Runs an audit request.
///
/// # Errors
/// As [`prepare`] and [`audit`]; [`Error::InvalidInput`] naming `explain` when it is set (an
/// audit has no explanations).
pub fn run_audit(req: &AuditRequest) -> Result<(CaseHistory, Audit)> {
    run_audit_with(req, ProfileRegistry::global())
}

/// Runs an audit request with profiles from `registry`.
///
/// # Errors
/// As [`run_audit`].
pub fn run_audit_with(req: &AuditRequest, registry: &ProfileRegistry) -> Result<(CaseHistory, Audit)> {
    if req.explain {
        return Err(Error::input("explain", "true", "an audit has no explanations; ask for a schedule instead"));
    }
    let (case, profile, options) = prepare_with(req, registry)?;
    let opts = AuditOptions {
        as_at: options.as_at,
        horizon_months: options.horizon_months,
        local_calendar: options.local_calendar,
    };
    let cal = Calendar::england_and_wales();
    // A horizon past the calendar's last day is named `horizon_months` by `schedule` (which
    // `audit` calls).
    let a = audit(&case, &profile, &cal, &opts)?;
    Ok((case, a))
}

/// The audit boundary: JSON request text in, JSON [`Audit`] text out (compact unless the request
/// has `"pretty": true`), or the typed error, as for [`schedule_json`].
///
/// # Example
/// ```
/// let out = lac_timescales::json::audit_json(
///     r#"{"jurisdiction": "england", "as_at": "2026-02-02",
///         "events": [{"event": "became_looked_after", "date": "2026-01-01"}]}"#,
/// )?;
/// assert!(out.contains(r#""kind":"overdue""#));
/// let err = lac_timescales::json::audit_json(r#"{"events": []}"#).unwrap_err();
/// assert_eq!(err.kind(), lac_timescales::ErrorKind::InvalidInput);
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn audit_json(request: &str) -> Result<String> {
    audit_json_with(request, ProfileRegistry::global())
}

/// [`audit_json`] with profiles from `registry` (built-in ids always resolve).
///
/// # Errors
/// As [`audit_json`].
pub fn audit_json_with(request: &str, registry: &ProfileRegistry) -> Result<String> {
    utf8(audit_json_bytes_with(request, registry)?)
}

/// [`audit_json_with`] as UTF-8 bytes (the same text), for a caller that wants bytes, such as
/// the C ABI.
///
/// # Errors
/// As [`audit_json`].
pub fn audit_json_bytes_with(request: &str, registry: &ProfileRegistry) -> Result<Vec<u8>> {
    let req = parse_request(request)?;
    let (_, a) = run_audit_with(&req, registry)?;
    audit_response_json_bytes(&a, req.pretty)
}

/// An audit as the response [`audit_json`] writes ([`AuditResponse`]: citations sent once, in a
/// table), indented when `pretty`: for a caller that ran the audit itself ([`run_audit`]), such as
/// the web page, after checking the request its own way.
///
/// # Errors
/// As [`audit_json`] (serialisation does not fail for an audit this library made).
///
/// # Example
/// ```
/// use lac_timescales::json::{audit_json, audit_response_json_bytes, parse_request, run_audit};
/// let text = r#"{"jurisdiction": "england", "as_at": "2026-02-02", "pretty": true,
///     "events": [{"event": "became_looked_after", "date": "2026-01-01"}]}"#;
/// let (_, a) = run_audit(&parse_request(text)?)?;
/// assert_eq!(audit_response_json_bytes(&a, true)?, audit_json(text)?.into_bytes());
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn audit_response_json_bytes(a: &Audit, pretty: bool) -> Result<Vec<u8>> {
    to_bytes(&AuditResponse::new(a), pretty, 16 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests covering bindings (Dudley), breaches, early reviews and every optional field.
    const REQUESTS: &[&str] = &[
        r#"{"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": "2026-12-24"}]}"#,
        r#"{"jurisdiction": "england", "profile": "dudley", "as_at": "2026-06-01", "horizon_months": 12,
            "child": {"date_of_birth": "2011-02-14"}, "closure_days": ["2026-12-29", "2026-12-30"],
            "events": [{"event": "became_looked_after", "date": "2026-01-05"},
                       {"event": "care_plan_started", "date": "2026-01-05"},
                       {"event": "review_held", "date": "2026-01-29"},
                       {"event": "review_adjourned", "date": "2026-04-22"},
                       {"event": "review_adjourned", "date": "2026-04-29"},
                       {"event": "review_held", "date": "2026-05-26"},
                       {"event": "significant_change", "date": "2026-05-27"}]}"#,
        r#"{"jurisdiction": "wales", "as_at": "2027-03-01", "horizon_months": 0, "events": [{"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "review_rearranged", "date": "2026-01-20", "from": "2026-02-01", "to": "2026-02-20"}]}"#,
        // Not applicable obligations (a review soon after care began) and several roles.
        r#"{"jurisdiction": "england", "profile": "sars-checklist", "as_at": "2026-04-23", "horizon_months": 0,
            "events": [{"event": "became_looked_after", "date": "2026-01-05"}, {"event": "review_held", "date": "2026-01-16"},
                       {"event": "review_held", "date": "2026-04-22"}]}"#,
        // Dudley's rules not yet in force before 8 Aug 2022, listed with `in_force_from`.
        r#"{"jurisdiction": "england", "profile": "dudley", "as_at": "2022-08-20", "horizon_months": 0,
            "events": [{"event": "became_looked_after", "date": "2022-07-11"}, {"event": "review_held", "date": "2022-08-05"}]}"#,
    ];

    /// The borrowed writer and the owned [`ScheduleResponse`] write the same JSON, and the
    /// response reads back into the owned type.
    /// A local profile whose text needs every kind of JSON escape, and non-ASCII.
    fn escaping_request() -> String {
        let toml = r#"
id = "escapes"
name = "Escapes"
kind = "local"
extends = "england"
version = "1"
source = "test"
[[rule]]
duty = "submit_social_work_report"
role = "social_worker"
anchor = "review_date"
direction = "before"
period = "1 working day"
action = "Say \"hi\" \\ back\t\u0001\u001f\b\f\r\n é 🎉 \u007f end"
citation = { instrument = "Proc \"x\"", provision = "s.1\\2", status = "U", note = "a\nb" }
"#;
        serde_json::json!({"jurisdiction": "england", "profile_toml": toml,
            "events": [{"event": "became_looked_after", "date": "2026-01-05"}]})
        .to_string()
    }

    #[test]
    fn the_borrowed_writer_matches_the_owned_response() {
        let escaping = escaping_request();
        for request in REQUESTS.iter().copied().chain([escaping.as_str()]) {
            for explain in [false, true] {
                for pretty in [false, true] {
                    let req = parse_request(request).unwrap();
                    let (case, s) = run(&req).unwrap();
                    let fast = response_json(&case, &s, ResponseOptions { explain, pretty }).unwrap();
                    let owned = ScheduleResponse::new(&case, &s, explain).unwrap();
                    let slow = if pretty {
                        serde_json::to_string_pretty(&owned).unwrap()
                    } else {
                        serde_json::to_string(&owned).unwrap()
                    };
                    assert_eq!(fast, slow, "{request}");
                    if request == REQUESTS[3] {
                        assert!(fast.contains("\"not_applicable\":"), "{fast}");
                        assert!(owned.obligations.iter().any(|o| o.roles.len() > 1), "{fast}");
                    }
                    if request == REQUESTS[4] && !pretty {
                        assert!(fast.contains(r#""citation":2,"in_force_from":"2022-08-08"}"#), "{fast}");
                    }
                    if request == escaping && !pretty {
                        assert!(fast.contains(r#""Say \"hi\" \\ back\t\u0001\u001f\b\f\r\n é 🎉 "#), "{fast}");
                        assert!(fast.contains(r#""note":"a\nb""#), "{fast}");
                    }
                    let back: ScheduleResponse = serde_json::from_str(&fast).unwrap();
                    assert_eq!(back, owned);
                    // Each citation once; every reference in range.
                    for (i, c) in owned.citations.iter().enumerate() {
                        assert!(!owned.citations[..i].contains(c), "citation {i} repeated");
                    }
                    for o in &owned.obligations {
                        assert!(o.citation < owned.citations.len());
                        assert_eq!(o.explanation.is_some(), explain);
                    }
                }
            }
        }
    }

    /// The eight-bytes-at-a-time check finds every byte JSON escapes, at every position, and
    /// nothing else (every byte value, alone and amid plain text of each length to 17).
    #[test]
    fn needs_escape_finds_exactly_the_bytes_json_escapes() {
        for len in 1..=17 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut text = vec![b'a'; len];
                    text[at] = b;
                    let want = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(needs_escape(&text), want, "byte {b:#x} at {at} of {len}");
                    // Beside bytes >= 0x80 (UTF-8 continuation and lead bytes).
                    let mut high = vec![0xC3u8; len];
                    high[at] = b;
                    assert_eq!(needs_escape(&high), want, "byte {b:#x} at {at} of {len} among 0xc3");
                }
            }
        }
        assert!(!needs_escape(b""));
        assert!(!needs_escape("Care Planning, Placement and Case Review (England) Regulations 2010 \u{e9}".as_bytes()));
    }

    /// Dates from the tables: every day from 1900 to 2299 as chrono writes it.
    #[test]
    fn the_date_tables_write_every_day_as_chrono_does() {
        let mut d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2299, 12, 31).unwrap();
        loop {
            let mut w = W(Vec::new());
            w.day(Some(d));
            assert_eq!(String::from_utf8(w.0).unwrap(), format!("\"{d}\""));
            if d == end {
                break;
            }
            d = d.succ_opt().unwrap();
        }
        for (d, text) in [
            (NaiveDate::from_ymd_opt(1899, 12, 31).unwrap(), "\"1899-12-31\""),
            (NaiveDate::from_ymd_opt(-5, 1, 1).unwrap(), "\"-0005-01-01\""),
            (NaiveDate::from_ymd_opt(12000, 3, 1).unwrap(), "\"+12000-03-01\""),
        ] {
            let mut w = W(Vec::new());
            w.day(Some(d));
            assert_eq!(String::from_utf8(w.0).unwrap(), text);
        }
        for n in [0u64, 7, 9, 10, 42, 99, 100, 101, 999, 1000, 65_535, u64::MAX] {
            let mut w = W(Vec::new());
            w.uint(n);
            assert_eq!(String::from_utf8(w.0).unwrap(), n.to_string());
        }
    }

    /// The audit response's obligations refer to its citations table: each citation once, and
    /// every reference resolves to the audit's own citation for that obligation (and binding
    /// entry); the rest of each obligation is the schedule response's.
    #[test]
    fn the_audit_response_refers_to_a_citations_table() {
        let escaping = escaping_request();
        for request in REQUESTS.iter().copied().chain([escaping.as_str()]) {
            let (_, a) = run_audit(&parse_request(request).unwrap()).unwrap();
            let r = AuditResponse::new(&a);
            for (i, c) in r.citations.iter().enumerate() {
                assert!(!r.citations[..i].contains(c), "citation {i} repeated");
            }
            assert_eq!(r.obligations.len(), a.obligations.len());
            for (out, x) in r.obligations.iter().zip(&a.obligations) {
                assert_eq!(r.citation(out.obligation.citation), Some(&*x.obligation.citation));
                let (got, want) =
                    (out.obligation.binding.as_deref().unwrap_or(&[]), x.obligation.binding().unwrap_or(&[]));
                assert_eq!(got.len(), want.len());
                for (g, w) in got.iter().zip(want) {
                    assert_eq!(r.citation(g.citation), Some(&*w.citation));
                    assert_eq!((g.before_care, g.in_force_from), (w.before_care, w.in_force_from));
                }
                assert_eq!((out.index, out.done_by_event, &out.status), (x.index, x.done_by_event, &x.status));
            }
            // The JSON text reads back into the same response.
            let text = String::from_utf8(audit_json_bytes_with(request, ProfileRegistry::global()).unwrap()).unwrap();
            let back: AuditResponse = serde_json::from_str(&text).unwrap();
            assert_eq!(back, r);
        }
    }

    #[test]
    fn next_review_points_to_the_next_review() {
        let (case, s) = run(&parse_request(REQUESTS[0]).unwrap()).unwrap();
        let r = ScheduleResponse::new(&case, &s, false).unwrap();
        let next = r.next_review().unwrap();
        // 20 working days after Thu 24 Dec 2026: Christmas Day, the Boxing Day substitute (Mon 28)
        // and New Year's Day skipped: Tue 26 Jan 2027.
        assert_eq!(next.latest, NaiveDate::from_ymd_opt(2027, 1, 26));
        assert_eq!(r.citation(next.citation).unwrap().provision, "reg 33(1)");
    }

    #[test]
    fn dates_are_written_as_iso_days() {
        #[derive(Serialize)]
        struct D(#[serde(serialize_with = "opt_day")] Option<NaiveDate>);
        for (y, m, d, text) in
            [(1971, 1, 1, "\"1971-01-01\""), (2199, 12, 31, "\"2199-12-31\""), (2026, 2, 9, "\"2026-02-09\"")]
        {
            assert_eq!(serde_json::to_string(&D(NaiveDate::from_ymd_opt(y, m, d))).unwrap(), text);
        }
        assert_eq!(serde_json::to_string(&D(None)).unwrap(), "null");
        assert_eq!(serde_json::to_string(&D(NaiveDate::from_ymd_opt(-5, 1, 1))).unwrap(), "\"-0005-01-01\"");
    }

    #[test]
    fn malformed_json_is_told_apart_from_the_wrong_shape() {
        let e = schedule_json("{\"jurisdiction\": ").unwrap_err();
        assert!(e.is_malformed_json(), "{e}");
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        let e = schedule_json("[1, 2]").unwrap_err();
        assert!(!e.is_malformed_json(), "{e}");
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
    }

    #[test]
    fn an_audit_has_no_explanations() {
        let e = audit_json(
            r#"{"jurisdiction": "england", "explain": true, "events": [{"event": "became_looked_after", "date": "2026-01-01"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("explain"), "{e}");
    }
}
