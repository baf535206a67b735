//! What the engine produces: [`Obligation`], [`Breach`], [`Considered`], [`Metadata`], [`Schedule`].

use crate::engine::*;

/// What went wrong with an obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Breach {
    /// The review was held after its deadline.
    LateReview {
        /// When it was held.
        held: NaiveDate,
        /// Working days after the deadline.
        working_days_late: i64,
        /// Calendar days after the deadline.
        calendar_days_late: i64,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The deadline passed (as at the schedule's date, or before the clock stopped) with no review.
    NotHeld {
        /// The date as at which it had not been held.
        as_at: NaiveDate,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The review was adjourned more than once (the law allows one adjournment).
    SecondAdjournment {
        /// Dates of every adjourned meeting of this review.
        adjourned: Vec<NaiveDate>,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The adjourned review was completed after the 20 working days allowed.
    AdjournedReviewCompletedLate {
        /// When it was completed.
        completed: NaiveDate,
        /// Working days late.
        working_days_late: i64,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The review was moved to a date after its binding deadline (statute's, or an earlier local
    /// one).
    RearrangedPastDeadline {
        /// The planned date before.
        from: NaiveDate,
        /// The new date.
        to: NaiveDate,
        /// The deadline it passes: statute's when the move passes it (`basis` statutory), else
        /// the local one.
        deadline: NaiveDate,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// A duty other than a review (a visit, say) was done after its deadline.
    LateDuty {
        /// When it was done.
        done: NaiveDate,
        /// Working days after the deadline.
        working_days_late: i64,
        /// Calendar days after the deadline.
        calendar_days_late: i64,
        /// Whose standard it breaches (as for a late review).
        #[serde(default)]
        basis: Basis,
    },
    /// The deadline of a duty other than a review passed (as at the schedule's date, or before
    /// its clock stopped) without it being done.
    NotDone {
        /// The date as at which it had not been done.
        as_at: NaiveDate,
        /// Whose standard it breaches (as for a review not held).
        #[serde(default)]
        basis: Basis,
    },
}

impl Breach {
    /// The snake_case kind of the breach, as in its JSON `kind` (e.g. `late_review`).
    pub fn kind(&self) -> &'static str {
        match self {
            Breach::LateReview { .. } => "late_review",
            Breach::NotHeld { .. } => "not_held",
            Breach::SecondAdjournment { .. } => "second_adjournment",
            Breach::AdjournedReviewCompletedLate { .. } => "adjourned_review_completed_late",
            Breach::RearrangedPastDeadline { .. } => "rearranged_past_deadline",
            Breach::LateDuty { .. } => "late_duty",
            Breach::NotDone { .. } => "not_done",
        }
    }

    /// Whose standard the breach is of: `statutory` or `local:<profile>`.
    pub fn basis(&self) -> &Basis {
        match self {
            Breach::LateReview { basis, .. }
            | Breach::NotHeld { basis, .. }
            | Breach::SecondAdjournment { basis, .. }
            | Breach::AdjournedReviewCompletedLate { basis, .. }
            | Breach::RearrangedPastDeadline { basis, .. }
            | Breach::LateDuty { basis, .. }
            | Breach::NotDone { basis, .. } => basis,
        }
    }
}

impl std::fmt::Display for Breach {
    /// Plain English, e.g. "held 3 working days late (on 2026-02-05)".
    ///
    /// ```
    /// use lac_timescales::schedule::Breach;
    /// let b: Breach = serde_json::from_str(r#"{"kind": "not_held", "as_at": "2026-06-01"}"#).unwrap();
    /// assert_eq!(b.to_string(), "not held as at 2026-06-01 (statutory)");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Breach::LateReview { held, working_days_late, basis, .. } => {
                write!(f, "held {working_days_late} working days late (on {held}) ({basis})")
            }
            Breach::NotHeld { as_at, basis } => write!(f, "not held as at {as_at} ({basis})"),
            Breach::SecondAdjournment { adjourned, basis } => {
                write!(f, "adjourned {} times (one adjournment is allowed) ({basis})", adjourned.len())
            }
            Breach::AdjournedReviewCompletedLate { completed, working_days_late, basis } => {
                write!(f, "adjourned review completed {working_days_late} working days late (on {completed}) ({basis})")
            }
            Breach::RearrangedPastDeadline { from, to, deadline, basis } => {
                write!(f, "moved from {from} to {to}, past its deadline {deadline} ({basis})")
            }
            Breach::LateDuty { done, working_days_late, basis, .. } => {
                write!(f, "done {working_days_late} working days late (on {done}) ({basis})")
            }
            Breach::NotDone { as_at, basis } => write!(f, "not done as at {as_at} ({basis})"),
        }
    }
}

/// Another rule that governs the same duty, with the deadline it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Considered {
    /// Statutory or local.
    pub basis: Basis,
    /// The rule's period.
    pub period: Option<Period>,
    /// The deadline it gives (none: no day fixed).
    pub latest: Option<NaiveDate>,
    /// The rule's citation.
    pub citation: Shared<Citation>,
    /// True when its deadline falls before the child became looked after (counted back from a
    /// review held soon after): it cannot apply, and is listed after the rules that can.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub before_care: bool,
    /// Present when the rule did not apply because it is a local procedure's that was not yet in
    /// force on the date it was read on: the first day it applies. Such a rule never binds and is
    /// listed after the others (its `latest` is the deadline it would have given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_from: Option<NaiveDate>,
}

/// The indices of the events that triggered an obligation: a list of event indices, used as a
/// slice (`&[usize]`, through `Deref`) and serialised as a JSON array. Short lists (one or two
/// events, nearly all of them) are kept inline, so that making, cloning and dropping an
/// obligation touches no reference count and allocates nothing for them.
///
/// ```
/// use lac_timescales::schedule::Triggers;
/// let t = Triggers::from(&[3, 7][..]);
/// assert_eq!(&t[..], &[3, 7]);
/// assert_eq!(t.first(), Some(&3));
/// assert_eq!(serde_json::to_string(&t).unwrap(), "[3,7]");
/// let u: Triggers = serde_json::from_str("[1,2,4]").unwrap();
/// assert_eq!(u.to_vec(), vec![1, 2, 4]);
/// assert!(Triggers::default().is_empty());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Triggers(TriggersRepr);

/// Up to two indices inline, more on the heap. The tag is a whole word (and `Triggers` three
/// words), so that a list is moved and copied as aligned words: a one-byte tag and a one-byte
/// length beside it were copied in overlapping pieces, and reading them back stalled on store
/// forwarding (`perf annotate`: a tenth of a schedule's time).
#[derive(Clone)]
#[repr(usize)]
enum TriggersRepr {
    Zero,
    One([usize; 1]),
    Two([usize; 2]),
    Heap(Box<[usize]>),
}

impl Triggers {
    /// The indices as a slice.
    pub fn as_slice(&self) -> &[usize] {
        Triggers::slice_of(&self.0)
    }
}

impl Default for Triggers {
    /// No events.
    fn default() -> Triggers {
        Triggers(TriggersRepr::Zero)
    }
}

impl std::ops::Deref for Triggers {
    type Target = [usize];

    fn deref(&self) -> &[usize] {
        self.as_slice()
    }
}

impl AsRef<[usize]> for Triggers {
    fn as_ref(&self) -> &[usize] {
        self.as_slice()
    }
}

impl PartialEq for TriggersRepr {
    fn eq(&self, other: &Self) -> bool {
        Triggers::slice_of(self) == Triggers::slice_of(other)
    }
}

impl Eq for TriggersRepr {}

impl std::hash::Hash for TriggersRepr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Triggers::slice_of(self).hash(state);
    }
}

