//! The profile's rules grouped by what they count from (the passes of the engine), once per
//! profile: which pass visits a rule is decided here, in one exhaustive match.

use crate::engine::*;

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
    /// second, third onward: anchor and review filter). A prefilter only: every pick is still
    /// checked by [`interval_names`] (and its version in force by the repeating-duty mechanism).
    pub(in crate::engine) interval_masks: Option<[[u64; 3]; REGIMES]>,
    /// A column for each duty some meeting rule has (`None`: none), and how many there are:
    /// `Builder::meeting_duty` has one row of columns per meeting.
    pub(in crate::engine) meeting_col: [Option<usize>; DUTIES],
    pub(in crate::engine) meeting_cols: usize,
    /// The duties that repeat from the date they were last done (some rule counts from
    /// `last_done`), in declaration order.
    pub(in crate::engine) repeating: Vec<Duty>,
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
        let mut repeating: Vec<Duty> = rules[bounds[PLACEMENT]..bounds[PLACEMENT + 1]]
            .iter()
            .map(|&k| &profile_rules[k])
            .filter(|r| r.anchor == Anchor::LastDone)
            .map(|r| r.duty)
            .collect();
        repeating.sort_unstable();
        repeating.dedup();
        RuleSets { rules, bounds, interval_masks, meeting_col, meeting_cols, repeating }
    }

    /// The interval rules that may fit review `n` of `regime` (a superset, in profile order).
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
