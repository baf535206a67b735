//! Adjourned reviews: the completion period (from the profile's `complete_adjourned_review`
//! rule), a second adjournment, completion late.

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// When a review adjourned at a meeting on `date` and not yet completed is assumed to be
    /// completed: the deadline of the profile's `complete_adjourned_review` rules (the earliest
    /// if several; 20 working days in both statutory profiles), or the meeting itself when the
    /// profile has none.
    pub(in crate::engine) fn adjourned_completion(&self, date: NaiveDate) -> Result<NaiveDate> {
        let mut best: Option<NaiveDate> = None;
        for k in self.sets.range(MEETING) {
            let rule = self.rule(k);
            if rule.duty != Duty::CompleteAdjournedReview || rule.anchor != Anchor::ReviewDate || !rule.in_force(date) {
                continue;
            }
            if let Some(p) = rule.period {
                let d = period::count(date, p, rule.direction, self.cal_for(rule).0)?.date;
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        Ok(best.unwrap_or(date))
    }

    pub(in crate::engine) fn adjourned_breach(&mut self, i: usize, m: &Mtg, case: &CaseHistory) -> Result<()> {
        let events = case.events();
        if !m.completed.1 {
            self.pending[i].done = Some(m.completed.0);
        }
        if m.adjourned.len() >= 2 {
            // The once-only rule is statute's (CPPCR reg 36(2)).
            self.extra(i).breach = Some(Breach::SecondAdjournment {
                adjourned: m.adjourned.iter().filter_map(|e| events.get(*e).map(|x| x.date)).collect(),
                basis: Basis::Statutory,
            });
        } else if let Some(l) = self.binding_latest(i) {
            if !m.completed.1 && m.completed.0 > l {
                let basis = self.breach_basis(i, m.completed.0);
                self.extra(i).breach = Some(Breach::AdjournedReviewCompletedLate {
                    completed: m.completed.0,
                    working_days_late: self.cal.working_days_between(l, m.completed.0)?,
                    basis,
                });
            } else if let Some(a) = self.as_at.filter(|a| m.completed.1 && *a > l) {
                let basis = self.breach_basis(i, a);
                self.extra(i).breach = Some(Breach::NotHeld { as_at: a, basis });
            }
        }
        Ok(())
    }
}
