//! Early reviews from triggers (significant change, accommodation ending, ...).

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// Early reviews from triggers; returns the earliest latest working day of those still open.
    pub(in crate::engine) fn early_reviews(&mut self, mtgs: &[Mtg<'a>]) -> Result<Option<NaiveDate>> {
        let walk = self.walk;
        let mut open_first: Option<NaiveDate> = None;
        let rules = self.sets.range(EARLY);
        if rules.is_empty() {
            return Ok(None);
        }
        for mk in walk.markers.iter().filter(|m| m.anchor.is_trigger()) {
            let Some(lac) = walk.runs.iter().position(|r| {
                r.period == mk.period
                    && r.regime == Regime::LookedAfter
                    && r.start <= mk.date
                    && r.end.is_none_or(|(e, _)| e >= mk.date)
            }) else {
                continue;
            };
            let fits =
                |r: &Rule| r.anchor == mk.anchor && r.in_force(mk.date) && r.applies_to_regime(Regime::LookedAfter);
            if !rules.clone().any(|k| fits(self.rule(k))) {
                continue;
            }
            let of_clock = |m: &&Mtg| !m.assumed && m.slots.iter().any(|(r, _)| *r == lac);
            // A trigger dated on the day something ends (accommodation_ending) needs its review
            // before that day, so before the event itself: it is met by a review brought forward
            // for it, i.e. held before the day although its regular deadline fell on or after it.
            // A regular review that was simply due earlier does not count. Otherwise (and for
            // every other trigger) the first review held on or after the trigger counts.
            let before_day = rules.clone().any(|k| {
                let r = self.rule(k);
                fits(r) && r.direction == Direction::Before
            });
            let brought_forward = || {
                mtgs.iter().filter(of_clock).rev().find(|m| {
                    m.date < mk.date
                        && m.slots.iter().any(|(r, n)| {
                            *r == lac && self.slot_entry((*r, *n)).and_then(|e| e.latest).is_some_and(|l| l >= mk.date)
                        })
                })
            };
            let satisfied = before_day
                .then(brought_forward)
                .flatten()
                .or_else(|| mtgs.iter().filter(of_clock).find(|m| m.date >= mk.date));
            let number = match satisfied {
                Some(m) => m.slots.iter().find(|(r, _)| *r == lac).map(|s| s.1),
                None => Some(walk.runs[lac].held.len() as u32 + 1),
            };
            let mut idx = 0;
            for k in rules.clone() {
                let rule = self.rule(k);
                if !fits(rule) {
                    continue;
                }
                let c = self.cand(rule, mk.date, false)?;
                idx = self.add(
                    Scope::Event(mk.event),
                    c,
                    Some(Regime::LookedAfter),
                    number,
                    Trig::List(&[mk.event]),
                    true,
                );
            }
            // A local procedure's rule for this trigger not yet in force on its date is listed on
            // the early review that the rules in force make.
            for k in rules.clone() {
                let rule = self.rule(k);
                if !rule.in_force(mk.date)
                    && Self::not_yet(rule, mk.date)
                    && rule.anchor == mk.anchor
                    && rule.applies_to_regime(Regime::LookedAfter)
                {
                    self.aside_early(idx, rule, mk.date);
                }
            }
            match satisfied {
                Some(m) => {
                    self.pending[idx].done = Some(m.date);
                    // The review's first event added to the triggers (no vector while they stay inline).
                    let old = &self.pending[idx].triggered_by;
                    let t = match (&old[..], m.events.first()) {
                        (_, None) => old.clone(),
                        ([], Some(&e)) => Triggers::from(&[e][..]),
                        (&[a], Some(&e)) => Triggers::from(&[a, e][..]),
                        (list, Some(&e)) => list.iter().copied().chain([e]).collect(),
                    };
                    self.pending[idx].triggered_by = t;
                    if let Some(l) = self.binding_latest(idx) {
                        if m.date > l {
                            let basis = self.breach_basis(idx, m.date);
                            self.extra(idx).breach = Some(Breach::LateReview {
                                held: m.date,
                                working_days_late: self.cal.working_days_between(l, m.date)?,
                                calendar_days_late: days_between(l, m.date),
                                basis,
                            });
                        }
                    }
                }
                None => {
                    if let Some(c) = self.best(idx).deadline {
                        open_first = Some(open_first.map_or(c.latest_working_day, |f| f.min(c.latest_working_day)));
                        if let Some(a) = self.as_at.filter(|a| c.date < *a) {
                            let basis = self.breach_basis(idx, a);
                            self.extra(idx).breach = Some(Breach::NotHeld { as_at: a, basis });
                        }
                    }
                }
            }
        }
        Ok(open_first)
    }
}

impl<'a> Builder<'a, '_> {
    /// [`Builder::aside`] for early review `i` of `rule`, a local procedure's not yet in force on
    /// `on`, the day of the trigger.
    #[cold]
    #[inline(never)]
    fn aside_early(&mut self, i: usize, rule: &'a Rule, on: NaiveDate) {
        if let Ok(c) = self.cand(rule, on, false) {
            self.aside(i, c, on, "the event that triggers it was on");
        }
    }
}
