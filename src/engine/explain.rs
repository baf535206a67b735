//! The trail of an obligation, in plain English: [`Schedule::explain`].

use crate::engine::*;

impl Schedule {
    /// Explains obligation `index`: trigger, rule, counting, days skipped, binding rule, versions.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(),
    ///     vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)])?;
    /// let cal = Calendar::england_and_wales();
    /// let s = schedule(&case, &Profile::builtin("england")?, &cal, &ScheduleOptions::new())?;
    /// let i = s.obligations.iter().position(|o| o.duty == Duty::HoldReview).unwrap();
    /// let why = s.explain(i, &cal, case.events())?;
    /// // The first review: 20 working days after Thu 1 Jan 2026 is Thu 29 Jan 2026.
    /// assert!(why.steps.iter().any(|step| step.contains("Thu 29 Jan 2026")));
    /// assert!(s.explain(s.obligations.len(), &cal, case.events()).is_err());
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an index out of range; calendar errors cannot occur for
    /// obligations the schedule produced with the same calendar.
    pub fn explain(&self, index: usize, calendar: &Calendar, events: &[crate::model::Event]) -> Result<Explanation> {
        let o = self.obligations.get(index).ok_or_else(|| {
            Error::input(
                "obligation index",
                index.to_string(),
                format!("the schedule has {} obligations", self.obligations.len()),
            )
        })?;
        let mut steps = Vec::new();
        let fmt = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
        // The action as written, ending with one full stop (none after "?" or ".").
        let stop = if o.action.ends_with(['.', '?', '!']) { "" } else { "." };
        steps.push(format!("{}: {}{stop}", o.role.describe(), o.action));
        let others: Vec<&str> = o.roles.iter().filter(|r| *r != o.role).map(|r| r.describe()).collect();
        if !others.is_empty() {
            steps.push(format!("The other rules considered also name: {}.", others.join(", ")));
        }
        // The event recording it done (the review's meeting, the visit) is named
        // as what did it, after the deadline, not as what triggered it.
        let done_by = o.done_by(events);
        for &e in o.triggered_by.iter() {
            if Some(e) == done_by {
                continue;
            }
            if let Some(ev) = events.get(e) {
                steps.push(format!("Triggered by event {e}: {} on {}.", ev.kind.name(), fmt(ev.date)));
            }
        }
        let t = &o.trail;
        if let (Some(anchor), Some(ad)) = (t.anchor, t.anchor_date) {
            let how = match (t.assumed, anchor) {
                (false, _) => "",
                (true, Anchor::LastDone) => {
                    " (assumed: the previous one is not recorded yet, so it is taken as done on its last working day)"
                }
                (true, Anchor::Midpoint) => " (assumed: the review it is counted from has not been held yet)",
                (true, a) if a.done_duty().is_some() => " (assumed: not recorded, so taken as that duty's deadline)",
                (true, _) => {
                    " (assumed: that review has not been held yet, so it is taken as held on the day it is planned for)"
                }
            };
            steps.push(format!("Counted from {}: {}{how}.", anchor.describe(), fmt(ad)));
            match (t.period, t.direction) {
                (Some(p), Some(Direction::After)) if p.count() == 0 => {
                    steps.push(format!("Rule: on that day ({p} after it)."))
                }
                (Some(p), Some(Direction::After)) => {
                    steps.push(format!("Rule: within {p} after it; the anchor day itself does not count."))
                }
                (Some(p), Some(Direction::Before)) if p.count() == 0 => {
                    steps.push(format!("Rule: on that day at the latest ({p} before it)."))
                }
                (Some(p), Some(Direction::Before)) => steps.push(format!("Rule: at least {p} before it.")),
                _ => steps.push("Rule: no day is fixed.".into()),
            }
            if let (Some(p), Some(l)) = (t.period, o.latest) {
                let counting = match p {
                    Period::WorkingDays(_) => "working days: weekends and bank holidays are skipped",
                    Period::Months(_) => {
                        "months: the same date in the later month, or that month's last day if it is shorter"
                    }
                    Period::Hours(_) => {
                        "hours: events carry dates only, so hours become whole days (24 hours = the next day)"
                    }
                    Period::Weeks(_) => {
                        "weeks of 7 calendar days: every day counts, and a deadline on a weekend or bank holiday is not moved"
                    }
                    _ => "calendar days: every day counts",
                };
                steps.push(format!("Counting in {counting}."));
                let cal = calendar;
                if let Ok(skipped) = cal.weekday_holidays_between(ad, l) {
                    if matches!(p, Period::WorkingDays(_)) && !skipped.is_empty() {
                        let names: Vec<String> =
                            skipped.iter().map(|h| format!("{} ({})", fmt(h.date), h.name)).collect();
                        steps.push(format!("Non-working weekdays skipped: {}.", names.join(", ")));
                    }
                }
            }
        }
        if let Some(note) = o.note() {
            steps.push(note.to_string());
        }
        if let Some(why) = o.not_applicable() {
            steps.push(format!("Not applicable: {why}."));
        }
        match (o.latest, o.latest_working_day) {
            (Some(l), Some(w)) if l != w => steps.push(format!(
                "Deadline: {} (not a working day, and the law does not move it): plan to act by {}.",
                fmt(l),
                fmt(w)
            )),
            (Some(l), _) => steps.push(format!("Deadline: {}.", fmt(l))),
            // No day: the rule fixes none (its action says what it waits for: "before the change
            // is made", "as soon as reasonably practicable"; an early review on a request has
            // none), or it cannot apply (said above). Not "act before the event it precedes":
            // most such rules precede no event.
            _ if o.not_applicable().is_some() => steps.push("No deadline date: it does not apply.".into()),
            _ => steps.push("No deadline date: the rule fixes no day.".into()),
        }
        if let Some(d) = o.done {
            // An adjourned review is recorded on the day it first met (the profile's setting):
            // say so, or "done" on the adjournment reads as if it had been completed then.
            let by = done_by
                .and_then(|e| {
                    events.get(e).map(|ev| match ev.kind {
                        crate::model::EventKind::ReviewAdjourned => {
                            format!(
                                " (event {e}: review_adjourned; the adjourned meeting is the review's recorded date)"
                            )
                        }
                        _ => format!(" (event {e}: {})", ev.kind.name()),
                    })
                })
                .unwrap_or_default();
            let when = match o.latest {
                Some(l) if d > l => match calendar.working_days_between(l, d) {
                    Ok(n) if n >= 1 => format!(", {} after the deadline", crate::calendar::days_phrase(n, "working")),
                    _ => ", after the deadline (on a day that is not a working day)".to_string(),
                },
                Some(_) => ", by the deadline".to_string(),
                None => String::new(),
            };
            steps.push(format!("Done on {}{by}{when}.", fmt(d)));
        }
        if let Some(b) = o.binding() {
            let list: Vec<String> = b
                .iter()
                .map(|c| {
                    format!(
                        "{} {} -> {}{}",
                        c.basis,
                        c.period.map(|p| p.to_string()).unwrap_or_else(|| "no day fixed".into()),
                        c.latest.map(fmt).unwrap_or_else(|| "no date".into()),
                        // A local rule not yet in force (said above): listed, never binding.
                        c.in_force_from
                            .map(|f| format!(" (not applied: in force only from {})", fmt(f)))
                            .unwrap_or_default()
                    )
                })
                .collect();
            let tie = match b {
                [first, second, ..]
                    if first.latest.is_some() && first.latest == second.latest && second.in_force_from.is_none() =>
                {
                    if first.basis == Basis::Statutory {
                        " On the same day, statute's rule is the one named."
                    } else {
                        " On the same day, the first rule in the profile is the one named."
                    }
                }
                _ => "",
            };
            let others: Vec<String> = b
                .iter()
                .filter(|c| *c.citation != *o.citation)
                .map(|c| format!("{}, {}", c.basis, c.citation))
                .collect();
            let also =
                if others.is_empty() { String::new() } else { format!(" Also considered: {}.", others.join("; ")) };
            steps.push(format!(
                "More than one rule governs this; the earliest deadline binds: {}.{tie}{also}",
                list.join("; ")
            ));
        }
        steps.push(format!(
            "Authority: {}{}.",
            o.citation,
            o.citation.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
        ));
        if o.provisional {
            steps.push(format!(
                "Provisional: the count uses bank holidays projected after {}.",
                self.metadata.calendar.verified_through
            ));
        }
        let t_cal = if t.statutory_calendar { "" } else { " with the local closure days" };
        steps.push(format!(
            "Rule set {} {} (statutory {} {}); calendar table {}{t_cal}, verified through {}.",
            self.metadata.profile,
            self.metadata.profile_version,
            self.metadata.statutory_profile,
            self.metadata.statutory_profile_version,
            self.metadata.calendar.table_version,
            self.metadata.calendar.verified_through
        ));
        Ok(Explanation { steps })
    }
}
