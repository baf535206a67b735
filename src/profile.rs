//! Rule sets as data: the statutory profile of each jurisdiction, and local-practice profiles
//! layered on top.
//!
//! A profile is a TOML file (see `data/profiles/`). Each `[[rule]]` says who (`role`) must do
//! what (`duty`), counted from what (`anchor`), how long (`period`), which way (`direction`:
//! `after` = within the period after the anchor, `before` = at least the period before it), for
//! which reviews (`reviews`, `regimes`, `needs_meeting`), when the rule was in force (`in_force_from`,
//! `in_force_to`), and on what authority (`citation`). Built-in profiles are compiled in; users
//! load their own local profiles with [`Profile::from_toml`].
//!
//! Where a local rule and a statutory rule govern the same duty, the schedule takes the earlier
//! deadline and says which rule bound, so a local profile can never loosen statute.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{Error, Result};
use crate::model::{Anchor, Duty, Intern, Jurisdiction, PlacementCondition, Regime, Role, Shared};
use crate::period::{Direction, Period};

/// How firmly a rule was checked: against the instrument's (or seed procedure's) text, against
/// statutory guidance or a consistent secondary source, or not verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Status {
    /// Checked against the text of the instrument (or, for local rules, of the procedure).
    V,
    /// Statutory guidance or a consistent secondary source.
    G,
    /// Unverified: believed right, not seen in the primary text. Never settled law.
    U,
}

/// Where a rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation {
    /// The instrument or document, e.g. "Care Planning, Placement and Case Review (England)
    /// Regulations 2010 (SI 2010/959)".
    pub instrument: String,
    /// The provision, e.g. "reg 33(1)".
    pub provision: String,
    /// How firmly it was checked.
    pub status: Status,
    /// A note on the reading (ambiguities, dates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Intern for Citation {
    fn boxed(&self) -> Box<Citation> {
        Box::new(self.clone())
    }

    fn footprint(&self) -> usize {
        std::mem::size_of::<Citation>()
            + self.instrument.len()
            + self.provision.len()
            + self.note.as_ref().map_or(0, String::len)
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {} [{:?}]", self.instrument, self.provision, self.status)
    }
}

/// Whether an obligation rests on statute (regulations or statutory guidance) or on a local
/// procedure. Serialised as `"statutory"` or `"local:<profile id>"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Basis {
    /// Regulations or statutory guidance.
    Statutory,
    /// A local-practice profile, by id.
    Local(Arc<str>),
}

impl Default for Basis {
    /// Statute: what a breach recorded before breaches carried their basis was reported as.
    fn default() -> Basis {
        Basis::Statutory
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Basis::Statutory => f.write_str("statutory"),
            Basis::Local(id) => write!(f, "local:{id}"),
        }
    }
}

impl Serialize for Basis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Basis {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Basis, D::Error> {
        let s = String::deserialize(d)?;
        match s.strip_prefix("local:") {
            Some(id) if !id.is_empty() => Ok(Basis::Local(id.into())),
            _ if s == "statutory" => Ok(Basis::Statutory),
            _ => Err(serde::de::Error::custom(format!("bad basis {s:?} (expected \"statutory\" or \"local:<id>\")"))),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Basis {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Basis".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "\"statutory\" or \"local:<profile id>\"",
            "pattern": "^(statutory|local:[a-z0-9-]+)$"
        })
    }
}

/// Which reviews of a regime a rule applies to, by review number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewFilter {
    /// Every review.
    #[default]
    All,
    /// The first review only.
    First,
    /// The second review only.
    Second,
    /// The third review onward.
    Later,
    /// The second review onward.
    Subsequent,
}

impl ReviewFilter {
    /// Whether review number `n` (from 1) matches.
    pub fn matches(self, n: u32) -> bool {
        match self {
            ReviewFilter::All => true,
            ReviewFilter::First => n == 1,
            ReviewFilter::Second => n == 2,
            ReviewFilter::Later => n >= 3,
            ReviewFilter::Subsequent => n >= 2,
        }
    }
}

/// Which date an adjourned review is recorded on (and so counts the next review from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdjournedReviewDate {
    /// The originally scheduled (adjourned) meeting: the earlier, safer next deadline. Default.
    #[default]
    Original,
    /// The meeting that completed the review.
    CompletingMeeting,
}

/// Profile-wide settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Settings {
    /// Which date an adjourned review is recorded on.
    pub adjourned_review_date: AdjournedReviewDate,
}

