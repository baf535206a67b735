//! Review clocks: the interval rules (first review from the start of the regime, later ones from
//! the previous review), held reviews, missed ones, and projected ones up to the horizon.

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// The binding deadline of the review after review `n` of run `r` (held on `held`): the
    /// scheduled slot's when there is one, else counted from `held` by the interval rules (the
    /// clock stopped before that review fell due, so it has no slot).
    pub(in crate::engine) fn next_deadline(&self, r: usize, n: u32, held: NaiveDate) -> Result<Option<NaiveDate>> {
        if let Some(e) = self.slot_entry((r, n + 1)) {
            return Ok(e.latest);
        }
        let regime = self.walk.runs[r].regime;
        let mut best: Option<NaiveDate> = None;
        for k in self.sets.interval_picks(regime, n + 1) {
            let rule = self.rule(k);
            if !interval_fits(rule, regime, n + 1, held) {
                continue;
            }
            if let Some(p) = rule.period {
                let d = period::count(held, p, rule.direction, self.cal_for(rule).0)?.date;
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        Ok(best)
    }

    /// Adds the hold_review obligation for review `n` of run `r`; returns its index.
    pub(in crate::engine) fn slot(
        &mut self,
        r: usize,
        n: u32,
        anchor: NaiveDate,
        assumed: bool,
        trig: &[usize],
    ) -> Result<usize> {
        let walk = self.walk;
        let run = &walk.runs[r];
        let regime = run.regime;
        if !self.sets.interval_picks(regime, n).any(|k| {
            let x = self.rule(k);
            interval_fits(x, regime, n, anchor) && x.basis == Basis::Statutory
        }) {
            return Err(Error::InvalidEvent {
                index: trig.first().copied().unwrap_or(run.start_event),
                event: "review clock".into(),
                field: "date".into(),
                value: anchor.to_string(),
                reason: format!(
                    "no statutory rule for {} review {n} is encoded for that date in the {} profile (earlier law is not encoded)",
                    regime.as_str(),
                    self.profile.statutory_id()
                ),
            });
        }
        let at = self.slots.get((r, n));
        let mut idx = at.map(|k| self.slots.list[k].i);
        for k in self.sets.interval_picks(regime, n) {
            let rule = self.rule(k);
            if !interval_fits(rule, regime, n, anchor) {
                continue;
            }
            let c = self.cand(rule, anchor, assumed)?;
            idx = Some(self.attach(idx, c, Some(regime), Some(n), Trig::List(trig), false));
        }
        let i = idx.expect("at least one rule");
        let latest = self.binding_latest(i);
        match at {
            Some(k) => self.slots.list[k].latest = latest,
            None => self.slots.push(SlotEntry { key: (r, n), i, latest }),
        }
        Ok(i)
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
        let (mut other, mut secure): (Vec<Open>, Vec<Open>) = (Vec::new(), Vec::new());
        for (r, run) in walk.runs.iter().enumerate() {
            let mut anchor = (run.start, false);
            let mut trig = Evs::one(run.start_event);
            for (k, &m) in run.held.iter().enumerate() {
                let n = k as u32 + 1;
                let mt = &walk.meetings[m];
                let t = trig.with(mt.event);
                let i = self.slot(r, n, anchor.0, anchor.1, t.as_slice())?;
                self.pending[i].done = Some(mt.date);
                if let Some(l) = self.binding_latest(i) {
                    if mt.date > l {
                        let basis = self.breach_basis(i, mt.date);
                        self.extra(i).breach = Some(Breach::LateReview {
                            held: mt.date,
                            working_days_late: self.cal.working_days_between(l, mt.date)?,
                            calendar_days_late: (mt.date - l).num_days(),
                            basis,
                        });
                    }
                }
                anchor = self.recorded_date(m)?;
                trig = Evs::one(mt.event);
            }
            let n = run.held.len() as u32 + 1;
            if run.regime == Regime::PlacedWithParent && !run.held.is_empty() {
                continue;
            }
            match run.end {
                None => {
                    let list = if run.regime == Regime::SecureAccommodation { &mut secure } else { &mut other };
                    list.push(Open { r, n, anchor: anchor.0, assumed: anchor.1, trig });
                }
                Some((end, end_event)) => {
                    // The clock stopped: a review whose deadline passed before it stopped was missed.
                    let mut missed = false;
                    for k in self.sets.interval_picks(run.regime, n) {
                        let rule = self.rule(k);
                        if !interval_fits(rule, run.regime, n, anchor.0) {
                            continue;
                        }
                        if let Some(p) = rule.period {
                            if period::within_after(anchor.0, p, self.cal)?.date < end {
                                missed = true;
                            }
                        }
                    }
                    if missed {
                        let t = trig.with(end_event);
                        let i = self.slot(r, n, anchor.0, anchor.1, t.as_slice())?;
                        // The day before the clock stopped is the last day it could be held.
                        let basis = self.breach_basis(i, end.pred_opt().unwrap_or(end));
                        self.extra(i).breach = Some(Breach::NotHeld { as_at: end, basis });
                    }
                }
            }
        }
        let planned = walk.rearrangements.iter().rev().find(|x| x.meeting.is_none()).map(|x| (x.to, x.event));
        let mut mtgs: Vec<Mtg<'a>> = Vec::with_capacity(walk.meetings.len() + 4);
        // Reviews so far in each period of care (secure panel reviews apart).
        let mut in_period: Vec<u32> = vec![0; walk.periods.len()];
        let mut next_ordinal = |period: usize, secure: bool| match in_period.get_mut(period) {
            Some(k) if !secure => {
                *k += 1;
                *k
            }
            _ => 0,
        };
        for (m, mt) in walk.meetings.iter().enumerate() {
            let completed = match mt.completed {
                Some((d, _)) => (d, false),
                None => (self.adjourned_completion(mt.date).unwrap_or(mt.date), true),
            };
            let extra_completion = mt.completed.is_some_and(|(_, e)| e != mt.event);
            let events: Arc<[usize]> = if mt.adjournments.is_empty() && !extra_completion {
                self.trigs.get(&[mt.event])
            } else {
                let mut events = vec![mt.event];
                events.extend(mt.adjournments.iter().copied().filter(|e| *e != mt.event));
                if let Some((_, e)) = mt.completed {
                    if e != mt.event {
                        events.push(e);
                    }
                }
                events.into()
            };
            mtgs.push(Mtg {
                r: MeetingRef::Held(m),
                date: mt.date,
                completed,
                assumed: false,
                slots: SlotList::Borrowed(&mt.slots),
                period: mt.period,
                ordinal: next_ordinal(mt.period, mt.secure),
                with_meeting: mt.with_meeting,
                adjourned: &mt.adjournments,
                events,
            });
        }
        let early = self.early_reviews(&mtgs)?;
        let mut projected = 0usize;
        for (list, plan, early_date, is_secure) in [(other, planned, early, false), (secure, None, None, true)] {
            let mut open = list;
            let mut iteration = 0usize;
            while !open.is_empty() && iteration < MAX_PROJECTION {
                // The earliest day to plan for among the open slots (and, at first, early reviews).
                let mut first: Option<NaiveDate> = None;
                for s in &open {
                    let i = self.slot(s.r, s.n, s.anchor, s.assumed || iteration > 0, s.trig.as_slice())?;
                    if let Some(d) = self.best(i).deadline {
                        first = Some(first.map_or(d.latest_working_day, |f| f.min(d.latest_working_day)));
                    }
                    if let (Some(as_at), Some(l)) = (self.as_at, self.binding_latest(i)) {
                        if iteration == 0 && l < as_at {
                            let basis = self.breach_basis(i, as_at);
                            self.extra(i).breach = Some(Breach::NotHeld { as_at, basis });
                        }
                    }
                }
                if iteration == 0 {
                    if let Some(e) = early_date {
                        first = Some(first.map_or(e, |f| f.min(e)));
                    }
                }
                let next = match (iteration, plan) {
                    (0, Some((to, _))) => Some(to),
                    _ => first,
                };
                let Some(date) = next else { break };
                if iteration > 0 && (no_horizon || horizon_end.is_none_or(|h| date > h)) {
                    break;
                }
                let period = walk.runs[open[0].r].period;
                let events = match (iteration, plan) {
                    (0, Some((_, e))) => self.trigs.get(&[e]),
                    _ => self.trigs.get(&[]),
                };
                mtgs.push(Mtg {
                    r: MeetingRef::Projected(projected),
                    date,
                    completed: (date, true),
                    assumed: true,
                    slots: if open.len() <= 4 {
                        let mut s = [(0, 0); 4];
                        for (x, o) in s.iter_mut().zip(&open) {
                            *x = (o.r, o.n);
                        }
                        SlotList::Inline(open.len(), s)
                    } else {
                        SlotList::Owned(open.iter().map(|s| (s.r, s.n)).collect())
                    },
                    period,
                    ordinal: next_ordinal(period, is_secure),
                    with_meeting: true,
                    adjourned: &[],
                    events,
                });
                projected += 1;
                open.retain(|s| walk.runs[s.r].regime != Regime::PlacedWithParent);
                for s in &mut open {
                    *s = Open { r: s.r, n: s.n + 1, anchor: date, assumed: true, trig: Evs::default() };
                }
                iteration += 1;
                if no_horizon {
                    break;
                }
            }
        }
        Ok(mtgs)
    }
}
