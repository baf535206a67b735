//! The review regimes as clocks: one walk over a case history that validates it and records the
//! periods of care, the runs of each regime's clock, and the review meetings that satisfy them.
//!
//! Interplay (reference section 2):
//! - `became_looked_after` starts a period of care and the looked-after clock; a later
//!   `became_looked_after` after `ceased_to_be_looked_after` starts a new period, numbered from 1.
//! - `authority_to_place` starts the adoption-authorised clock beside the looked-after clock; one
//!   review meeting satisfies both (CPPCR reg 32(3)) unless `review_held.regimes` says otherwise.
//! - `placed_for_adoption` stops both and starts the adoption-placed clock; `returned_to_agency`
//!   stops it and restarts the looked-after clock (and the authorised clock while authority is
//!   held). The restarted clock counts its first review from the return (status U: the law does not
//!   say; this is the earlier, safer reading).
//! - Secure accommodation runs its own clock, satisfied only by `secure_review_held`.
//! - A short-break series runs its own clock; the child counts as looked after for validation.
//! - `placed_with_parent_before_assessment` starts a one-review clock; the next review ends it.

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::model::walk::{CarePeriod, Done, Marker, Meeting, MeetingSlots, Placement, Rearrangement, Run, Walk};
use crate::model::{Anchor, CaseHistory, Child, Event, EventKind, Jurisdiction, Regime, MAX_EVENTS};

/// Building a case history is the walk: it validates the events and records what the engine needs
/// (an inherent method of [`CaseHistory`], defined here so that the model does not depend on the
/// walk).
impl CaseHistory {
    /// Validates and builds a case history.
    ///
    /// # Errors
    /// [`Error::InvalidEvent`] naming the first impossible event; [`Error::LimitExceeded`] above
    /// [`MAX_EVENTS`] events; [`Error::InvalidInput`] for a date of birth outside the calendar.
    pub fn new(jurisdiction: Jurisdiction, child: Child, events: Vec<Event>) -> Result<CaseHistory> {
        if events.len() > MAX_EVENTS {
            return Err(Error::LimitExceeded {
                what: "number of events".into(),
                actual: events.len(),
                limit: MAX_EVENTS,
            });
        }
        let cal = Calendar::england_and_wales();
        check_child(&child, &cal)?;
        let walk = validate(&events, &child, &cal, Walk::default())?;
        Ok(CaseHistory { jurisdiction, child, events, walk })
    }

    /// Builds this case history again from `events`, reusing its buffers: what
    /// [`CaseHistory::new`] gives, without allocating again, for callers that build many
    /// histories one after another (the SSDA903 audit builds one for each period of care).
    ///
    /// # Errors
    /// As [`CaseHistory::new`]. On an error the history is left empty (no events), as
    /// `CaseHistory::new` would build it from none.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let looked_after = |date| Event::new(date, EventKind::BecameLookedAfter);
    /// let mut case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![looked_after(d(2026, 1, 5))])?;
    /// case.rebuild(Jurisdiction::England, Child::default(), [looked_after(d(2026, 3, 2))])?;
    /// assert_eq!(case.events()[0].date, d(2026, 3, 2));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn rebuild(
        &mut self,
        jurisdiction: Jurisdiction,
        child: Child,
        events: impl IntoIterator<Item = Event>,
    ) -> Result<()> {
        let mut walk = std::mem::take(&mut self.walk);
        walk.clear();
        self.events.clear();
        self.events.extend(events);
        self.jurisdiction = jurisdiction;
        self.child = child;
        let built = if self.events.len() > MAX_EVENTS {
            Err(Error::LimitExceeded { what: "number of events".into(), actual: self.events.len(), limit: MAX_EVENTS })
        } else {
            let cal = Calendar::england_and_wales();
            check_child(&self.child, &cal).and_then(|()| validate(&self.events, &self.child, &cal, walk))
        };
        match built {
            Ok(walk) => {
                self.walk = walk;
                Ok(())
            }
            Err(e) => {
                self.events.clear();
                self.child = Child::default();
                Err(e)
            }
        }
    }
}

/// The child's details that the walk does not check: the date of birth lies in the calendar.
fn check_child(child: &Child, cal: &Calendar) -> Result<()> {
    if let Some(dob) = child.date_of_birth {
        cal.check_in_range(dob).map_err(|e| Error::input("child.date_of_birth", dob.to_string(), e.to_string()))?;
    }
    Ok(())
}

