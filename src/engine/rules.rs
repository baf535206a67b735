//! The profile's rules grouped by what they count from (the passes of the engine), once per
//! profile: which pass visits a rule is decided here, in one exhaustive match.

use crate::engine::*;
use crate::profile::ReviewFilter;

/// The groups of rules the engine visits, in profile order within each group.
pub(in crate::engine) const INTERVAL: usize = 0;

pub(in crate::engine) const EARLY: usize = 1;

/// Two groups each (second: anchored on another duty being done).
pub(in crate::engine) const MEETING: usize = 2;

pub(in crate::engine) const PERIOD: usize = 4;

pub(in crate::engine) const MARKER: usize = 6;

/// Counted from a placement's start or end, or from the last time the duty was done.
pub(in crate::engine) const PLACEMENT: usize = 7;

/// Counted from a `review_rearranged` event.
pub(in crate::engine) const REARRANGE: usize = 8;

pub(in crate::engine) const GROUPS: usize = 9;

/// The group a rule belongs to, if the engine can use it at all. Each rule is in one group at
/// most (the anchors of the groups are disjoint).
pub(in crate::engine) fn group(r: &Rule) -> Option<usize> {
    use Anchor::*;
    // One exhaustive match (a new anchor must be placed here); the unit test
    // `groups_agree_with_anchor_kinds` checks it against `Anchor::is_trigger` and `done_duty`.
    let review = r.duty == Duty::HoldReview;
    let g = match r.anchor {
        RegimeStart | PreviousReview if review => INTERVAL,
        ReviewDate | ReviewCompleted | Midpoint | LastReviewMeeting if !review => MEETING,
        DecisionsReceived if !review => MEETING + 1,
        BecameLookedAfter | CeasedToBeLookedAfter | SixteenthBirthday | DateOfBirth => PERIOD,
        IroAppointed | ReviewServiceNotified => PERIOD + 1,
        SignificantChange
        | IroRequestedReview
        | AccommodationEnding
        | PlacementNotSafeguarding
        | ChildRequestedReview
        | ChildAbsent
        | ChildAtRisk
        | FamilySupportReferral => {
            if review {
                EARLY
            } else {
                MARKER
            }
        }
        CarePlanStarted | DisputeStarted | IroChanged if !review => MARKER,
        PlacementStarted | PlacementEnded | LastDone if !review => PLACEMENT,
        ReviewRearranged if !review => REARRANGE,
        RegimeStart | PreviousReview | ReviewDate | ReviewCompleted | Midpoint | LastReviewMeeting
        | DecisionsReceived | CarePlanStarted | DisputeStarted | PlacementStarted | PlacementEnded | LastDone
        | ReviewRearranged | IroChanged => return None,
    };
    Some(g)
}

/// The profile's rules sorted by [`group`] once per schedule, so that no loop scans them all.
pub(in crate::engine) struct RuleSets {
    /// Indices into the profile's rules, grouped.
    pub(in crate::engine) rules: Vec<usize>,
    pub(in crate::engine) bounds: [usize; GROUPS + 1],
    /// When the interval group has at most 64 rules: bit `j` stands for its `j`-th rule, set in
    /// `[regime][class]` when the rule names that regime and fits reviews of that class (first,
    /// second, third onward: anchor and review filter): exactly the rules [`interval_names`]
    /// accepts (a unit test compares them), so a pick needs no other test than the version in
    /// force (by the repeating-duty mechanism).
    pub(in crate::engine) interval_masks: Option<[[u64; 3]; REGIMES]>,
    /// A column for each duty some meeting rule has (`None`: none), and how many there are:
    /// `Builder::meeting_duty` has one row of columns per meeting.
    pub(in crate::engine) meeting_col: [Option<usize>; DUTIES],
    pub(in crate::engine) meeting_cols: usize,
    /// The duties that repeat from the date they were last done (some rule counts from
    /// `last_done`), in declaration order.
    pub(in crate::engine) repeating: Vec<Duty>,
    /// The meeting rules of each pass (`MEETING`, `MEETING + 1`) with the tests the meeting pass
    /// makes for every meeting read once ([`MeetingRule`]), in profile order.
    pub(in crate::engine) meeting_rules: [Vec<MeetingRule>; 2],
}

