//! Duties counted from a review meeting (before it, after it, its completion, the mid-point).

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// Duties anchored on a review meeting.
    #[inline(never)]
    pub(in crate::engine) fn meeting_duties(&mut self, mtgs: &[Mtg<'a>], case: &CaseHistory) -> Result<()> {
        self.meeting_rules::<false>(mtgs, case)?;
        if self.profile.kind == crate::profile::ProfileKind::Local {
            self.meeting_rules_not_yet(mtgs, case)?;
        }
        Ok(())
    }

    /// The local procedures' rules not yet in force on the day of a meeting, listed (after every
    /// rule in force is attached) on the obligations the rules in force made
    /// ([`Builder::aside`]): the second pass of [`Builder::meeting_rules`].
    #[cold]
    #[inline(never)]
    fn meeting_rules_not_yet(&mut self, mtgs: &[Mtg<'a>], case: &CaseHistory) -> Result<()> {
        if !self.sets.meeting_rules.iter().flatten().any(|mr| mr.local && self.rules[mr.k].in_force_from.is_some()) {
            return Ok(());
        }
        self.meeting_rules::<true>(mtgs, case)
    }

    /// The rules anchored on each meeting: with `NOT_YET` false, those in force on its day; with
    /// `NOT_YET` true, only the local procedures' rules not yet in force on its day, each listed
    /// on the obligation the rules in force made for its duty at that meeting, if any (a deadline
    /// that cannot be counted leaves it out: it would not have applied anyway). One body, so that
    /// both passes read a rule's anchor alike.
    #[inline(always)]
    fn meeting_rules<const NOT_YET: bool>(&mut self, mtgs: &[Mtg<'a>], case: &CaseHistory) -> Result<()> {
        // The rules that can apply to a meeting, split by pass: those counting from another
        // duty's completion at the same meeting go second, once that duty's deadline is known.
        // `grouped`: this thread's copies of the profile's rules in group order (`Builder::rule`'s),
        // so that obligations never touch the reference counts every thread shares.
        let (sets, grouped): (&RuleSets, &'a [Rule]) = (self.sets, self.rules);
        // The calendars of statutory and local rules (`Builder::cal_for`), read once.
        let (statutory_cal, local_cal) = (self.cal, self.local_cal);
        let (walk, cols) = (self.walk, sets.meeting_cols);
        if sets.meeting_rules.iter().all(|rules| rules.is_empty()) {
            return Ok(());
        }
        if !NOT_YET {
            self.meeting_duty.resize(mtgs.len() * cols, None);
        }
        for (mi, m) in mtgs.iter().enumerate() {
            // (The second pass's own copy keeps `primary` inlined in the first: it is hot.)
            let Some((run, n, regime)) = (if NOT_YET { primary_apart(walk, m) } else { primary(walk, m) }) else {
                continue;
            };
            // `reviews` counts the reviews of the period of care (secure panels: their own).
            let in_care = if m.ordinal > 0 { m.ordinal } else { n };
            let adjourned = !m.adjourned.is_empty();
            // Per meeting: the start of its period of care, its row of `meeting_duty`, the held
            // meeting's index.
            let period_start = walk.periods.get(m.period).map(|p| p.start);
            let row = mi * cols;
            // The held meeting's index for `Pending::meeting`.
            let held = match m.r {
                MeetingRef::Held(hm) => u32::try_from(hm).ok(),
                MeetingRef::Projected(_) => None,
            };
            // This meeting's rules counting from it, then those counting from another duty's
            // completion at it (pass 1), once that duty's deadline is known.
            for mr in sets.meeting_rules.iter().flatten() {
                // The rule's reviews, regimes, meeting and adjournment (`MeetingRule`).
                if !mr.admits(in_care, regime, m.with_meeting, adjourned) {
                    continue;
                }
                let rule: &'a Rule = &grouped[mr.k];
                if NOT_YET && !(mr.local && !rule.in_force(m.date) && Self::not_yet(rule, m.date)) {
                    continue;
                }
                // A review held too soon without a meeting (rules on the last review meeting only).
                let mut too_soon = None;
                let (anchor, assumed) = match rule.anchor {
                    Anchor::ReviewDate => (m.date, m.assumed),
                    Anchor::ReviewCompleted => (m.completed.0, m.completed.1),
                    Anchor::Midpoint => match self.midpoint(run, n, m.date)? {
                        Some(mid) => (mid, m.assumed),
                        None => continue,
                    },
                    Anchor::LastReviewMeeting => {
                        let Some(y) = yearly_meeting(self.walk, mtgs, mi) else { continue };
                        too_soon = y.too_soon;
                        (m.date, m.assumed)
                    }
                    Anchor::DecisionsReceived => {
                        let dep = Duty::IssueDecisions;
                        // The one matching rule (`Walk::meeting_of_done`), as the audit uses.
                        let recorded = match m.r {
                            MeetingRef::Held(hm) => {
                                self.walk.done.iter().find(|d| d.duty == dep && d.meeting == Some(hm))
                            }
                            MeetingRef::Projected(_) => None,
                        };
                        let issued = self.sets.meeting_col[dep as usize]
                            .and_then(|col| self.meeting_duty[mi * self.sets.meeting_cols + col]);
                        match (recorded, issued) {
                            (Some(d), _) => (d.date, false),
                            (None, Some(i)) => match self.binding_latest(i) {
                                Some(l) => (l, true),
                                None => continue,
                            },
                            (None, None) => continue,
                        }
                    }
                    _ => continue,
                };
                if !NOT_YET && !rule.in_force(m.date) {
                    // A local procedure's rule not yet in force is listed in the second pass.
                    continue;
                }
                let (cal, statutory_calendar) = match local_cal {
                    Some(l) if mr.local => (l, false),
                    _ => (statutory_cal, true),
                };
                let mut c = match self.cand_on(rule, anchor, assumed, cal, statutory_calendar) {
                    Ok(c) => c,
                    Err(_) if NOT_YET => continue,
                    Err(e) => return Err(e),
                };
                if let Some((review, _)) = too_soon {
                    // A review without a meeting before 12 months in the placement: the meeting
                    // was needed at that review.
                    let lwd = self.cal.last_working_day_on_or_before(review).unwrap_or(review);
                    c.deadline = Some(Deadline { date: review, latest_working_day: lwd, provisional: false });
                }
                // Nothing is due before the child was looked after: a rule counted back from a
                // review held soon after that day cannot apply (issue 14; READING.md).
                // Only a rule counted back before a review can fall before the child was looked after.
                let care_start = match rule.direction {
                    Direction::Before => period_start,
                    Direction::After => None,
                };
                c.before_care = match (c.deadline, care_start) {
                    (Some(dl), Some(s)) => dl.date < s,
                    _ => false,
                };
                let at = row + mr.col;
                if NOT_YET {
                    if let Some(i) = self.meeting_duty[at] {
                        let what = if m.assumed { "this review is planned for" } else { "this review was held on" };
                        self.aside(i, c, m.date, what);
                    }
                    continue;
                }
                let existing = self.meeting_duty[at];
                let before_care = c.before_care;
                let i = self.attach(existing, c, Some(regime), Some(n), Trig::Shared(&m.events), false, held);
                self.meeting_duty[at] = Some(i);
                if before_care {
                    self.before_care(i, n, period_start);
                }
                // The duty is `complete_adjourned_review`.
                if mr.adjourned_only {
                    self.adjourned_breach(i, m, case)?;
                }
                if rule.anchor == Anchor::LastReviewMeeting {
                    self.yearly_done(i, mtgs, mi);
                }
            }
        }
        Ok(())
    }
}

impl Builder<'_, '_> {
    /// Records why obligation `i`'s rule, just attached (the last candidate), counted back from
    /// review `n`, cannot apply: it falls before the child became looked after on `start`.
    #[cold]
    #[inline(never)]
    fn before_care(&mut self, i: usize, n: u32, start: Option<NaiveDate>) {
        let Some(c) = self.cands.last() else { return };
        let (Some(dl), Some(start), anchor) = (c.deadline, start, c.anchor_date) else { return };
        let why = format!(
            "counted back from review {n} on {anchor}, it would fall due on {}, before the child became \
             looked after on {start}: the review was held too soon after for this rule to apply",
            dl.date
        );
        self.extra(i).before_care = Some(why);
    }

    /// The mid-point between review `n` of run `run`, held on `held`, and the next review's
    /// binding deadline; `None` when there is no next deadline or the clock stopped before the
    /// mid-point (no mid-point duty then).
    #[inline(never)]
    fn midpoint(&mut self, run: usize, n: u32, held: NaiveDate) -> Result<Option<NaiveDate>> {
        let Some(next) = self.next_deadline(run, n, held)? else { return Ok(None) };
        let mid = held + Days::new(((next - held).num_days().max(0) / 2) as u64);
        // A clock that stopped before the mid-point has no mid-point duty.
        if self.walk.runs[run].end.is_some_and(|(e, _)| e < mid) {
            return Ok(None);
        }
        Ok(Some(mid))
    }

    /// What discharges the yearly meeting duty of obligation `i`, counted from review meeting
    /// `mi`, and the note when a review was held too soon without a meeting (`yearly_meeting`
    /// again: rules on the last review meeting are rare, so nothing is kept from before).
    #[cold]
    #[inline(never)]
    fn yearly_done(&mut self, i: usize, mtgs: &[Mtg], mi: usize) {
        let Some(y) = yearly_meeting(self.walk, mtgs, mi) else { return };
        self.pending[i].done = y.done;
        if let Some((review, year)) = y.too_soon {
            self.extra(i).note = Some(
                format!(
                    "The review of {review} was held without a meeting before the child had been 12 months in the \
                     designated long-term foster placement ({year}): a meeting was needed at that review."
                )
                .into(),
            );
        }
    }
}

/// The slot of meeting `m` whose regime comes first in [`PRIMARY`] order: its run, review number
/// and regime.
fn primary(walk: &Walk, m: &Mtg) -> Option<(usize, u32, Regime)> {
    PRIMARY
        .iter()
        .find_map(|reg| m.slots.iter().find(|(r, _)| walk.runs[*r].regime == *reg).map(|(r, n)| (*r, *n, *reg)))
}

/// [`primary`], out of line, for the second pass of [`Builder::meeting_rules`]. The same search
/// written again: calling `primary` from here changed the hot pass's code (callgrind, `schedule
/// throughput 20000 existing`: +408 instructions a schedule, +476 with `primary` always inlined).
#[cold]
#[inline(never)]
fn primary_apart(walk: &Walk, m: &Mtg) -> Option<(usize, u32, Regime)> {
    for reg in PRIMARY.iter() {
        for &(r, n) in m.slots.iter() {
            if walk.runs[r].regime == *reg {
                return Some((r, n, *reg));
            }
        }
    }
    None
}

/// A yearly review meeting in a long-term foster placement, counted from review meeting `mi`.
#[derive(Clone, Copy)]
struct Yearly {
    /// The next review held with a meeting, which discharges it.
    done: Option<NaiveDate>,
    /// A review held without a meeting before the child had been 12 months in the placement
    /// (that review's date, and the end of those 12 months): the meeting was due at it.
    too_soon: Option<(NaiveDate, NaiveDate)>,
}

/// Whether the yearly meeting duty counts from review meeting `mi` (held with a meeting, while the
/// child is in a designated long-term foster placement that was designated before the next review
/// with a meeting), and what discharges or breaches it (seed 001 s.1, s.10).
fn yearly_meeting(walk: &Walk, mtgs: &[Mtg], mi: usize) -> Option<Yearly> {
    let m = mtgs.get(mi)?;
    if !m.with_meeting || m.ordinal == 0 {
        return None;
    }
    let later = || mtgs[mi + 1..].iter().filter(|x| x.period == m.period && x.ordinal > 0);
    let next_meeting = later().find(|x| x.with_meeting);
    // The designation that governs the interval: the latest one before the next review with a
    // meeting (a new designated placement starts its own 12 months).
    let designated = walk
        .long_term_foster
        .iter()
        .filter(|(_, d, p)| *p == m.period && next_meeting.is_none_or(|x| *d < x.date))
        .map(|(_, d, _)| *d)
        .max()?;
    let year = designated.checked_add_months(Months::new(12)).unwrap_or(designated);
    let too_soon = later()
        .take_while(|x| !x.with_meeting)
        .find(|x| !x.assumed && x.date >= designated && x.date <= year)
        .map(|x| (x.date, year));
    Some(Yearly { done: next_meeting.filter(|x| !x.assumed).map(|x| x.date), too_soon })
}