/// Validates `events` and walks them, into `walk` (empty: its buffers are reused).
pub(crate) fn validate(events: &[Event], child: &Child, cal: &Calendar, walk: Walk) -> Result<Walk> {
    let mut w = Walker { walk, ..Walker::default() };
    for (i, ev) in events.iter().enumerate() {
        w.step(i, ev, child, cal, events)?;
    }
    let mut walk = w.walk;
    for k in 0..walk.done.len() {
        walk.done[k].meeting = walk.meeting_of_done(&walk.done[k]);
    }
    Ok(walk)
}

/// Order in which a meeting's regimes give its review number and regime.
pub(crate) const PRIMARY: [Regime; 6] = [
    Regime::LookedAfter,
    Regime::ShortBreaks,
    Regime::AdoptionPlaced,
    Regime::AdoptionAuthorised,
    Regime::PlacedWithParent,
    Regime::SecureAccommodation,
];

impl Walk {
    /// The review number of a meeting: its number in the first of its regimes in [`PRIMARY`] order.
    pub(crate) fn primary_number(&self, slots: &[(usize, u32)]) -> Option<u32> {
        PRIMARY.iter().find_map(|reg| slots.iter().find(|(r, _)| self.runs[*r].regime == *reg).map(|(_, n)| *n))
    }

    /// The review a recorded duty (`duty_done`) belongs to, when it is about a review: the one
    /// rule for matching recorded duties to reviews, used by the schedule (for anchors such as
    /// the receipt of the decisions) and by the audit alike.
    ///
    /// With a `review_number`, the review of that number (in the primary regime) in the period of
    /// care the event falls in; without one, the latest review (not a secure panel review) of
    /// that period held on or before the event's date, counting an adjourned review from its
    /// first meeting. A duty recorded after the period ended is looked for among every review.
    pub(crate) fn meeting_of_done(&self, d: &Done) -> Option<usize> {
        let in_period = |m: &Meeting| !m.secure && d.period.is_none_or(|p| p == m.period);
        match d.review_number {
            Some(n) => self.meetings.iter().position(|m| in_period(m) && self.primary_number(&m.slots) == Some(n)),
            None => self.meetings.iter().rposition(|m| in_period(m) && m.date <= d.date),
        }
    }
}

#[derive(Default)]
struct Walker {
    walk: Walk,
    /// Current period of care (not short breaks) and short-break series.
    care: Option<usize>,
    breaks: Option<usize>,
    /// Active run per regime (index by Regime position).
    active: [Option<usize>; Regime::ALL.len()],
    authority_held: bool,
    placed: bool,
    /// An adjourned review awaiting completion.
    pending: Option<usize>,
    /// Rearrangements not yet attached to a held meeting.
    open_rearrangements: Vec<usize>,
    /// The placement running, if any.
    placement: Option<usize>,
}

/// The running review clocks: at most one per regime.
struct RunList {
    runs: [usize; Regime::ALL.len()],
    len: usize,
}

impl RunList {
    fn as_slice(&self) -> &[usize] {
        &self.runs[..self.len]
    }
}

fn slot(r: Regime) -> usize {
    Regime::ALL.iter().position(|x| *x == r).unwrap_or(0)
}

impl Walker {
    fn err(i: usize, ev: &Event, field: &str, value: String, reason: impl Into<String>) -> Error {
        Error::InvalidEvent {
            index: i,
            event: ev.kind.name().into(),
            field: field.into(),
            value,
            reason: reason.into(),
        }
    }

    fn start_run(&mut self, regime: Regime, date: NaiveDate, event: usize, period: usize) {
        self.walk.runs.push(Run { regime, start: date, start_event: event, end: None, period, held: Vec::new() });
        self.active[slot(regime)] = Some(self.walk.runs.len() - 1);
    }

    fn end_run(&mut self, regime: Regime, date: NaiveDate, event: usize) {
        if let Some(r) = self.active[slot(regime)].take() {
            self.walk.runs[r].end = Some((date, event));
        }
    }

