//! Dated rules: for each statutory review interval, exactly one rule version is in force on every
//! date from its first version to the end of the calendar (no gaps, no overlaps), as Catala's
//! temporal-coverage tests do.

use std::collections::BTreeMap;

use chrono::Datelike;
use lac_timescales::calendar::LAST_DATE;
use lac_timescales::model::{Duty, Regime};
use lac_timescales::profile::{Profile, ReviewFilter};

#[test]
fn exactly_one_statutory_version_of_each_review_interval_on_every_date() {
    for id in ["england", "wales"] {
        let p = Profile::builtin(id).unwrap();
        // Group interval rules by (regime, review position).
        let mut groups: BTreeMap<(String, u32), Vec<_>> = BTreeMap::new();
        for r in p.rules_for(Duty::HoldReview).filter(|r| !r.anchor.is_trigger()) {
            let regimes = r.regimes.clone().unwrap();
            for reg in regimes {
                for n in 1..=3u32 {
                    if r.reviews.matches(n) {
                        groups.entry((reg.as_str().to_string(), n)).or_default().push(r.clone());
                    }
                }
            }
        }
        // Every regime has a first, second and later review rule, except placed_with_parent (one review).
        for reg in Regime::ALL {
            let ns: &[u32] = if *reg == Regime::PlacedWithParent { &[1] } else { &[1, 2, 3] };
            for n in ns {
                assert!(groups.contains_key(&(reg.as_str().to_string(), *n)), "{id}: no rule for {reg} review {n}");
            }
        }
        for ((reg, n), rules) in &groups {
            let first = rules.iter().filter_map(|r| r.in_force_from).min().unwrap();
            let mut day = first;
            while day <= LAST_DATE {
                let count = rules.iter().filter(|r| r.in_force(day)).count();
                assert_eq!(count, 1, "{id}: {reg} review {n} has {count} rules in force on {day}");
                day = day.succ_opt().unwrap_or(LAST_DATE);
                if day == LAST_DATE {
                    break;
                }
            }
            for r in rules.iter() {
                for b in [r.in_force_from, r.in_force_to].into_iter().flatten() {
                    for probe in [b.pred_opt().unwrap(), b, b.succ_opt().unwrap()] {
                        if probe >= first && probe <= LAST_DATE {
                            let count = rules.iter().filter(|x| x.in_force(probe)).count();
                            assert_eq!(count, 1, "{id}: {reg} review {n} has {count} rules in force on {probe}");
                        }
                    }
                }
            }
            assert!(first.year() >= 1991, "{id}: {reg} review {n} starts {first}");
        }
    }
}

#[test]
fn every_rule_has_a_citation_and_a_status() {
    for id in Profile::builtin_ids() {
        let p = Profile::builtin(id).unwrap();
        assert!(!p.rules.is_empty(), "{id}");
        for r in &p.rules {
            assert!(!r.citation.instrument.is_empty() && !r.citation.provision.is_empty(), "{id} line {}", r.line);
            assert!(!r.action.is_empty(), "{id} line {}", r.line);
        }
    }
    let _ = ReviewFilter::All;
}
