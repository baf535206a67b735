//! What the walk over a case history learned (periods of care, clock runs, meetings, placements):
//! plain data kept inside [`CaseHistory`](super::CaseHistory). The walk itself, which validates
//! a history and fills these in, is `crate::clocks`; the engine reads them.

use chrono::NaiveDate;

use super::{Anchor, Duty, Regime};

/// A period of care (or a short-break series).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CarePeriod {
    pub start: NaiveDate,
    pub start_event: usize,
    pub end: Option<(NaiveDate, usize)>,
    pub short_breaks: bool,
    /// Ended by `ceased_to_be_looked_after` (not by an adoption order or the end of short breaks).
    pub ceased: bool,
    /// Reviews held in it so far (secure panel reviews apart).
    pub reviews: u32,
}

/// One run of a regime's clock: from its start event to its end (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub regime: Regime,
    pub start: NaiveDate,
    pub start_event: usize,
    pub end: Option<(NaiveDate, usize)>,
    pub period: usize,
    /// Meetings that satisfied this run, in order (review n is `held[n - 1]`).
    pub held: Vec<usize>,
}

/// A review meeting that happened (held, or adjourned and perhaps completed later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Meeting {
    /// The date of the (first) meeting.
    pub date: NaiveDate,
    pub event: usize,
    /// The meeting that completed the review: the same as (date, event) unless adjourned.
    pub completed: Option<(NaiveDate, usize)>,
    /// `review_adjourned` events of this review (two or more is a breach).
    pub adjournments: Vec<usize>,
    /// Held with a meeting (false: a review without a meeting).
    pub with_meeting: bool,
    /// (run, review number) pairs this meeting satisfied.
    pub slots: MeetingSlots,
    pub secure: bool,
    pub period: usize,
    /// Its place among the reviews of its period of care (1 for the first); 0 for a secure panel
    /// review.
    pub ordinal: u32,
}

/// A `review_rearranged` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rearrangement {
    pub event: usize,
    /// When the rearrangement was made.
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The meeting it applied to, if one was held after it (else: the upcoming review).
    pub meeting: Option<usize>,
    pub period: usize,
}

/// An event recorded for rules anchored on it (triggers, care plans, disputes...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub event: usize,
    pub date: NaiveDate,
    pub anchor: Anchor,
    pub period: usize,
}

/// A `duty_done` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Done {
    pub event: usize,
    pub date: NaiveDate,
    pub duty: Duty,
    pub review_number: Option<u32>,
    pub period: Option<usize>,
    /// The review meeting (index in `Walk::meetings`) it belongs to, by [`Walk::meeting_of_done`].
    pub meeting: Option<usize>,
}

/// A placement: from `placement_started` (or `placed_for_adoption`) to its end. Its clocks are
/// the visits, the placement plan and the notifications (and the care plan for the first one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placement {
    pub start: NaiveDate,
    pub start_event: usize,
    /// The end: `placement_ended`, the next placement, or the end of the period of care.
    pub end: Option<(NaiveDate, usize)>,
    /// Ended by a `placement_ended` event (the ended-placement notification counts from it).
    pub ended_by_event: bool,
    pub period: usize,
    /// The first placement of its period of care.
    pub first: bool,
    pub long_term: bool,
    pub emergency: bool,
    pub with_parent: bool,
    /// A placement for adoption (`placed_for_adoption`).
    pub adoption: bool,
    /// `social_worker_visit` events during the placement: (event, date), in order.
    pub visits: Vec<(usize, NaiveDate)>,
}

/// Everything the walk learned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Walk {
    pub periods: Vec<CarePeriod>,
    pub runs: Vec<Run>,
    pub meetings: Vec<Meeting>,
    pub rearrangements: Vec<Rearrangement>,
    pub markers: Vec<Marker>,
    pub long_term_foster: Vec<(usize, NaiveDate, usize)>,
    pub done: Vec<Done>,
    pub placements: Vec<Placement>,
}

impl Walk {
    /// Empties every list, keeping their buffers (for [`CaseHistory::rebuild`](super::CaseHistory::rebuild)).
    pub(crate) fn clear(&mut self) {
        let Walk { periods, runs, meetings, rearrangements, markers, long_term_foster, done, placements } = self;
        periods.clear();
        runs.clear();
        meetings.clear();
        rearrangements.clear();
        markers.clear();
        long_term_foster.clear();
        done.clear();
        placements.clear();
    }
}

/// The (run, review number) pairs a meeting satisfied: one or two kept inline (nearly every
/// meeting: the looked-after clock, perhaps the adoption clock beside it), more on the heap, so
/// that walking a review allocates nothing for them. Used as a slice.
#[derive(Clone)]
pub(crate) enum MeetingSlots {
    Inline(usize, [(usize, u32); 2]),
    Heap(Vec<(usize, u32)>),
}

impl Default for MeetingSlots {
    fn default() -> MeetingSlots {
        MeetingSlots::Inline(0, [(0, 0); 2])
    }
}

impl MeetingSlots {
    pub(crate) fn push(&mut self, slot: (usize, u32)) {
        match self {
            MeetingSlots::Inline(n, s) if *n < s.len() => {
                s[*n] = slot;
                *n += 1;
            }
            MeetingSlots::Inline(_, s) => {
                let mut v = s.to_vec();
                v.push(slot);
                *self = MeetingSlots::Heap(v);
            }
            MeetingSlots::Heap(v) => v.push(slot),
        }
    }
}

impl std::ops::Deref for MeetingSlots {
    type Target = [(usize, u32)];

    fn deref(&self) -> &[(usize, u32)] {
        match self {
            MeetingSlots::Inline(n, s) => &s[..*n],
            MeetingSlots::Heap(v) => v,
        }
    }
}

impl PartialEq for MeetingSlots {
    fn eq(&self, other: &MeetingSlots) -> bool {
        **self == **other
    }
}

impl Eq for MeetingSlots {}

impl std::fmt::Debug for MeetingSlots {
    /// As the list it holds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::MeetingSlots;

    /// Slots pushed one by one read back in order, whether they stay inline or spill.
    #[test]
    fn meeting_slots_keep_every_pair_in_order() {
        let mut s = MeetingSlots::default();
        let mut expected = Vec::new();
        assert!(s.is_empty());
        for k in 0..5u32 {
            s.push((k as usize * 3, k + 1));
            expected.push((k as usize * 3, k + 1));
            assert_eq!(&s[..], &expected[..]);
            assert_eq!(format!("{s:?}"), format!("{expected:?}"));
        }
        assert!(matches!(s, MeetingSlots::Heap(_)));
        let mut t = MeetingSlots::default();
        t.push((1, 1));
        assert!(matches!(t, MeetingSlots::Inline(1, _)));
        assert_ne!(s, t);
        assert_eq!(t.clone(), t);
    }
}