    /// Starts a placement in period `period`, ending the one running (a move).
    #[allow(clippy::too_many_arguments)]
    fn start_placement(
        &mut self,
        date: NaiveDate,
        event: usize,
        period: usize,
        long_term: bool,
        emergency: bool,
        with_parent: bool,
        adoption: bool,
    ) {
        self.end_placement(date, event, false);
        let first = !self.walk.placements.iter().any(|p| p.period == period);
        self.walk.placements.push(Placement {
            start: date,
            start_event: event,
            end: None,
            ended_by_event: false,
            period,
            first,
            long_term,
            emergency,
            with_parent,
            adoption,
            visits: Vec::new(),
        });
        self.placement = Some(self.walk.placements.len() - 1);
    }

    fn end_placement(&mut self, date: NaiveDate, event: usize, by_event: bool) {
        if let Some(p) = self.placement.take() {
            self.walk.placements[p].end = Some((date, event));
            self.walk.placements[p].ended_by_event = by_event;
        }
    }

    /// The period a review or marker belongs to: the period of care, else the short-break series.
    fn current_period(&self) -> Option<usize> {
        self.care.or(self.breaks)
    }

    /// The review clocks running (secure accommodation apart), in [`Regime::ALL`] order: one run
    /// per regime at most, so they fit inline (a review is walked without allocating for them).
    fn review_runs(&self) -> RunList {
        let mut list = RunList { runs: [0; Regime::ALL.len()], len: 0 };
        for r in Regime::ALL.iter().filter(|r| **r != Regime::SecureAccommodation) {
            if let Some(run) = self.active[slot(*r)] {
                list.runs[list.len] = run;
                list.len += 1;
            }
        }
        list
    }

