//! The placement clocks: duties counted from the start or the end of a placement (care plan,
//! placement plan, notifications, a personal education plan after an emergency placement), and
//! duties that repeat from the date they were last done (social worker visits).
//!
//! One mechanism serves every repeating duty: occurrence 1 is counted from the start of the
//! placement by the rules anchored on `placement_started`; occurrence n + 1 from the date
//! occurrence n was done (`last_done`), by the rules in force on that date and whose stage fits
//! it (`in_first`, `after_first`, `first_review_held`). Where several rules fit, the earliest
//! deadline binds, as everywhere in the engine. A recorded visit satisfies the next occurrence;
//! after the last one, the next occurrence is always shown, and further ones are projected (each
//! assumed done on its last working day) up to the horizon. When no rule fits, the clock stops
//! (adoption visits after the first review are for the agency to decide).

use crate::engine::*;
use crate::model::walk::Placement;
use crate::model::PlacementCondition;

/// Whether `placement` meets every condition of `rule`.
fn placement_fits(rule: &Rule, placement: &Placement) -> bool {
    rule.placement.iter().all(|c| match c {
        PlacementCondition::First => placement.first,
        PlacementCondition::LongTerm => placement.long_term,
        PlacementCondition::NotLongTerm => !placement.long_term,
        PlacementCondition::Emergency => placement.emergency,
        PlacementCondition::Planned => !placement.emergency,
        PlacementCondition::WithParent => placement.with_parent,
        PlacementCondition::NotWithParent => !placement.with_parent,
        PlacementCondition::Adoption => placement.adoption,
        PlacementCondition::NotAdoption => !placement.adoption,
    })
}

