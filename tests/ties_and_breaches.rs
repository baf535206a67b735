//! Several rules for one duty with the same deadline (statute and local rules, several local
//! ones), listed by `Obligation::binding` earliest first, ties in profile order with statute
//! first, a rule that falls before the child was looked after last; with and without a breach.
//! The engine links each obligation's candidates latest first and turns the chain back before a
//! stable sort (`engine::rare`), and answers an obligation with one rule and a breach without
//! building a block: these tests would catch either getting the order or the breach wrong.
//! Every date below is worked out by hand from the calendar (bank holidays: Thu 1 Jan, Fri 3 Apr
//! and Mon 6 Apr 2026).

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::period::Period;
use lac_timescales::profile::{Basis, Profile};
use lac_timescales::schedule::{schedule, Breach, Obligation, Schedule, ScheduleOptions};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn rule(duty: &str, anchor: &str, direction: &str, period: &str, provision: &str) -> String {
    format!(
        "[[rule]]\nduty = \"{duty}\"\nrole = \"iro\"\nanchor = \"{anchor}\"\ndirection = \"{direction}\"\n\
         period = \"{period}\"\naction = \"{provision}\"\n\
         citation = {{ instrument = \"Local\", provision = \"{provision}\", status = \"V\" }}\n"
    )
}

fn profile(rules: &[String]) -> Profile {
    let head =
        "id = \"ties\"\nname = \"Ties\"\nkind = \"local\"\nextends = \"england\"\nversion = \"1\"\nsource = \"x\"\n";
    Profile::from_toml("ties.toml", &format!("{head}{}", rules.concat())).unwrap()
}

fn run(p: &Profile, events: Vec<Event>, as_at: NaiveDate) -> Schedule {
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
    schedule(&case, p, &Calendar::england_and_wales(), &ScheduleOptions::as_at(as_at).with_horizon_months(0)).unwrap()
}

fn one(s: &Schedule, duty: Duty, review: u32) -> &Obligation {
    let mut it = s.obligations.iter().filter(|o| o.duty == duty && o.review_number == Some(review));
    let o = it.next().unwrap();
    assert!(it.next().is_none());
    o
}

/// (provision, period, latest, before_care) of each rule considered, in the order listed.
fn listed(o: &Obligation) -> Vec<(String, Option<Period>, Option<NaiveDate>, bool)> {
    o.binding().unwrap().iter().map(|c| (c.citation.provision.clone(), c.period, c.latest, c.before_care)).collect()
}

/// The provision statute's rule for `duty` cites (England).
fn statute_provision(duty: Duty) -> String {
    let statute = Profile::builtin("england").unwrap();
    let k = statute.rules.iter().position(|r| r.duty == duty).unwrap();
    statute.rules[k].citation.provision.clone()
}

fn local() -> Basis {
    Basis::Local("ties".into())
}

/// Before a review: statute's "0 days before" and two local rules on the same day (0 working
/// days, 0 days), one local rule a day earlier, and one 20 working days before, which falls before
/// the child was looked after.
#[test]
fn tied_rules_before_a_review_list_statute_then_profile_order() {
    let p = profile(&[
        rule("iro_speak_to_child", "review_date", "before", "20 working days", "too early"),
        rule("iro_speak_to_child", "review_date", "before", "0 working days", "local A"),
        rule("iro_speak_to_child", "review_date", "before", "1 day", "local early"),
        rule("iro_speak_to_child", "review_date", "before", "0 days", "local B"),
    ]);
    let statute_provision = statute_provision(Duty::IroSpeakToChild);
    let s = run(
        &p,
        vec![
            Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
            Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
        ],
        d(2026, 3, 2),
    );
    // Review 1, Thu 29 Jan 2026: 1 day before is Wed 28 Jan; 20 working days before skips Thu 1
    // Jan and lands on Wed 31 Dec 2025, before the child was looked after on 5 Jan.
    let o = one(&s, Duty::IroSpeakToChild, 1);
    assert_eq!(
        listed(o),
        [
            ("local early".to_string(), Some(Period::Days(1)), Some(d(2026, 1, 28)), false),
            (statute_provision.clone(), Some(Period::Days(0)), Some(d(2026, 1, 29)), false),
            ("local A".to_string(), Some(Period::WorkingDays(0)), Some(d(2026, 1, 29)), false),
            ("local B".to_string(), Some(Period::Days(0)), Some(d(2026, 1, 29)), false),
            ("too early".to_string(), Some(Period::WorkingDays(20)), Some(d(2025, 12, 31)), true),
        ]
    );
    assert_eq!(
        (o.latest, o.basis.clone(), o.citation.provision.as_str()),
        (Some(d(2026, 1, 28)), local(), "local early")
    );
    assert_eq!(o.not_applicable(), None);
    // Review 2 (projected), 3 months after: Wed 29 Apr 2026. 20 working days before skips Easter
    // (Fri 3 and Mon 6 Apr): Mon 30 Mar, which binds.
    let o = one(&s, Duty::IroSpeakToChild, 2);
    assert_eq!(
        listed(o),
        [
            ("too early".to_string(), Some(Period::WorkingDays(20)), Some(d(2026, 3, 30)), false),
            ("local early".to_string(), Some(Period::Days(1)), Some(d(2026, 4, 28)), false),
            (statute_provision, Some(Period::Days(0)), Some(d(2026, 4, 29)), false),
            ("local A".to_string(), Some(Period::WorkingDays(0)), Some(d(2026, 4, 29)), false),
            ("local B".to_string(), Some(Period::Days(0)), Some(d(2026, 4, 29)), false),
        ]
    );
    assert_eq!((o.latest, o.citation.provision.as_str()), (Some(d(2026, 3, 30)), "too early"));
}