    fn step(&mut self, i: usize, ev: &Event, child: &Child, cal: &Calendar, events: &[Event]) -> Result<()> {
        let date = ev.date;
        cal.check_in_range(date).map_err(|e| Self::err(i, ev, "date", date.to_string(), e.to_string()))?;
        if let Some(prev) = i.checked_sub(1).map(|p| &events[p]) {
            if date < prev.date {
                return Err(Self::err(
                    i,
                    ev,
                    "date",
                    date.to_string(),
                    format!("events must be in date order: event {} is dated {}", i - 1, prev.date),
                ));
            }
        }
        if let Some(dob) = child.date_of_birth {
            if date < dob {
                return Err(Self::err(
                    i,
                    ev,
                    "date",
                    date.to_string(),
                    format!("before the child's date of birth {dob}"),
                ));
            }
        }
        let not_looked_after =
            || Self::err(i, ev, "event", ev.kind.name().into(), "the child is not looked after at this date");
        use EventKind::*;
        match &ev.kind {
            BecameLookedAfter => {
                if self.care.is_some() {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "the child is already looked after (no ceased_to_be_looked_after since)",
                    ));
                }
                self.walk.periods.push(CarePeriod {
                    start: date,
                    start_event: i,
                    end: None,
                    short_breaks: false,
                    ceased: false,
                    reviews: 0,
                });
                let p = self.walk.periods.len() - 1;
                self.care = Some(p);
                self.start_run(Regime::LookedAfter, date, i, p);
            }
            CeasedToBeLookedAfter => {
                let p = self.care.take().ok_or_else(not_looked_after)?;
                for r in [
                    Regime::LookedAfter,
                    Regime::AdoptionAuthorised,
                    Regime::AdoptionPlaced,
                    Regime::SecureAccommodation,
                    Regime::PlacedWithParent,
                ] {
                    self.end_run(r, date, i);
                }
                self.walk.periods[p].end = Some((date, i));
                self.walk.periods[p].ceased = true;
                self.end_placement(date, i, false);
                self.authority_held = false;
                self.placed = false;
                self.pending = None;
            }
            ShortBreaksStarted => {
                if self.breaks.is_some() {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "a short-break series is already running",
                    ));
                }
                self.walk.periods.push(CarePeriod {
                    start: date,
                    start_event: i,
                    end: None,
                    short_breaks: true,
                    ceased: false,
                    reviews: 0,
                });
                let p = self.walk.periods.len() - 1;
                self.breaks = Some(p);
                self.start_run(Regime::ShortBreaks, date, i, p);
            }
            ShortBreaksEnded => {
                let p = self.breaks.take().ok_or_else(|| {
                    Self::err(i, ev, "event", ev.kind.name().into(), "no short-break series is running")
                })?;
                self.end_run(Regime::ShortBreaks, date, i);
                self.walk.periods[p].end = Some((date, i));
            }
            AuthorityToPlace => {
                let p = self.care.ok_or_else(not_looked_after)?;
                if self.authority_held {
                    return Err(Self::err(i, ev, "event", ev.kind.name().into(), "authority to place is already held"));
                }
                self.authority_held = true;
                if !self.placed {
                    self.start_run(Regime::AdoptionAuthorised, date, i, p);
                }
            }
            AuthorityToPlaceEnded => {
                if !self.authority_held {
                    return Err(Self::err(i, ev, "event", ev.kind.name().into(), "no authority to place is held"));
                }
                self.authority_held = false;
                self.end_run(Regime::AdoptionAuthorised, date, i);
            }
            PlacedForAdoption => {
                let p = self.care.ok_or_else(not_looked_after)?;
                if self.placed {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "the child is already placed for adoption",
                    ));
                }
                self.placed = true;
                self.start_placement(date, i, p, false, false, false, true);
                self.end_run(Regime::LookedAfter, date, i);
                self.end_run(Regime::AdoptionAuthorised, date, i);
                self.end_run(Regime::PlacedWithParent, date, i);
                self.start_run(Regime::AdoptionPlaced, date, i, p);
            }
            ReturnedToAgency => {
                let p = self.care.ok_or_else(not_looked_after)?;
                if !self.placed {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "the child is not placed for adoption",
                    ));
                }
                self.placed = false;
                self.end_placement(date, i, false);
                self.end_run(Regime::AdoptionPlaced, date, i);
                self.start_run(Regime::LookedAfter, date, i, p);
                if self.authority_held {
                    self.start_run(Regime::AdoptionAuthorised, date, i, p);
                }
            }
            AdoptionOrderMade => {
                let p = self.care.take().ok_or_else(not_looked_after)?;
                if !self.placed {
                    self.care = Some(p);
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "the child is not placed for adoption",
                    ));
                }
                for r in [Regime::AdoptionPlaced, Regime::SecureAccommodation, Regime::PlacedWithParent] {
                    self.end_run(r, date, i);
                }
                self.walk.periods[p].end = Some((date, i));
                self.end_placement(date, i, false);
                self.placed = false;
                self.authority_held = false;
                self.pending = None;
            }
            PlacedInSecureAccommodation => {
                let p = self.care.ok_or_else(not_looked_after)?;
                if self.active[slot(Regime::SecureAccommodation)].is_some() {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "the child is already in secure accommodation",
                    ));
                }
                self.start_run(Regime::SecureAccommodation, date, i, p);
            }
            LeftSecureAccommodation => {
                if self.active[slot(Regime::SecureAccommodation)].is_none() {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "the child is not in secure accommodation",
                    ));
                }
                self.end_run(Regime::SecureAccommodation, date, i);
            }
            SecureReviewHeld => {
                let r = self.active[slot(Regime::SecureAccommodation)].ok_or_else(|| {
                    Self::err(i, ev, "event", ev.kind.name().into(), "the child is not in secure accommodation")
                })?;
                self.not_held_today(i, ev, date, r)?;
                let n = self.walk.runs[r].held.len() as u32 + 1;
                let period = self.walk.runs[r].period;
                self.walk.meetings.push(Meeting {
                    date,
                    event: i,
                    completed: Some((date, i)),
                    adjournments: Vec::new(),
                    with_meeting: true,
                    slots: {
                        let mut s = MeetingSlots::default();
                        s.push((r, n));
                        s
                    },
                    secure: true,
                    period,
                    ordinal: 0,
                });
                let m = self.walk.meetings.len() - 1;
                self.walk.runs[r].held.push(m);
            }
            PlacedWithParentBeforeAssessment => {
                let p = self.care.ok_or_else(not_looked_after)?;
                self.end_run(Regime::PlacedWithParent, date, i);
                self.start_run(Regime::PlacedWithParent, date, i, p);
            }
            ReviewHeld { meeting, regimes } => {
                if let Some(m) = self.pending.take() {
                    // Completes the adjourned review.
                    self.walk.meetings[m].completed = Some((date, i));
                    self.walk.meetings[m].with_meeting |= *meeting;
                    return Ok(());
                }
                self.hold(i, ev, date, *meeting, regimes.as_deref())?;
                if let Some(m) = self.walk.meetings.len().checked_sub(1) {
                    self.walk.meetings[m].completed = Some((date, i));
                }
            }
            ReviewAdjourned => {
                if let Some(m) = self.pending {
                    let last = self.walk.meetings[m].adjournments.last().copied();
                    if let Some(k) = last.filter(|&k| events.get(k).is_some_and(|e| e.date == date)) {
                        return Err(Self::err(
                            i,
                            ev,
                            "date",
                            date.to_string(),
                            format!("the review was already adjourned on this day (event {k}): send it once"),
                        ));
                    }
                    self.walk.meetings[m].adjournments.push(i);
                    return Ok(());
                }
                self.hold(i, ev, date, true, None)?;
                let m = self.walk.meetings.len() - 1;
                self.walk.meetings[m].adjournments.push(i);
                self.walk.meetings[m].completed = None;
                self.pending = Some(m);
            }
            ReviewRearranged { from, to } => {
                let p = self.current_period().ok_or_else(not_looked_after)?;
                if self.review_runs().len == 0 {
                    return Err(not_looked_after());
                }
                for (field, d) in [("from", from), ("to", to)] {
                    cal.check_in_range(*d).map_err(|e| Self::err(i, ev, field, d.to_string(), e.to_string()))?;
                }
                if *to < date {
                    return Err(Self::err(
                        i,
                        ev,
                        "to",
                        to.to_string(),
                        format!("the new date is before the rearrangement was made ({date})"),
                    ));
                }
                self.walk.rearrangements.push(Rearrangement {
                    event: i,
                    date,
                    from: *from,
                    to: *to,
                    meeting: None,
                    period: p,
                });
                self.open_rearrangements.push(self.walk.rearrangements.len() - 1);
            }
            LongTermFosterPlacement => {
                let p = self.care.ok_or_else(not_looked_after)?;
                self.walk.long_term_foster.push((i, date, p));
            }
            CarePlanStarted => {
                let p = self.current_period().ok_or_else(not_looked_after)?;
                self.walk.markers.push(Marker { event: i, date, anchor: Anchor::CarePlanStarted, period: p });
            }
            DisputeStarted => {
                let p = self.current_period().ok_or_else(not_looked_after)?;
                self.walk.markers.push(Marker { event: i, date, anchor: Anchor::DisputeStarted, period: p });
            }
            IroChanged => {
                let p = self.care.ok_or_else(not_looked_after)?;
                self.walk.markers.push(Marker { event: i, date, anchor: Anchor::IroChanged, period: p });
            }
            DutyDone { duty, review_number } => {
                self.walk.done.push(Done {
                    event: i,
                    date,
                    duty: *duty,
                    review_number: *review_number,
                    period: self.current_period(),
                    meeting: None,
                });
            }
            PlacementStarted { intended_to_last_until_18, emergency, with_parent } => {
                let p = self.care.ok_or_else(not_looked_after)?;
                if self.placed {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "the child is placed for adoption (record returned_to_agency first)",
                    ));
                }
                self.start_placement(date, i, p, *intended_to_last_until_18, *emergency, *with_parent, false);
            }
            PlacementEnded => {
                let p = self.placement.ok_or_else(|| {
                    Self::err(i, ev, "event", ev.kind.name().into(), "no placement is running at this date")
                })?;
                if self.walk.placements[p].adoption {
                    return Err(Self::err(
                        i,
                        ev,
                        "event",
                        ev.kind.name().into(),
                        "a placement for adoption ends with returned_to_agency or adoption_order_made",
                    ));
                }
                self.end_placement(date, i, true);
            }
            SocialWorkerVisit => {
                self.care.ok_or_else(not_looked_after)?;
                if let Some(p) = self.placement {
                    self.walk.placements[p].visits.push((i, date));
                }
            }
            kind => {
                let anchor = kind.trigger().expect("every remaining event kind is an early-review trigger");
                let p = self.care.ok_or_else(not_looked_after)?;
                // The same trigger sent twice on one day (equal in every field) is one trigger:
                // one IRO request is one early review (CPPCR reg 33(3)), as one meeting is one
                // review. Two significant changes with different notes stay two.
                let twice = self
                    .walk
                    .markers
                    .iter()
                    .rev()
                    .take_while(|m| m.date == date)
                    .find(|m| m.period == p && events.get(m.event).is_some_and(|e| e.kind == ev.kind));
                if let Some(m) = twice {
                    return Err(Self::err(
                        i,
                        ev,
                        "date",
                        date.to_string(),
                        format!(
                            "{} was already recorded on this day (event {}): the same trigger sent twice is one \
                             early review, so send it once",
                            anchor.describe(),
                            m.event
                        ),
                    ));
                }
                self.walk.markers.push(Marker { event: i, date, anchor, period: p });
            }
        }
        Ok(())
    }

    /// An error when run `r` already had a review on `date`: one meeting is one review, and the
    /// same review sent twice (a duplicated row) would count as two and move every later review
    /// (an adjourned review's completion is a `review_held` after `review_adjourned`, and a review
    /// of another regime the same day names its `regimes`). The day of an adjourned review's
    /// completing meeting counts too: that `review_held` sent twice was a new review.
    fn not_held_today(&self, i: usize, ev: &Event, date: NaiveDate, r: usize) -> Result<()> {
        let run = &self.walk.runs[r];
        // The review's own meeting, or the one completing it after an adjournment.
        let earlier =
            run.held.last().and_then(|&m| self.walk.meetings.get(m)).and_then(|m| {
                [(m.date, m.event)].into_iter().chain(m.completed).find(|&(d, _)| d == date).map(|(_, e)| e)
            });
        match earlier {
            Some(earlier) => Err(Self::err(
                i,
                ev,
                "date",
                date.to_string(),
                format!(
                    "a {} was already held on this day (event {}): one meeting is one review, so send it \
                     once",
                    run.regime.describe().to_lowercase(),
                    earlier
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Records a review meeting satisfying the running clocks (all, or those named).
    fn hold(
        &mut self,
        i: usize,
        ev: &Event,
        date: NaiveDate,
        with_meeting: bool,
        only: Option<&[Regime]>,
    ) -> Result<()> {
        let runs = self.review_runs();
        if runs.len == 0 {
            return Err(Self::err(
                i,
                ev,
                "event",
                ev.kind.name().into(),
                "the child is not looked after at this date (no review clock is running)",
            ));
        }
        let chosen_list: Vec<usize>;
        let chosen: &[usize] = match only {
            None => runs.as_slice(),
            Some(list) => {
                if list.is_empty() {
                    return Err(Self::err(
                        i,
                        ev,
                        "regimes",
                        "[]".into(),
                        "name at least one regime, or leave regimes out",
                    ));
                }
                let mut v = Vec::new();
                for (k, r) in list.iter().enumerate() {
                    if list[..k].contains(r) {
                        return Err(Self::err(
                            i,
                            ev,
                            "regimes",
                            r.as_str().into(),
                            "named twice: name each regime once",
                        ));
                    }
                    match runs.as_slice().iter().find(|x| self.walk.runs[**x].regime == *r) {
                        Some(x) => v.push(*x),
                        None => {
                            return Err(Self::err(
                                i,
                                ev,
                                "regimes",
                                r.as_str().into(),
                                "that regime's clock is not running at this date",
                            ));
                        }
                    }
                }
                chosen_list = v;
                &chosen_list
            }
        };
        for r in chosen {
            self.not_held_today(i, ev, date, *r)?;
        }
        let m = self.walk.meetings.len();
        let mut slots = MeetingSlots::default();
        for r in chosen {
            let run = &mut self.walk.runs[*r];
            run.held.push(m);
            slots.push((*r, run.held.len() as u32));
        }
        let period = self.walk.runs[chosen[0]].period;
        let ordinal = match self.walk.periods.get_mut(period) {
            Some(p) => {
                p.reviews += 1;
                p.reviews
            }
            None => 0,
        };
        self.walk.meetings.push(Meeting {
            date,
            event: i,
            completed: Some((date, i)),
            adjournments: Vec::new(),
            with_meeting,
            slots,
            secure: false,
            period,
            ordinal,
        });
        for r in self.open_rearrangements.drain(..) {
            self.walk.rearrangements[r].meeting = Some(m);
        }
        for r in [Regime::PlacedWithParent] {
            if let Some(run) = self.active[slot(r)] {
                if chosen.contains(&run) {
                    self.end_run(r, date, i);
                }
            }
        }
        Ok(())
    }
}