/// One rule: who must do what, by when, on what authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// What must be done.
    pub duty: Duty,
    /// Who must do it.
    pub role: Role,
    /// What the period is counted from.
    pub anchor: Anchor,
    /// Which way the period is counted.
    pub direction: Direction,
    /// How long; `None` for a duty with no fixed time (e.g. an early review "before" a change).
    pub period: Option<Period>,
    /// Which reviews, by number. For a duty counted from a review (its meeting, completion,
    /// mid-point...) the number is the review's place in the **period of care** (the first review
    /// of the period is `first`, whichever clock it served: a clock restarted after a return from
    /// an adoptive placement does not make another first review); for `hold_review`, the number
    /// on the regime's own clock.
    pub reviews: ReviewFilter,
    /// Which regimes (for review-related rules); `None` = every regime but secure accommodation.
    /// The built-in local profiles state them on every rule about a review.
    pub regimes: Option<Vec<Regime>>,
    /// Applies only to reviews held with a meeting (who attends, where): not to a review held
    /// without one (`review_held` with `meeting: false`).
    pub needs_meeting: bool,
    /// First day the rule is in force (by the date of the triggering event).
    pub in_force_from: Option<NaiveDate>,
    /// Last day the rule is in force.
    pub in_force_to: Option<NaiveDate>,
    /// Repeat at every multiple of the period from the anchor (6, 12, 18 months...).
    pub repeat: bool,
    /// Applies only when the child has been looked after at least this long by the anchor date.
    pub when_looked_after_for: Option<Period>,
    /// Applies only when the child is at least this old (from the date of birth) on the anchor
    /// date, for duties counted from the period of care; owed when the date of birth is unknown.
    pub when_aged_at_least: Option<Period>,
    /// The action in plain English (interned: see [`Shared`]).
    pub action: Shared<str>,
    /// Where the rule comes from (interned: see [`Shared`]).
    pub citation: Shared<Citation>,
    /// The words the rule encodes (paraphrase or short quote).
    pub text: Option<String>,
    /// Statutory or local.
    pub basis: Basis,
    /// Line of the rule in its profile file.
    pub line: usize,
    /// For rules counted from a placement (or from the last visit in one): conditions the
    /// placement must meet, all of them (empty: any placement).
    pub placement: Vec<PlacementCondition>,
    /// For a `last_done` rule: applies only when the date it was last done falls within this
    /// period from the start of the placement (e.g. `12 months`: "for the first year").
    pub in_first: Option<Period>,
    /// For a `last_done` rule: applies only when the date it was last done falls after this
    /// period from the start of the placement ("thereafter").
    pub after_first: Option<Period>,
    /// For a `last_done` rule: applies only when the first review after the start of the
    /// placement has (`true`) or has not (`false`) been held by the date it was last done.
    pub first_review_held: Option<bool>,
    /// The duty may be done before its anchor ("before the placement or, if that is not
    /// practicable, within ... of its start"): it has no earliest date.
    pub before_or_within: bool,
    /// For the `sixteenth_birthday` anchor: the age the anchor is counted from (`192 months`).
    pub age: Option<Period>,
    /// For the `sixteenth_birthday` anchor: how long the child must have been looked after in
    /// the period of care before the anchor (`13 weeks`, eligibility).
    pub eligible_after: Option<Period>,
}

impl Rule {
    /// Whether the rule is in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.in_force_from.is_none_or(|f| date >= f) && self.in_force_to.is_none_or(|t| date <= t)
    }

    /// Whether the rule applies to reviews of `regime`.
    pub fn applies_to_regime(&self, regime: Regime) -> bool {
        match &self.regimes {
            Some(rs) => rs.contains(&regime),
            None => regime != Regime::SecureAccommodation,
        }
    }
}

/// Statutory or local profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    /// The law of a jurisdiction.
    Statutory,
    /// A local procedure layered on a statutory profile.
    Local,
}

/// A rule set: a statutory profile, or a local profile layered on one.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// Profile id (`england`, `wales`, `dudley`, ...).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Statutory or local.
    pub kind: ProfileKind,
    /// The jurisdiction whose statute it layers on.
    pub jurisdiction: Jurisdiction,
    /// Version of this profile.
    pub version: String,
    /// Version of the statutory profile underneath (equal to `version` for a statutory profile).
    pub statutory_version: String,
    /// The source document.
    pub source: String,
    /// Settings (local settings override statutory ones).
    pub settings: Settings,
    /// Every rule: statutory first, then local.
    #[serde(skip)]
    pub rules: Vec<Arc<Rule>>,
}