/// A meeting rule's tests that do not depend on the date, read once per profile so that the
/// meeting pass (`duties/meeting.rs`) does not reach into the rule for each meeting. The same
/// tests as `Rule::reviews`, `Rule::applies_to_regime`, `Rule::needs_meeting` and the duty.
#[derive(Clone, Copy)]
pub(in crate::engine) struct MeetingRule {
    /// Index into the grouped rules ([`RuleSets::rules`]), as `Builder::rule` takes it.
    pub(in crate::engine) k: usize,
    /// Bit `min(n, 3)` set when the rule counts from review `n` of the period of care
    /// (`Rule::reviews`: the filters tell apart only reviews 0, 1, 2 and 3 onward).
    pub(in crate::engine) reviews: u8,
    /// Bit `r` set when the rule applies to reviews of regime `r` (`Rule::applies_to_regime`).
    pub(in crate::engine) regimes: u64,
    pub(in crate::engine) needs_meeting: bool,
    /// The duty is `complete_adjourned_review`: only for an adjourned meeting.
    pub(in crate::engine) adjourned_only: bool,
    /// A local rule: counted on the local calendar when there is one (`Builder::cal_for`).
    pub(in crate::engine) local: bool,
    /// Its column in `Builder::meeting_duty`.
    pub(in crate::engine) col: usize,
}

/// `MeetingRule::reviews` for `filter`: bit `n` for reviews 0, 1 and 2, bit 3 for 3 onward.
fn reviews_mask(filter: ReviewFilter) -> u8 {
    (0..=3).filter(|&n| filter.matches(n)).fold(0, |m, n| m | 1 << n)
}

// One bit a regime in `MeetingRule::regimes`.
const _: () = assert!(REGIMES <= 64);

impl MeetingRule {
    /// Whether the rule may count from a meeting of review `in_care` of its period of care, whose
    /// primary regime is `regime`, held with a meeting or not, adjourned or not.
    #[inline]
    pub(in crate::engine) fn admits(&self, in_care: u32, regime: Regime, with_meeting: bool, adjourned: bool) -> bool {
        self.reviews >> in_care.min(3) & 1 != 0
            && self.regimes & (1 << regime as u32) != 0
            && (with_meeting || !self.needs_meeting)
            && (adjourned || !self.adjourned_only)
    }
}

/// Number of review regimes.
pub(in crate::engine) const REGIMES: usize = Regime::ALL.len();

impl Default for RuleSets {
    fn default() -> RuleSets {
        RuleSets {
            rules: Vec::new(),
            bounds: [0; GROUPS + 1],
            interval_masks: None,
            meeting_col: [None; DUTIES],
            meeting_cols: 0,
            repeating: Vec::new(),
            meeting_rules: [Vec::new(), Vec::new()],
        }
    }
}

/// Indices into `RuleSets::rules`: the set bits of a mask, or else a whole range.
#[derive(Clone)]
pub(in crate::engine) struct Picks {
    pub(in crate::engine) mask: u64,
    pub(in crate::engine) base: usize,
    pub(in crate::engine) rest: std::ops::Range<usize>,
}

impl Iterator for Picks {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.mask != 0 {
            let j = self.mask.trailing_zeros() as usize;
            self.mask &= self.mask - 1;
            return Some(self.base + j);
        }
        self.rest.next()
    }
}

