//! Review clocks: the review intervals as a use of the one mechanism for a repeating duty
//! (`engine/repeat.rs`): review 1 from the start of the regime, review n + 1 from the previous
//! review (for an adjourned review, its completion), under the rules for that regime and review
//! number in force on that date. Review specifics stay here: the slot table (the obligation of
//! each review, for mid-points, early reviews and rearrangements), the review numbers of the
//! meetings, regimes projected together (one meeting serves every running clock, secure panel
//! reviews apart), a planned (rearranged) or early review, and the error for law not encoded.

use crate::engine::repeat::binding_deadline;
use crate::engine::*;
use crate::model::walk::Run;

/// One regime's review clock (run `r` of the walk), for the repeating-duty mechanism.
pub(in crate::engine) struct ReviewClock<'a> {
    r: usize,
    run: &'a Run,
}

impl<'a> Repeating<'a> for ReviewClock<'a> {
    fn picks(&self, sets: &RuleSets, n: u32) -> Picks {
        sets.interval_picks(self.run.regime, n)
    }

    #[inline]
    fn fits(&mut self, b: &Builder<'a, '_>, rule: &Rule, n: u32, _prev: NaiveDate) -> Result<bool> {
        // Picked by the interval masks, a rule names this regime and review number already.
        Ok(b.sets.interval_picks_exact(n) || interval_names(rule, self.run.regime, n))
    }

    /// Every review needs a statutory rule in force. None for a review number the profile has no
    /// rule for at all: the clock stops (a placement with a parent has its first review only);
    /// none in force on that date: earlier law is not encoded, an error.
    fn check(&self, b: &Builder<'a, '_>, n: u32, prev: &Prev, fitting: &[Cand<'a>], trig: &[usize]) -> Result<bool> {
        if fitting.iter().any(|c| c.rule.basis == Basis::Statutory) {
            return Ok(true);
        }
        let regime = self.run.regime;
        if fitting.is_empty() && !b.sets.interval_picks(regime, n).any(|k| interval_names(b.rule(k), regime, n)) {
            return Ok(false);
        }
        Err(Error::InvalidEvent {
            index: trig.first().copied().unwrap_or(self.run.start_event),
            event: "review clock".into(),
            field: "date".into(),
            value: prev.date.to_string(),
            reason: format!(
                "no statutory rule for {} review {n} is encoded for that date in the {} profile (earlier law is not encoded)",
                regime.as_str(),
                b.profile.statutory_id()
            ),
        })
    }

    fn start(&self) -> Prev {
        Prev { date: self.run.start, assumed: false, trig: Evs::one(self.run.start_event) }
    }

    fn recorded(&self, b: &Builder<'a, '_>, n: u32) -> Result<Option<Recorded>> {
        let Some(&m) = self.run.held.get(n as usize - 1) else { return Ok(None) };
        let mt = &b.walk.meetings[m];
        let (date, assumed) = b.recorded_date(m)?;
        Ok(Some(Recorded { event: mt.event, date: mt.date, next: Prev { date, assumed, trig: Evs::one(mt.event) } }))
    }

    fn end(&self) -> Option<(NaiveDate, usize)> {
        self.run.end
    }

    fn regime(&self) -> Option<Regime> {
        Some(self.run.regime)
    }

    fn late(&self, held: NaiveDate, working_days_late: i64, calendar_days_late: i64, basis: Basis) -> Breach {
        Breach::LateReview { held, working_days_late, calendar_days_late, basis }
    }

    fn not_done(&self, as_at: NaiveDate, basis: Basis) -> Breach {
        Breach::NotHeld { as_at, basis }
    }

    /// The event that stopped the clock is a trigger. Whose standard the miss breaches is judged
    /// on the day the clock stopped, as for visits: a deadline before it (statute's on the last
    /// day the child was looked after included) passed without the review.
    fn missed_at_end(&self, end: NaiveDate, event: usize) -> (Option<usize>, NaiveDate) {
        (Some(event), end)
    }

    /// Each review is kept in the slot table (made once: held, missed and projected reviews of a
    /// run have different numbers).
    fn made(&mut self, b: &mut Builder<'a, '_>, n: u32, i: usize) {
        let latest = b.binding_latest(i);
        b.slots.push(SlotEntry { key: (self.r, n), i, latest });
    }
}