const ENGLAND: &str = include_str!("../data/profiles/england.toml");
const WALES: &str = include_str!("../data/profiles/wales.toml");
const LOCAL: &[(&str, &str)] = &[
    ("sars-checklist", include_str!("../data/profiles/local/sars-checklist.toml")),
    ("isu-procedure", include_str!("../data/profiles/local/isu-procedure.toml")),
    ("dudley", include_str!("../data/profiles/local/dudley.toml")),
    ("iro-expectations", include_str!("../data/profiles/local/iro-expectations.toml")),
];

/// The largest profile text accepted by [`Profile::from_toml`], in bytes (checked before parsing).
pub const MAX_PROFILE_BYTES: usize = 1024 * 1024;

/// The most rules a profile may have (its own, besides the statutory rules underneath).
pub const MAX_RULES: usize = 2_000;

/// The most profiles a [`ProfileRegistry`] holds besides the built-in ones.
pub const MAX_REGISTERED_PROFILES: usize = 1_000;

/// Each built-in profile, parsed on first use and then shared.
fn builtin_cell(id: &str) -> Option<&'static OnceLock<Arc<Profile>>> {
    static CELLS: [OnceLock<Arc<Profile>>; 2 + LOCAL.len()] = [const { OnceLock::new() }; 2 + LOCAL.len()];
    let k = match id {
        "england" => 0,
        "wales" => 1,
        _ => 2 + LOCAL.iter().position(|(k, _)| *k == id)?,
    };
    Some(&CELLS[k])
}

fn parse_builtin(id: &str) -> Result<Profile> {
    match id {
        "england" => parse("data/profiles/england.toml", ENGLAND, None),
        "wales" => parse("data/profiles/wales.toml", WALES, None),
        _ => match LOCAL.iter().find(|(k, _)| *k == id) {
            Some((k, text)) => Profile::from_toml(&format!("data/profiles/local/{k}.toml"), text),
            None => Err(unknown_profile(id)),
        },
    }
}

fn unknown_profile(id: &str) -> Error {
    Error::input(
        "profile",
        crate::error::shown(id),
        format!(
            "unknown profile (built-in: {}; a host program can register others; a local profile can be given inline \
             as profile_toml)",
            Profile::builtin_ids().join(", ")
        ),
    )
}

