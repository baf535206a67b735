//! Duties counted from an event (care plan started, dispute started, triggers), repeating ones
//! included.

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// Duties anchored on events (other than early-review clocks): disputes, care plans, triggers.
    pub(in crate::engine) fn event_duties(&mut self, horizon_end: Option<NaiveDate>) -> Result<()> {
        let walk = self.walk;
        let rules = self.sets.range(MARKER);
        if rules.is_empty() {
            return Ok(());
        }
        let until = match (self.as_at, horizon_end) {
            (Some(a), Some(h)) => Some(a.max(h)),
            (a, h) => a.or(h),
        };
        for mk in &walk.markers {
            let end = walk.periods.get(mk.period).and_then(|p| p.end.map(|(d, _)| d));
            for k in rules.clone() {
                let rule = self.rule(k);
                if rule.anchor != mk.anchor {
                    continue;
                }
                if !rule.repeat {
                    if !rule.in_force(mk.date) {
                        continue;
                    }
                    let c = self.cand(rule, mk.date, false)?;
                    self.add(Scope::Event(mk.event), c, None, None, Trig::List(&[mk.event]), false);
                    continue;
                }
                let Some(p) = rule.period else { continue };
                // Each repetition under the rule in force on the date the previous one fell due
                // (the first: on the anchor), as a visit is counted under the rule in force on the
                // date of the previous visit: a procedure that came in after the anchor applies
                // from the repetition after it did.
                let mut previous = mk.date;
                for k in 1..=MAX_PROJECTION as u32 {
                    let step = match p {
                        Period::Months(n) => Period::Months(n * k),
                        Period::Weeks(n) => Period::Weeks(n * k),
                        Period::Days(n) => Period::Days(n * k),
                        Period::WorkingDays(n) => Period::WorkingDays(n * k),
                        Period::Hours(n) => Period::Hours(n * k),
                    };
                    let Ok(dl) = period::within_after(mk.date, step, self.cal) else {
                        break;
                    };
                    // Repetitions up to the as-at date or horizon, and the next one after it (like
                    // the next review, the next repetition is always shown).
                    if end.is_some_and(|e| dl.date > e) {
                        break;
                    }
                    let last = until.is_none_or(|u| dl.date > u);
                    // On the rule's own calendar (a council's closure days for a local rule): the
                    // day the schedule shows, and the day the next repetition's rule is read on.
                    let (cal, statutory_calendar) = self.cal_for(rule);
                    let due = period::within_after(mk.date, step, cal)?;
                    let in_force = rule.in_force(previous);
                    previous = due.date;
                    if !in_force {
                        if last {
                            break;
                        }
                        continue;
                    }
                    let deadline = Some(due);
                    let c = Cand {
                        rule,
                        duty: rule.duty,
                        anchor_date: mk.date,
                        assumed: false,
                        deadline,
                        statutory_calendar,
                        before_care: false,
                        next: None,
                    };
                    self.check_size()?;
                    let i = self.add(Scope::Repeat(mk.event, k), c, None, Some(k), Trig::List(&[mk.event]), false);
                    self.extra(i).note = Some(
                        format!("Repetition {k}: {step} after the anchor, counted from the anchor itself.").into(),
                    );
                    if last {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}
