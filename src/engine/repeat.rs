//! One mechanism for a repeating duty: reviews and social worker visits are two uses of it.
//!
//! A repeating duty's clock counts occurrence 1 from the start of the clock (a review regime's
//! start, a placement's start) and occurrence n + 1 from the date occurrence n was done (the
//! previous review, the previous visit), under the rules in force on that date and whose stage
//! fits it. Where several rules fit, the earliest deadline binds (`binding.rs`). Then:
//!
//! - each recorded occurrence satisfies the next one owed (late if after its binding date);
//! - a clock that stopped (the regime or the placement ended) owes one more occurrence only when
//!   its binding date fell before it stopped: that one was missed;
//! - a clock still running always shows its next occurrence (overdue if its binding date is
//!   before the as-at date); later ones are projected, each assumed done on one day (the
//!   earliest last working day among the clocks projected together, unless the family plans
//!   another), up to the horizon;
//! - the clock stops where no rule fits (or, projecting, where no day is fixed); a family may
//!   instead pass over an occurrence recorded before its law came into force, counting the next
//!   from it (visits in a placement made before 1 Apr 2011).
//!
//! What differs between the families is behind [`Repeating`]: which rules count an occurrence
//! (regime and review number; placement conditions and stages), what the history recorded,
//! when the clock stops, what a miss is called, and what a family keeps besides (the review slot
//! table). Adjournments, early reviews, rearrangements and review numbers stay in
//! `clocks/review.rs` and its siblings.

use crate::engine::binding::earlier;
use crate::engine::*;

/// Where a clock's next occurrence counts from: the date, whether it is assumed (projected), and
/// the events that recorded it (the obligation's triggers).
#[derive(Debug, Clone, Copy)]
pub(in crate::engine) struct Prev {
    pub(in crate::engine) date: NaiveDate,
    pub(in crate::engine) assumed: bool,
    pub(in crate::engine) trig: Evs,
}

/// An occurrence of a clock as the history recorded it.
#[derive(Debug, Clone, Copy)]
pub(in crate::engine) struct Recorded {
    /// The event that recorded it.
    pub(in crate::engine) event: usize,
    /// When it was done.
    pub(in crate::engine) date: NaiveDate,
    /// Where the next occurrence counts from (for an adjourned review: its completion).
    pub(in crate::engine) next: Prev,
}

/// A clock still running after the history: occurrence `n` is next, counted from `prev`.
pub(in crate::engine) struct Running<C> {
    pub(in crate::engine) clock: C,
    pub(in crate::engine) n: u32,
    pub(in crate::engine) prev: Prev,
    /// How many candidate rules its occurrence has in the current projection step.
    cands: usize,
    /// The obligation occurrence `n` was made, while it is not yet done: made at one step, it
    /// stays owed to a later step when it could not join that step's meeting (the meeting was
    /// before the day it counts from), and is not made again.
    i: Option<usize>,
}

