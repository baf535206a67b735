//! Duties counted from an event (care plan started, dispute started, triggers), repeating ones
//! included.

use crate::engine::binding::Later;
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
        let mut later = Vec::new();
        for mk in &walk.markers {
            let end = walk.periods.get(mk.period).and_then(|p| p.end.map(|(d, _)| d));
            for k in rules.clone() {
                let rule = self.rule(k);
                if rule.anchor != mk.anchor {
                    continue;
                }
                if !rule.repeat {
                    if !rule.in_force(mk.date) {
                        // A local procedure's rule not yet in force: listed on the obligation the
                        // rules in force make, once every rule is attached.
                        if Self::not_yet(rule, mk.date) {
                            if let Ok(c) = self.cand(rule, mk.date, false) {
                                let cand = Cand { not_in_force: true, ..c };
                                let what = "the event it is counted from was on";
                                later.push(Later { key: (rule.duty, Scope::Event(mk.event)), cand, on: mk.date, what });
                            }
                        }
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
                // At most MAX_PROJECTION repetitions are made: when more fall due by the as-at date
                // or horizon, the earliest are left out (the first made says so), never the next one.
                let first = first_repetition(mk.date, p, until.into_iter().chain(end).min(), self.cal);
                let mut previous = match first {
                    1 => mk.date,
                    f => period::within_after(mk.date, times(p, f - 1), self.cal_for(rule).0)?.date,
                };
                for k in first..first.saturating_add(MAX_PROJECTION as u32) {
                    let step = times(p, k);
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
                    let (read_on, in_force) = (previous, rule.in_force(previous));
                    previous = due.date;
                    if !in_force {
                        // A local procedure's rule not yet in force: listed on the repetition the
                        // rules in force make, if any, once every rule is attached.
                        if Self::not_yet(rule, read_on) {
                            let cand = Cand {
                                rule,
                                duty: rule.duty,
                                anchor_date: mk.date,
                                assumed: false,
                                deadline: Some(due),
                                statutory_calendar,
                                before_care: false,
                                not_in_force: true,
                                next: None,
                            };
                            let what = if k == 1 {
                                "the event it is counted from was on"
                            } else {
                                "the repetition before it fell due on"
                            };
                            later.push(Later { key: (rule.duty, Scope::Repeat(mk.event, k)), cand, on: read_on, what });
                        }
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
                        not_in_force: false,
                        next: None,
                    };
                    self.check_size()?;
                    let i = self.add(Scope::Repeat(mk.event, k), c, None, Some(k), Trig::List(&[mk.event]), false);
                    let left_out = if k == first && first > 1 {
                        format!(
                            " Repetitions 1 to {} fell due before it and are not listed (a schedule lists at most {MAX_PROJECTION}).",
                            first - 1
                        )
                    } else {
                        String::new()
                    };
                    self.extra(i).note = Some(
                        format!("Repetition {k}: {step} after the anchor, counted from the anchor itself.{left_out}")
                            .into(),
                    );
                    if last {
                        break;
                    }
                }
            }
        }
        if !later.is_empty() {
            self.aside_scoped(later);
        }
        Ok(())
    }
}

/// Period `p` taken `k` times (saturating: a count past `u32` is past the calendar anyway).
fn times(p: Period, k: u32) -> Period {
    match p {
        Period::Months(n) => Period::Months(n.saturating_mul(k)),
        Period::Weeks(n) => Period::Weeks(n.saturating_mul(k)),
        Period::Days(n) => Period::Days(n.saturating_mul(k)),
        Period::WorkingDays(n) => Period::WorkingDays(n.saturating_mul(k)),
        Period::Hours(n) => Period::Hours(n.saturating_mul(k)),
    }
}

/// The first repetition of period `p` from `anchor` to make: 1, or, when more than
/// `MAX_PROJECTION - 1` repetitions fall due on or before `stop`, the one that leaves exactly
/// `MAX_PROJECTION - 1` of them and the next one after `stop`. Repetition dates grow with their
/// number, so the count is found by bisection (each date is counted in O(1)).
fn first_repetition(anchor: NaiveDate, p: Period, stop: Option<NaiveDate>, cal: &Calendar) -> u32 {
    let Some(stop) = stop else { return 1 };
    let due_by_stop = |k: u32| period::within_after(anchor, times(p, k), cal).is_ok_and(|d| d.date <= stop);
    let max = MAX_PROJECTION as u32;
    if !due_by_stop(max) {
        return 1;
    }
    // The last repetition due by `stop`: in [max, hi).
    let (mut lo, mut hi) = (max, max.saturating_mul(2));
    while due_by_stop(hi) && hi < u32::MAX / 2 {
        lo = hi;
        hi = hi.saturating_mul(2);
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if due_by_stop(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo + 2 - max
}