impl<'a> Builder<'a, '_> {
    /// The binding deadline of the review after review `n` of run `r` (held on `held`): the
    /// scheduled slot's when there is one, else counted from `held` by the interval rules (the
    /// clock stopped before that review fell due, so it has no slot).
    pub(in crate::engine) fn next_deadline(&mut self, r: usize, n: u32, held: NaiveDate) -> Result<Option<NaiveDate>> {
        if let Some(e) = self.slot_entry((r, n + 1)) {
            return Ok(e.latest);
        }
        let walk = self.walk;
        let mut clock = ReviewClock { r, run: &walk.runs[r] };
        self.fitting.clear();
        self.gather(&mut clock, n + 1, &Prev { date: held, assumed: false, trig: Evs::default() })?;
        let d = binding_deadline(&self.fitting).map(|d| d.date);
        self.fitting.clear();
        Ok(d)
    }

    pub(in crate::engine) fn recorded_date(&self, m: usize) -> Result<(NaiveDate, bool)> {
        let mt = &self.walk.meetings[m];
        if mt.adjournments.is_empty() || self.profile.settings.adjourned_review_date == AdjournedReviewDate::Original {
            return Ok((mt.date, false));
        }
        match mt.completed {
            Some((d, _)) => Ok((d, false)),
            None => Ok((self.adjourned_completion(mt.date)?, true)),
        }
    }

    /// Regular review clocks, held reviews and projections. Returns the meetings for duties.
    pub(in crate::engine) fn clocks(
        &mut self,
        horizon_end: Option<NaiveDate>,
        no_horizon: bool,
    ) -> Result<Vec<Mtg<'a>>> {
        let walk = self.walk;
        // Clocks still running after the history: secure accommodation is projected on its own.
        let (mut other, mut secure): (Vec<Running<ReviewClock<'a>>>, Vec<Running<ReviewClock<'a>>>) =
            (Vec::new(), Vec::new());
        for (r, run) in walk.runs.iter().enumerate() {
            if let Some(open) = self.occurrences(ReviewClock { r, run })? {
                if run.regime == Regime::SecureAccommodation {
                    secure.push(open);
                } else {
                    other.push(open);
                }
            }
        }
        let planned = walk.rearrangements.iter().rev().find(|x| x.meeting.is_none()).map(|x| (x.to, x.event));
        let mut mtgs: Vec<Mtg<'a>> = std::mem::take(&mut self.mtgs);
        mtgs.reserve(walk.meetings.len() + 4);
        for (m, mt) in walk.meetings.iter().enumerate() {
            let completed = match mt.completed {
                Some((d, _)) => (d, false),
                None => (self.adjourned_completion(mt.date).unwrap_or(mt.date), true),
            };
            let extra_completion = mt.completed.is_some_and(|(_, e)| e != mt.event);
            let events: Triggers = if mt.adjournments.is_empty() && !extra_completion {
                Triggers::from(&[mt.event][..])
            } else {
                // The review, its adjournments, its completion: inline when two, else one
                // allocation of the right size.
                let adjourned = mt.adjournments.iter().copied().filter(|e| *e != mt.event);
                let completion = mt.completed.map(|(_, e)| e).filter(|e| *e != mt.event);
                let list = std::iter::once(mt.event).chain(adjourned.clone()).chain(completion);
                let len = 1 + adjourned.count() + usize::from(completion.is_some());
                if len <= 2 {
                    let mut two = [mt.event; 2];
                    for (slot, e) in two.iter_mut().zip(list) {
                        *slot = e;
                    }
                    Triggers::from(&two[..len])
                } else {
                    let mut events = Vec::with_capacity(len);
                    events.extend(list);
                    events.into()
                }
            };
            mtgs.push(Mtg {
                r: MeetingRef::Held(m),
                date: mt.date,
                completed,
                assumed: false,
                slots: SlotList::Borrowed(&mt.slots),
                period: mt.period,
                ordinal: mt.ordinal,
                with_meeting: mt.with_meeting,
                adjourned: &mt.adjournments,
                events,
            });
        }
        let early = self.early_reviews(&mtgs)?;
        let mut projected = 0usize;
        for (mut open, plan, early_date, is_secure) in [(other, planned, early, false), (secure, None, None, true)] {
            // Projected reviews follow the held ones of their period of care (counted by the walk).
            let mut ordinal =
                open.first().and_then(|o| walk.periods.get(walk.runs[o.clock.r].period)).map_or(0, |p| p.reviews);
            // The first projected review is the planned (rearranged) one, else the earliest of
            // the clocks' and the open early reviews' last working days.
            let day = |step: usize, earliest: Option<NaiveDate>| match (step, plan) {
                (0, Some((to, _))) => Some(to),
                (0, None) => match (earliest, early_date) {
                    (Some(f), Some(e)) => Some(f.min(e)),
                    (f, e) => f.or(e),
                },
                _ => earliest,
            };
            let meeting = |_: &mut Self, step: usize, date: NaiveDate, open: &[Running<ReviewClock<'a>>]| {
                let events = match (step, plan) {
                    (0, Some((_, e))) => Triggers::from(&[e][..]),
                    _ => Triggers::default(),
                };
                mtgs.push(Mtg {
                    r: MeetingRef::Projected(projected),
                    date,
                    completed: (date, true),
                    assumed: true,
                    slots: if open.len() <= 4 {
                        let mut s = [(0, 0); 4];
                        for (x, o) in s.iter_mut().zip(open) {
                            *x = (o.clock.r, o.n);
                        }
                        SlotList::Inline(open.len(), s)
                    } else {
                        SlotList::Owned(open.iter().map(|o| (o.clock.r, o.n)).collect())
                    },
                    period: walk.runs[open[0].clock.r].period,
                    ordinal: if is_secure {
                        0
                    } else {
                        ordinal += 1;
                        ordinal
                    },
                    with_meeting: true,
                    adjourned: &[],
                    events,
                });
                projected += 1;
            };
            self.project(&mut open, horizon_end, no_horizon, day, meeting)?;
        }
        Ok(mtgs)
    }
}
