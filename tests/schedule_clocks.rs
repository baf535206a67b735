//! The review clocks at their boundaries, with dates worked out by hand from a printed calendar.
//! Each test says how its expected date was reached.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction, Regime, Role};
use lac_timescales::profile::{Basis, Profile};
use lac_timescales::schedule::{schedule, Breach, Obligation, Schedule, ScheduleOptions};
use lac_timescales::ErrorKind;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case(j: Jurisdiction, dob: Option<&str>, events: &str) -> lac_timescales::Result<CaseHistory> {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>()?;
    CaseHistory::new(j, Child { date_of_birth: dob.map(d) }, evs)
}

fn run(j: Jurisdiction, profile: &str, events: &str, as_at: Option<&str>) -> Schedule {
    let c = case(j, None, events).unwrap();
    let p = Profile::builtin(profile).unwrap();
    let opts = ScheduleOptions { as_at: as_at.map(d), horizon_months: Some(0), local_calendar: None };
    schedule(&c, &p, &Calendar::england_and_wales(), &opts).unwrap()
}

fn england(events: &str) -> Schedule {
    run(Jurisdiction::England, "england", events, None)
}

/// The hold_review obligation (not early) for review `n` of `regime`.
fn review(s: &Schedule, regime: Regime, n: u32) -> &Obligation {
    s.obligations
        .iter()
        .find(|o| o.duty == Duty::HoldReview && !o.early && o.regime == Some(regime) && o.review_number == Some(n))
        .unwrap_or_else(|| {
            panic!(
                "no {regime} review {n} in {:#?}",
                s.obligations.iter().map(|o| (o.duty, o.regime, o.review_number, o.latest)).collect::<Vec<_>>()
            )
        })
}

fn find(s: &Schedule, duty: Duty) -> Vec<&Obligation> {
    s.obligations.iter().filter(|o| o.duty == duty).collect()
}