impl<'a> Builder<'a, '_> {
    /// Duties counted from placements, and the repeating duties of each placement.
    pub(in crate::engine) fn placement_duties(
        &mut self,
        mtgs: &[Mtg<'a>],
        horizon_end: Option<NaiveDate>,
        no_horizon: bool,
    ) -> Result<()> {
        let walk = self.walk;
        let rules = self.sets.range(PLACEMENT);
        if rules.is_empty() || walk.placements.is_empty() {
            return Ok(());
        }
        for (p, pl) in walk.placements.iter().enumerate() {
            for k in rules.clone() {
                let rule = self.rule(k);
                if self.sets.repeating.contains(&rule.duty) {
                    continue;
                }
                let (anchor, trig) = match (rule.anchor, pl.end) {
                    (Anchor::PlacementStarted, _) => (pl.start, Evs::one(pl.start_event)),
                    (Anchor::PlacementEnded, Some((d, e))) if pl.ended_by_event => {
                        (d, Evs::one(pl.start_event).with(e))
                    }
                    _ => continue,
                };
                if !rule.in_force(anchor) || !placement_fits(rule, pl) {
                    continue;
                }
                let c = self.cand(rule, anchor, false)?;
                self.add(Scope::Placement(p), c, None, None, Trig::List(trig.as_slice()), false);
            }
            for d in 0..self.sets.repeating.len() {
                let duty = self.sets.repeating[d];
                self.repeating_clock(p, duty, mtgs, horizon_end, no_horizon)?;
            }
        }
        Ok(())
    }

    /// Whether the first review after the start of placement `pl` was held (or is planned) on or
    /// before `date`.
    fn first_review_by(pl: &Placement, mtgs: &[Mtg<'a>], date: NaiveDate) -> bool {
        mtgs.iter().any(|m| m.period == pl.period && m.date >= pl.start && m.date <= date)
    }

    /// Whether `rule` counts occurrence `n` of a repeating duty in placement `pl`, the previous
    /// one having been done on `prev` (the placement's start for occurrence 1).
    fn occurrence_fits(
        &self,
        rule: &Rule,
        pl: &Placement,
        n: u32,
        prev: NaiveDate,
        mtgs: &[Mtg<'a>],
        ends: &mut Vec<(Period, NaiveDate)>,
    ) -> Result<bool> {
        let want = if n == 1 { Anchor::PlacementStarted } else { Anchor::LastDone };
        if rule.anchor != want || !rule.in_force(prev) || !placement_fits(rule, pl) {
            return Ok(false);
        }
        // The stage in force on the date it was last done (a reading: see the rules' notes).
        if let Some(first) = rule.in_first {
            if prev > self.stage_end(pl.start, first, ends)? {
                return Ok(false);
            }
        }
        if let Some(first) = rule.after_first {
            if prev <= self.stage_end(pl.start, first, ends)? {
                return Ok(false);
            }
        }
        if let Some(held) = rule.first_review_held {
            if Self::first_review_by(pl, mtgs, prev) != held {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The last day of the stage of length `first` from `start` ("the first year": 12 months
    /// counted as everywhere else), computed once per placement and length (kept in `ends`).
    fn stage_end(&self, start: NaiveDate, first: Period, ends: &mut Vec<(Period, NaiveDate)>) -> Result<NaiveDate> {
        if let Some((_, d)) = ends.iter().find(|(p, _)| *p == first) {
            return Ok(*d);
        }
        let d = period::within_after(start, first, self.cal)?.date;
        ends.push((first, d));
        Ok(d)
    }

    /// The occurrences of `duty` in placement `p`: done, missed, due, and projected.
    fn repeating_clock(
        &mut self,
        p: usize,
        duty: Duty,
        mtgs: &[Mtg<'a>],
        horizon_end: Option<NaiveDate>,
        no_horizon: bool,
    ) -> Result<()> {
        let walk = self.walk;
        let pl = &walk.placements[p];
        let recorded: Vec<(usize, NaiveDate)>;
        let done: &[(usize, NaiveDate)] = if duty == Duty::VisitChild {
            &pl.visits
        } else {
            let end = pl.end.map(|(d, _)| d);
            recorded = walk
                .done
                .iter()
                .filter(|d| d.duty == duty && d.date >= pl.start && end.is_none_or(|e| d.date <= e))
                .map(|d| (d.event, d.date))
                .collect();
            &recorded
        };
        let rules = self.sets.range(PLACEMENT);
        let mut ends = Vec::new();
        let mut fitting = Vec::new();
        // The previous occurrence: its date, whether assumed, and the event that recorded it.
        let mut prev = (pl.start, false, Evs::one(pl.start_event));
        for n in 1..=MAX_PROJECTION as u32 {
            fitting.clear();
            for k in rules.clone() {
                let rule = self.rule(k);
                if rule.duty == duty && self.occurrence_fits(rule, pl, n, prev.0, mtgs, &mut ends)? {
                    fitting.push(self.cand(rule, prev.0, prev.1)?);
                }
            }
            // Earliest deadline first, statute first on a tie (profile order).
            let Some(binding) = fitting.iter().filter_map(|c| c.deadline).map(|d| d.date).min() else {
                // No rule fits, or no day is fixed: the clock stops here.
                break;
            };
            let record = done.get(n as usize - 1).copied();
            if record.is_none() {
                if let Some((end, _)) = pl.end {
                    // The placement ended before this occurrence fell due: none is owed.
                    if binding >= end {
                        break;
                    }
                }
            }
            let lwd = fitting.iter().filter_map(|c| c.deadline).map(|d| d.latest_working_day).min().unwrap_or(binding);
            if prev.1 && (no_horizon || horizon_end.is_none_or(|h| lwd > h)) {
                break;
            }
            let trig = match record {
                Some((e, _)) => prev.2.with(e),
                None => prev.2,
            };
            // Each occurrence is its own obligation (never looked up again): no index entry.
            let mut idx = None;
            for c in fitting.drain(..) {
                idx = Some(self.attach(idx, c, None, Some(n), Trig::List(trig.as_slice()), false));
            }
            let Some(i) = idx else { break };
            match record {
                Some((e, date)) => {
                    self.pending[i].done = Some(date);
                    if date > binding {
                        let basis = self.breach_basis(i, date);
                        self.extra(i).breach = Some(Breach::LateDuty {
                            done: date,
                            working_days_late: self.cal.working_days_between(binding, date)?,
                            calendar_days_late: (date - binding).num_days(),
                            basis,
                        });
                    }
                    prev = (date, false, Evs::one(e));
                }
                None => {
                    if let Some((end, _)) = pl.end {
                        let basis = self.breach_basis(i, end);
                        self.extra(i).breach = Some(Breach::NotDone { as_at: end, basis });
                        break;
                    }
                    if !prev.1 {
                        if let Some(as_at) = self.as_at.filter(|a| binding < *a) {
                            let basis = self.breach_basis(i, as_at);
                            self.extra(i).breach = Some(Breach::NotDone { as_at, basis });
                        }
                    }
                    prev = (lwd, true, Evs::default());
                    if no_horizon {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}
