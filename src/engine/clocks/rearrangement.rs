//! Reviews moved past their binding date: the breach, and the profile's own rule (local
//! practice) on who authorises the move.

use crate::engine::*;

impl<'a> Builder<'a, '_> {
    /// Rearrangements past the binding review deadline: a breach, and, where the profile has a
    /// rule counted from the rearrangement (local practice: the IRO service manager authorises
    /// the move when it is made), an obligation under that rule carrying the breach. Without
    /// such a rule the breach is reported on the review itself (unless it already has one).
    pub(in crate::engine) fn rearrangements(&mut self, mtgs: &[Mtg<'a>]) -> Result<()> {
        let walk = self.walk;
        for ra in &walk.rearrangements {
            let target = match ra.meeting {
                Some(m) => mtgs.iter().find(|x| x.r == MeetingRef::Held(m)),
                None => mtgs.iter().find(|x| x.events.contains(&ra.event)),
            };
            let Some(t) = target else { continue };
            let mut binding_slot: Option<(NaiveDate, usize)> = None;
            for (r, n) in t.slots.iter() {
                if let Some(i) = self.slot_entry((*r, *n)).map(|e| e.i) {
                    if let Some(l) = self.binding_latest(i) {
                        if binding_slot.is_none_or(|(b, _)| l < b) {
                            binding_slot = Some((l, i));
                        }
                    }
                }
            }
            let Some((binding, slot_i)) = binding_slot else {
                continue;
            };
            if ra.to <= binding {
                continue;
            }
            // Past statute's own date: a statutory breach, named by that date. Past only an
            // earlier local date: a breach of the local procedure, named by the local date.
            let (deadline, basis) = match self.statutory_latest(slot_i) {
                Some(s) if ra.to > s => (s, Basis::Statutory),
                _ => (binding, self.best(slot_i).rule.basis.clone()),
            };
            let whose = match &basis {
                Basis::Statutory => "its statutory date".to_string(),
                Basis::Local(id) => format!("its date under the local procedure ({id})"),
            };
            let breach = Breach::RearrangedPastDeadline { from: ra.from, to: ra.to, deadline, basis: basis.clone() };
            let (regime, number) = (self.pending[slot_i].regime, self.pending[slot_i].review_number);
            // Who authorises the move, and when: the profile's own rule counted from the
            // rearrangement (local practice, with its own citation), if it has one.
            let mut idx = None;
            for k in self.sets.range(REARRANGE) {
                let rule = self.rule(k);
                if rule.anchor != Anchor::ReviewRearranged || !rule.in_force(ra.date) {
                    continue;
                }
                if let (Some(rs), Some(reg)) = (&rule.regimes, regime) {
                    if !rs.contains(&reg) {
                        continue;
                    }
                }
                let c = self.cand(rule, ra.date, false)?;
                idx = Some(self.add(Scope::Event(ra.event), c, regime, number, Trig::List(&[ra.event]), false));
            }
            match idx {
                Some(i) => {
                    let rule = self.best(i).rule;
                    let made = Arc::new(Rule {
                        action: Shared::counted(Arc::from(format!(
                            "Authorise moving review {} from {} to {}: past {whose} {deadline} ({})",
                            number.unwrap_or(0),
                            ra.from,
                            ra.to,
                            rule.action
                        ))),
                        ..Rule::clone(rule)
                    });
                    // The procedure whose rule asks for the authority, by its profile id.
                    let procedure = match &rule.basis {
                        Basis::Local(id) => format!("the local procedure ({id})"),
                        Basis::Statutory => "the profile".to_string(),
                    };
                    let note = match &basis {
                        Basis::Statutory => format!(
                            "Moving a review past its statutory date breaches the review regulations; {procedure} requires the {}'s authority, given when the move is made.",
                            rule.role.describe()
                        ),
                        Basis::Local(id) => format!(
                            "The new date is within statute's ({}) but past the earlier date of the local procedure ({id}), {deadline}: a breach of that procedure, not of the regulations.",
                            self.statutory_latest(slot_i).map(|d| d.to_string()).unwrap_or_default()
                        ),
                    };
                    self.extra(i).made = Some(made);
                    self.extra(i).breach = Some(breach);
                    self.extra(i).note = Some(note.into());
                }
                None => {
                    // Statute alone has no authorisation duty: the move is a breach of the review
                    // it moves (unless that review already has one, e.g. it was then held late).
                    let x = self.extra(slot_i);
                    if x.breach.is_none() {
                        x.breach = Some(breach);
                    }
                }
            }
        }
        Ok(())
    }
}
