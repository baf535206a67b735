//! "The earliest deadline binds", in one place: every candidate rule of an obligation is
//! attached here; the earliest deadline binds and, on a tie, statute's over a local rule's, else
//! the first attached (profile order). Also whose standard a miss breaches (statute's or a local
//! procedure's).

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// Adds a candidate rule to obligation `existing`, or to a new obligation when `None` (of the
    /// held review meeting `meeting`, if any: see `Pending::meeting`); returns the
    /// obligation's index. The earliest deadline binds; on a tie a statutory rule keeps it from a
    /// local one, and otherwise the first candidate keeps it ([`earlier`]).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(in crate::engine) fn attach(
        &mut self,
        existing: Option<usize>,
        cand: Cand<'a>,
        regime: Option<Regime>,
        review_number: Option<u32>,
        triggered_by: Trig<'_>,
        early: bool,
        meeting: Option<u32>,
    ) -> usize {
        // `check_size` keeps the candidates far below 2^32.
        let c = self.cands.len() as u32;
        let i = match existing {
            Some(i) => {
                let p = &mut self.pending[i];
                let best = &self.cands[p.best as usize];
                let head = Cand { next: Some(p.latest), ..cand };
                if earlier(&head, best) {
                    p.best = c;
                }
                // Linked at the head of the chain: `rare` reverses it back to the order attached.
                p.latest = c;
                p.n_cands += 1;
                self.cands.push(head);
                return i;
            }
            None => {
                let triggered_by = match triggered_by {
                    Trig::Shared(a) => a.clone(),
                    Trig::List(list) => Triggers::from(list),
                };
                self.pending.push(Pending {
                    duty: cand.duty,
                    regime,
                    review_number,
                    triggered_by,
                    early,
                    in_horizon: false,
                    done: None,
                    extra: None,
                    best: c,
                    latest: c,
                    n_cands: 1,
                    meeting,
                });
                self.pending.len() - 1
            }
        };
        self.cands.push(cand);
        i
    }

    /// Adds to obligation `i`, made by other rules, candidate `cand` of a local procedure's rule
    /// that was not yet in force on `on`, the date it was read on: it never binds (the binding
    /// candidate and every deadline read from it stay as they were), is listed after the other
    /// rules (`Considered::in_force_from`), and the explanation says why it was not applied
    /// (`on` described by `what`, e.g. "this review was held on"). A rule not in force makes no
    /// obligation of its own: a site keeps such candidates apart and attaches them here only to
    /// an obligation its rules in force made.
    #[cold]
    #[inline(never)]
    pub(in crate::engine) fn aside(&mut self, i: usize, cand: Cand<'a>, on: NaiveDate, what: &str) {
        let Some(from) = cand.rule.in_force_from else { return };
        // `check_size` keeps the candidates far below 2^32.
        let c = self.cands.len() as u32;
        let p = &mut self.pending[i];
        let head = Cand { next: Some(p.latest), not_in_force: true, ..cand };
        p.latest = c;
        p.n_cands += 1;
        let fmt = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
        let r = head.rule;
        let period = r.period.map_or_else(|| "no day fixed".to_string(), |p| p.to_string());
        let why = format!(
            "Not applied: {}, {} ({}, {period}) is a local procedure that applies only from {}; {what} {}.",
            r.citation.instrument,
            r.citation.provision,
            r.basis,
            fmt(from),
            fmt(on)
        );
        self.cands.push(head);
        let x = self.extra(i);
        x.note = Some(match x.note.take() {
            Some(n) => format!("{n} {why}").into(),
            None => why.into(),
        });
    }

    /// [`Builder::aside`] for each of `later`'s candidates (with the key of the obligation it
    /// would join, the date its rule was read on and what that date is) whose obligation the
    /// rules in force made.
    #[cold]
    #[inline(never)]
    pub(in crate::engine) fn aside_scoped(&mut self, later: Vec<Later<'a>>) {
        for Later { key, cand: c, on, what } in later {
            if let Some(&i) = self.index.get(&key) {
                self.aside(i, c, on, what);
            }
        }
    }

    /// Whether `rule`, not in force on `on`, is a local procedure's not yet in force then (its
    /// `in_force_from` after `on`): one that [`Builder::aside`] lists. A statutory rule's earlier
    /// or later version, or a local rule whose `in_force_to` has passed, is not. Read only on
    /// the cold paths of local profiles: the hot loops skip a rule not in force as before.
    #[inline(always)]
    pub(in crate::engine) fn not_yet(rule: &Rule, on: NaiveDate) -> bool {
        matches!(rule.basis, Basis::Local(_)) && rule.in_force_from.is_some_and(|f| on < f)
    }

    pub(in crate::engine) fn best(&self, i: usize) -> &Cand<'a> {
        &self.cands[self.pending[i].best as usize]
    }

    pub(in crate::engine) fn binding_latest(&self, i: usize) -> Option<NaiveDate> {
        self.best(i).deadline.map(|d| d.date)
    }

    /// The earliest deadline of obligation `i`'s statutory rules, if it has one.
    pub(in crate::engine) fn statutory_latest(&self, i: usize) -> Option<NaiveDate> {
        let mut c = Some(self.pending[i].latest);
        let mut best: Option<NaiveDate> = None;
        while let Some(cand) = c.and_then(|k| self.cands.get(k as usize)) {
            if cand.rule.basis == Basis::Statutory {
                if let Some(d) = cand.deadline {
                    best = Some(best.map_or(d.date, |b| b.min(d.date)));
                }
            }
            c = cand.next;
        }
        best
    }

    /// Whose standard obligation `i` breaches when not done by `on`: statute's when its own
    /// deadline has passed too (or the duty has no statutory rule with a deadline and the binding
    /// rule is statutory), else the binding local rule's.
    pub(in crate::engine) fn breach_basis(&self, i: usize, on: NaiveDate) -> Basis {
        match self.statutory_latest(i) {
            Some(s) if on > s => Basis::Statutory,
            _ => self.best(i).rule.basis.clone(),
        }
    }
}

/// A candidate of a local procedure's rule not yet in force, kept until every rule of its pass
/// is attached: the key of the obligation it would join, the date its rule was read on, and what
/// that date is, in words ("the period of care began on").
pub(in crate::engine) struct Later<'a> {
    pub(in crate::engine) key: (Duty, Scope),
    pub(in crate::engine) cand: Cand<'a>,
    pub(in crate::engine) on: NaiveDate,
    pub(in crate::engine) what: &'static str,
}

/// Whether candidate `a` has an earlier deadline than `b` (no deadline counts as latest, and a
/// rule that cannot apply because it falls before the child was looked after after every other).
/// On the same deadline a statutory rule comes before a local one, as `Obligation::binding`
/// lists them: a local rule may be attached first (counted in the meeting pass's first round,
/// statute's from receipt of the decisions in its second), and must not keep a tie from statute.
pub(in crate::engine) fn earlier(a: &Cand, b: &Cand) -> bool {
    if a.before_care != b.before_care {
        return b.before_care;
    }
    let statute_first = || matches!(a.rule.basis, Basis::Statutory) && !matches!(b.rule.basis, Basis::Statutory);
    match (a.deadline, b.deadline) {
        (Some(x), Some(y)) => x.date < y.date || (x.date == y.date && statute_first()),
        (Some(_), None) => true,
        (None, None) => statute_first(),
        (None, Some(_)) => false,
    }
}