/// What one clock of a repeating duty tells the mechanism.
pub(in crate::engine) trait Repeating<'a> {
    /// The rules (indices into the grouped rules) that may count occurrence `n`: a superset, in
    /// profile order; [`Repeating::fits`] decides.
    fn picks(&self, sets: &RuleSets, n: u32) -> Picks;

    /// Whether `rule`, in force on `prev`, counts occurrence `n`, the previous one done (or the
    /// clock started) on `prev`: its anchor, occurrence, regime or placement, and stage.
    fn fits(&mut self, b: &Builder<'a, '_>, rule: &Rule, n: u32, prev: NaiveDate) -> Result<bool>;

    /// Whether occurrence `n`, counted from `prev` by the `fitting` rules and triggered by
    /// `trig`, is owed (`false`: the clock stops here), or an error when the history cannot be
    /// scheduled under the profile.
    fn check(&self, b: &Builder<'a, '_>, n: u32, prev: &Prev, fitting: &[Cand<'a>], trig: &[usize]) -> Result<bool>;

    /// The start of the clock (occurrence 1 counts from it).
    fn start(&self) -> Prev;

    /// Occurrence `n` as recorded, if it was.
    fn recorded(&self, b: &Builder<'a, '_>, n: u32) -> Result<Option<Recorded>>;

    /// When (and by which event) the clock stopped, if it did.
    fn end(&self) -> Option<(NaiveDate, usize)>;

    /// The regime its obligations carry, if any.
    fn regime(&self) -> Option<Regime>;

    /// The breach of an occurrence done late.
    fn late(&self, done: NaiveDate, working_days_late: i64, calendar_days_late: i64, basis: Basis) -> Breach;

    /// The breach of an occurrence not done as at `as_at`.
    fn not_done(&self, as_at: NaiveDate, basis: Basis) -> Breach;

    /// For an occurrence missed before the clock stopped on `end` (by `event`): the event added
    /// to its triggers, if any, and the day on which whose standard it breaches is judged.
    fn missed_at_end(&self, end: NaiveDate, event: usize) -> (Option<usize>, NaiveDate);

    /// Occurrence `n` became obligation `i` (a family may keep it, as reviews keep their slots).
    fn made(&mut self, _b: &mut Builder<'a, '_>, _n: u32, _i: usize) {}

    /// Whether an occurrence recorded before any of its rules was in force (counted from a date
    /// before the law came in) is passed over, the clock going on from it, rather than stopping
    /// the clock: visits in a placement made before the 2010 Regulations came into force are owed
    /// from the first visit after. `false` (the default): the clock's own `check` decides.
    fn passes_over_before_law(&self) -> bool {
        false
    }
}

/// Puts the clocks that can be done on `date` (counting from it or before) first, keeping their
/// order; how many there are, or all of them when none can.
#[cold]
fn join_first<C>(open: &mut Vec<Running<C>>, date: NaiveDate) -> usize {
    let (mut joining, waiting): (Vec<_>, Vec<_>) = open.drain(..).partition(|o| o.prev.date <= date);
    let n = joining.len();
    joining.extend(waiting);
    *open = joining;
    if n == 0 {
        open.len()
    } else {
        n
    }
}

/// The candidates of one occurrence that count: those in force, before any of a local rule not
/// yet in force that [`Builder::gather`] put after them.
#[inline(always)]
pub(in crate::engine) fn in_force<'c, 'a>(cands: &'c [Cand<'a>]) -> &'c [Cand<'a>] {
    match cands.last() {
        Some(last) if last.not_in_force => in_force_cold(cands),
        _ => cands,
    }
}

#[cold]
#[inline(never)]
fn in_force_cold<'c, 'a>(cands: &'c [Cand<'a>]) -> &'c [Cand<'a>] {
    &cands[..cands.partition_point(|c| !c.not_in_force)]
}

