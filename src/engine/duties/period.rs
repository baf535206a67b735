//! Duties counted from a period of care (becoming looked after, ceasing, the 16th birthday...).

use crate::engine::binding::Later;
use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// Duties anchored on a period of care.
    pub(in crate::engine) fn period_duties(&mut self, case: &CaseHistory) -> Result<()> {
        let walk = self.walk;
        let dob = case.child().date_of_birth;
        let mut later = Vec::new();
        for pass in 0..2 {
            let rules = self.sets.range(PERIOD + pass);
            if rules.is_empty() {
                continue;
            }
            for (p, period) in walk.periods.iter().enumerate() {
                let end = period.end.map(|(d, _)| d);
                let within = |d: NaiveDate| period.start <= d && end.is_none_or(|e| e >= d);
                for k in rules.clone() {
                    let rule = self.rule(k);
                    let mut trig = Evs::one(period.start_event);
                    // An age the child had already reached when the period of care began: the duty
                    // is due at once, on its first day (Dudley: the needs assessment at 15½).
                    let mut at_once = false;
                    let (anchor, assumed) = match rule.anchor {
                        Anchor::BecameLookedAfter if !period.short_breaks => (period.start, false),
                        Anchor::CeasedToBeLookedAfter if period.ceased => {
                            let Some((e, ev)) = period.end else { continue };
                            trig = trig.with(ev);
                            (e, false)
                        }
                        Anchor::SixteenthBirthday if !period.short_breaks => {
                            let (Some(b), Some(age)) = (dob, rule.age) else { continue };
                            let sixteen = period::within_after(b, age, self.cal)?.date;
                            let eligible = match rule.eligible_after {
                                Some(e) => period::within_after(period.start, e, self.cal)?.date,
                                None => period.start,
                            };
                            let a = sixteen.max(eligible);
                            if !within(a) {
                                continue;
                            }
                            (a, false)
                        }
                        Anchor::DateOfBirth if !period.short_breaks => {
                            let Some(b) = dob else { continue };
                            let Some(per) = rule.period else { continue };
                            let dl = period::count(b, per, rule.direction, self.cal)?;
                            let adult = b.checked_add_months(Months::new(216)).unwrap_or(b);
                            at_once = dl.date < period.start && period.start < adult;
                            if !within(dl.date) && !at_once {
                                continue;
                            }
                            (b, false)
                        }
                        a @ (Anchor::IroAppointed | Anchor::ReviewServiceNotified) if !period.short_breaks => {
                            let dep = a.done_duty().expect("done anchor");
                            let recorded = walk.done.iter().find(|d| d.duty == dep && d.period == Some(p));
                            match (recorded, self.index.get(&(dep, Scope::Period(p)))) {
                                (Some(d), _) => {
                                    trig = trig.with(d.event);
                                    (d.date, false)
                                }
                                (None, Some(&i)) => match self.binding_latest(i) {
                                    Some(l) => (l, true),
                                    None => continue,
                                },
                                (None, None) => continue,
                            }
                        }
                        _ => continue,
                    };
                    let on = period.start.max(anchor.min(period.start.max(anchor)));
                    // A local procedure's rule not yet in force is listed, once every rule is
                    // attached, on the obligation the rules in force made.
                    let not_in_force = !rule.in_force(on);
                    if not_in_force && !Self::not_yet(rule, on) {
                        continue;
                    }
                    if let Some(min) = rule.when_looked_after_for {
                        if period::within_after(period.start, min, self.cal)?.date > anchor {
                            continue;
                        }
                    }
                    if let (Some(age), Some(b)) = (rule.when_aged_at_least, dob) {
                        if period::within_after(b, age, self.cal)?.date > anchor {
                            continue;
                        }
                    }
                    let mut c = match self.cand(rule, anchor, assumed) {
                        Ok(c) => c,
                        // A rule not in force whose deadline cannot be counted would not have applied.
                        Err(_) if not_in_force => continue,
                        Err(e) => return Err(e),
                    };
                    if at_once {
                        let day = self.cal.next_working_day_on_or_after(period.start).unwrap_or(period.start);
                        c.deadline = Some(Deadline { date: day, latest_working_day: day, provisional: false });
                    }
                    if not_in_force {
                        let what =
                            if on == period.start { "the period of care began on" } else { "it is counted from" };
                        let cand = Cand { not_in_force: true, ..c };
                        later.push(Later { key: (rule.duty, Scope::Period(p)), cand, on, what });
                        continue;
                    }
                    let i = self.add(Scope::Period(p), c, None, None, Trig::List(trig.as_slice()), false);
                    if at_once {
                        self.extra(i).note = Some(format!(
                            "The child had already reached that age when the period of care began ({}): due at once, by the first working day of it.",
                            period.start
                        ).into());
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