impl Triggers {
    fn slice_of(r: &TriggersRepr) -> &[usize] {
        match r {
            TriggersRepr::Zero => &[],
            TriggersRepr::One(ev) => ev,
            TriggersRepr::Two(ev) => ev,
            TriggersRepr::Heap(v) => v,
        }
    }
}

impl From<&[usize]> for Triggers {
    fn from(list: &[usize]) -> Triggers {
        Triggers(match *list {
            [] => TriggersRepr::Zero,
            [a] => TriggersRepr::One([a]),
            [a, b] => TriggersRepr::Two([a, b]),
            _ => TriggersRepr::Heap(list.into()),
        })
    }
}

impl From<Vec<usize>> for Triggers {
    fn from(list: Vec<usize>) -> Triggers {
        if list.len() <= 2 {
            Triggers::from(&list[..])
        } else {
            Triggers(TriggersRepr::Heap(list.into_boxed_slice()))
        }
    }
}

impl FromIterator<usize> for Triggers {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Triggers {
        Triggers::from(iter.into_iter().collect::<Vec<usize>>())
    }
}

impl<'t> IntoIterator for &'t Triggers {
    type Item = &'t usize;
    type IntoIter = std::slice::Iter<'t, usize>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl std::fmt::Debug for Triggers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Triggers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Triggers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Triggers, D::Error> {
        Ok(Triggers::from(Vec::<usize>::deserialize(d)?))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Triggers {
    fn inline_schema() -> bool {
        <Vec<usize> as schemars::JsonSchema>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Vec<usize> as schemars::JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <Vec<usize> as schemars::JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<usize> as schemars::JsonSchema>::json_schema(generator)
    }
}

/// One dated obligation: who must do what, by when, on what authority.
///
/// What few obligations have (a reason it cannot apply, the other rules considered) is read
/// through [`Obligation::not_applicable`] and [`Obligation::binding`]: it is kept apart, in one
/// block an obligation without any of it does not allocate. The JSON shape is that of every
/// field, in this order (`binding` after `basis`, `not_applicable` last), as before.
#[derive(Clone)]
pub struct Obligation {
    /// What must be done.
    pub duty: Duty,
    /// Who must do it: the binding rule's role.
    pub role: Role,
    /// Every role its rules name: `role`, and the roles of the other rules considered (a local
    /// procedure naming the team manager where statute names a senior manager keeps both, even
    /// when statute binds).
    pub roles: Roles,
    /// The action in plain English (from the binding rule).
    pub action: Shared<str>,
    /// The review regime, when the obligation is about a review.
    pub regime: Option<Regime>,
    /// The review number within its regime and period of care, when about a review (`regime`
    /// set). For a repeating duty not about a review (`regime` absent, e.g. six-monthly case
    /// summaries) it is the repetition number: 1 for the first, 2 for the second, ...
    pub review_number: Option<u32>,
    /// The earliest date it can be done (its trigger), if any.
    pub earliest: Option<NaiveDate>,
    /// The legal deadline (none: no day fixed, e.g. an early review "before" a change).
    pub latest: Option<NaiveDate>,
    /// The last working day on or before `latest`: the day to plan for.
    pub latest_working_day: Option<NaiveDate>,
    /// Where the binding rule comes from.
    pub basis: Basis,
    /// The binding rule's citation.
    pub citation: Shared<Citation>,
    /// Indices of the events that triggered it.
    pub triggered_by: Triggers,
    /// True when it rests on an assumed date rather than a recorded one: a review not yet held
    /// (planned for its last working day), or another duty's completion that was not recorded
    /// (taken as that duty's deadline, e.g. receipt of the decisions).
    pub projected: bool,
    /// True when its date relies on bank holidays projected for a year not yet announced.
    pub provisional: bool,
    /// True for an early review (a trigger, not the regular clock).
    pub early: bool,
    /// When it was done, if the case history says (reviews held).
    pub done: Option<NaiveDate>,
    /// What went wrong, if anything.
    pub breach: Option<Breach>,
    /// The binding rules, inapplicability and note, when it has any (few do).
    pub(in crate::engine) rare: Option<Arc<Rare>>,
    pub(in crate::engine) trail: Trail,
}

/// What few obligations have, kept in one block so that the others carry one empty pointer.
/// Never all empty: an obligation without any of it has no block (`Obligation::rare` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(in crate::engine) struct Rare {
    pub(in crate::engine) binding: Option<Vec<Considered>>,
    pub(in crate::engine) not_applicable: Option<String>,
    /// The trail's note ([`Trail`]).
    pub(in crate::engine) note: Option<Box<str>>,
    /// An occurrence missed before its clock stopped (the child left care, or the review regime
    /// ended): no longer due ([`Schedule::next_review_due`]). Not in the JSON: a schedule read
    /// back from JSON does not know it (as it does not know its trail).
    pub(in crate::engine) clock_stopped: bool,
}