#[test]
fn first_review_within_20_working_days_reference_examples() {
    // The reference's worked examples.
    for (start, due) in [("2026-01-01", "2026-01-29"), ("2022-09-09", "2022-10-10"), ("2026-12-24", "2027-01-26")] {
        let s = england(&format!(r#"[{{"event":"became_looked_after","date":"{start}"}}]"#));
        let r = review(&s, Regime::LookedAfter, 1);
        assert_eq!(r.latest, Some(d(due)), "looked after from {start}");
        assert_eq!(r.latest_working_day, Some(d(due)));
        assert_eq!(r.citation.provision, "reg 33(1)");
        assert_eq!(r.basis, Basis::Statutory);
        assert!(r.done.is_none());
    }
}

#[test]
fn first_review_on_its_deadline_is_on_time_and_a_day_later_is_late() {
    let on_time =
        england(r#"[{"event":"became_looked_after","date":"2026-01-01"},{"event":"review_held","date":"2026-01-29"}]"#);
    let r = review(&on_time, Regime::LookedAfter, 1);
    assert_eq!(r.done, Some(d("2026-01-29")));
    assert_eq!(r.breach, None);
    let early =
        england(r#"[{"event":"became_looked_after","date":"2026-01-01"},{"event":"review_held","date":"2026-01-28"}]"#);
    assert_eq!(review(&early, Regime::LookedAfter, 1).breach, None);
    let late =
        england(r#"[{"event":"became_looked_after","date":"2026-01-01"},{"event":"review_held","date":"2026-01-30"}]"#);
    assert_eq!(
        review(&late, Regime::LookedAfter, 1).breach,
        Some(Breach::LateReview {
            held: d("2026-01-30"),
            working_days_late: 1,
            calendar_days_late: 1,
            basis: Basis::Statutory
        })
    );
    // Held on Mon 2 Feb: Fri 30 Jan and Mon 2 Feb are 2 working days late, 4 calendar days.
    let later =
        england(r#"[{"event":"became_looked_after","date":"2026-01-01"},{"event":"review_held","date":"2026-02-02"}]"#);
    assert_eq!(
        review(&later, Regime::LookedAfter, 1).breach,
        Some(Breach::LateReview {
            held: d("2026-02-02"),
            working_days_late: 2,
            calendar_days_late: 4,
            basis: Basis::Statutory
        })
    );
}

#[test]
fn second_review_three_months_after_the_first_as_held_not_as_due() {
    // First review held early on Thu 15 Jan 2026: the second is due 3 months after that, 15 Apr.
    let s =
        england(r#"[{"event":"became_looked_after","date":"2026-01-01"},{"event":"review_held","date":"2026-01-15"}]"#);
    let r = review(&s, Regime::LookedAfter, 2);
    assert_eq!(r.latest, Some(d("2026-04-15")));
    assert_eq!(r.citation.provision, "reg 33(2)(a)");
    // Day before, day of, day after.
    for (held, late) in [("2026-04-14", false), ("2026-04-15", false), ("2026-04-16", true)] {
        let s = england(&format!(
            r#"[{{"event":"became_looked_after","date":"2026-01-01"}},{{"event":"review_held","date":"2026-01-15"}},{{"event":"review_held","date":"{held}"}}]"#
        ));
        assert_eq!(review(&s, Regime::LookedAfter, 2).breach.is_some(), late, "second review held {held}");
    }
}

#[test]
fn later_reviews_six_months_month_ends_and_leap_years() {
    // Review 2 held Mon 31 Aug 2026 -> review 3 within 6 months: 28 Feb 2027 (a Sunday), so plan
    // for Fri 26 Feb 2027.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-05-01"},{"event":"review_held","date":"2026-05-28"},{"event":"review_held","date":"2026-08-31"}]"#,
    );
    let r = review(&s, Regime::LookedAfter, 3);
    assert_eq!(r.latest, Some(d("2027-02-28")));
    assert_eq!(r.latest_working_day, Some(d("2027-02-26")));
    assert_eq!(r.citation.provision, "reg 33(2)(b)");
    // Second review after a first held on Tue 30 Nov 2027: 3 months -> Tue 29 Feb 2028.
    let s =
        england(r#"[{"event":"became_looked_after","date":"2027-11-01"},{"event":"review_held","date":"2027-11-30"}]"#);
    assert_eq!(review(&s, Regime::LookedAfter, 2).latest, Some(d("2028-02-29")));
}

#[test]
fn england_before_april_2011_follows_the_1991_regulations() {
    // Mon 1 Mar 2010 + 4 weeks = Mon 29 Mar 2010.
    let s = england(r#"[{"event":"became_looked_after","date":"2010-03-01"}]"#);
    let r = review(&s, Regime::LookedAfter, 1);
    assert_eq!(r.latest, Some(d("2010-03-29")));
    assert!(r.citation.instrument.contains("1991"), "{}", r.citation.instrument);
    // Thu 31 Mar 2011 is the last day of the old rule: 4 weeks -> Thu 28 Apr 2011.
    let s = england(r#"[{"event":"became_looked_after","date":"2011-03-31"}]"#);
    assert_eq!(review(&s, Regime::LookedAfter, 1).latest, Some(d("2011-04-28")));
    // Fri 1 Apr 2011, the first day of CPPCR: 20 working days skip Good Friday 22 Apr, Easter
    // Monday 25 Apr, the royal wedding on Fri 29 Apr and early May on Mon 2 May: Thu 5 May 2011.
    let s = england(r#"[{"event":"became_looked_after","date":"2011-04-01"}]"#);
    let r = review(&s, Regime::LookedAfter, 1);
    assert_eq!(r.latest, Some(d("2011-05-05")));
    assert_eq!(r.citation.provision, "reg 33(1)");
}

#[test]
fn a_clock_starting_before_any_encoded_law_is_an_error_not_a_guess() {
    let c = case(Jurisdiction::England, None, r#"[{"event":"became_looked_after","date":"1985-06-03"}]"#).unwrap();
    let e = schedule(
        &c,
        &Profile::builtin("england").unwrap(),
        &Calendar::england_and_wales(),
        &ScheduleOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidEvent);
    assert!(e.to_string().contains("1985-06-03") && e.to_string().contains("looked_after"), "{e}");
}

#[test]
fn wales_uses_its_own_regulations_by_date() {
    // From 6 Apr 2016: 20 working days (reg 39(1)). Thu 1 Jan 2026 -> Thu 29 Jan 2026.
    let s = run(Jurisdiction::Wales, "wales", r#"[{"event":"became_looked_after","date":"2026-01-01"}]"#, None);
    let r = review(&s, Regime::LookedAfter, 1);
    assert_eq!(r.latest, Some(d("2026-01-29")));
    assert_eq!(r.citation.provision, "reg 39(1)");
    // Before: the 2007 Welsh regulations, 4 weeks. Tue 1 Mar 2016 + 28 days = Tue 29 Mar 2016.
    let s = run(Jurisdiction::Wales, "wales", r#"[{"event":"became_looked_after","date":"2016-03-01"}]"#, None);
    let r = review(&s, Regime::LookedAfter, 1);
    assert_eq!(r.latest, Some(d("2016-03-29")));
    assert!(r.citation.instrument.contains("2007"));
    // An England profile cannot schedule a Welsh case.
    let c = case(Jurisdiction::Wales, None, r#"[{"event":"became_looked_after","date":"2026-01-01"}]"#).unwrap();
    let e = schedule(
        &c,
        &Profile::builtin("england").unwrap(),
        &Calendar::england_and_wales(),
        &ScheduleOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn adoption_authorised_runs_beside_looked_after_and_one_meeting_satisfies_both() {
    // Authority to place Mon 2 Mar 2026: first adoption review within 3 months -> Tue 2 Jun 2026.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"authority_to_place","date":"2026-03-02"}]"#,
    );
    assert_eq!(review(&s, Regime::AdoptionAuthorised, 1).latest, Some(d("2026-06-02")));
    assert_eq!(review(&s, Regime::AdoptionAuthorised, 1).citation.provision, "reg 36(1)");
    assert_eq!(review(&s, Regime::LookedAfter, 2).latest, Some(d("2026-04-29")));
    // One meeting on Tue 28 Apr satisfies both clocks; both next reviews are due 28 Oct 2026.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"authority_to_place","date":"2026-03-02"},{"event":"review_held","date":"2026-04-28"}]"#,
    );
    assert_eq!(review(&s, Regime::AdoptionAuthorised, 1).done, Some(d("2026-04-28")));
    assert_eq!(review(&s, Regime::LookedAfter, 2).done, Some(d("2026-04-28")));
    assert_eq!(review(&s, Regime::AdoptionAuthorised, 2).latest, Some(d("2026-10-28")));
    assert_eq!(review(&s, Regime::LookedAfter, 3).latest, Some(d("2026-10-28")));
    // A review for the looked-after clock only leaves the adoption review outstanding.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"authority_to_place","date":"2026-03-02"},{"event":"review_held","date":"2026-04-28","regimes":["looked_after"]}]"#,
    );
    assert_eq!(review(&s, Regime::AdoptionAuthorised, 1).done, None);
}

#[test]
fn placement_for_adoption_stops_looked_after_reviews_and_return_restarts_them() {
    // Placed Mon 1 Jun 2026: first adoption review within 4 weeks -> Mon 29 Jun 2026.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"placed_for_adoption","date":"2026-06-01"}]"#,
    );
    let r = review(&s, Regime::AdoptionPlaced, 1);
    assert_eq!(r.latest, Some(d("2026-06-29")));
    assert_eq!(r.citation.provision, "reg 36(2)");
    // The looked-after review 2 (due 29 Apr 2026) passed before the clock stopped: missed.
    assert!(matches!(review(&s, Regime::LookedAfter, 2).breach, Some(Breach::NotHeld { .. })));
    assert!(s.obligations.iter().all(|o| !(o.regime == Some(Regime::LookedAfter) && o.review_number == Some(3))));
    // First adoption review held Fri 26 Jun; second within 3 months: Sat 26 Sep -> plan Fri 25 Sep.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_held","date":"2026-04-20"},{"event":"placed_for_adoption","date":"2026-06-01"},
            {"event":"review_held","date":"2026-06-26"}]"#,
    );
    let r = review(&s, Regime::AdoptionPlaced, 2);
    assert_eq!((r.latest, r.latest_working_day), (Some(d("2026-09-26")), Some(d("2026-09-25"))));
    // Returned to the agency on Mon 3 Aug 2026: the looked-after clock restarts from the return;
    // 20 working days skip the Summer bank holiday (31 Aug): Tue 1 Sep 2026.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_held","date":"2026-04-20"},{"event":"placed_for_adoption","date":"2026-06-01"},
            {"event":"review_held","date":"2026-06-26"},{"event":"returned_to_agency","date":"2026-08-03"}]"#,
    );
    let restarted: Vec<&Obligation> = s
        .obligations
        .iter()
        .filter(|o| {
            o.duty == Duty::HoldReview
                && o.regime == Some(Regime::LookedAfter)
                && o.done.is_none()
                && o.breach.is_none()
        })
        .collect();
    assert_eq!(restarted.len(), 1);
    assert_eq!(restarted[0].latest, Some(d("2026-09-01")));
    assert_eq!(restarted[0].review_number, Some(1));
}

#[test]
fn secure_accommodation_is_a_separate_panel_review() {
    // England: placed Mon 2 Mar 2026 -> within 1 month: Thu 2 Apr 2026.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placed_in_secure_accommodation","date":"2026-03-02"},
            {"event":"secure_review_held","date":"2026-04-01"}]"#,
    );
    let r = review(&s, Regime::SecureAccommodation, 1);
    assert_eq!(r.latest, Some(d("2026-04-02")));
    assert_eq!(r.done, Some(d("2026-04-01")));
    // Next within 3 months of 1 Apr: Wed 1 Jul 2026.
    assert_eq!(review(&s, Regime::SecureAccommodation, 2).latest, Some(d("2026-07-01")));
    // The secure review does not satisfy the looked-after review (due Mon 2 Feb 2026).
    let lac = review(&s, Regime::LookedAfter, 1);
    assert_eq!(lac.latest, Some(d("2026-02-02")));
    assert_eq!(lac.done, None);
    // Wales: 15 working days from Mon 2 Mar 2026 -> Mon 23 Mar 2026.
    let s = run(
        Jurisdiction::Wales,
        "wales",
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placed_in_secure_accommodation","date":"2026-03-02"}]"#,
        None,
    );
    assert_eq!(review(&s, Regime::SecureAccommodation, 1).latest, Some(d("2026-03-23")));
}

#[test]
fn placed_with_parent_review_within_10_working_days_except_in_2020() {
    // Placed on Mon 4 May 2026, a bank holiday (day 0): Tue 5 ... Mon 18 May 2026.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-04-01"},{"event":"placed_with_parent_before_assessment","date":"2026-05-04"}]"#,
    );
    let r = review(&s, Regime::PlacedWithParent, 1);
    assert_eq!(r.latest, Some(d("2026-05-18")));
    // During 24 Apr - 25 Sep 2020: as soon as reasonably practicable, no day fixed.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2020-04-01"},{"event":"placed_with_parent_before_assessment","date":"2020-06-01"}]"#,
    );
    assert_eq!(review(&s, Regime::PlacedWithParent, 1).latest, None);
}

#[test]
fn short_breaks_run_their_own_clock() {
    // First review within 3 months of the first break: Mon 2 Mar 2026 -> Tue 2 Jun 2026.
    let s = england(
        r#"[{"event":"short_breaks_started","date":"2026-03-02"},{"event":"review_held","date":"2026-05-20"}]"#,
    );
    let r = review(&s, Regime::ShortBreaks, 1);
    assert_eq!(r.latest, Some(d("2026-06-02")));
    assert_eq!(r.done, Some(d("2026-05-20")));
    // Then 6 months after 20 May: Fri 20 Nov 2026.
    assert_eq!(review(&s, Regime::ShortBreaks, 2).latest, Some(d("2026-11-20")));
}

#[test]
fn adjournment_once_within_20_working_days_and_the_recorded_date() {
    // Adjourned Wed 22 Apr 2026: 20 working days skip early May (Mon 4 May): Thu 21 May 2026.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_adjourned","date":"2026-04-22"},{"event":"review_held","date":"2026-05-06"}]"#;
    let s = england(events);
    let adj = find(&s, Duty::CompleteAdjournedReview);
    assert_eq!(adj.len(), 1);
    assert_eq!(adj[0].latest, Some(d("2026-05-21")));
    assert_eq!(adj[0].done, Some(d("2026-05-06")));
    assert_eq!(adj[0].breach, None);
    assert_eq!(adj[0].role, Role::Iro);
    // The review keeps its original date (default): review 2 held 22 Apr, on time (due 29 Apr),
    // and review 3 counts from 22 Apr: Thu 22 Oct 2026.
    assert_eq!(review(&s, Regime::LookedAfter, 2).done, Some(d("2026-04-22")));
    assert_eq!(review(&s, Regime::LookedAfter, 3).latest, Some(d("2026-10-22")));
    // Post-review duties count from the completing meeting (Wed 6 May): decisions within 5
    // working days -> Wed 13 May.
    let decisions: Vec<_> = find(&s, Duty::IssueDecisions).into_iter().filter(|o| o.review_number == Some(2)).collect();
    assert_eq!(decisions[0].latest, Some(d("2026-05-13")));

    // A second adjournment is a breach.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_adjourned","date":"2026-04-22"},{"event":"review_adjourned","date":"2026-05-06"},{"event":"review_held","date":"2026-05-13"}]"#,
    );
    assert_eq!(
        find(&s, Duty::CompleteAdjournedReview)[0].breach,
        Some(Breach::SecondAdjournment { adjourned: vec![d("2026-04-22"), d("2026-05-06")], basis: Basis::Statutory })
    );
    // Completed after the 20 working days: Fri 22 May is 1 working day late.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_adjourned","date":"2026-04-22"},{"event":"review_held","date":"2026-05-22"}]"#,
    );
    assert_eq!(
        find(&s, Duty::CompleteAdjournedReview)[0].breach,
        Some(Breach::AdjournedReviewCompletedLate {
            completed: d("2026-05-22"),
            working_days_late: 1,
            basis: Basis::Statutory
        })
    );
}

#[test]
fn adjourned_review_recorded_on_the_completing_meeting_when_the_profile_says_so() {
    let text = r#"
id = "completing"
name = "Records adjourned reviews on the completing meeting"
kind = "local"
extends = "england"
version = "1"
source = "test"
[settings]
adjourned_review_date = "completing_meeting"
"#;
    let p = Profile::from_toml("completing.toml", text).unwrap();
    let c = case(
        Jurisdiction::England,
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_adjourned","date":"2026-04-22"},{"event":"review_held","date":"2026-05-06"}]"#,
    )
    .unwrap();
    let s = schedule(&c, &p, &Calendar::england_and_wales(), &ScheduleOptions::default()).unwrap();
    // Review 3 counts from Wed 6 May: Fri 6 Nov 2026.
    assert_eq!(review(&s, Regime::LookedAfter, 3).latest, Some(d("2026-11-06")));
}

#[test]
fn rearranging_past_the_deadline_needs_authority_and_is_a_breach() {
    // Review 2 due Wed 29 Apr 2026 (3 months from Thu 29 Jan; Dudley's 90 days: 31 Jan day 2,
    // 28 Feb day 30, 31 Mar day 61, 29 Apr day 90, the same day); on Mon 20 Apr it is moved from
    // 28 Apr to Tue 5 May.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_rearranged","date":"2026-04-20","from":"2026-04-28","to":"2026-05-05"}]"#;
    let moved = Some(Breach::RearrangedPastDeadline {
        from: d("2026-04-28"),
        to: d("2026-05-05"),
        deadline: d("2026-04-29"),
        basis: Basis::Statutory,
    });
    // Statute: the move breaches review 2's interval; no authorisation duty (that is local practice).
    let s = england(events);
    assert!(find(&s, Duty::AuthoriseRearrangement).is_empty());
    assert_eq!(review(&s, Regime::LookedAfter, 2).breach, moved);
    // Dudley's procedure (seed 002): the IRO service manager authorises the move when it is made.
    let s = run(Jurisdiction::England, "dudley", events, None);
    let auth = find(&s, Duty::AuthoriseRearrangement);
    assert_eq!(auth.len(), 1);
    assert_eq!(auth[0].role, Role::IroServiceManager);
    assert_eq!(auth[0].review_number, Some(2));
    assert_eq!(auth[0].basis, Basis::Local("dudley".into()));
    assert_eq!(auth[0].citation.provision, "Process for Rearranging Review Meetings");
    // Authority is needed when the move is made: Mon 20 Apr 2026.
    assert_eq!(auth[0].latest, Some(d("2026-04-20")));
    assert_eq!(auth[0].breach, moved);
    // The explanation counts from the day of the move, not from a review.
    let k = s.obligations.iter().position(|o| o.duty == Duty::AuthoriseRearrangement).unwrap();
    let evs = case(Jurisdiction::England, None, events).unwrap().events().to_vec();
    let steps = s.explain(k, &Calendar::england_and_wales(), &evs).unwrap().steps;
    assert!(steps.iter().any(|x| x == "Counted from the rearrangement of the review: Mon 20 Apr 2026."), "{steps:#?}");
    assert!(!steps.iter().any(|x| x.contains("previous review")), "{steps:#?}");
    // Moving within the deadline is fine: no authorisation, no breach.
    let s = run(
        Jurisdiction::England,
        "dudley",
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_rearranged","date":"2026-04-20","from":"2026-04-28","to":"2026-04-29"}]"#,
        None,
    );
    assert!(find(&s, Duty::AuthoriseRearrangement).is_empty());
    assert_eq!(review(&s, Regime::LookedAfter, 2).breach, None);
}

#[test]
fn early_reviews_from_triggers() {
    // Accommodation ends Mon 15 Jun 2026: a review by the day before (Sun 14 Jun; plan Fri 12 Jun).
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_held","date":"2026-04-20"},{"event":"accommodation_ending","date":"2026-06-15"}]"#,
    );
    let early: Vec<_> = find(&s, Duty::HoldReview).into_iter().filter(|o| o.early).collect();
    assert_eq!(early.len(), 1);
    assert_eq!((early[0].latest, early[0].latest_working_day), (Some(d("2026-06-14")), Some(d("2026-06-12"))));
    assert_eq!(early[0].review_number, Some(3));
    // A significant change: an early review with no day fixed; held later, it is done.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"significant_change","date":"2026-03-02"},{"event":"review_held","date":"2026-03-10"}]"#,
    );
    let early: Vec<_> = find(&s, Duty::HoldReview).into_iter().filter(|o| o.early).collect();
    assert_eq!(early[0].latest, None);
    assert_eq!(early[0].done, Some(d("2026-03-10")));
    assert_eq!(early[0].citation.provision, "reg 32(2)");
    // The early review restarts the clock: review 3 is due 6 months after 10 Mar: Thu 10 Sep.
    assert_eq!(review(&s, Regime::LookedAfter, 3).latest, Some(d("2026-09-10")));
}