impl Profile {
    /// Ids of the built-in profiles: `england`, `wales`, then the local ones.
    pub fn builtin_ids() -> Vec<&'static str> {
        let mut v = vec!["england", "wales"];
        v.extend(LOCAL.iter().map(|(id, _)| *id));
        v
    }

    /// A built-in profile by id, shared: parsed once per process, then the same `Arc` every
    /// time (no copy).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an unknown id, listing the built-in ones.
    ///
    /// # Example
    /// ```
    /// use std::sync::Arc;
    /// use lac_timescales::profile::Profile;
    /// let a = Profile::builtin_shared("england")?;
    /// let b = Profile::builtin_shared("england")?;
    /// assert!(Arc::ptr_eq(&a, &b));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn builtin_shared(id: &str) -> Result<Arc<Profile>> {
        let cell = builtin_cell(id).ok_or_else(|| unknown_profile(id))?;
        if let Some(p) = cell.get() {
            return Ok(p.clone());
        }
        let parsed = Arc::new(parse_builtin(id)?);
        Ok(cell.get_or_init(|| parsed).clone())
    }

    /// A built-in profile by id, layered on its statutory profile when local. The text is parsed
    /// once per process; this returns a copy of the shared profile (its rules are shared `Arc`s,
    /// so the copy is cheap). [`Profile::builtin_shared`] avoids even that.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an unknown id, listing the known ones.
    ///
    /// # Example
    /// ```
    /// use lac_timescales::profile::Profile;
    /// let p = Profile::builtin("dudley")?;
    /// assert_eq!(p.statutory().id, "england");
    /// assert_eq!(p.rules_for(lac_timescales::model::Duty::ProgressReview).count(), 1);
    /// assert!(Profile::builtin("nowhere").is_err());
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn builtin(id: &str) -> Result<Profile> {
        Profile::builtin_shared(id).map(|p| Profile::clone(&p))
    }

    /// The statutory profile of a jurisdiction.
    pub fn statutory_for(jurisdiction: Jurisdiction) -> Profile {
        Profile::clone(&Profile::statutory_shared(jurisdiction))
    }

    /// The statutory profile of a jurisdiction, shared (see [`Profile::builtin_shared`]).
    pub fn statutory_shared(jurisdiction: Jurisdiction) -> Arc<Profile> {
        let id = match jurisdiction {
            Jurisdiction::England => "england",
            Jurisdiction::Wales => "wales",
        };
        Profile::builtin_shared(id).expect("built-in statutory profiles load (checked by tests)")
    }

    /// A statutory-only view of this profile (id and rules of the statutory layer).
    pub fn statutory(&self) -> Profile {
        Profile::statutory_for(self.jurisdiction)
    }

    /// Loads a local profile from TOML text, layered on the statutory profile it `extends`.
    /// `file` names the source in error messages.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] for text over [`MAX_PROFILE_BYTES`] (checked before parsing) or
    /// more than [`MAX_RULES`] rules.
    /// [`Error::InvalidData`] naming the file, line and value for malformed TOML, unknown duties,
    /// roles, anchors, regimes or directions, malformed periods and dates, a missing `extends`, or
    /// a `kind` other than `local` (statutory profiles are built in and cannot be replaced).
    ///
    /// # Example
    /// ```
    /// use lac_timescales::profile::Profile;
    /// let text = r#"
    /// id = "my-council"
    /// name = "My council"
    /// kind = "local"
    /// extends = "england"
    /// version = "1"
    /// source = "Our procedure"
    /// [[rule]]
    /// duty = "submit_social_work_report"
    /// role = "social_worker"
    /// anchor = "review_date"
    /// direction = "before"
    /// period = "5 working days"
    /// action = "Send your report to the IRO"
    /// citation = { instrument = "My council procedure", provision = "s.4", status = "V" }
    /// "#;
    /// let p = Profile::from_toml("my-council.toml", text)?;
    /// assert_eq!(p.id, "my-council");
    /// let bad = text.replace("social_worker", "socail_worker");
    /// let err = Profile::from_toml("my-council.toml", &bad).unwrap_err();
    /// assert!(err.to_string().contains("line 10") && err.to_string().contains("socail_worker"));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn from_toml(file: &str, text: &str) -> Result<Profile> {
        if text.len() > MAX_PROFILE_BYTES {
            return Err(Error::LimitExceeded {
                what: format!("{} size in bytes", crate::error::shown(file)),
                actual: text.len(),
                limit: MAX_PROFILE_BYTES,
            });
        }
        parse(file, text, Some(()))
    }

    /// The rules for a duty, statutory first.
    pub fn rules_for(&self, duty: Duty) -> impl Iterator<Item = &Arc<Rule>> {
        self.rules.iter().filter(move |r| r.duty == duty)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: Spanned<String>,
    name: String,
    kind: Spanned<String>,
    #[serde(default)]
    jurisdiction: Option<Spanned<String>>,
    #[serde(default)]
    extends: Option<Spanned<String>>,
    version: String,
    source: String,
    #[serde(default)]
    settings: RawSettings,
    #[serde(default, rename = "rule")]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    #[serde(default)]
    adjourned_review_date: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    duty: Spanned<String>,
    role: Spanned<String>,
    anchor: Spanned<String>,
    direction: Spanned<String>,
    #[serde(default)]
    period: Option<Spanned<String>>,
    #[serde(default)]
    reviews: Option<Spanned<String>>,
    #[serde(default)]
    regimes: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    in_force_from: Option<Spanned<String>>,
    #[serde(default)]
    in_force_to: Option<Spanned<String>>,
    #[serde(default)]
    repeat: bool,
    #[serde(default)]
    needs_meeting: bool,
    #[serde(default)]
    when_looked_after_for: Option<Spanned<String>>,
    #[serde(default)]
    when_aged_at_least: Option<Spanned<String>>,
    action: String,
    citation: RawCitation,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    placement: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    in_first: Option<Spanned<String>>,
    #[serde(default)]
    after_first: Option<Spanned<String>>,
    #[serde(default)]
    first_review_held: Option<bool>,
    #[serde(default)]
    before_or_within: bool,
    #[serde(default)]
    age: Option<Spanned<String>>,
    #[serde(default)]
    eligible_after: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    instrument: String,
    provision: String,
    status: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
}