impl Rare {
    /// The block, or none when it would be empty. Shared (`Arc`) rather than boxed, so that
    /// dropping an obligation without one is a test of the pointer: a box's drop, with the
    /// block's own fields inlined, began by saving every register, block or none.
    pub(in crate::engine) fn shared(self) -> Option<Arc<Rare>> {
        let empty =
            self.binding.is_none() && self.not_applicable.is_none() && self.note.is_none() && !self.clock_stopped;
        (!empty).then(|| Arc::new(self))
    }
}

// The obligation as deserialised, and its JSON Schema: every field, in order (the serialiser,
// `impl Serialize for Obligation`, writes the same). A plain comment: the doc text below is the
// schema's description, as the obligation's own was.
/// One dated obligation: who must do what, by when, on what authority.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename = "Obligation")]
struct ObligationWire {
    /// What must be done.
    duty: Duty,
    /// Who must do it: the binding rule's role.
    role: Role,
    /// Every role its rules name: `role`, and the roles of the other rules considered (a local
    /// procedure naming the team manager where statute names a senior manager keeps both, even
    /// when statute binds).
    #[serde(default)]
    roles: Roles,
    /// The action in plain English (from the binding rule).
    action: Shared<str>,
    /// The review regime, when the obligation is about a review.
    #[serde(skip_serializing_if = "Option::is_none")]
    regime: Option<Regime>,
    /// The review number within its regime and period of care, when about a review (`regime`
    /// set). For a repeating duty not about a review (`regime` absent, e.g. six-monthly case
    /// summaries) it is the repetition number: 1 for the first, 2 for the second, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    review_number: Option<u32>,
    /// The earliest date it can be done (its trigger), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    earliest: Option<NaiveDate>,
    /// The legal deadline (none: no day fixed, e.g. an early review "before" a change).
    latest: Option<NaiveDate>,
    /// The last working day on or before `latest`: the day to plan for.
    latest_working_day: Option<NaiveDate>,
    /// Where the binding rule comes from.
    basis: Basis,
    /// When more than one rule governs this duty here: every rule considered, earliest deadline
    /// first (the first binds; ties go to statute).
    #[serde(skip_serializing_if = "Option::is_none")]
    binding: Option<Vec<Considered>>,
    /// The binding rule's citation.
    citation: Shared<Citation>,
    /// Indices of the events that triggered it.
    triggered_by: Triggers,
    /// True when it rests on an assumed date rather than a recorded one: a review not yet held
    /// (planned for its last working day), or another duty's completion that was not recorded
    /// (taken as that duty's deadline, e.g. receipt of the decisions).
    projected: bool,
    /// True when its date relies on bank holidays projected for a year not yet announced.
    provisional: bool,
    /// True for an early review (a trigger, not the regular clock).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    early: bool,
    /// When it was done, if the case history says (reviews held).
    #[serde(skip_serializing_if = "Option::is_none")]
    done: Option<NaiveDate>,
    /// What went wrong, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    breach: Option<Breach>,
    /// Why it cannot apply, when it cannot: every rule for it would fall due before the child
    /// became looked after (counted back from a review held soon after that day). It then has no
    /// deadline, and an audit reports it `not_applicable` with this reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_applicable: Option<String>,
}

impl From<ObligationWire> for Obligation {
    fn from(w: ObligationWire) -> Obligation {
        Obligation {
            duty: w.duty,
            role: w.role,
            roles: w.roles,
            action: w.action,
            regime: w.regime,
            review_number: w.review_number,
            earliest: w.earliest,
            latest: w.latest,
            latest_working_day: w.latest_working_day,
            basis: w.basis,
            citation: w.citation,
            triggered_by: w.triggered_by,
            projected: w.projected,
            provisional: w.provisional,
            early: w.early,
            done: w.done,
            breach: w.breach,
            rare: Rare { binding: w.binding, not_applicable: w.not_applicable, ..Rare::default() }.shared(),
            trail: Trail::default(),
        }
    }
}