#[test]
fn overdue_reviews_as_at_a_later_date() {
    let s = run(
        Jurisdiction::England,
        "england",
        r#"[{"event":"became_looked_after","date":"2026-01-01"}]"#,
        Some("2026-02-02"),
    );
    assert_eq!(
        review(&s, Regime::LookedAfter, 1).breach,
        Some(Breach::NotHeld { as_at: d("2026-02-02"), basis: Basis::Statutory })
    );
    let s = run(
        Jurisdiction::England,
        "england",
        r#"[{"event":"became_looked_after","date":"2026-01-01"}]"#,
        Some("2026-01-29"),
    );
    assert_eq!(review(&s, Regime::LookedAfter, 1).breach, None);
}

#[test]
fn a_new_period_of_care_numbers_reviews_from_one() {
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"ceased_to_be_looked_after","date":"2026-02-13"},{"event":"became_looked_after","date":"2026-06-01"}]"#,
    );
    // Second period from Mon 1 Jun 2026: 20 working days -> Mon 29 Jun 2026 (review 1 again).
    let firsts: Vec<_> = find(&s, Duty::HoldReview).into_iter().filter(|o| o.review_number == Some(1)).collect();
    assert_eq!(firsts.len(), 2);
    assert_eq!(firsts[1].latest, Some(d("2026-06-29")));
}