struct Ctx<'a> {
    file: &'a str,
    /// Byte offset of every newline, so that a line number is a binary search, not a count from
    /// the start (which made loading quadratic in the number of rules).
    newlines: Vec<usize>,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    fn err(&self, at: &Spanned<String>, what: &str, reason: &str) -> Error {
        Error::data(
            self.file,
            format!("line {}", self.line(at.span().start)),
            format!("{what} {:?}: {reason}", at.get_ref()),
        )
    }

    fn pick<T: Copy>(
        &self,
        at: &Spanned<String>,
        what: &str,
        lookup: fn(&str) -> Option<T>,
        all: fn() -> Vec<&'static str>,
    ) -> Result<T> {
        lookup(at.get_ref())
            .ok_or_else(|| self.err(at, what, &format!("unknown {what} (expected one of: {})", all().join(", "))))
    }

    fn date(&self, at: &Spanned<String>, what: &str) -> Result<NaiveDate> {
        crate::calendar::strict_date(at.get_ref())
            .map_err(|reason| self.err(at, what, &format!("expected a quoted date \"YYYY-MM-DD\": {reason}")))
    }

    fn period(&self, at: &Spanned<String>, what: &str) -> Result<Period> {
        at.get_ref().parse::<Period>().map_err(|e| self.err(at, what, &e.to_string()))
    }
}

fn duty_names() -> Vec<&'static str> {
    Duty::ALL.iter().map(|x| x.as_str()).collect()
}

fn role_names() -> Vec<&'static str> {
    Role::ALL.iter().map(|x| x.as_str()).collect()
}

fn anchor_names() -> Vec<&'static str> {
    Anchor::ALL.iter().map(|x| x.as_str()).collect()
}

fn placement_names() -> Vec<&'static str> {
    PlacementCondition::ALL.iter().map(|x| x.as_str()).collect()
}

fn regime_names() -> Vec<&'static str> {
    Regime::ALL.iter().map(|x| x.as_str()).collect()
}