impl<'de> Deserialize<'de> for Obligation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Obligation, D::Error> {
        ObligationWire::deserialize(d).map(Obligation::from)
    }
}

impl Serialize for Obligation {
    /// Every field, in order, as the JSON Schema has them (absent options and a false `early` left out).
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (binding, breach, not_applicable) = (self.binding(), self.breach.as_ref(), self.not_applicable());
        let len = 10
            + usize::from(self.regime.is_some())
            + usize::from(self.review_number.is_some())
            + usize::from(self.earliest.is_some())
            + usize::from(binding.is_some())
            + usize::from(self.early)
            + usize::from(self.done.is_some())
            + usize::from(breach.is_some())
            + usize::from(not_applicable.is_some());
        let mut st = s.serialize_struct("Obligation", len)?;
        st.serialize_field("duty", &self.duty)?;
        st.serialize_field("role", &self.role)?;
        st.serialize_field("roles", &self.roles)?;
        st.serialize_field("action", &self.action)?;
        field(&mut st, "regime", self.regime.as_ref())?;
        field(&mut st, "review_number", self.review_number.as_ref())?;
        field(&mut st, "earliest", self.earliest.as_ref())?;
        st.serialize_field("latest", &self.latest)?;
        st.serialize_field("latest_working_day", &self.latest_working_day)?;
        st.serialize_field("basis", &self.basis)?;
        field(&mut st, "binding", binding)?;
        st.serialize_field("citation", &self.citation)?;
        st.serialize_field("triggered_by", &self.triggered_by)?;
        st.serialize_field("projected", &self.projected)?;
        st.serialize_field("provisional", &self.provisional)?;
        field(&mut st, "early", self.early.then_some(&true))?;
        field(&mut st, "done", self.done.as_ref())?;
        field(&mut st, "breach", breach)?;
        field(&mut st, "not_applicable", not_applicable)?;
        st.end()
    }
}

/// Serialises `value` as field `key` when present, else skips the field.
fn field<S: serde::ser::SerializeStruct, T: Serialize + ?Sized>(
    st: &mut S,
    key: &'static str,
    value: Option<&T>,
) -> std::result::Result<(), S::Error> {
    match value {
        Some(v) => st.serialize_field(key, v),
        None => st.skip_field(key),
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Obligation {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <ObligationWire as schemars::JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <ObligationWire as schemars::JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <ObligationWire as schemars::JsonSchema>::json_schema(generator)
    }
}

impl PartialEq for Obligation {
    fn eq(&self, other: &Obligation) -> bool {
        self.duty == other.duty
            && self.role == other.role
            && self.roles == other.roles
            && self.action == other.action
            && self.regime == other.regime
            && self.review_number == other.review_number
            && self.earliest == other.earliest
            && self.latest == other.latest
            && self.latest_working_day == other.latest_working_day
            && self.basis == other.basis
            && self.binding() == other.binding()
            && self.citation == other.citation
            && self.triggered_by == other.triggered_by
            && self.projected == other.projected
            && self.provisional == other.provisional
            && self.early == other.early
            && self.done == other.done
            && self.breach == other.breach
            && self.not_applicable() == other.not_applicable()
            && self.trail == other.trail
            && self.note() == other.note()
    }
}

impl Eq for Obligation {}

impl std::fmt::Debug for Obligation {
    /// Every field, in order, as the JSON has them, then how its date was reached.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Obligation")
            .field("duty", &self.duty)
            .field("role", &self.role)
            .field("roles", &self.roles)
            .field("action", &self.action)
            .field("regime", &self.regime)
            .field("review_number", &self.review_number)
            .field("earliest", &self.earliest)
            .field("latest", &self.latest)
            .field("latest_working_day", &self.latest_working_day)
            .field("basis", &self.basis)
            .field("binding", &self.rare.as_ref().and_then(|r| r.binding.as_ref()))
            .field("citation", &self.citation)
            .field("triggered_by", &self.triggered_by)
            .field("projected", &self.projected)
            .field("provisional", &self.provisional)
            .field("early", &self.early)
            .field("done", &self.done)
            .field("breach", &self.breach)
            .field("not_applicable", &self.rare.as_ref().and_then(|r| r.not_applicable.as_ref()))
            .field("trail", &TrailDebug(&self.trail, self.note()))
            .finish()
    }
}

/// A trail with its note, shown as one struct.
struct TrailDebug<'t>(&'t Trail, Option<&'t str>);

impl std::fmt::Debug for TrailDebug<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.0;
        f.debug_struct("Trail")
            .field("anchor", &t.anchor)
            .field("anchor_date", &t.anchor_date)
            .field("assumed", &t.assumed)
            .field("direction", &t.direction)
            .field("period", &t.period)
            .field("statutory_calendar", &t.statutory_calendar)
            .field("note", &self.1)
            .field("meeting", &t.meeting)
            .finish()
    }
}