/// An adjourned review completed late: statute's 20 working days tied with a local copy and a
/// local 28 days (all Thu 26 Feb 2026 from Thu 29 Jan); a local 10 working days (Thu 12 Feb)
/// earlier. Completed Fri 20 Mar: 16 working days after 26 Feb (27 Feb, 2-6, 9-13, 16-20 Mar), a
/// breach of statute. Completed Fri 20 Feb instead: late by the local rule only (6 working days:
/// 13, 16-20 Feb), a breach of the local standard.
#[test]
fn tied_rules_with_a_breach_and_one_rule_with_a_breach() {
    let tied = [
        rule("complete_adjourned_review", "review_date", "after", "20 working days", "adjourned tie"),
        rule("complete_adjourned_review", "review_date", "after", "28 days", "adjourned 28 days"),
    ];
    let events = |completed| {
        vec![
            Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
            Event::new(d(2026, 1, 29), EventKind::ReviewAdjourned),
            Event::new(completed, EventKind::ReviewHeld { meeting: true, regimes: None }),
        ]
    };
    let statute = Profile::builtin("england").unwrap();
    let statute_provision = statute_provision(Duty::CompleteAdjournedReview);
    let late = |completed, working_days_late, basis| {
        Some(Breach::AdjournedReviewCompletedLate { completed, working_days_late, basis })
    };

    let s = run(&profile(&tied), events(d(2026, 3, 20)), d(2026, 3, 25));
    let o = one(&s, Duty::CompleteAdjournedReview, 1);
    assert_eq!(
        listed(o),
        [
            (statute_provision.clone(), Some(Period::WorkingDays(20)), Some(d(2026, 2, 26)), false),
            ("adjourned tie".to_string(), Some(Period::WorkingDays(20)), Some(d(2026, 2, 26)), false),
            ("adjourned 28 days".to_string(), Some(Period::Days(28)), Some(d(2026, 2, 26)), false),
        ]
    );
    assert_eq!((o.latest, o.basis.clone(), o.done), (Some(d(2026, 2, 26)), Basis::Statutory, Some(d(2026, 3, 20))));
    assert_eq!(o.breach, late(d(2026, 3, 20), 16, Basis::Statutory));

    // Statute alone: one rule, the same breach, no list.
    let s = run(&statute, events(d(2026, 3, 20)), d(2026, 3, 25));
    let o = one(&s, Duty::CompleteAdjournedReview, 1);
    assert!(o.binding().is_none());
    assert_eq!((o.latest, o.citation.provision.as_str()), (Some(d(2026, 2, 26)), statute_provision.as_str()));
    assert_eq!(o.breach, late(d(2026, 3, 20), 16, Basis::Statutory));
    assert_eq!((o.not_applicable(), o.done), (None, Some(d(2026, 3, 20))));

    // A local rule earlier than statute, missed while statute's deadline is not.
    let mut rules = tied.to_vec();
    rules.push(rule("complete_adjourned_review", "review_date", "after", "10 working days", "adjourned 10"));
    let s = run(&profile(&rules), events(d(2026, 2, 20)), d(2026, 3, 25));
    let o = one(&s, Duty::CompleteAdjournedReview, 1);
    let provisions: Vec<String> = listed(o).into_iter().map(|c| c.0).collect();
    assert_eq!(provisions, ["adjourned 10", statute_provision.as_str(), "adjourned tie", "adjourned 28 days"]);
    assert_eq!((o.latest, o.basis.clone()), (Some(d(2026, 2, 12)), local()));
    assert_eq!(o.breach, late(d(2026, 2, 20), 6, local()));
}

/// A tie between a local rule counted in the meeting pass's first round and a statutory rule
/// counted in its second (from receipt of the decisions, once their deadline is known): statute
/// binds, as it is listed first. Review held and completed Thu 29 Jan 2026: decisions due 5
/// working days after, Thu 5 Feb; statute's "5 working days" to consider them from receipt, Thu
/// 12 Feb; the local "10 working days after the review's completion" (30 Jan, 2-6 Feb, 9-12 Feb),
/// also Thu 12 Feb. The local rule is attached first (it counts from the review itself), and used
/// to keep the tie: the obligation named the local rule while `binding()` listed statute first.
#[test]
fn a_tie_across_the_meeting_rounds_goes_to_statute() {
    let p = profile(&[rule("consider_decisions", "review_completed", "after", "10 working days", "local ten")]);
    let s = run(
        &p,
        vec![
            Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
            Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
        ],
        d(2026, 2, 1),
    );
    let statute_provision = statute_provision(Duty::ConsiderDecisions);
    let o = one(&s, Duty::ConsiderDecisions, 1);
    assert_eq!(
        listed(o),
        [
            (statute_provision.clone(), Some(Period::WorkingDays(5)), Some(d(2026, 2, 12)), false),
            ("local ten".to_string(), Some(Period::WorkingDays(10)), Some(d(2026, 2, 12)), false),
        ]
    );
    assert_eq!(
        (o.latest, o.basis.clone(), o.citation.provision.as_str()),
        (Some(d(2026, 2, 12)), Basis::Statutory, statute_provision.as_str())
    );
}