fn parse(file: &str, text: &str, local: Option<()>) -> Result<Profile> {
    let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).collect();
    let cx = Ctx { file, newlines };
    let raw: RawProfile = toml::from_str(text).map_err(|e| {
        let loc = e.span().map(|s| format!("line {}", cx.line(s.start))).unwrap_or_else(|| "file".into());
        Error::data(file, loc, e.message().to_string())
    })?;
    let kind = match raw.kind.get_ref().as_str() {
        "statutory" => ProfileKind::Statutory,
        "local" => ProfileKind::Local,
        _ => return Err(cx.err(&raw.kind, "kind", "expected \"statutory\" or \"local\"")),
    };
    let mut base = match (kind, local) {
        (ProfileKind::Local, _) => {
            let ext = raw.extends.as_ref().ok_or_else(|| {
                Error::data(file, "line 1", "a local profile needs `extends = \"england\"` or `\"wales\"`")
            })?;
            match ext.get_ref().as_str() {
                "england" => Some(Profile::statutory_for(Jurisdiction::England)),
                "wales" => Some(Profile::statutory_for(Jurisdiction::Wales)),
                _ => return Err(cx.err(ext, "extends", "expected \"england\" or \"wales\"")),
            }
        }
        (ProfileKind::Statutory, Some(())) => {
            return Err(cx.err(&raw.kind, "kind", "only local profiles can be loaded; statutory profiles are built in"))
        }
        (ProfileKind::Statutory, None) => None,
    };
    let id = raw.id.get_ref().clone();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(cx.err(&raw.id, "id", "use lower-case letters, digits and '-'"));
    }
    if kind == ProfileKind::Local && (id == "england" || id == "wales") {
        return Err(cx.err(&raw.id, "id", "a local profile cannot take a statutory profile's id"));
    }
    let jurisdiction = match (&base, &raw.jurisdiction) {
        (Some(b), _) => b.jurisdiction,
        (None, Some(j)) => match j.get_ref().as_str() {
            "england" => Jurisdiction::England,
            "wales" => Jurisdiction::Wales,
            _ => return Err(cx.err(j, "jurisdiction", "expected \"england\" or \"wales\"")),
        },
        (None, None) => return Err(Error::data(file, "line 1", "a statutory profile needs `jurisdiction`")),
    };
    let mut settings = base.as_ref().map(|b| b.settings).unwrap_or_default();
    if let Some(a) = &raw.settings.adjourned_review_date {
        settings.adjourned_review_date = match a.get_ref().as_str() {
            "original" => AdjournedReviewDate::Original,
            "completing_meeting" => AdjournedReviewDate::CompletingMeeting,
            _ => return Err(cx.err(a, "adjourned_review_date", "expected \"original\" or \"completing_meeting\"")),
        };
    }
    let basis = match kind {
        ProfileKind::Statutory => Basis::Statutory,
        ProfileKind::Local => Basis::Local(id.as_str().into()),
    };
    if raw.rules.len() > MAX_RULES {
        return Err(Error::LimitExceeded {
            what: format!("number of rules in {}", crate::error::shown(file)),
            actual: raw.rules.len(),
            limit: MAX_RULES,
        });
    }
    let mut rules: Vec<Arc<Rule>> = base.as_mut().map(|b| std::mem::take(&mut b.rules)).unwrap_or_default();
    for spanned in &raw.rules {
        let line = cx.line(spanned.span().start);
        let r = spanned.get_ref();
        let duty = cx.pick(&r.duty, "duty", Duty::from_id, duty_names)?;
        let role = cx.pick(&r.role, "role", Role::from_id, role_names)?;
        let anchor = cx.pick(&r.anchor, "anchor", Anchor::from_id, anchor_names)?;
        let direction = match r.direction.get_ref().as_str() {
            "after" => Direction::After,
            "before" => Direction::Before,
            _ => return Err(cx.err(&r.direction, "direction", "expected \"after\" or \"before\"")),
        };
        let period = r.period.as_ref().map(|p| cx.period(p, "period")).transpose()?;
        let reviews = match &r.reviews {
            None => ReviewFilter::All,
            Some(s) => match s.get_ref().as_str() {
                "all" => ReviewFilter::All,
                "first" => ReviewFilter::First,
                "second" => ReviewFilter::Second,
                "later" => ReviewFilter::Later,
                "subsequent" => ReviewFilter::Subsequent,
                _ => return Err(cx.err(s, "reviews", "expected all, first, second, later or subsequent")),
            },
        };
        let regimes = match &r.regimes {
            None => None,
            Some(list) => Some(
                list.iter().map(|s| cx.pick(s, "regime", Regime::from_id, regime_names)).collect::<Result<Vec<_>>>()?,
            ),
        };
        let status = match r.citation.status.get_ref().as_str() {
            "V" => Status::V,
            "G" => Status::G,
            "U" => Status::U,
            _ => return Err(cx.err(&r.citation.status, "citation.status", "expected \"V\", \"G\" or \"U\"")),
        };
        let in_force_from = r.in_force_from.as_ref().map(|d| cx.date(d, "in_force_from")).transpose()?;
        let in_force_to = r.in_force_to.as_ref().map(|d| cx.date(d, "in_force_to")).transpose()?;
        let when_looked_after_for =
            r.when_looked_after_for.as_ref().map(|p| cx.period(p, "when_looked_after_for")).transpose()?;
        let when_aged_at_least =
            r.when_aged_at_least.as_ref().map(|p| cx.period(p, "when_aged_at_least")).transpose()?;
        let here = |reason: String| Error::data(file, format!("line {line}"), reason);
        if let (Some(f), Some(t)) = (in_force_from, in_force_to) {
            if t < f {
                return Err(here(format!("in_force_to {t} is before in_force_from {f}")));
            }
        }
        if r.action.trim().is_empty()
            || r.citation.instrument.trim().is_empty()
            || r.citation.provision.trim().is_empty()
        {
            return Err(here("action, citation.instrument and citation.provision must not be empty".into()));
        }
        let slot_anchor = matches!(anchor, Anchor::RegimeStart | Anchor::PreviousReview);
        if duty == Duty::HoldReview && !(slot_anchor || anchor.is_trigger()) {
            return Err(cx.err(
                &r.anchor,
                "anchor",
                "hold_review counts from regime_start, previous_review or an early-review trigger",
            ));
        }
        if duty == Duty::HoldReview && slot_anchor && regimes.as_ref().is_none_or(|rs| rs.is_empty()) {
            return Err(here(format!(
                "this hold_review rule counts from {} but names no `regimes`: a review-interval rule applies \
                 only to the regimes it names, so it would never give an obligation (add e.g. regimes = \
                 [\"looked_after\"])",
                anchor.as_str()
            )));
        }
        if duty != Duty::HoldReview && slot_anchor {
            return Err(cx.err(&r.anchor, "anchor", "only hold_review counts from regime_start or previous_review"));
        }
        if slot_anchor && direction != Direction::After {
            return Err(here("a review-interval rule counts with direction = \"after\"".into()));
        }
        if (anchor == Anchor::ReviewRearranged) != (duty == Duty::AuthoriseRearrangement) {
            return Err(cx.err(
                &r.anchor,
                "anchor",
                "authorise_rearrangement counts from review_rearranged, and only it does (the engine applies it when a review is moved past its deadline)",
            ));
        }
        if repeat_invalid(r.repeat, period) {
            return Err(here("repeat needs a non-zero period".into()));
        }
        if let Some(dep) = anchor.done_duty() {
            if dep == duty {
                return Err(cx.err(&r.anchor, "anchor", "a duty cannot count from its own completion"));
            }
        }
        let placement = match &r.placement {
            None => Vec::new(),
            Some(list) => list
                .iter()
                .map(|s| cx.pick(s, "placement", PlacementCondition::from_id, placement_names))
                .collect::<Result<Vec<_>>>()?,
        };
        let in_first = r.in_first.as_ref().map(|p| cx.period(p, "in_first")).transpose()?;
        let after_first = r.after_first.as_ref().map(|p| cx.period(p, "after_first")).transpose()?;
        let age = r.age.as_ref().map(|p| cx.period(p, "age")).transpose()?;
        let eligible_after = r.eligible_after.as_ref().map(|p| cx.period(p, "eligible_after")).transpose()?;
        let placement_anchor = matches!(anchor, Anchor::PlacementStarted | Anchor::PlacementEnded | Anchor::LastDone);
        if !placement.is_empty() && !placement_anchor {
            return Err(here(
                "placement conditions apply only to rules counted from a placement or from last_done".into(),
            ));
        }
        if (in_first.is_some() || after_first.is_some() || r.first_review_held.is_some()) && anchor != Anchor::LastDone
        {
            return Err(here("in_first, after_first and first_review_held apply only to last_done rules".into()));
        }
        if anchor == Anchor::LastDone && (duty == Duty::HoldReview || direction != Direction::After || period.is_none())
        {
            return Err(here(
                "a last_done rule repeats a duty other than hold_review (reviews count from previous_review) with direction = \"after\" and a period".into(),
            ));
        }
        if anchor == Anchor::SixteenthBirthday && age.is_none() {
            return Err(here(
                "a sixteenth_birthday rule gives the age it counts from, e.g. age = \"192 months\"".into(),
            ));
        }
        if (age.is_some() || eligible_after.is_some()) && anchor != Anchor::SixteenthBirthday {
            return Err(here("age and eligible_after apply only to sixteenth_birthday rules".into()));
        }
        rules.push(Arc::new(Rule {
            duty,
            role,
            anchor,
            direction,
            period,
            reviews,
            regimes,
            in_force_from,
            in_force_to,
            repeat: r.repeat,
            needs_meeting: r.needs_meeting,
            when_looked_after_for,
            when_aged_at_least,
            action: Shared::new(r.action.trim()),
            citation: Shared::from_box(Box::new(Citation {
                instrument: r.citation.instrument.trim().to_string(),
                provision: r.citation.provision.trim().to_string(),
                status,
                note: r.citation.note.clone(),
            })),
            text: r.text.clone(),
            basis: basis.clone(),
            line,
            placement,
            in_first,
            after_first,
            first_review_held: r.first_review_held,
            before_or_within: r.before_or_within,
            age,
            eligible_after,
        }));
    }
    // A rule counting from when another duty was done needs that duty to exist in the profile.
    let duties: BTreeMap<Duty, ()> = rules.iter().map(|r| (r.duty, ())).collect();
    for r in &rules {
        if let Some(dep) = r.anchor.done_duty() {
            if !duties.contains_key(&dep) {
                return Err(Error::data(
                    file,
                    format!("line {}", r.line),
                    format!(
                        "anchor {:?} counts from duty {:?}, which no rule in this profile defines",
                        r.anchor.as_str(),
                        dep.as_str()
                    ),
                ));
            }
        }
    }
    // A duty whose every rule counts from the completion of duties that are themselves only ever
    // due after it (a cycle) is never due: find the duties that can be due, then refuse a rule
    // whose duty cannot.
    let mut can_be_due: Vec<Duty> = Vec::new();
    loop {
        let before = can_be_due.len();
        for r in &rules {
            if !can_be_due.contains(&r.duty) && r.anchor.done_duty().is_none_or(|dep| can_be_due.contains(&dep)) {
                can_be_due.push(r.duty);
            }
        }
        if can_be_due.len() == before {
            break;
        }
    }
    if let Some(r) = rules.iter().find(|r| !can_be_due.contains(&r.duty)) {
        let dep = r.anchor.done_duty().map(Duty::as_str).unwrap_or("?");
        return Err(Error::data(
            file,
            format!("line {}", r.line),
            format!(
                "rule for duty {:?} counts from the completion of duty {dep:?}, which can never be due: its \
                 rules count, in a cycle, from the completion of duties never due themselves, so this rule \
                 would never give an obligation",
                r.duty.as_str()
            ),
        ));
    }
    let statutory_version = base.as_ref().map(|b| b.version.clone()).unwrap_or_else(|| raw.version.clone());
    Ok(Profile {
        id,
        name: raw.name,
        kind,
        jurisdiction,
        version: raw.version,
        statutory_version,
        source: raw.source,
        settings,
        rules,
    })
}