impl Obligation {
    /// When more than one rule governs this duty here: every rule considered, earliest deadline
    /// first (the first binds; ties go to statute). `None` when one rule alone governs it.
    ///
    /// A local rule asking the IRO to speak to the child 5 working days before each review
    /// competes with statute's "before the review" (at the latest on its day). For the review of
    /// Thu 29 Jan 2026, 5 working days back are 28, 27, 26, 23 and Thu 22 Jan: the local rule binds.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
    /// use lac_timescales::profile::{Basis, Profile};
    /// use lac_timescales::{calendar::Calendar, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let local = Profile::from_toml("talk-early.toml", r#"
    /// id = "talk-early"
    /// name = "Talk to the child a week ahead"
    /// kind = "local"
    /// extends = "england"
    /// version = "1"
    /// source = "an example"
    /// [[rule]]
    /// duty = "iro_speak_to_child"
    /// role = "iro"
    /// anchor = "review_date"
    /// direction = "before"
    /// period = "5 working days"
    /// action = "Speak to the child before the review"
    /// citation = { instrument = "Example procedure", provision = "s.2", status = "V" }
    /// "#)?;
    /// let events = vec![
    ///     Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
    ///     Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
    /// ];
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), events)?;
    /// let opts = ScheduleOptions::as_at(d(2026, 1, 29)).with_horizon_months(0);
    /// let s = schedule(&case, &local, &Calendar::england_and_wales(), &opts)?;
    /// let talk = s.obligations.iter()
    ///     .find(|o| o.duty == Duty::IroSpeakToChild && o.review_number == Some(1)).unwrap();
    /// let rules = talk.binding().expect("two rules");
    /// assert_eq!(rules.len(), 2);
    /// assert_eq!((rules[0].latest, rules[0].basis.clone()), (Some(d(2026, 1, 22)), Basis::Local("talk-early".into())));
    /// assert_eq!((rules[1].latest, rules[1].basis.clone()), (Some(d(2026, 1, 29)), Basis::Statutory));
    /// assert_eq!(talk.latest, Some(d(2026, 1, 22)));
    /// // Under statute alone one rule governs it.
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(), &opts)?;
    /// assert!(s.obligations.iter().all(|o| o.binding().is_none()));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn binding(&self) -> Option<&[Considered]> {
        self.rare.as_ref().and_then(|r| r.binding.as_deref())
    }

    /// Why it cannot apply, when it cannot: every rule for it would fall due before the child
    /// became looked after (counted back from a review held soon after that day). It then has no
    /// deadline, and an audit reports it `not_applicable` with this reason.
    ///
    /// The SARS checklist asks for the IRO to speak to the social worker 15 working days before
    /// each review. A child looked after on Mon 5 Jan 2026 had the first review on Fri 16 Jan:
    /// 15 working days back (Thu 1 Jan and 25-26 Dec 2025 are bank holidays) is Tue 23 Dec 2025,
    /// before the child was looked after.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let events = vec![
    ///     Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
    ///     Event::new(d(2026, 1, 16), EventKind::ReviewHeld { meeting: true, regimes: None }),
    /// ];
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), events)?;
    /// let opts = ScheduleOptions::as_at(d(2026, 1, 20)).with_horizon_months(0);
    /// let p = Profile::builtin("sars-checklist")?;
    /// let s = schedule(&case, &p, &Calendar::england_and_wales(), &opts)?;
    /// let of = |duty| s.obligations.iter().find(|o| o.duty == duty && o.review_number == Some(1)).unwrap();
    /// let talk = of(Duty::IroConsultSocialWorker);
    /// assert_eq!(talk.latest, None);
    /// let why = talk.not_applicable().unwrap();
    /// assert!(why.contains("2025-12-23") && why.contains("2026-01-05"), "{why}");
    /// // The social worker's report, 3 working days before (Tue 13 Jan), applies.
    /// let report = of(Duty::SubmitSocialWorkReport);
    /// assert_eq!((report.latest, report.not_applicable()), (Some(d(2026, 1, 13)), None));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn not_applicable(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.not_applicable.as_deref())
    }

    /// Whether this is an occurrence missed before its clock stopped (`Rare::clock_stopped`).
    fn clock_stopped(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.clock_stopped)
    }

    /// The trail's note, if any.
    pub(in crate::engine) fn note(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.note.as_deref())
    }

    /// Whose standard it breaches when it was not done by `on` (done late on `on`, or still not
    /// done as at `on`): its breach's basis when it has a breach; else `statutory` when statute's
    /// own deadline for it (its earliest statutory rule that can apply) is before `on`, and
    /// otherwise the binding rule's basis (a local deadline earlier than statute's was missed).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::{Basis, Profile}, schedule::*};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Dudley: second review within 90 days of Mon 2 Mar 2026 (Sun 31 May), statute three months (Tue 2 Jun).
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
    ///     Event::new(d(2026, 2, 2), EventKind::BecameLookedAfter),
    ///     Event::new(d(2026, 3, 2), EventKind::ReviewHeld { meeting: true, regimes: None }),
    /// ])?;
    /// let s = schedule(&case, &Profile::builtin("dudley")?, &Calendar::england_and_wales(), &ScheduleOptions::default())?;
    /// let second = s.obligations.iter().find(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    /// assert_eq!(second.basis_of_miss(d(2026, 6, 1)), Basis::Local("dudley".into()));
    /// assert_eq!(second.basis_of_miss(d(2026, 6, 3)), Basis::Statutory);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn basis_of_miss(&self, on: NaiveDate) -> Basis {
        if let Some(b) = &self.breach {
            return b.basis().clone();
        }
        let statutory = match self.binding() {
            Some(all) => {
                all.iter().filter(|c| c.basis == Basis::Statutory && !c.before_care).filter_map(|c| c.latest).min()
            }
            None => self.latest.filter(|_| self.basis == Basis::Statutory),
        };
        match statutory {
            Some(s) if on > s => Basis::Statutory,
            _ => self.basis.clone(),
        }
    }

    /// The held review meeting (index in the walk) this obligation is counted after, for duties
    /// after a review: what a `duty_done` matched by `Walk::meeting_of_done` records.
    pub(crate) fn after_meeting(&self) -> Option<usize> {
        self.trail.meeting.filter(|_| self.trail.direction == Some(Direction::After)).map(|m| m as usize)
    }

    /// The event (index into `events`, the case's) that records it done: among its triggers, the
    /// review meeting or visit on the day it was done. What the audit and the explanation name as
    /// what did it, rather than as what triggered it.
    pub(crate) fn done_by(&self, events: &[crate::model::Event]) -> Option<usize> {
        let done = self.done?;
        self.triggered_by
            .iter()
            .copied()
            .find(|&e| events.get(e).is_some_and(|ev| ev.date == done && ev.kind.records_done()))
    }

    /// What it is counted from, when that is an assumed date rather than a recorded one (a review
    /// not yet held, taken as held on its last working day; a previous visit not yet made; a duty's
    /// completion not recorded): the anchor and the assumed date. What the audit reads to tell
    /// whether that date has passed without the event it assumes.
    pub(crate) fn assumed_anchor(&self) -> Option<(Anchor, NaiveDate)> {
        match (self.trail.assumed, self.trail.anchor, self.trail.anchor_date) {
            (true, Some(anchor), Some(date)) => Some((anchor, date)),
            _ => None,
        }
    }
}

