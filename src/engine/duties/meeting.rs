//! Duties counted from a review meeting (before it, after it, its completion, the mid-point).

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    pub(in crate::engine) fn primary(&self, m: &Mtg) -> Option<(usize, u32, Regime)> {
        PRIMARY.iter().find_map(|reg| {
            m.slots.iter().find(|(r, _)| self.walk.runs[*r].regime == *reg).map(|(r, n)| (*r, *n, *reg))
        })
    }

    /// Duties anchored on a review meeting.
    pub(in crate::engine) fn meeting_duties(&mut self, mtgs: &[Mtg<'a>], case: &CaseHistory) -> Result<()> {
        // The rules that can apply to a meeting, split by pass: those counting from another
        // duty's completion go second, once that duty's deadline is known.
        for pass in 0..2 {
            let rules = self.sets.range(MEETING + pass);
            if rules.is_empty() {
                continue;
            }
            if self.meeting_duty.is_empty() {
                self.meeting_duty.resize(mtgs.len() * self.sets.meeting_cols, NONE);
            }
            for (mi, m) in mtgs.iter().enumerate() {
                let Some((run, n, regime)) = self.primary(m) else { continue };
                for k in rules.clone() {
                    let rule = self.rule(k);
                    if !rule.reviews.matches(n) || !rule.applies_to_regime(regime) {
                        continue;
                    }
                    if rule.duty == Duty::CompleteAdjournedReview && m.adjourned.is_empty() {
                        continue;
                    }
                    let (anchor, assumed) = match rule.anchor {
                        Anchor::ReviewDate => (m.date, m.assumed),
                        Anchor::ReviewCompleted => (m.completed.0, m.completed.1),
                        Anchor::Midpoint => match self.next_deadline(run, n, m.date)? {
                            Some(next) => {
                                let mid = m.date + Days::new(((next - m.date).num_days().max(0) / 2) as u64);
                                // A clock that stopped before the mid-point has no mid-point duty.
                                if self.walk.runs[run].end.is_some_and(|(e, _)| e < mid) {
                                    continue;
                                }
                                (mid, m.assumed)
                            }
                            None => continue,
                        },
                        Anchor::LastReviewMeeting => {
                            let ltf = self.walk.long_term_foster.iter().any(|(_, d, p)| *p == m.period && *d <= m.date);
                            if !ltf || !m.with_meeting {
                                continue;
                            }
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
                                .map(|col| self.meeting_duty[mi * self.sets.meeting_cols + col])
                                .filter(|&i| i != NONE);
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
                    if !rule.in_force(m.date) {
                        continue;
                    }
                    let mut c = self.cand(rule, anchor, assumed)?;
                    // Nothing is due before the child was looked after: a rule counted back from a
                    // review held soon after that day cannot apply (issue 14; READING.md).
                    let care_start = self.walk.periods.get(m.period).map(|p| p.start);
                    let early_count = c.deadline.zip(care_start).filter(|(dl, s)| dl.date < *s);
                    c.before_care = early_count.is_some();
                    let Some(col) = self.sets.meeting_col[rule.duty as usize] else { continue };
                    let at = mi * self.sets.meeting_cols + col;
                    let existing = (self.meeting_duty[at] != NONE).then_some(self.meeting_duty[at]);
                    let i = self.attach(existing, c, Some(regime), Some(n), Trig::Shared(&m.events), false);
                    self.meeting_duty[at] = i;
                    if let Some((dl, start)) = early_count {
                        let why = format!(
                            "counted back from review {n} on {anchor}, it would fall due on {}, before the child became \
                             looked after on {start}: the review was held too soon after for this rule to apply",
                            dl.date
                        );
                        self.extra(i).before_care = Some(why);
                    }
                    if let MeetingRef::Held(hm) = m.r {
                        self.pending[i].meeting = u32::try_from(hm).unwrap_or(u32::MAX);
                    }
                    if rule.duty == Duty::CompleteAdjournedReview {
                        self.adjourned_breach(i, m, case)?;
                    }
                }
            }
        }
        Ok(())
    }
}