#[test]
fn approval_of_cessation_after_20_working_days_of_care() {
    // Looked after from Mon 5 Jan to Mon 2 Mar 2026 (more than 20 working days).
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},{"event":"ceased_to_be_looked_after","date":"2026-03-02"}]"#,
    );
    let a = find(&s, Duty::ApproveCessation);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].role, Role::NominatedOfficer);
    assert_eq!(a[0].latest, Some(d("2026-03-02")));
    // Ceased on Mon 19 Jan 2026, after 10 working days: no approval required.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"ceased_to_be_looked_after","date":"2026-01-19"}]"#,
    );
    assert!(find(&s, Duty::ApproveCessation).is_empty());
}

#[test]
fn pathway_needs_assessment_three_months_after_the_16th_birthday() {
    let c = case(Jurisdiction::England, Some("2011-02-14"), r#"[{"event":"became_looked_after","date":"2026-01-05"}]"#)
        .unwrap();
    let s = schedule(
        &c,
        &Profile::builtin("england").unwrap(),
        &Calendar::england_and_wales(),
        &ScheduleOptions::default(),
    )
    .unwrap();
    let a = find(&s, Duty::CompleteNeedsAssessment);
    // 16th birthday Sun 14 Feb 2027 + 3 months = Fri 14 May 2027.
    assert_eq!(a[0].latest, Some(d("2027-05-14")));
    // A child who became looked after at 16 and a half: eligible 13 weeks (91 days) later.
    // Born 2009-06-01, looked after from Mon 1 Dec 2025 -> eligible Mon 2 Mar 2026 -> +3 months
    // = Tue 2 Jun 2026.
    let c = case(Jurisdiction::England, Some("2009-06-01"), r#"[{"event":"became_looked_after","date":"2025-12-01"}]"#)
        .unwrap();
    let s = schedule(
        &c,
        &Profile::builtin("england").unwrap(),
        &Calendar::england_and_wales(),
        &ScheduleOptions::default(),
    )
    .unwrap();
    assert_eq!(find(&s, Duty::CompleteNeedsAssessment)[0].latest, Some(d("2026-06-02")));
}

#[test]
fn statutory_duties_after_a_review() {
    // Review held Thu 2 Apr 2026 (before Easter). Decisions within 5 working days skip Good Friday
    // (3 Apr) and Easter Monday (6 Apr): Tue 7 (1), Wed 8, Thu 9, Fri 10, Mon 13 (5).
    let s =
        england(r#"[{"event":"became_looked_after","date":"2026-03-09"},{"event":"review_held","date":"2026-04-02"}]"#);
    let one = |duty| find(&s, duty).into_iter().find(|o| o.review_number == Some(1)).unwrap().latest;
    assert_eq!(one(Duty::IssueDecisions), Some(d("2026-04-13")));
    // Full record 15 working days: ... Mon 27 Apr. Distributed 20: Mon 4 May is a bank holiday,
    // so Tue 5 May.
    assert_eq!(one(Duty::CompleteReviewRecord), Some(d("2026-04-27")));
    assert_eq!(one(Duty::DistributeReviewRecord), Some(d("2026-05-05")));
    // Senior manager: 5 working days from receipt, assumed on the decisions deadline (13 Apr): 20 Apr.
    let c = find(&s, Duty::ConsiderDecisions).into_iter().find(|o| o.review_number == Some(1)).unwrap();
    assert_eq!(c.latest, Some(d("2026-04-20")));
    assert_eq!(c.role, Role::SeniorManager);
    assert!(c.projected, "receipt assumed, so the date is projected");
    // Recorded receipt (duty_done issue_decisions on Wed 8 Apr): 5 working days -> Wed 15 Apr.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2026-03-09"},{"event":"review_held","date":"2026-04-02"},
            {"event":"duty_done","date":"2026-04-08","duty":"issue_decisions","review_number":1}]"#,
    );
    let c = find(&s, Duty::ConsiderDecisions).into_iter().find(|o| o.review_number == Some(1)).unwrap();
    assert_eq!(c.latest, Some(d("2026-04-15")));
    assert!(!c.projected);
}

#[test]
fn impossible_histories_are_errors_naming_the_event() {
    let cases = [
        (r#"[{"event":"review_held","date":"2026-01-05"}]"#, 0, "not looked after"),
        (
            r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-02"}]"#,
            1,
            "date order",
        ),
        (r#"[{"event":"placed_for_adoption","date":"2026-01-05"}]"#, 0, "not looked after"),
        (
            r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"became_looked_after","date":"2026-02-05"}]"#,
            1,
            "already looked after",
        ),
        (
            r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"secure_review_held","date":"2026-02-05"}]"#,
            1,
            "secure",
        ),
        (
            r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-02-05","regimes":["adoption_placed"]}]"#,
            1,
            "adoption_placed",
        ),
        (r#"[{"event":"became_looked_after","date":"1970-01-05"}]"#, 0, "1970-01-05"),
        (r#"[{"event":"became_looked_after","date":"2026-02-30"}]"#, 0, "2026-02-30"),
        (r#"[{"event":"became_looked_after"}]"#, 0, "missing"),
        (r#"[{"event":"became_looked_afterr","date":"2026-01-05"}]"#, 0, "became_looked_afterr"),
        (r#"[{"event":"became_looked_after","date":"2026-01-05","colour":"red"}]"#, 0, "colour"),
        (
            r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_rearranged","date":"2026-01-10","from":"2026-01-20","to":"2026-01-08"}]"#,
            1,
            "before the rearrangement",
        ),
        (r#"[{"event":"ceased_to_be_looked_after","date":"2026-01-05"}]"#, 0, "not looked after"),
    ];
    for (events, index, needle) in cases {
        let e = case(Jurisdiction::England, None, events).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidEvent, "{events}");
        let msg = e.to_string();
        assert!(msg.starts_with(&format!("event {index} ")), "{events}: {msg}");
        assert!(msg.contains(needle), "{events}: {msg} should mention {needle}");
    }
    let e = case(Jurisdiction::England, Some("2026-02-01"), r#"[{"event":"became_looked_after","date":"2026-01-05"}]"#)
        .unwrap_err();
    assert!(e.to_string().contains("date of birth"), "{e}");
}

#[test]
fn as_at_before_the_last_event_is_an_error() {
    let c = case(Jurisdiction::England, None, r#"[{"event":"became_looked_after","date":"2026-01-05"}]"#).unwrap();
    let opts = ScheduleOptions { as_at: Some(d("2026-01-01")), ..Default::default() };
    let e = schedule(&c, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap_err();
    assert!(e.to_string().contains("as_at") && e.to_string().contains("2026-01-01"), "{e}");
}

#[test]
fn next_review_is_the_earliest_legal_deadline_when_two_clocks_share_a_day_to_act_by() {
    // Reviews held 26 Dec 2022 and Thu 6 Apr 2023; the third looked-after review is due six
    // months later, Fri 6 Oct 2023. Authority to place on Fri 7 Jul 2023 starts the adoption
    // clock: first review within three months, Sat 7 Oct, so by Fri 6 Oct too. The next review
    // is the looked-after one, whose legal deadline (6 Oct) is earlier; holding it on Sat 7 Oct
    // would be a day late for it.
    let s = england(
        r#"[{"event":"became_looked_after","date":"2022-10-25"},{"event":"review_held","date":"2022-12-26"},
            {"event":"review_held","date":"2023-04-06"},{"event":"authority_to_place","date":"2023-07-07"}]"#,
    );
    let next = s.next_review().unwrap();
    assert_eq!(
        (next.regime, next.review_number, next.latest),
        (Some(Regime::LookedAfter), Some(3), Some(d("2023-10-06")))
    );
    let adoption = review(&s, Regime::AdoptionAuthorised, 1);
    assert_eq!((adoption.latest, adoption.latest_working_day), (Some(d("2023-10-07")), Some(d("2023-10-06"))));
    assert_eq!(s.next_review_due(d("2023-07-07")).map(|o| o.regime), Some(Some(Regime::LookedAfter)));
}

/// One meeting is one review: a review sent twice for one day (a duplicated row) is refused,
/// naming both events, rather than counted as two, which would move every later review (the
/// second review due within 3 months of Tue 20 Jan 2026, Mon 20 Apr, would have become review 3,
/// due six months on, Mon 20 Jul). Reviews of two regimes on one day stay two reviews. (adv8,
/// session 8; `tests/adv8_same_day_reviews.rs` asserts the JSON boundary.)
#[test]
fn the_same_review_twice_on_one_day_is_refused() {
    let err = |events: &str| match case(Jurisdiction::England, None, events) {
        Err(e) => e,
        Ok(_) => panic!("accepted: {events}"),
    };
    let e = err(r#"[{"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-20"}, {"event": "review_held", "date": "2026-01-20"}]"#);
    assert_eq!(e.kind(), ErrorKind::InvalidEvent);
    assert_eq!(
        e.to_string(),
        "event 2 (review_held): date \"2026-01-20\": a looked-after review was already held on this day (event 1): \
         one meeting is one review, so send it once"
    );
    // A regime named twice in one review's `regimes` is refused too (it was accepted silently).
    let e = err(r#"[{"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-20", "regimes": ["looked_after", "looked_after"]}]"#);
    assert_eq!(e.to_string(), "event 1 (review_held): regimes \"looked_after\": named twice: name each regime once");
    // The secure panel's review: the same.
    let e = err(r#"[{"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "placed_in_secure_accommodation", "date": "2026-01-31"},
        {"event": "secure_review_held", "date": "2026-02-26"}, {"event": "secure_review_held", "date": "2026-02-26"}]"#);
    assert!(
        e.to_string().starts_with("event 3 (secure_review_held): date \"2026-02-26\": a secure-accommodation review"),
        "{e}"
    );
    // A looked-after review and a secure panel review on one day (vector 020's case): two reviews.
    // The first looked-after review held Thu 29 Jan, the second on Thu 26 Feb (due Wed 29 Apr,
    // within three months of 29 Jan); the first secure review due within one month of Sat 31 Jan
    // (Sat 28 Feb), held the same Thu 26 Feb.
    let s = england(
        r#"[{"event": "became_looked_after", "date": "2026-01-05"}, {"event": "review_held", "date": "2026-01-29"},
        {"event": "placed_in_secure_accommodation", "date": "2026-01-31"},
        {"event": "review_held", "date": "2026-02-26", "regimes": ["looked_after"]},
        {"event": "secure_review_held", "date": "2026-02-26"}]"#,
    );
    let second = review(&s, Regime::LookedAfter, 2);
    assert_eq!((second.latest, second.done), (Some(d("2026-04-29")), Some(d("2026-02-26"))));
    let secure = review(&s, Regime::SecureAccommodation, 1);
    assert_eq!((secure.latest, secure.done), (Some(d("2026-02-28")), Some(d("2026-02-26"))));
}