/// How an obligation's date was reached, kept for [`Schedule::explain`] (with a note, if any, in
/// the obligation's [`Rare`] block).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(in crate::engine) struct Trail {
    pub(in crate::engine) anchor: Option<Anchor>,
    pub(in crate::engine) anchor_date: Option<NaiveDate>,
    pub(in crate::engine) assumed: bool,
    pub(in crate::engine) direction: Option<Direction>,
    pub(in crate::engine) period: Option<Period>,
    pub(in crate::engine) statutory_calendar: bool,
    /// The held review meeting (index in the walk) a duty counted from a review belongs to.
    pub(in crate::engine) meeting: Option<u32>,
}

impl std::fmt::Display for Obligation {
    /// One line: the day to act by, the duty (and review), who, the action, the authority and
    /// its status, and what happened.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(),
    ///     vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
    ///     &ScheduleOptions::default())?;
    /// assert_eq!(s.next_review().unwrap().to_string(),
    ///     "2026-01-29 hold_review (looked_after review 1), local_authority: Hold the first looked-after review \
    ///      [statutory; Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 33(1) [V]]");
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.latest_working_day {
            Some(d) => write!(f, "{d} ")?,
            None => f.write_str("no date fixed ")?,
        }
        f.write_str(self.duty.as_str())?;
        match (self.regime, self.review_number) {
            (Some(r), Some(n)) => write!(f, " ({r} review {n})")?,
            (None, Some(n)) => write!(f, " (no. {n})")?,
            _ => {}
        }
        write!(f, ", {}: {} [{}; {}]", self.role, self.action, self.basis, self.citation)?;
        if self.early {
            f.write_str(" early")?;
        }
        if let Some(d) = self.done {
            write!(f, " done {d}")?;
        }
        if self.projected {
            f.write_str(" projected")?;
        }
        if let Some(b) = &self.breach {
            write!(f, " BREACH: {b}")?;
        }
        Ok(())
    }
}

/// Schedule metadata: what produced it.
// The profile's id and versions are `Shared` strings (as an obligation's action is), so that
// making and dropping a schedule neither allocates nor frees them; they read, compare and
// serialise as `str` (unit test `metadata_names_are_the_profiles_shared`). A plain comment:
// the struct's doc text is in the JSON Schemas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Metadata {
    /// The profile id.
    pub profile: Shared<str>,
    /// The profile version.
    pub profile_version: Shared<str>,
    /// The statutory profile underneath and its version.
    pub statutory_profile: std::borrow::Cow<'static, str>,
    /// The statutory profile version.
    pub statutory_profile_version: Shared<str>,
    /// Jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// Which date adjourned reviews are recorded on.
    pub adjourned_review_date: AdjournedReviewDate,
    /// The as-at date.
    pub as_at: Option<NaiveDate>,
    /// End of the planning horizon (none: no projection beyond the next review). A projected
    /// obligation is shown when its `latest_working_day` falls on or before it.
    pub horizon_end: Option<NaiveDate>,
    /// The calendar's data version.
    pub calendar: DataVersion,
    /// This library's version.
    pub library_version: std::borrow::Cow<'static, str>,
}

/// A computed schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Every obligation, sorted by date (the day to plan for), undated ones last.
    pub obligations: Vec<Obligation>,
    /// What produced it.
    pub metadata: Metadata,
}

/// One obligation's explanation: the steps by which its date was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The steps, in plain English.
    pub steps: Vec<String>,
}

/// Order of urgency: the day to act by, then the legal deadline; undated last.
pub(in crate::engine) fn due_key(o: &Obligation) -> (bool, Option<NaiveDate>, Option<NaiveDate>) {
    (o.latest_working_day.is_none(), o.latest_working_day, o.latest)
}