impl RuleSets {
    pub(in crate::engine) fn new(profile_rules: &[Arc<Rule>]) -> RuleSets {
        let mut bounds = [0usize; GROUPS + 1];
        for r in profile_rules {
            if let Some(g) = group(r) {
                bounds[g + 1] += 1;
            }
        }
        for g in 0..GROUPS {
            bounds[g + 1] += bounds[g];
        }
        let mut rules = vec![0; bounds[GROUPS]];
        let mut at = bounds;
        for (k, r) in profile_rules.iter().enumerate() {
            if let Some(g) = group(r) {
                rules[at[g]] = k;
                at[g] += 1;
            }
        }
        let interval = bounds[INTERVAL]..bounds[INTERVAL + 1];
        let interval_masks = (interval.len() <= 64).then(|| {
            let mut masks = [[0u64; 3]; REGIMES];
            for (j, r) in rules[interval].iter().map(|&k| &profile_rules[k]).enumerate() {
                for reg in r.regimes.iter().flatten() {
                    for (class, n) in [1, 2, 3].into_iter().enumerate() {
                        let anchor = if n == 1 { Anchor::RegimeStart } else { Anchor::PreviousReview };
                        if r.anchor == anchor && r.reviews.matches(n) {
                            masks[*reg as usize][class] |= 1 << j;
                        }
                    }
                }
            }
            masks
        });
        let mut meeting_col = [None; DUTIES];
        let mut meeting_cols = 0;
        for &k in &rules[bounds[MEETING]..bounds[MEETING + 2]] {
            let col = &mut meeting_col[profile_rules[k].duty as usize];
            if col.is_none() {
                *col = Some(meeting_cols);
                meeting_cols += 1;
            }
        }
        let meeting_rules = [MEETING, MEETING + 1].map(|g| {
            (bounds[g]..bounds[g + 1])
                .filter_map(|k| {
                    let r = &profile_rules[rules[k]];
                    let regimes = Regime::ALL
                        .iter()
                        .filter(|&&reg| r.applies_to_regime(reg))
                        .fold(0u64, |m, &reg| m | 1 << reg as u32);
                    Some(MeetingRule {
                        k,
                        reviews: reviews_mask(r.reviews),
                        regimes,
                        needs_meeting: r.needs_meeting,
                        adjourned_only: r.duty == Duty::CompleteAdjournedReview,
                        local: matches!(r.basis, Basis::Local(_)),
                        col: meeting_col[r.duty as usize]?,
                    })
                })
                .collect()
        });
        let mut repeating: Vec<Duty> = rules[bounds[PLACEMENT]..bounds[PLACEMENT + 1]]
            .iter()
            .map(|&k| &profile_rules[k])
            .filter(|r| r.anchor == Anchor::LastDone)
            .map(|r| r.duty)
            .collect();
        repeating.sort_unstable();
        repeating.dedup();
        RuleSets { rules, bounds, interval_masks, meeting_col, meeting_cols, repeating, meeting_rules }
    }

    /// The interval rules that may fit review `n` of `regime`, in profile order: exactly those
    /// [`interval_names`] accepts when the masks are used ([`RuleSets::interval_picks_exact`]),
    /// else a superset.
    pub(in crate::engine) fn interval_picks(&self, regime: Regime, n: u32) -> Picks {
        let base = self.bounds[INTERVAL];
        // By reference: the masks are a few hundred bytes, not worth copying per pick.
        match &self.interval_masks {
            Some(masks) if n > 0 => {
                let class = (n as usize - 1).min(2);
                Picks { mask: masks[regime as usize][class], base, rest: 0..0 }
            }
            _ => Picks { mask: 0, base, rest: self.range(INTERVAL) },
        }
    }

    /// Whether [`RuleSets::interval_picks`] gives for review `n` exactly the rules for which
    /// [`interval_names`] holds (from the masks), not a superset: the masks are built from the
    /// same tests (anchor, review filter for reviews 1, 2 and 3 onward, regimes).
    #[inline]
    pub(in crate::engine) fn interval_picks_exact(&self, n: u32) -> bool {
        n > 0 && self.interval_masks.is_some()
    }

    pub(in crate::engine) fn range(&self, g: usize) -> std::ops::Range<usize> {
        self.bounds[g]..self.bounds[g + 1]
    }
}

