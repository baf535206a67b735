//! Periods of care: a child's episodes (`DECOM`, `RNE`, `LS`, `PLACE`, `DEC`, `REC`) turned into
//! the engine's events.
//!
//! A new period starts at an episode with `RNE` = `S`; it ends at the `DEC` of its last episode
//! (open when that is blank). Episodes before a child's first `S` episode belong to a period that
//! **began before the data** (a child already looked after when the return's year began): it is
//! kept, with its start marked unknown, and its clocks are started at a placeholder date no later
//! than its first episode (see [`CarePeriod::start_known`]).
//!
//! Within a period:
//! - a run of episodes with legal status `V3`/`V4` (a series of short breaks) runs the short-break
//!   clock, any other legal status the looked-after clock; a change from one to the other ends
//!   one clock and starts the other, numbered from 1;
//! - legal status `E1` (placement order) gives `authority_to_place`, and its end
//!   `authority_to_place_ended`;
//! - placements `A3`-`A6` give `placed_for_adoption`, and a move to another placement
//!   `returned_to_agency`;
//! - a period ending while placed for adoption with `REC` `E11`/`E12` ends with
//!   `adoption_order_made`.

use chrono::NaiveDate;

use crate::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};

/// One episode of care, as read from an episodes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    /// Line in its file (for XML, the line its `EPISODE` element starts on).
    pub line: u64,
    /// Start of the episode (`DECOM`).
    pub decom: NaiveDate,
    /// End of the episode (`DEC`), if it has ended.
    pub dec: Option<NaiveDate>,
    /// `RNE` = `S`: the episode starts a new period of care.
    pub starts_period: bool,
    /// `LS` is `V3` or `V4`: a series of short breaks.
    pub short_breaks: bool,
    /// `LS` is `E1`: placement order (authority to place for adoption).
    pub authorised: bool,
    /// `PLACE` is `A3`-`A6`: placed for adoption.
    pub placed_for_adoption: bool,
    /// `REC` is `E11` or `E12`: adopted.
    pub adopted: bool,
    /// The collection year of the return it came from (0 when not known).
    pub year: i32,
}

/// Where an engine event comes in a day: starts and changes, then reviews, then ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Slot {
    Change = 0,
    Review = 1,
    End = 2,
}

/// A period of care (or short-break series) built from a child's episodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarePeriod {
    /// First day: the `DECOM` of its `RNE` = `S` episode; for a period that began before the
    /// data, the placeholder date its clocks are started at (see [`CarePeriod::start_known`]).
    pub start: NaiveDate,
    /// False when the period began before the data (its first episode in the data is not an
    /// `RNE` = `S` episode): it began on or before [`CarePeriod::first_decom`], date unknown.
    pub start_known: bool,
    /// The `DECOM` of its first episode in the data.
    pub first_decom: NaiveDate,
    /// Last day (the `DEC` of its last episode), `None` while open.
    pub end: Option<NaiveDate>,
    /// Lines of its episodes.
    pub lines: Vec<u64>,
    /// Positions of its episodes in the slice given to [`build_periods`].
    pub indexes: Vec<usize>,
    /// The latest collection year among its episodes' returns.
    pub last_year: i32,
    /// The engine events the episodes give, in order (no reviews).
    pub events: Vec<Event>,
    /// Inferences worth reporting on each of its reviews.
    pub notes: Vec<String>,
    pub(crate) slots: Vec<Slot>,
}

impl CarePeriod {
    /// Whether `date` lies in the period (start and end days included).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|e| date <= e)
    }

    /// The period's case history with reviews held on `reviews` (sorted, in the period).
    ///
    /// # Errors
    /// The engine's validation error (none is expected for reviews inside the period).
    pub fn case_history(&self, jurisdiction: Jurisdiction, reviews: &[NaiveDate]) -> crate::Result<CaseHistory> {
        CaseHistory::new(jurisdiction, Child::default(), self.events_with(reviews).collect())
    }

    /// [`CarePeriod::case_history`] built into `case`, reusing its buffers
    /// ([`CaseHistory::rebuild`]).
    ///
    /// # Errors
    /// As [`CarePeriod::case_history`]; `case` is then left empty.
    pub fn case_history_into(
        &self,
        jurisdiction: Jurisdiction,
        reviews: &[NaiveDate],
        case: &mut CaseHistory,
    ) -> crate::Result<()> {
        case.rebuild(jurisdiction, Child::default(), self.events_with(reviews))
    }

    /// The period's events with a review held on each of `reviews` (sorted), in order: a review
    /// goes before an event of the same day whose slot comes after [`Slot::Review`].
    fn events_with<'a>(&'a self, reviews: &'a [NaiveDate]) -> impl Iterator<Item = Event> + 'a {
        let review = |d: NaiveDate| Event::new(d, EventKind::ReviewHeld { meeting: true, regimes: None });
        let mut r = reviews.iter().copied().peekable();
        let mut evs = self.events.iter().zip(&self.slots).peekable();
        std::iter::from_fn(move || match (r.peek(), evs.peek()) {
            (Some(&d), Some(&(ev, slot))) if (d, Slot::Review) < (ev.date, *slot) => {
                r.next();
                Some(review(d))
            }
            (_, Some(_)) => evs.next().map(|(ev, _)| ev.clone()),
            (Some(_), None) => r.next().map(review),
            (None, None) => None,
        })
    }
}