fn repeat_invalid(repeat: bool, period: Option<Period>) -> bool {
    repeat && period.is_none_or(|p| p.count() == 0)
}

/// Profiles a host program makes available by id, beside the built-in ones: what a request's
/// `profile` may name at the JSON boundary and the C ABI (which never read a file).
///
/// [`ProfileRegistry::global`] is the process-wide registry that `json::schedule_json` and the C
/// ABI's `lact_register_profile` use; a service wanting its own set (per tenant, say) makes one
/// with [`ProfileRegistry::new`] and passes it to `json::schedule_json_with`. Built-in ids
/// always mean the built-in profiles and are looked up without a lock; registered profiles
/// are read under a read lock that many threads share.
///
/// # Example
/// ```
/// use lac_timescales::profile::{Profile, ProfileRegistry};
/// let registry = ProfileRegistry::new();
/// let text = r#"
/// id = "my-council"
/// name = "My council"
/// kind = "local"
/// extends = "england"
/// version = "1"
/// source = "Our procedure"
/// [[rule]]
/// duty = "submit_social_work_report"
/// role = "social_worker"
/// anchor = "review_date"
/// direction = "before"
/// period = "5 working days"
/// action = "Send your report to the IRO"
/// citation = { instrument = "My council procedure", provision = "s.4", status = "V" }
/// "#;
/// registry.register(Profile::from_toml("my-council.toml", text)?)?;
/// assert_eq!(registry.get("my-council")?.name, "My council");
/// assert_eq!(registry.get("dudley")?.id, "dudley"); // built-in ids always resolve
/// assert!(registry.get("elsewhere").is_err());
/// # Ok::<(), lac_timescales::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct ProfileRegistry {
    profiles: RwLock<HashMap<String, Arc<Profile>>>,
}