/// Whether `rule` sets the interval for review `n` of `regime` in some version of the law (on
/// some date).
pub(in crate::engine) fn interval_names(rule: &Rule, regime: Regime, n: u32) -> bool {
    let want = if n == 1 { Anchor::RegimeStart } else { Anchor::PreviousReview };
    rule.anchor == want && rule.reviews.matches(n) && rule.regimes.as_ref().is_some_and(|rs| rs.contains(&regime))
}

/// Number of duties.
pub(in crate::engine) const DUTIES: usize = Duty::ALL.len();

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILES: [&str; 5] = ["england", "wales", "sars-checklist", "isu-procedure", "dudley"];

    /// The interval masks pick exactly the rules `interval_names` accepts, for every regime and
    /// review number, so the review clock need not test them again.
    #[test]
    fn interval_masks_pick_exactly_the_named_rules() {
        let mut picked = 0;
        for id in PROFILES {
            let profile = Profile::builtin(id).unwrap();
            let sets = RuleSets::new(&profile.rules);
            assert!(sets.interval_masks.is_some(), "{id}");
            for &regime in Regime::ALL {
                for n in 1..=8 {
                    assert!(sets.interval_picks_exact(n));
                    let picks: Vec<usize> = sets.interval_picks(regime, n).collect();
                    let named: Vec<usize> = sets
                        .range(INTERVAL)
                        .filter(|&k| interval_names(&profile.rules[sets.rules[k]], regime, n))
                        .collect();
                    assert_eq!(picks, named, "{id} {regime} review {n}");
                    picked += picks.len();
                }
            }
        }
        // England: the 1991 and 2011 versions of each looked-after review, for one.
        assert!(picked > 100, "{picked}");
        assert!(!RuleSets::default().interval_picks_exact(1));
    }

    /// The review mask of every filter says what the filter says, for reviews 0 to 9.
    #[test]
    fn review_masks_match_their_filters() {
        use ReviewFilter::*;
        // Worked by hand: first = review 1 (bit 1); later = 3 onward (bit 3); subsequent = 2 onward.
        assert_eq!(reviews_mask(First), 0b0010);
        assert_eq!(reviews_mask(Later), 0b1000);
        assert_eq!(reviews_mask(Subsequent), 0b1100);
        for f in [All, First, Second, Later, Subsequent] {
            for n in 0..10u32 {
                assert_eq!(reviews_mask(f) >> n.min(3) & 1 != 0, f.matches(n), "{f:?} {n}");
            }
        }
    }

    /// A meeting rule's precomputed tests give what the rule's own fields give, for every
    /// review number, regime, meeting held or not and adjourned or not.
    #[test]
    fn meeting_rules_admit_as_the_rules_do() {
        let mut admitted = 0;
        for id in PROFILES {
            let profile = Profile::builtin(id).unwrap();
            let sets = RuleSets::new(&profile.rules);
            for pass in 0..2 {
                let ks: Vec<usize> = sets.range(MEETING + pass).collect();
                let mrs = &sets.meeting_rules[pass];
                assert_eq!(mrs.iter().map(|m| m.k).collect::<Vec<_>>(), ks, "{id}");
                for mr in mrs {
                    let rule = &profile.rules[sets.rules[mr.k]];
                    assert_eq!(Some(mr.col), sets.meeting_col[rule.duty as usize]);
                    for n in 0..=6 {
                        for &regime in Regime::ALL {
                            for (with_meeting, adjourned) in
                                [(true, true), (true, false), (false, true), (false, false)]
                            {
                                // The tests the meeting pass made on the rule itself.
                                let mut expected = rule.reviews.matches(n) && rule.applies_to_regime(regime);
                                if rule.needs_meeting && !with_meeting {
                                    expected = false;
                                }
                                if rule.duty == Duty::CompleteAdjournedReview && !adjourned {
                                    expected = false;
                                }
                                assert_eq!(mr.admits(n, regime, with_meeting, adjourned), expected, "{id} {rule:?}");
                                admitted += usize::from(expected);
                            }
                        }
                    }
                }
            }
        }
        assert!(admitted > 100, "{admitted}");
    }
}