/// The binding deadline among candidates (the earliest; on a tie the first), as
/// [`Builder::attach`] would choose it: a local rule not yet in force never binds.
pub(in crate::engine) fn binding_deadline(cands: &[Cand<'_>]) -> Option<Deadline> {
    let mut it = in_force(cands).iter();
    let mut best = it.next()?;
    for c in it {
        if earlier(c, best) {
            best = c;
        }
    }
    best.deadline
}

impl<'a> Builder<'a, '_> {
    /// Appends to `self.fitting` a candidate for every rule in force on `prev.date` that counts
    /// occurrence `n` of `c` from `prev`.
    ///
    /// A local procedure's rule not yet in force on that date that would otherwise count it
    /// follows them, marked `not_in_force` ([`Builder::aside`]): see [`in_force`] for the
    /// candidates that count.
    pub(in crate::engine) fn gather<C: Repeating<'a>>(&mut self, c: &mut C, n: u32, prev: &Prev) -> Result<()> {
        for k in c.picks(self.sets, n) {
            let rule = self.rule(k);
            // The version of the law in force on the date the previous one was done.
            if rule.in_force(prev.date) && c.fits(self, rule, n, prev.date)? {
                let cand = self.cand(rule, prev.date, prev.assumed)?;
                self.fitting.push(cand);
            }
        }
        if self.profile.kind == crate::profile::ProfileKind::Local {
            self.gather_not_yet(c, n, prev)?;
        }
        Ok(())
    }

    /// Appends to `self.fitting`, marked `not_in_force`, a candidate for every local procedure's
    /// rule not yet in force on `prev.date` that would count occurrence `n` of `c` from `prev`
    /// (a deadline that cannot be counted leaves it out: it would not have applied anyway).
    #[cold]
    #[inline(never)]
    fn gather_not_yet<C: Repeating<'a>>(&mut self, c: &mut C, n: u32, prev: &Prev) -> Result<()> {
        for k in c.picks(self.sets, n) {
            let rule = self.rule(k);
            if !rule.in_force(prev.date) && Self::not_yet(rule, prev.date) && c.fits(self, rule, n, prev.date)? {
                if let Ok(cand) = self.cand(rule, prev.date, prev.assumed) {
                    self.fitting.push(Cand { not_in_force: true, ..cand });
                }
            }
        }
        Ok(())
    }

    /// Makes occurrence `n` of `c` one obligation of `cands` (in profile order); its index.
    fn commit<C: Repeating<'a>>(
        &mut self,
        c: &mut C,
        n: u32,
        cands: impl Iterator<Item = Cand<'a>>,
        trig: &[usize],
    ) -> Option<usize> {
        let regime = c.regime();
        let mut idx = None;
        for cand in cands {
            if cand.not_in_force {
                // After those in force: listed on their obligation, never one of its own.
                if let Some(i) = idx {
                    self.aside_occurrence(i, cand);
                }
                continue;
            }
            idx = Some(self.attach(idx, cand, regime, Some(n), Trig::List(trig), false, None));
        }
        if let Some(i) = idx {
            c.made(self, n, i);
        }
        idx
    }

    /// [`Builder::aside`] for a repeating clock's candidate, read on the date the previous
    /// occurrence was done (or the clock started): its anchor date.
    #[cold]
    #[inline(never)]
    fn aside_occurrence(&mut self, i: usize, cand: Cand<'a>) {
        let what = match (cand.rule.anchor, cand.assumed) {
            (Anchor::PreviousReview, false) => "the review this one counts from was held on",
            (Anchor::PreviousReview, true) => "the review this one counts from is planned for",
            (Anchor::RegimeStart, _) => "the clock this review counts from started on",
            (Anchor::PlacementStarted, _) => "the placement started on",
            (Anchor::LastDone, false) => "it was last done on",
            (Anchor::LastDone, true) => "it is next taken as done on",
            (_, _) => "it is counted from",
        };
        let on = cand.anchor_date;
        self.aside(i, cand, on, what);
    }

    /// Makes the fitting candidates occurrence `n` of `c`.
    fn commit_fitting<C: Repeating<'a>>(&mut self, c: &mut C, n: u32, trig: &[usize]) -> Option<usize> {
        let mut fitting = std::mem::take(&mut self.fitting);
        let i = self.commit(c, n, fitting.drain(..), trig);
        self.fitting = fitting;
        i
    }

    /// The recorded occurrences of clock `c`, then the one it missed if it stopped; the clock,
    /// with its next occurrence, when it is still running (for [`Builder::project`]).
    pub(in crate::engine) fn occurrences<C: Repeating<'a>>(&mut self, mut c: C) -> Result<Option<Running<C>>> {
        let mut prev = c.start();
        let mut n = 1;
        while let Some(rec) = c.recorded(self, n)? {
            self.fitting.clear();
            self.gather(&mut c, n, &prev)?;
            if in_force(&self.fitting).is_empty()
                && c.passes_over_before_law()
                && self.before_law(&mut c, n, prev.date)?
            {
                // Done before the law that would owe it: no obligation, and the next counts from it.
                prev = rec.next;
                n += 1;
                continue;
            }
            let trig = prev.trig.with(rec.event);
            if !c.check(self, n, &prev, in_force(&self.fitting), trig.as_slice())? {
                return Ok(None);
            }
            let Some(i) = self.commit_fitting(&mut c, n, trig.as_slice()) else {
                return Ok(None);
            };
            self.pending[i].done = Some(rec.date);
            if let Some(l) = self.binding_latest(i) {
                if rec.date > l {
                    let basis = self.breach_basis(i, rec.date);
                    let late =
                        c.late(rec.date, self.cal.working_days_between(l, rec.date)?, days_between(l, rec.date), basis);
                    self.extra(i).breach = Some(late);
                }
            }
            prev = rec.next;
            n += 1;
        }
        let Some((end, end_event)) = c.end() else {
            return Ok(Some(Running { clock: c, n, prev, cands: 0, i: None }));
        };
        // The clock stopped: an occurrence whose binding date fell before that was missed.
        self.fitting.clear();
        self.gather(&mut c, n, &prev)?;
        if binding_deadline(&self.fitting).is_some_and(|d| d.date < end) {
            let (extra, on) = c.missed_at_end(end, end_event);
            let trig = match extra {
                Some(e) => prev.trig.with(e),
                None => prev.trig,
            };
            if c.check(self, n, &prev, in_force(&self.fitting), trig.as_slice())? {
                if let Some(i) = self.commit_fitting(&mut c, n, trig.as_slice()) {
                    let basis = self.breach_basis(i, on);
                    let x = self.extra(i);
                    x.breach = Some(c.not_done(end, basis));
                    x.clock_stopped = true;
                }
            }
        }
        Ok(None)
    }

    /// Whether some rule that would count occurrence `n` of `c` from `prev` comes into force only
    /// after `prev` (none in force on it).
    #[cold]
    fn before_law<C: Repeating<'a>>(&mut self, c: &mut C, n: u32, prev: NaiveDate) -> Result<bool> {
        for k in c.picks(self.sets, n) {
            let rule = self.rule(k);
            if rule.in_force_from.is_some_and(|f| prev < f) && c.fits(self, rule, n, prev)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Projects the running clocks `open` together, up to the horizon: the next occurrence of each
    /// always (overdue when its binding date is before the as-at date), then further ones. Each
    /// step's occurrences are assumed done on one day, `day(step, earliest)` where `earliest` is
    /// the earliest last working day among them (a family may plan another); `done(builder, step,
    /// day, joined)` is told of each step made, with the clocks done on that day. A clock whose
    /// occurrence counts from a day after it (an adoption clock started after an overdue
    /// looked-after review's assumed day) does not join: its occurrence stays owed, made once,
    /// for a later step. A clock stops where no rule fits; the projection stops where no day is
    /// fixed, or past the horizon (those occurrences are not made).
    pub(in crate::engine) fn project<C: Repeating<'a>>(
        &mut self,
        open: &mut Vec<Running<C>>,
        horizon_end: Option<NaiveDate>,
        no_horizon: bool,
        mut day: impl FnMut(usize, Option<NaiveDate>) -> Option<NaiveDate>,
        mut done: impl FnMut(&mut Self, usize, NaiveDate, &[Running<C>]),
    ) -> Result<()> {
        let mut step = 0usize;
        while !open.is_empty() && step < MAX_PROJECTION {
            self.fitting.clear();
            let mut earliest: Option<NaiveDate> = None;
            let mut j = 0;
            while j < open.len() {
                let o = &mut open[j];
                let prev = Prev { assumed: o.prev.assumed || step > 0, ..o.prev };
                let from = self.fitting.len();
                self.gather(&mut o.clock, o.n, &prev)?;
                if !o.clock.check(self, o.n, &prev, in_force(&self.fitting[from..]), prev.trig.as_slice())? {
                    self.fitting.truncate(from);
                    open.remove(j);
                    continue;
                }
                o.cands = self.fitting.len() - from;
                if let Some(d) = binding_deadline(&self.fitting[from..]) {
                    earliest = Some(earliest.map_or(d.latest_working_day, |e| e.min(d.latest_working_day)));
                }
                j += 1;
            }
            if open.is_empty() {
                break;
            }
            let date = day(step, earliest);
            if step > 0 && date.is_some_and(|d| no_horizon || horizon_end.is_none_or(|h| d > h)) {
                break;
            }
            let mut fitting = std::mem::take(&mut self.fitting);
            let mut cands = fitting.drain(..);
            for o in open.iter_mut() {
                if o.i.is_some() {
                    // Made at an earlier step: its candidates again, not a second obligation.
                    cands.by_ref().take(o.cands).for_each(drop);
                    continue;
                }
                let prev = Prev { assumed: o.prev.assumed || step > 0, ..o.prev };
                let i = self.commit(&mut o.clock, o.n, cands.by_ref().take(o.cands), prev.trig.as_slice());
                o.i = i;
                if let (0, Some(i), Some(as_at)) = (step, i, self.as_at) {
                    if self.binding_latest(i).is_some_and(|l| l < as_at) {
                        let basis = self.breach_basis(i, as_at);
                        self.extra(i).breach = Some(o.clock.not_done(as_at, basis));
                    }
                }
            }
            drop(cands);
            self.fitting = fitting;
            let Some(date) = date else { break };
            // The clocks done at this step's meeting, first (a stable partition): those counting
            // from a later day wait; when none could join, all do (a planned day before every clock).
            let joined = if open.iter().all(|o| o.prev.date <= date) { open.len() } else { join_first(open, date) };
            done(self, step, date, &open[..joined]);
            // Held at a meeting inside the horizon: shown with that meeting's duties, even when
            // its own day to plan for is after the horizon (a joint meeting brought it forward).
            let inside = horizon_end.is_some_and(|h| date <= h);
            for (k, o) in open.iter_mut().enumerate() {
                if k < joined {
                    if let (true, Some(i)) = (inside, o.i) {
                        self.pending[i].in_horizon = true;
                    }
                    o.n += 1;
                    o.prev = Prev { date, assumed: true, trig: Evs::default() };
                    o.i = None;
                }
            }
            step += 1;
            if no_horizon {
                break;
            }
        }
        Ok(())
    }
}