impl Schedule {
    /// The next review due: the review (regular or early) not yet held with the earliest day to
    /// act by, then the earliest legal deadline (two clocks can share a day to act by).
    ///
    /// Looked after from Mon 5 Jan 2026, first review held Thu 29 Jan: the second is due within
    /// three months of it, Wed 29 Apr 2026 (reg 33(2)(a)).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
    ///     Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
    ///     Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
    /// ])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(), &ScheduleOptions::new())?;
    /// let next = s.next_review().unwrap();
    /// assert_eq!((next.review_number, next.latest), (Some(2), Some(d(2026, 4, 29))));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn next_review(&self) -> Option<&Obligation> {
        self.obligations.iter().filter(|o| o.duty == Duty::HoldReview && o.done.is_none()).min_by_key(|o| due_key(o))
    }

    /// The obligations of `role` still open as at `as_at`: not done by then (done later, or not
    /// at all), and not found inapplicable, in the schedule's order (undated ones last). A role
    /// counts when any rule for the obligation names it.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction, Role};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
    ///     Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
    ///     Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
    /// ])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
    ///     &ScheduleOptions::default())?;
    /// // The first review was held on 29 Jan: as at 1 Feb, the local authority's next open
    /// // review is the second (three months after 29 Jan: 29 Apr).
    /// let open: Vec<_> = s.open_for(Role::LocalAuthority, d(2026, 2, 1))
    ///     .filter(|o| o.duty == lac_timescales::model::Duty::HoldReview).collect();
    /// assert_eq!(open[0].latest, Some(d(2026, 4, 29)));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn open_for(&self, role: Role, as_at: NaiveDate) -> impl Iterator<Item = &Obligation> {
        self.obligations.iter().filter(move |o| {
            (o.role == role || o.roles.contains(role))
                && o.done.is_none_or(|d| d > as_at)
                && o.not_applicable().is_none()
        })
    }

    /// The obligations not done by `as_at` whose day to act by falls within `days` calendar days
    /// after it (from `as_at` itself to `as_at + days`), in the schedule's order. Overdue ones
    /// (before `as_at`) are not included: see [`Schedule::open_for`] and `breach`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(),
    ///     vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
    ///     &ScheduleOptions::default())?;
    /// // The first review is due Thu 29 Jan 2026: 28 days after 1 Jan, not 27.
    /// assert!(s.due_within(d(2026, 1, 1), 28).any(|o| o.latest == Some(d(2026, 1, 29))));
    /// assert!(!s.due_within(d(2026, 1, 1), 27).any(|o| o.latest == Some(d(2026, 1, 29))));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn due_within(&self, as_at: NaiveDate, days: u32) -> impl Iterator<Item = &Obligation> {
        let end = as_at.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        self.obligations.iter().filter(move |o| {
            o.done.is_none_or(|d| d > as_at)
                && o.not_applicable().is_none()
                && o.latest_working_day.is_some_and(|w| w >= as_at && w <= end)
        })
    }

    /// The next review due as seen on `as_at`: the earliest review not held by that date (a
    /// review held after `as_at` was still due on it). Overdue reviews count: they are still due.
    /// A review missed before its clock stopped (the child left care, or was placed for adoption
    /// and the looked-after reviews ended) does not: it is no longer due, it was missed.
    ///
    /// Looked after from Mon 5 Jan 2026; the first review held Thu 29 Jan, the second Mon 20 Apr
    /// (due Wed 29 Apr). On Fri 10 Apr the second was still due; on Fri 1 May the third is,
    /// within six months of 20 Apr: Tue 20 Oct 2026 (reg 33(2)(b)).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let held = |on| Event::new(on, EventKind::ReviewHeld { meeting: true, regimes: None });
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
    ///     Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
    ///     held(d(2026, 1, 29)),
    ///     held(d(2026, 4, 20)),
    /// ])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(), &ScheduleOptions::new())?;
    /// let on_10_april = s.next_review_due(d(2026, 4, 10)).unwrap();
    /// assert_eq!((on_10_april.review_number, on_10_april.latest), (Some(2), Some(d(2026, 4, 29))));
    /// let on_1_may = s.next_review_due(d(2026, 5, 1)).unwrap();
    /// assert_eq!((on_1_may.review_number, on_1_may.latest), (Some(3), Some(d(2026, 10, 20))));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn next_review_due(&self, as_at: NaiveDate) -> Option<&Obligation> {
        self.obligations
            .iter()
            .filter(|o| o.duty == Duty::HoldReview && o.done.is_none_or(|d| d > as_at) && !o.clock_stopped())
            .min_by_key(|o| due_key(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The metadata names are the profile's id and versions, interned (no allocation per
    /// schedule), and serialise as strings.
    #[test]
    fn metadata_names_are_the_profiles_shared() {
        use crate::calendar::Calendar;
        use crate::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let case = CaseHistory::new(
            Jurisdiction::England,
            Child::default(),
            vec![Event::new(d, EventKind::BecameLookedAfter)],
        )
        .unwrap();
        let cal = Calendar::england_and_wales();
        for id in ["dudley", "england", "dudley"] {
            let p = crate::profile::Profile::builtin(id).unwrap();
            let s = schedule(&case, &p, &cal, &ScheduleOptions::default()).unwrap();
            let m = &s.metadata;
            assert_eq!((&*m.profile, &*m.profile_version), (p.id.as_str(), p.version.as_str()));
            assert_eq!(&*m.statutory_profile_version, p.statutory_version.as_str());
            assert!(
                m.profile.is_interned() && m.profile_version.is_interned() && m.statutory_profile_version.is_interned()
            );
            let json = serde_json::to_value(m).unwrap();
            assert_eq!(
                (json["profile"].as_str(), json["profile_version"].as_str()),
                (Some(id), Some(p.version.as_str()))
            );
            assert_eq!(serde_json::from_value::<Metadata>(json).unwrap(), *m);
        }
    }

    /// Every field, present, serialises in the order of the JSON Schema (`binding` between
    /// `basis` and `citation`, `breach` and `not_applicable` last) and reads back equal; the rare
    /// ones read through their methods.
    #[test]
    fn every_field_keeps_its_place_in_json() {
        let text = concat!(
            r#"{"duty":"hold_review","role":"local_authority","roles":["local_authority","iro"],"#,
            r#""action":"Hold it","regime":"looked_after","review_number":2,"earliest":"2026-01-02","#,
            r#""latest":"2026-03-01","latest_working_day":"2026-02-27","basis":"local:dudley","#,
            r#""binding":[{"basis":"local:dudley","period":"20 working days","latest":"2026-03-01","#,
            r#""citation":{"instrument":"L","provision":"3.1","status":"V"}},{"basis":"statutory","#,
            r#""period":null,"latest":null,"citation":{"instrument":"I","provision":"reg 1","status":"U"},"#,
            r#""before_care":true}],"citation":{"instrument":"L","provision":"3.1","status":"V"},"#,
            r#""triggered_by":[0,4,5],"projected":true,"provisional":true,"early":true,"#,
            r#""done":"2026-03-04","breach":{"kind":"not_held","as_at":"2026-03-02","basis":"statutory"},"#,
            r#""not_applicable":"before care"}"#
        );
        let o: Obligation = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&o).unwrap(), text);
        let binding = o.binding().unwrap();
        assert_eq!(
            (binding.len(), binding[1].before_care, binding[0].latest),
            (2, true, NaiveDate::from_ymd_opt(2026, 3, 1))
        );
        assert_eq!(o.not_applicable(), Some("before care"));
        assert_eq!(o.breach.as_ref().map(Breach::kind), Some("not_held"));
        assert!(o.rare.is_some());
        assert_eq!(serde_json::from_str::<Obligation>(&serde_json::to_string(&o).unwrap()).unwrap(), o);
    }

    /// An obligation without a rare field has no block (so that it allocates nothing for one),
    /// whether made by the engine or read from JSON, and leaves those fields out of its JSON.
    #[test]
    fn an_obligation_without_rare_fields_has_no_block() {
        let text = concat!(
            r#"{"duty":"issue_decisions","role":"iro","roles":[],"action":"Issue","latest":null,"#,
            r#""latest_working_day":null,"basis":"statutory","citation":{"instrument":"I","#,
            r#""provision":"reg 1","status":"V"},"triggered_by":[3],"projected":false,"provisional":false}"#
        );
        let o: Obligation = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&o).unwrap(), text);
        assert!(o.rare.is_none());
        assert_eq!((o.binding(), o.not_applicable(), o.note()), (None, None, None));
        use crate::calendar::Calendar;
        use crate::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let case = CaseHistory::new(
            Jurisdiction::England,
            Child::default(),
            vec![
                Event::new(d(1, 5), EventKind::BecameLookedAfter),
                Event::new(d(3, 2), EventKind::ReviewHeld { meeting: true, regimes: None }),
            ],
        )
        .unwrap();
        let p = crate::profile::Profile::builtin("england").unwrap();
        let s = schedule(&case, &p, &Calendar::england_and_wales(), &ScheduleOptions::default()).unwrap();
        // The first review, due Mon 2 Feb 2026 (20 working days after Mon 5 Jan), was held on
        // Mon 2 Mar, 20 working days late (3-6, 9-13, 16-20, 23-27 Feb and 2 Mar): a breach,
        // kept in the obligation itself, and no block.
        let first = s.obligations.iter().find(|o| o.duty == Duty::HoldReview && o.review_number == Some(1)).unwrap();
        assert_eq!(first.latest, Some(d(2, 2)));
        assert!(matches!(first.breach, Some(Breach::LateReview { working_days_late: 20, .. })), "{first:?}");
        assert!(s.obligations.iter().all(|o| o.rare.is_none()));
    }

    /// An obligation takes 192 bytes (248 when its rare fields were kept inline), the block's
    /// pointer one word.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn an_obligation_is_192_bytes() {
        assert_eq!(std::mem::size_of::<Obligation>(), 192);
        assert_eq!(std::mem::size_of::<Option<Arc<Rare>>>(), 8);
    }

    /// A trigger list is three words (an `Arc<[usize]>` was two, with a shared count to touch on
    /// every clone and drop), holds any list, and equals, hashes and serialises by its contents
    /// whether kept inline or on the heap.
    #[test]
    fn triggers_are_three_words_and_keep_any_list() {
        use std::hash::{BuildHasher, RandomState};
        assert_eq!(std::mem::size_of::<Triggers>(), 3 * std::mem::size_of::<usize>());
        let h = RandomState::new();
        for list in [&[][..], &[0], &[5, 1], &[7, 8, 9], &[1, 2, 3, 4, 5]] {
            let a = Triggers::from(list);
            let b = Triggers::from(list.to_vec());
            let c: Triggers = list.iter().copied().collect();
            assert_eq!(&a[..], list);
            assert_eq!(a.as_slice(), list);
            assert_eq!((a == b, b == c, a.clone() == a), (true, true, true));
            assert_eq!(h.hash_one(&a), h.hash_one(&b));
            assert_eq!(format!("{a:?}"), format!("{list:?}"));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, serde_json::to_string(list).unwrap());
            assert_eq!(serde_json::from_str::<Triggers>(&json).unwrap(), a);
            assert_eq!((&a).into_iter().count(), list.len());
        }
        assert_ne!(Triggers::from(&[1, 2][..]), Triggers::from(&[1, 2, 3][..]));
        assert_ne!(Triggers::from(&[2][..]), Triggers::from(&[1][..]));
        assert_eq!(Triggers::default(), Triggers::from(&[][..]));
    }
}
