//! The placement clocks: duties counted from the start or the end of a placement (care plan,
//! placement plan, notifications, a personal education plan after an emergency placement), and
//! duties that repeat from the date they were last done (social worker visits).
//!
//! A repeating duty is a use of the one mechanism for a repeating duty (`engine/repeat.rs`), as
//! reviews are: occurrence 1 is counted from the start of the placement by the rules anchored
//! on `placement_started`; occurrence n + 1 from the date occurrence n was done (`last_done`), by
//! the rules in force on that date and whose stage fits it (`in_first`, `after_first`,
//! `first_review_held`). Where several rules fit, the earliest deadline binds. A recorded visit
//! satisfies the next occurrence; after the last one, the next occurrence is always shown, and
//! further ones are projected (each assumed done on its last working day) up to the horizon. The
//! clock stops where no rule fits (adoption visits after the first review are for the agency to
//! decide) or the placement ends.

use crate::engine::binding::Later;
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

/// A duty of placement `pl` that repeats from when it was last done (`last_done`), for the
/// repeating-duty mechanism.
struct RepeatingDuty<'a, 'm> {
    duty: Duty,
    pl: &'a Placement,
    /// Its recorded occurrences in the placement: (event, date), in order.
    done: &'m [(usize, NaiveDate)],
    mtgs: &'m [Mtg<'a>],
    /// The last day of each stage length (`in_first`, `after_first`), once computed.
    ends: Vec<(Period, NaiveDate)>,
    /// The rules of the placement group for this duty and placement, as picks: for the first
    /// occurrence (`placement_started`) and for the next ones (`last_done`).
    first: Picks,
    next: Picks,
    /// The picks hold only rules of this duty, anchor and placement (`fits` need not check).
    picked: bool,
}

impl<'a, 'm> RepeatingDuty<'a, 'm> {
    /// The clock of `duty` in placement `pl`, done on `done`.
    fn new(
        b: &Builder<'a, '_>,
        duty: Duty,
        pl: &'a Placement,
        done: &'m [(usize, NaiveDate)],
        mtgs: &'m [Mtg<'a>],
    ) -> Self {
        // The placement group's rules for this duty and placement, picked once (as bit masks
        // when the group has at most 64 rules; else the whole group, each rule checked by `fits`).
        let rules = b.sets.range(PLACEMENT);
        let base = rules.start;
        let (mut first, mut next) = (0u64, 0u64);
        if rules.len() <= 64 {
            for k in rules.clone() {
                let rule = b.rule(k);
                if rule.duty != duty || !placement_fits(rule, pl) {
                    continue;
                }
                match rule.anchor {
                    Anchor::PlacementStarted => first |= 1 << (k - base),
                    Anchor::LastDone => next |= 1 << (k - base),
                    _ => {}
                }
            }
        }
        let picks = |mask: u64| {
            if rules.len() <= 64 {
                Picks { mask, base, rest: 0..0 }
            } else {
                Picks { mask: 0, base, rest: rules.clone() }
            }
        };
        let picked = rules.len() <= 64;
        RepeatingDuty { duty, pl, done, mtgs, ends: Vec::new(), first: picks(first), next: picks(next), picked }
    }

    /// Whether the first review after the start of the placement was held (or is planned) on or
    /// before `date`. A review not yet held counts only when planning ahead, for a `date` after
    /// the as-at date `as_at`, from its planned day: up to the as-at date the history says it was
    /// not held (a review whose planned day passed without it, overdue, leaves the visits weekly
    /// until it is held), and a visit's interval never depends on how far the history reaches.
    fn first_review_by(&self, date: NaiveDate, as_at: Option<NaiveDate>) -> bool {
        let pl = self.pl;
        let planning = as_at.is_none_or(|a| date > a);
        self.mtgs
            .iter()
            .any(|m| m.period == pl.period && m.date >= pl.start && m.date <= date && (!m.assumed || planning))
    }

    /// The last day of the stage of length `first` from the placement's start ("the first
    /// year": 12 months counted as everywhere else), computed once per length.
    fn stage_end(&mut self, first: Period, cal: &Calendar) -> Result<NaiveDate> {
        if let Some((_, d)) = self.ends.iter().find(|(p, _)| *p == first) {
            return Ok(*d);
        }
        let d = period::within_after(self.pl.start, first, cal)?.date;
        self.ends.push((first, d));
        Ok(d)
    }
}

impl<'a> Repeating<'a> for RepeatingDuty<'a, '_> {
    fn picks(&self, _sets: &RuleSets, n: u32) -> Picks {
        if n == 1 {
            self.first.clone()
        } else {
            self.next.clone()
        }
    }