impl ProfileRegistry {
    /// An empty registry (built-in ids still resolve).
    pub fn new() -> ProfileRegistry {
        ProfileRegistry::default()
    }

    /// The process-wide registry.
    pub fn global() -> &'static ProfileRegistry {
        static GLOBAL: OnceLock<ProfileRegistry> = OnceLock::new();
        GLOBAL.get_or_init(ProfileRegistry::new)
    }

    /// Registers `profile` under its id, replacing a profile registered before with that id.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming `profile` when the id is a built-in profile's (they cannot
    /// be replaced); [`Error::LimitExceeded`] beyond [`MAX_REGISTERED_PROFILES`].
    pub fn register(&self, profile: Profile) -> Result<()> {
        if builtin_cell(&profile.id).is_some() {
            return Err(Error::input(
                "profile",
                profile.id.clone(),
                "a built-in profile's id cannot be registered again: choose another id",
            ));
        }
        let mut map = self.profiles.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !map.contains_key(&profile.id) && map.len() >= MAX_REGISTERED_PROFILES {
            return Err(Error::LimitExceeded {
                what: "number of registered profiles".into(),
                actual: map.len() + 1,
                limit: MAX_REGISTERED_PROFILES,
            });
        }
        map.insert(profile.id.clone(), Arc::new(profile));
        Ok(())
    }

    /// Removes a registered profile; returns whether there was one.
    pub fn unregister(&self, id: &str) -> bool {
        self.profiles.write().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(id).is_some()
    }

    /// The profile `id`: a built-in one, else a registered one.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming `profile` for an id that is neither (the message lists the
    /// built-in ids, not the registered ones).
    pub fn get(&self, id: &str) -> Result<Arc<Profile>> {
        if builtin_cell(id).is_some() {
            return Profile::builtin_shared(id);
        }
        let map = self.profiles.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.get(id).cloned().ok_or_else(|| unknown_profile(id))
    }

    /// The ids of the registered profiles (not the built-in ones), sorted.
    pub fn registered_ids(&self) -> Vec<String> {
        let map = self.profiles.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut ids: Vec<String> = map.keys().cloned().collect();
        ids.sort();
        ids
    }
}