/// Why an episode could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeReject {
    /// Its position in the slice given to [`build_periods`].
    pub index: usize,
    /// The episode's line.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// A date as the returns write it (`DD/MM/YYYY`), for messages.
pub(crate) fn fmt_d(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Builds a child's periods of care from its episodes (any order, one copy of each `DECOM`).
/// `earliest` is the first day the data covers: a period that began before the data has its
/// clocks started at its first `DECOM`, or three days before `earliest` if that is earlier than
/// its first `DECOM` (so that reviews before the first episode's start still fall in it).
/// Returns the periods in date order and the episodes that could not be used (duplicates, periods
/// overlapping the previous one).
///
/// # Example
/// ```
/// use lac_timescales::ssda903::{build_periods, Episode};
/// let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let e = |line, decom, dec, s| Episode { line, decom, dec, starts_period: s, short_breaks: false,
///     authorised: false, placed_for_adoption: false, adopted: false, year: 2025 };
/// // A child looked after since before the data (first episode RNE = P), then a new period.
/// let (p, rejects) = build_periods(&[e(2, d(2023, 6, 1), Some(d(2024, 9, 1)), false),
///     e(3, d(2024, 12, 2), None, true)], Some(d(2024, 4, 1)));
/// assert!(rejects.is_empty());
/// assert_eq!((p[0].start_known, p[0].start, p[0].end), (false, d(2023, 6, 1), Some(d(2024, 9, 1))));
/// assert_eq!((p[1].start_known, p[1].start, p[1].end), (true, d(2024, 12, 2), None));
/// ```
pub fn build_periods(episodes: &[Episode], earliest: Option<NaiveDate>) -> (Vec<CarePeriod>, Vec<EpisodeReject>) {
    let mut b = PeriodBuffers::default();
    let mut rejects = Vec::new();
    b.build(episodes, earliest, &mut rejects);
    (std::mem::take(&mut b.periods), rejects)
}

/// [`build_periods`] with its buffers kept from one child to the next (the audit's workers build
/// every child's periods in one of these, so that a child's periods do not allocate again).
#[derive(Default)]
pub(crate) struct PeriodBuffers {
    /// The periods built by the last [`PeriodBuffers::build`].
    pub periods: Vec<CarePeriod>,
    /// Periods of earlier children, emptied, to build again in.
    spare: Vec<CarePeriod>,
    /// Positions of the episodes, sorted; then the episodes kept, at the front.
    order: Vec<usize>,
    /// Where each group of kept episodes starts among them.
    starts: Vec<usize>,
}

impl PeriodBuffers {
    /// Builds `episodes`' periods into [`PeriodBuffers::periods`] (as [`build_periods`]),
    /// appending the episodes not used to `rejects`.
    pub(crate) fn build(
        &mut self,
        episodes: &[Episode],
        earliest: Option<NaiveDate>,
        rejects: &mut Vec<EpisodeReject>,
    ) {
        let PeriodBuffers { periods, spare, order, starts } = self;
        spare.append(periods);
        order.clear();
        order.extend(0..episodes.len());
        order.sort_by_key(|&i| {
            let e = &episodes[i];
            (e.decom, std::cmp::Reverse(e.year), e.line)
        });
        // The episodes kept, in place at the front of `order`, and where each group (a period:
        // an `RNE` = `S` episode and those after it) starts among them.
        starts.clear();
        let mut n = 0;
        let mut prev: Option<(NaiveDate, u64)> = None;
        for k in 0..order.len() {
            let index = order[k];
            let e = &episodes[index];
            if let Some((d, l)) = prev {
                if d == e.decom {
                    rejects.push(EpisodeReject {
                        index,
                        line: e.line,
                        reason: format!("duplicate: same CHILD and DECOM as line {l}"),
                    });
                    continue;
                }
            }
            prev = Some((e.decom, e.line));
            if e.starts_period || starts.is_empty() {
                starts.push(n);
            }
            order[n] = index;
            n += 1;
        }
        for (i, &a) in starts.iter().enumerate() {
            let g = &order[a..starts.get(i + 1).copied().unwrap_or(n)];
            let first = &episodes[g[0]];
            if let Some(p) = periods.last() {
                let clash = match p.end {
                    None => true,
                    Some(end) => first.decom < end,
                };
                if clash {
                    let until = p.end.map(fmt_d).unwrap_or_else(|| "open".into());
                    for &index in g {
                        rejects.push(EpisodeReject {
                            index,
                            line: episodes[index].line,
                            reason: format!(
                                "period of care starting {} overlaps the previous period ({} to {until})",
                                fmt_d(first.decom),
                                fmt_d(p.first_decom)
                            ),
                        });
                    }
                    continue;
                }
            }
            let mut p = spare.pop().unwrap_or_else(CarePeriod::empty);
            period_into(&mut p, episodes, g, earliest);
            periods.push(p);
        }
    }
}

impl CarePeriod {
    /// A period with nothing in it, to build in.
    fn empty() -> CarePeriod {
        CarePeriod {
            start: NaiveDate::MIN,
            start_known: false,
            first_decom: NaiveDate::MIN,
            end: None,
            lines: Vec::new(),
            indexes: Vec::new(),
            last_year: 0,
            events: Vec::new(),
            notes: Vec::new(),
            slots: Vec::new(),
        }
    }
}

/// Builds in `p` (its buffers emptied and reused) the period of the group `g` of positions in
/// `episodes` (in date order).
fn period_into(p: &mut CarePeriod, episodes: &[Episode], g: &[usize], earliest: Option<NaiveDate>) {
    let CarePeriod { lines, indexes, events, notes, slots, .. } = p;
    indexes.clear();
    indexes.extend_from_slice(g);
    lines.clear();
    lines.extend(g.iter().map(|&i| episodes[i].line));
    events.clear();
    slots.clear();
    notes.clear();
    let ep = |k: usize| &episodes[g[k]];
    let mut push = |d: NaiveDate, k: EventKind, s: Slot| {
        events.push(Event::new(d, k));
        slots.push(s);
    };
    let start_known = ep(0).starts_period;
    let first_decom = ep(0).decom;
    let start = match (start_known, earliest.and_then(|e| e.checked_sub_days(chrono::Days::new(3)))) {
        (false, Some(e)) if e < first_decom => e,
        _ => first_decom,
    };
    if !start_known {
        notes.push(format!("period of care began before the data (first episode in it: DECOM {})", fmt_d(first_decom)));
    }
    let mut short = ep(0).short_breaks;
    let (mut authority, mut placed) = (false, false);
    for i in 0..g.len() {
        let e = ep(i);
        let d = if i == 0 { start } else { e.decom };
        if i == 0 {
            push(d, if short { EventKind::ShortBreaksStarted } else { EventKind::BecameLookedAfter }, Slot::Change);
        } else {
            let prev = ep(i - 1);
            if prev.dec.is_none() {
                notes.push(format!(
                    "episode line {} has no DEC but a later episode follows: taken to end {}",
                    prev.line,
                    fmt_d(d)
                ));
            }
            if e.short_breaks != short {
                if short {
                    push(d, EventKind::ShortBreaksEnded, Slot::Change);
                    push(d, EventKind::BecameLookedAfter, Slot::Change);
                } else {
                    push(d, EventKind::CeasedToBeLookedAfter, Slot::Change);
                    push(d, EventKind::ShortBreaksStarted, Slot::Change);
                    authority = false;
                    placed = false;
                }
                short = e.short_breaks;
            }
        }
        if short {
            continue;
        }
        if authority && !e.authorised {
            push(d, EventKind::AuthorityToPlaceEnded, Slot::Change);
            authority = false;
        }
        if placed && !e.placed_for_adoption {
            push(d, EventKind::ReturnedToAgency, Slot::Change);
            placed = false;
        }
        if !authority && e.authorised {
            push(d, EventKind::AuthorityToPlace, Slot::Change);
            authority = true;
        }
        if !placed && e.placed_for_adoption {
            push(d, EventKind::PlacedForAdoption, Slot::Change);
            placed = true;
        }
    }
    let last = ep(g.len() - 1);
    if let Some(end) = last.dec {
        let k = if short {
            EventKind::ShortBreaksEnded
        } else if placed && last.adopted {
            EventKind::AdoptionOrderMade
        } else {
            EventKind::CeasedToBeLookedAfter
        };
        push(end, k, Slot::End);
    }
    p.start = start;
    p.start_known = start_known;
    p.first_decom = first_decom;
    p.end = last.dec;
    p.last_year = g.iter().map(|&i| episodes[i].year).max().unwrap_or(0);
}