    /// The duty's rule for occurrence `n` (`placement_started` for the first, `last_done` for
    /// the next), for this placement, whose stage fits the date it was last done (a reading:
    /// see the rules' notes; the mechanism has checked that it was in force on that date).
    // Always inlined: called in `gather` on every occurrence (out of line, the call cost about
    // 2,300 instructions a schedule with placements) and, cold, in `Builder::before_law`.
    #[inline(always)]
    fn fits(&mut self, b: &Builder<'a, '_>, rule: &Rule, n: u32, prev: NaiveDate) -> Result<bool> {
        let want = if n == 1 { Anchor::PlacementStarted } else { Anchor::LastDone };
        if !self.picked && (rule.duty != self.duty || rule.anchor != want || !placement_fits(rule, self.pl)) {
            return Ok(false);
        }
        if let Some(first) = rule.in_first {
            if prev > self.stage_end(first, b.cal)? {
                return Ok(false);
            }
        }
        if let Some(first) = rule.after_first {
            if prev <= self.stage_end(first, b.cal)? {
                return Ok(false);
            }
        }
        if let Some(held) = rule.first_review_held {
            if self.first_review_by(prev, b.as_at) != held {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Owed while some rule fits; none: the clock stops.
    fn check(
        &self,
        _b: &Builder<'a, '_>,
        _n: u32,
        _prev: &Prev,
        fitting: &[Cand<'a>],
        _trig: &[usize],
    ) -> Result<bool> {
        Ok(!fitting.is_empty())
    }

    fn start(&self) -> Prev {
        Prev { date: self.pl.start, assumed: false, trig: Evs::one(self.pl.start_event) }
    }

    fn recorded(&self, _b: &Builder<'a, '_>, n: u32) -> Result<Option<Recorded>> {
        Ok(self.done.get(n as usize - 1).map(|&(event, date)| Recorded {
            event,
            date,
            next: Prev { date, assumed: false, trig: Evs::one(event) },
        }))
    }

    fn end(&self) -> Option<(NaiveDate, usize)> {
        self.pl.end
    }

    fn regime(&self) -> Option<Regime> {
        None
    }

    fn late(&self, done: NaiveDate, working_days_late: i64, calendar_days_late: i64, basis: Basis) -> Breach {
        Breach::LateDuty { done, working_days_late, calendar_days_late, basis }
    }

    fn not_done(&self, as_at: NaiveDate, basis: Basis) -> Breach {
        Breach::NotDone { as_at, basis }
    }

    /// Owed until the placement ended, and not done by then.
    fn missed_at_end(&self, end: NaiveDate, _event: usize) -> (Option<usize>, NaiveDate) {
        (None, end)
    }

    /// A visit made before reg 28 came into force (1 Apr 2011; Wales reg 31, 6 Apr 2016) owed
    /// nothing under it; the next counts from it (care-planning-timescales.md: the interval is
    /// the one in force on the date of the previous visit).
    fn passes_over_before_law(&self) -> bool {
        true
    }
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
        let mut later = Vec::new();
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
                if !placement_fits(rule, pl) {
                    continue;
                }
                if !rule.in_force(anchor) {
                    // A local procedure's rule not yet in force: listed on the obligation the
                    // rules in force make, once every rule is attached.
                    if Self::not_yet(rule, anchor) {
                        if let Ok(c) = self.cand(rule, anchor, false) {
                            let cand = Cand { not_in_force: true, ..c };
                            let what = match rule.anchor {
                                Anchor::PlacementEnded => "the placement ended on",
                                _ => "the placement started on",
                            };
                            later.push(Later { key: (rule.duty, Scope::Placement(p)), cand, on: anchor, what });
                        }
                    }
                    continue;
                }
                let c = self.cand(rule, anchor, false)?;
                self.add(Scope::Placement(p), c, None, None, Trig::List(trig.as_slice()), false);
            }
            if !later.is_empty() {
                self.aside_scoped(std::mem::take(&mut later));
            }
            for d in 0..self.sets.repeating.len() {
                let duty = self.sets.repeating[d];
                self.repeating_clock(p, duty, mtgs, horizon_end, no_horizon)?;
            }
        }
        Ok(())
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
        let clock = RepeatingDuty::new(self, duty, pl, done, mtgs);
        if let Some(open) = self.occurrences(clock)? {
            // Projected on its own: each occurrence assumed done on its last working day.
            self.project(&mut vec![open], horizon_end, no_horizon, |_, earliest| earliest, |_, _, _, _| {})?;
        }
        Ok(())
    }
}
