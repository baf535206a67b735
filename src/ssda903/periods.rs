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
    /// Line (or element number) in its file.
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
        let mut events = Vec::with_capacity(self.events.len() + reviews.len());
        let mut r = reviews.iter().peekable();
        for (ev, slot) in self.events.iter().zip(&self.slots) {
            while let Some(&&d) = r.peek() {
                if (d, Slot::Review) < (ev.date, *slot) {
                    events.push(Event::new(d, EventKind::ReviewHeld { meeting: true, regimes: None }));
                    r.next();
                } else {
                    break;
                }
            }
            events.push(ev.clone());
        }
        for &d in r {
            events.push(Event::new(d, EventKind::ReviewHeld { meeting: true, regimes: None }));
        }
        CaseHistory::new(jurisdiction, Child::default(), events)
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
    let mut eps: Vec<(usize, &Episode)> = episodes.iter().enumerate().collect();
    eps.sort_by_key(|(_, e)| (e.decom, std::cmp::Reverse(e.year), e.line));
    let mut rejects = Vec::new();
    // The episodes kept, in place at the front of `eps`, and where each group (a period: an
    // `RNE` = `S` episode and those after it) starts among them.
    let mut starts: Vec<usize> = Vec::new();
    let mut n = 0;
    let mut prev: Option<(NaiveDate, u64)> = None;
    for k in 0..eps.len() {
        let (index, e) = eps[k];
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
        eps[n] = (index, e);
        n += 1;
    }
    let mut periods: Vec<CarePeriod> = Vec::with_capacity(starts.len());
    for (i, &a) in starts.iter().enumerate() {
        let g = &eps[a..starts.get(i + 1).copied().unwrap_or(n)];
        if let Some(p) = periods.last() {
            let clash = match p.end {
                None => true,
                Some(end) => g[0].1.decom < end,
            };
            if clash {
                let until = p.end.map(fmt_d).unwrap_or_else(|| "open".into());
                for (index, e) in g {
                    rejects.push(EpisodeReject {
                        index: *index,
                        line: e.line,
                        reason: format!(
                            "period of care starting {} overlaps the previous period ({} to {until})",
                            fmt_d(g[0].1.decom),
                            fmt_d(p.first_decom)
                        ),
                    });
                }
                continue;
            }
        }
        periods.push(period_from(g, earliest));
    }
    (periods, rejects)
}

fn period_from(g: &[(usize, &Episode)], earliest: Option<NaiveDate>) -> CarePeriod {
    let indexes: Vec<usize> = g.iter().map(|x| x.0).collect();
    let mut events = Vec::with_capacity(4);
    let mut slots = Vec::with_capacity(4);
    let mut notes = Vec::new();
    let mut push = |d: NaiveDate, k: EventKind, s: Slot| {
        events.push(Event::new(d, k));
        slots.push(s);
    };
    let start_known = g[0].1.starts_period;
    let first_decom = g[0].1.decom;
    let start = match (start_known, earliest.and_then(|e| e.checked_sub_days(chrono::Days::new(3)))) {
        (false, Some(e)) if e < first_decom => e,
        _ => first_decom,
    };
    if !start_known {
        notes.push(format!("period of care began before the data (first episode in it: DECOM {})", fmt_d(first_decom)));
    }
    let mut short = g[0].1.short_breaks;
    let (mut authority, mut placed) = (false, false);
    for (i, &(_, e)) in g.iter().enumerate() {
        let d = if i == 0 { start } else { e.decom };
        if i == 0 {
            push(d, if short { EventKind::ShortBreaksStarted } else { EventKind::BecameLookedAfter }, Slot::Change);
        } else {
            let prev = g[i - 1].1;
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
    let last = g[g.len() - 1].1;
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
    CarePeriod {
        start,
        start_known,
        first_decom,
        end: last.dec,
        lines: g.iter().map(|x| x.1.line).collect(),
        indexes,
        last_year: g.iter().map(|x| x.1.year).max().unwrap_or(0),
        events,
        notes,
        slots,
    }
}
