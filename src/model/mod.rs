//! The case model: jurisdictions, roles, review regimes, duties, events and the validated
//! [`CaseHistory`].

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub(crate) use crate::calendar::{plain_date, strict_date};
use crate::error::{excerpt, Error, Result};

mod shared;
pub(crate) mod walk;

pub use shared::{Intern, Shared, MAX_INTERNED_BYTES};

/// Which law applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    /// England: CPPCR 2010 (from 1 Apr 2011), earlier the Review of Children's Cases Regs 1991.
    England,
    /// Wales: CPPCR (Wales) 2015 (from 6 Apr 2016), earlier the 2007 Welsh regulations.
    Wales,
}

macro_rules! snake_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal : $plain:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant,)+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable snake_case id.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// A plain-English description.
            pub fn describe(self) -> &'static str {
                match self { $($name::$variant => $plain,)+ }
            }

            /// Looks up a value by its snake_case id.
            pub fn from_id(id: &str) -> Option<$name> {
                match id { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

snake_enum! {
    /// Who must act.
    Role {
        /// The responsible local authority (the corporate duty-holder).
        LocalAuthority = "local_authority": "Local authority",
        /// The independent reviewing officer.
        Iro = "iro": "IRO",
        /// The child's social worker.
        SocialWorker = "social_worker": "Social worker",
        /// The social worker's team manager.
        TeamManager = "team_manager": "Team manager",
        /// The senior manager who considers review decisions.
        SeniorManager = "senior_manager": "Senior manager",
        /// Review administration (business support, review unit).
        ReviewAdministrator = "review_administrator": "Review administrator",
        /// The IRO service manager.
        IroServiceManager = "iro_service_manager": "IRO service manager",
        /// The officer nominated to approve a child ceasing to be looked after (CPPCR reg 39).
        NominatedOfficer = "nominated_officer": "Nominated officer",
    }
}

/// A set of roles: every role the rules of one obligation name. Serialised as a list of role ids
/// in declaration order.
///
/// ```
/// use lac_timescales::model::{Role, Roles};
/// let r = Roles::of(Role::TeamManager).with(Role::SeniorManager);
/// assert_eq!(r.iter().collect::<Vec<_>>(), [Role::TeamManager, Role::SeniorManager]);
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"["team_manager","senior_manager"]"#);
/// assert!(r.contains(Role::TeamManager) && !r.contains(Role::Iro));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Roles(u16);

const _: () = assert!(Role::ALL.len() <= 16, "a role takes one bit of Roles");

impl Roles {
    /// The set holding `role` only.
    pub fn of(role: Role) -> Roles {
        Roles(1 << role as u16)
    }

    /// This set and `role`.
    #[must_use]
    pub fn with(self, role: Role) -> Roles {
        Roles(self.0 | 1 << role as u16)
    }

    /// Whether `role` is in the set.
    pub fn contains(self, role: Role) -> bool {
        self.0 & 1 << role as u16 != 0
    }

    /// The roles, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.iter().copied().filter(move |r| self.contains(*r))
    }

    /// How many roles.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// True for the empty set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Serialize for Roles {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Roles {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Roles, D::Error> {
        Ok(Vec::<Role>::deserialize(d)?.into_iter().fold(Roles::default(), Roles::with))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Roles {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Roles".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let role = generator.subschema_for::<Role>();
        schemars::json_schema!({
            "type": "array",
            "description": "Every role the obligation's rules name, in declaration order.",
            "items": role,
            "uniqueItems": true
        })
    }
}

snake_enum! {
    /// A statutory review regime: an independent clock of reviews.
    #[non_exhaustive]
    Regime {
        /// Reviews of a looked-after child.
        LookedAfter = "looked_after": "looked-after review",
        /// Reviews of a child in a series of short breaks.
        ShortBreaks = "short_breaks": "short-breaks review",
        /// Adoption reviews while authorised to place but not placed.
        AdoptionAuthorised = "adoption_authorised": "adoption review (authorised, not placed)",
        /// Adoption reviews while placed for adoption.
        AdoptionPlaced = "adoption_placed": "adoption review (placed)",
        /// Secure-accommodation panel reviews.
        SecureAccommodation = "secure_accommodation": "secure-accommodation review",
        /// The review after placement with a parent before assessment is complete.
        PlacedWithParent = "placed_with_parent": "review of placement with parent",
    }
}

snake_enum! {
    /// What must be done: stable duty ids.
    #[non_exhaustive]
    Duty {
        /// Hold a review (statutory clock, or early when a trigger requires it).
        HoldReview = "hold_review": "Hold the review",
        /// Complete a review adjourned at its meeting.
        CompleteAdjournedReview = "complete_adjourned_review": "Complete the adjourned review",
        /// The IRO speaks to the child in private before the review.
        IroSpeakToChild = "iro_speak_to_child": "Speak to the child in private before the review",
        /// Written record of the review's decisions.
        IssueDecisions = "issue_decisions": "Issue the written decisions of the review",
        /// Complete the full record of the review.
        CompleteReviewRecord = "complete_review_record": "Complete the full record of the review",
        /// Distribute the full record.
        DistributeReviewRecord = "distribute_review_record": "Distribute the full record of the review",
        /// A manager considers (and may object to) the decisions.
        ConsiderDecisions = "consider_decisions": "Consider the review decisions (object in writing or they stand)",
        /// Complete the pathway needs assessment.
        CompleteNeedsAssessment = "complete_needs_assessment": "Complete the pathway needs assessment",
        /// Approve a decision that the child cease to be looked after.
        ApproveCessation = "approve_cessation": "Approve the decision that the child stops being looked after",
        /// Notify the review service that the child is looked after.
        NotifyReviewService = "notify_review_service": "Notify the review service that the child is looked after",
        /// Appoint an IRO.
        AppointIro = "appoint_iro": "Appoint an IRO",
        /// Send the IRO's introduction letter to the child.
        SendIntroductionLetter = "send_introduction_letter": "Send the IRO's introduction letter to the child",
        /// Discuss with the child who attends and where.
        ConsultChildOnArrangements = "consult_child_on_arrangements": "Discuss with the child who to invite and where to meet",
        /// IRO and social worker discuss the case before the review.
        IroConsultSocialWorker = "iro_consult_social_worker": "IRO and social worker discuss the case before the review",
        /// Send consultation documents.
        SendConsultationDocuments = "send_consultation_documents": "Send consultation documents to the child, parents and carers",
        /// Social work report to the IRO.
        SubmitSocialWorkReport = "submit_social_work_report": "Send the social work report (care plan for review) to the IRO",
        /// Team manager quality-assures the report.
        QualityAssureReport = "quality_assure_report": "Quality-assure the social work report",
        /// Social worker gives the IRO the list of attendees.
        ProvideAttendeeList = "provide_attendee_list": "Give the IRO the list of people to invite",
        /// Update the care plan after the review.
        UpdateCarePlan = "update_care_plan": "Update the care plan after the review",
        /// IRO monitors progress after the review.
        MonitorProgress = "monitor_progress": "Check the child's record and monitor progress",
        /// Mid-point progress review by the IRO.
        ProgressReview = "progress_review": "Mid-point progress check between reviews",
        /// Social worker's six-monthly case summary.
        CaseSummary = "case_summary": "Write the six-monthly case summary",
        /// Resolve a dispute raised by the IRO.
        ResolveDispute = "resolve_dispute": "Resolve the dispute raised by the IRO",
        /// Hold a review with a meeting (long-term foster placements).
        HoldReviewMeeting = "hold_review_meeting": "Hold a review with a meeting (at least yearly)",
        /// Start the pathway needs assessment.
        StartNeedsAssessment = "start_needs_assessment": "Start the pathway needs assessment",
        /// Authorise moving a review past its statutory date.
        AuthoriseRearrangement = "authorise_rearrangement": "Authorise moving the review past its statutory date",
        /// IRO meets the child before the first review.
        IroMeetChild = "iro_meet_child": "Meet the child before the review",
        /// IRO considers direct contact with the child between reviews.
        IroContactChild = "iro_contact_child": "Consider direct contact with the child between reviews",
        /// Team manager agrees the updated care plan.
        AgreeCarePlan = "agree_care_plan": "Agree the updated care plan",
        /// Tell the IRO of a significant event, so the IRO can consider an early review.
        InformIro = "inform_iro": "Tell the IRO of the event; the IRO considers an early review",
        /// The care plan includes a permanence plan, ratified at the second review.
        PermanencePlan = "permanence_plan": "Have the permanence plan ready for (and ratified at) the second review",
        /// The IRO sets the date of the next review at the end of each review.
        SetNextReviewDate = "set_next_review_date": "Set the date, time and venue of the next review",
        /// The social worker visits the child in the placement (CPPCR reg 28, Wales reg 31,
        /// AAR 2005 reg 36).
        VisitChild = "visit_child": "Visit the child in the placement",
        /// Prepare the care plan (Wales: care and support plan).
        PrepareCarePlan = "prepare_care_plan": "Prepare the care plan",
        /// Prepare the placement plan.
        PreparePlacementPlan = "prepare_placement_plan": "Prepare the placement plan",
        /// Notify the placement in writing (child, parents, carers, health bodies, school, IRO).
        NotifyPlacement = "notify_placement": "Notify the placement in writing",
        /// Notify the end of a placement in writing.
        NotifyPlacementEnded = "notify_placement_ended": "Notify the end of the placement in writing",
        /// Arrange the child's health assessment.
        HealthAssessment = "health_assessment": "Arrange the child's health assessment",
        /// Initiate the personal education plan.
        PersonalEducationPlan = "personal_education_plan": "Initiate the personal education plan",
        /// Share the care plan prepared for the review with the child and the parents.
        ShareCarePlan = "share_care_plan": "Share the care plan for the review with the child and parents",
        /// Tell parents who could not attend the review its outcome in writing.
        InformParentsOfOutcome = "inform_parents_of_outcome": "Tell parents who could not attend the outcome of the review in writing",
    }
}

snake_enum! {
    /// What a rule's period is counted from.
    #[non_exhaustive]
    Anchor {
        /// The start of the review regime (became looked after, authority to place, placement...).
        RegimeStart = "regime_start": "the start of the review regime",
        /// The recorded date of the previous review.
        PreviousReview = "previous_review": "the previous review",
        /// The date of the review meeting (for duties before it).
        ReviewDate = "review_date": "the review meeting",
        /// The completion of the review (the completing meeting of an adjourned review).
        ReviewCompleted = "review_completed": "the completion of the review",
        /// The day the child became looked after (start of the period of care).
        BecameLookedAfter = "became_looked_after": "the day the child became looked after",
        /// The start of the care plan (`care_plan_started`).
        CarePlanStarted = "care_plan_started": "the start of the care plan",
        /// The child's date of birth.
        DateOfBirth = "date_of_birth": "the child's date of birth",
        /// The 16th birthday, or the date the child became eligible if later.
        SixteenthBirthday = "sixteenth_birthday": "the 16th birthday (or eligibility, if later)",
        /// Half way between a review and the next review's deadline.
        Midpoint = "midpoint": "the mid-point between reviews",
        /// The IRO starting the dispute resolution process (`dispute_started`).
        DisputeStarted = "dispute_started": "the start of the dispute resolution process",
        /// The child ceasing to be looked after.
        CeasedToBeLookedAfter = "ceased_to_be_looked_after": "the child ceasing to be looked after",
        /// The last review held with a meeting, in a long-term foster placement.
        LastReviewMeeting = "last_review_meeting": "the last review held with a meeting",
        /// A significant change to the care plan is proposed.
        SignificantChange = "significant_change": "the proposed significant change to the care plan",
        /// The IRO asks for a review.
        IroRequestedReview = "iro_requested_review": "the IRO's request for a review",
        /// Accommodation (or police protection, remand, detention) is to end on this date.
        AccommodationEnding = "accommodation_ending": "the planned end of accommodation",
        /// A visit found the placement does not safeguard the child.
        PlacementNotSafeguarding = "placement_not_safeguarding": "the finding that the placement does not safeguard the child",
        /// The child asks for a review (Wales).
        ChildRequestedReview = "child_requested_review": "the child's request for a review",
        /// The child is absent, or often absent, from the placement (Wales).
        ChildAbsent = "child_absent": "the child's absence from the placement",
        /// Notice that the child is at risk of harm (Wales).
        ChildAtRisk = "child_at_risk": "the notice that the child is at risk of harm",
        /// Referral to an integrated family support team (Wales).
        FamilySupportReferral = "family_support_referral": "the referral to an integrated family support team",
        /// The decisions were received: a recorded `duty_done` for `issue_decisions`, else its deadline.
        DecisionsReceived = "decisions_received": "receipt of the review decisions",
        /// The IRO was appointed: a recorded `duty_done` for `appoint_iro`, else its deadline.
        IroAppointed = "iro_appointed": "the IRO's appointment",
        /// The review service was notified: `duty_done` for `notify_review_service`, else its deadline.
        ReviewServiceNotified = "review_service_notified": "notification of the review service",
        /// A review was rearranged (`review_rearranged`): for the rule saying who authorises a move
        /// past the review's deadline (`authorise_rearrangement`), which the engine applies itself.
        ReviewRearranged = "review_rearranged": "the rearrangement of the review",
        /// The start of a placement (`placement_started`, or `placed_for_adoption`).
        PlacementStarted = "placement_started": "the start of the placement",
        /// The end of a placement recorded by `placement_ended`.
        PlacementEnded = "placement_ended": "the end of the placement",
        /// The date the same duty was last done in the same run of its clock (a visit counts from
        /// the previous visit, as a review counts from the previous review).
        LastDone = "last_done": "the date it was last done",
        /// The child's IRO changed (`iro_changed`).
        IroChanged = "iro_changed": "the change of the child's IRO",
    }
}

snake_enum! {
    /// A condition on the placement a rule applies to (profile field `placement`).
    PlacementCondition {
        /// The first placement of the period of care.
        First = "first": "the first placement of the period of care",
        /// Intended to last until the child is 18.
        LongTerm = "long_term": "a placement intended to last until the child is 18",
        /// Not intended to last until the child is 18.
        NotLongTerm = "not_long_term": "a placement not intended to last until the child is 18",
        /// Made in an emergency.
        Emergency = "emergency": "an emergency placement",
        /// Not made in an emergency.
        Planned = "planned": "a placement not made in an emergency",
        /// With a parent before the assessment is complete.
        WithParent = "with_parent": "a placement with a parent before assessment",
        /// Not with a parent before assessment.
        NotWithParent = "not_with_parent": "a placement other than with a parent before assessment",
        /// A placement for adoption.
        Adoption = "adoption": "a placement for adoption",
        /// Not a placement for adoption.
        NotAdoption = "not_adoption": "a placement other than for adoption",
    }
}

impl Anchor {
    /// For anchors that mean "when duty X was done": X. The date is a recorded `duty_done` event
    /// for X in the same scope, or X's binding deadline when none is recorded.
    pub fn done_duty(self) -> Option<Duty> {
        match self {
            Anchor::DecisionsReceived => Some(Duty::IssueDecisions),
            Anchor::IroAppointed => Some(Duty::AppointIro),
            Anchor::ReviewServiceNotified => Some(Duty::NotifyReviewService),
            _ => None,
        }
    }

    /// True for anchors that are early-review triggers: a `hold_review` rule on them produces an
    /// early review.
    pub fn is_trigger(self) -> bool {
        matches!(
            self,
            Anchor::SignificantChange
                | Anchor::IroRequestedReview
                | Anchor::AccommodationEnding
                | Anchor::PlacementNotSafeguarding
                | Anchor::ChildRequestedReview
                | Anchor::ChildAbsent
                | Anchor::ChildAtRisk
                | Anchor::FamilySupportReferral
        )
    }
}

/// What happened, serde-tagged by `"event"` in snake_case. The date sits beside it in [`Event`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum EventKind {
    /// The child became looked after: starts a period of care and the looked-after clock.
    BecameLookedAfter,
    /// The child ceased to be looked after: ends the period of care.
    CeasedToBeLookedAfter,
    /// A review was held (or an adjourned review completed).
    ReviewHeld {
        /// False for a review held without a meeting (long-term foster placements).
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        meeting: bool,
        /// The clocks this review satisfies, when only some (default: every running clock).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        regimes: Option<Vec<Regime>>,
    },
    /// The review meeting on this date was adjourned.
    ReviewAdjourned,
    /// The planned date of the next review moved from `from` to `to`.
    ReviewRearranged {
        /// The previously planned date.
        from: NaiveDate,
        /// The new planned date.
        to: NaiveDate,
    },
    /// A series of short breaks started (the child is not otherwise looked after).
    ShortBreaksStarted,
    /// The series of short breaks ended.
    ShortBreaksEnded,
    /// The agency became authorised to place the child for adoption.
    AuthorityToPlace,
    /// The authority to place ended.
    AuthorityToPlaceEnded,
    /// The child was placed for adoption.
    PlacedForAdoption,
    /// The child was returned to the agency from an adoptive placement.
    ReturnedToAgency,
    /// An adoption order was made.
    AdoptionOrderMade,
    /// The child was placed in secure accommodation.
    PlacedInSecureAccommodation,
    /// The child left secure accommodation.
    LeftSecureAccommodation,
    /// A secure-accommodation panel review was held.
    SecureReviewHeld,
    /// The child was placed with a parent before the assessment was complete.
    PlacedWithParentBeforeAssessment,
    /// The IRO asked for a review.
    IroRequestedReview,
    /// A significant change to the care plan is proposed.
    SignificantChange {
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Accommodation (or police protection, remand, detention) ends on this date: a review must
    /// be held before it.
    AccommodationEnding,
    /// A visit found that the placement does not safeguard the child (CPPCR reg 30).
    PlacementNotSafeguarding,
    /// The child asked for a review (Wales reg 39(4)).
    ChildRequestedReview,
    /// The child is absent, or often absent, from the placement (Wales).
    ChildAbsent,
    /// Notice that the child is at risk of harm (Wales).
    ChildAtRisk,
    /// The family was referred to an integrated family support team (Wales).
    FamilySupportReferral,
    /// The child moved to a designated long-term foster placement.
    LongTermFosterPlacement,
    /// The care plan started (six-monthly case summaries count from here).
    CarePlanStarted,
    /// The IRO started the dispute resolution process.
    DisputeStarted,
    /// A duty was done on this date (for audits, and for anchors such as `decisions_received`).
    DutyDone {
        /// The duty done.
        duty: Duty,
        /// The review it belongs to, when it is about a review (default: the latest review).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        review_number: Option<u32>,
    },
    /// The child was placed (or moved to a new placement): ends any placement still running and
    /// starts the placement's clocks (visits, placement plan, notification; care plan for the
    /// first placement of a period of care).
    PlacementStarted {
        /// The placement is intended to last until the child is 18 (visits every three months
        /// after its first year).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        intended_to_last_until_18: bool,
        /// The placement was made in an emergency (notification within 5 working days).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        emergency: bool,
        /// The child is placed with a parent before the assessment is complete (weekly visits
        /// until the first review, CPPCR reg 28(3)).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        with_parent: bool,
    },
    /// The placement ended (written notification within 10 working days, CPPCR reg 14(4)).
    PlacementEnded,
    /// The social worker visited the child in the placement.
    SocialWorkerVisit,
    /// The child's IRO changed (letters to the child: farewell from the old IRO, introduction
    /// from the new one).
    IroChanged,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl EventKind {
    /// The snake_case event name.
    pub fn name(&self) -> &'static str {
        use EventKind::*;
        match self {
            BecameLookedAfter => "became_looked_after",
            CeasedToBeLookedAfter => "ceased_to_be_looked_after",
            ReviewHeld { .. } => "review_held",
            ReviewAdjourned => "review_adjourned",
            ReviewRearranged { .. } => "review_rearranged",
            ShortBreaksStarted => "short_breaks_started",
            ShortBreaksEnded => "short_breaks_ended",
            AuthorityToPlace => "authority_to_place",
            AuthorityToPlaceEnded => "authority_to_place_ended",
            PlacedForAdoption => "placed_for_adoption",
            ReturnedToAgency => "returned_to_agency",
            AdoptionOrderMade => "adoption_order_made",
            PlacedInSecureAccommodation => "placed_in_secure_accommodation",
            LeftSecureAccommodation => "left_secure_accommodation",
            SecureReviewHeld => "secure_review_held",
            PlacedWithParentBeforeAssessment => "placed_with_parent_before_assessment",
            IroRequestedReview => "iro_requested_review",
            SignificantChange { .. } => "significant_change",
            AccommodationEnding => "accommodation_ending",
            PlacementNotSafeguarding => "placement_not_safeguarding",
            ChildRequestedReview => "child_requested_review",
            ChildAbsent => "child_absent",
            ChildAtRisk => "child_at_risk",
            FamilySupportReferral => "family_support_referral",
            LongTermFosterPlacement => "long_term_foster_placement",
            CarePlanStarted => "care_plan_started",
            DisputeStarted => "dispute_started",
            DutyDone { .. } => "duty_done",
            PlacementStarted { .. } => "placement_started",
            PlacementEnded => "placement_ended",
            SocialWorkerVisit => "social_worker_visit",
            IroChanged => "iro_changed",
        }
    }

    /// The fields this kind of event may carry besides `event` and `date`.
    pub fn fields(&self) -> &'static [&'static str] {
        use EventKind::*;
        match self {
            ReviewHeld { .. } => &["meeting", "regimes"],
            ReviewRearranged { .. } => &["from", "to"],
            SignificantChange { .. } => &["note"],
            DutyDone { .. } => &["duty", "review_number"],
            PlacementStarted { .. } => &["intended_to_last_until_18", "emergency", "with_parent"],
            _ => &[],
        }
    }

    /// A review meeting: held, adjourned (the meeting took place) or a secure panel review.
    pub(crate) fn is_review_meeting(&self) -> bool {
        matches!(self, EventKind::ReviewHeld { .. } | EventKind::ReviewAdjourned | EventKind::SecureReviewHeld)
    }

    /// An event that records an obligation as done by itself, on its date: a review meeting
    /// ([`EventKind::is_review_meeting`]) or a social worker's visit.
    pub(crate) fn records_done(&self) -> bool {
        self.is_review_meeting() || matches!(self, EventKind::SocialWorkerVisit)
    }

    /// The early-review trigger anchor this event is, if any.
    pub fn trigger(&self) -> Option<Anchor> {
        use EventKind::*;
        Some(match self {
            IroRequestedReview => Anchor::IroRequestedReview,
            SignificantChange { .. } => Anchor::SignificantChange,
            AccommodationEnding => Anchor::AccommodationEnding,
            PlacementNotSafeguarding => Anchor::PlacementNotSafeguarding,
            ChildRequestedReview => Anchor::ChildRequestedReview,
            ChildAbsent => Anchor::ChildAbsent,
            ChildAtRisk => Anchor::ChildAtRisk,
            FamilySupportReferral => Anchor::FamilySupportReferral,
            _ => return None,
        })
    }
}

/// One dated event of a case history: `{"event": "review_held", "date": "2026-03-02", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event {
    /// When it happened.
    pub date: NaiveDate,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// An event on `date`.
    pub fn new(date: NaiveDate, kind: EventKind) -> Event {
        Event { date, kind }
    }

    /// Reads event number `index` of a list from JSON, with errors naming the index, the field and
    /// the value.
    ///
    /// # Errors
    /// [`Error::InvalidEvent`].
    ///
    /// # Example
    /// ```
    /// use lac_timescales::model::Event;
    /// let v = serde_json::json!({"event": "review_held", "date": "2026-02-30"});
    /// let err = Event::from_json(0, &v).unwrap_err();
    /// assert!(err.to_string().contains("2026-02-30"));
    /// ```
    pub fn from_json(index: usize, value: &serde_json::Value) -> Result<Event> {
        match Event::plain_from_json(value) {
            Some(e) => Ok(e),
            None => Event::general_from_json(index, value),
        }
    }

    /// [`Event::from_json`] for any event.
    fn general_from_json(index: usize, value: &serde_json::Value) -> Result<Event> {
        // Values, names and serde's reasons are repeated only as excerpts (`error::excerpt`).
        let invalid = |event: &str, field: &str, value: String, reason: String| Error::InvalidEvent {
            index,
            event: excerpt(event),
            field: excerpt(field),
            value: excerpt(&value),
            reason: excerpt_reason(&reason),
        };
        let obj = value
            .as_object()
            .ok_or_else(|| invalid("?", "event", value.to_string(), "each event must be a JSON object".into()))?;
        let name = match obj.get("event") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => return Err(invalid("?", "event", other.to_string(), "must be a string".into())),
            None => return Err(invalid("?", "event", String::new(), "missing (e.g. \"became_looked_after\")".into())),
        };
        let date_text = match obj.get("date") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => return Err(invalid(&name, "date", other.to_string(), "must be a string YYYY-MM-DD".into())),
            None => return Err(invalid(&name, "date", String::new(), "missing (expected YYYY-MM-DD)".into())),
        };
        let date = strict_date(&date_text).map_err(|reason| invalid(&name, "date", date_text.clone(), reason))?;
        let mut rest = obj.clone();
        rest.remove("date");
        let kind: EventKind = serde_json::from_value(serde_json::Value::Object(rest)).map_err(|e| {
            let msg = e.to_string();
            match msg.split_once(", expected one of ") {
                // serde's "unknown variant `<the name>`, expected one of ..." repeats the name
                // whole: keep only the list of kinds (our own text), the name being the value.
                Some((head, kinds)) if head == format!("unknown variant `{name}`") => {
                    invalid(&name, "event", name.clone(), format!("unknown event, expected one of {kinds}"))
                }
                _ => invalid(&name, "fields", value.to_string(), msg),
            }
        })?;
        // serde ignores unknown fields on unit variants, so check every event here.
        let allowed = kind.fields();
        if let Some(extra) = obj.keys().find(|k| *k != "event" && *k != "date" && !allowed.contains(&k.as_str())) {
            let expected = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
            // The value of a field that should not be there is not repeated (it may be anything,
            // a child's name included).
            return Err(invalid(
                &name,
                extra,
                "(not repeated)".into(),
                format!("unknown field for this event (allowed besides event and date: {expected})"),
            ));
        }
        Ok(Event { date, kind })
    }
}

impl Event {
    /// The common event, read without copying it: only `event` and `date`, the date written
    /// `YYYY-MM-DD`. `None` for anything else, and where reading it fails: [`Event::from_json`]
    /// then reads it the general way, which gives the same event or the error naming the field.
    fn plain_from_json(value: &serde_json::Value) -> Option<Event> {
        use serde::de::value::{Error as ValueError, MapDeserializer};
        let obj = value.as_object().filter(|o| o.len() == 2)?;
        let (Some(serde_json::Value::String(name)), Some(serde_json::Value::String(date))) =
            (obj.get("event"), obj.get("date"))
        else {
            return None;
        };
        let date = plain_date(date)?;
        let kind =
            EventKind::deserialize(MapDeserializer::<_, ValueError>::new(std::iter::once(("event", name.as_str()))))
                .ok()?;
        Some(Event { date, kind })
    }
}

/// [`strict_date`] for a request's field, the error naming the field and (an excerpt of) the value.
fn strict_field<E: serde::de::Error>(field: &str, text: &str) -> std::result::Result<NaiveDate, E> {
    strict_date(text).map_err(|reason| E::custom(format!("{field} {:?}: {reason}", excerpt(text))))
}

/// serde's `deserialize_with` for a request's `as_at`, read as [`strict_date`].
pub(crate) fn strict_as_at<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<NaiveDate>, D::Error> {
    Option::<String>::deserialize(d)?.map(|t| strict_field("as_at", &t)).transpose()
}

/// serde's `deserialize_with` for a child's `date_of_birth`, read as [`strict_date`].
fn strict_date_of_birth<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<NaiveDate>, D::Error> {
    Option::<String>::deserialize(d)?.map(|t| strict_field("date_of_birth", &t)).transpose()
}

/// serde's `deserialize_with` for a request's `closure_days`, each read as [`strict_date`].
pub(crate) fn strict_closure_days<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<NaiveDate>>, D::Error> {
    Option::<Vec<String>>::deserialize(d)?
        .map(|days| days.iter().map(|t| strict_field("closure_days", t)).collect())
        .transpose()
}

/// serde's `reason` text cut to a few lines' worth (it may quote the input).
fn excerpt_reason(reason: &str) -> String {
    if reason.chars().count() <= 2_000 {
        return reason.to_string();
    }
    let head: String = reason.chars().take(1_000).collect();
    format!("{head}... ({} bytes)", reason.len())
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Event, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Event::from_json(0, &v).map_err(serde::de::Error::custom)
    }
}

/// Details of the child.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Child {
    /// Date of birth, for age-based duties (pathway needs assessment), written `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "strict_date_of_birth")]
    pub date_of_birth: Option<NaiveDate>,
}

/// The most events one case may have.
pub const MAX_EVENTS: usize = 10_000;

/// A validated case history: events in date order, each possible given the ones before it.
///
/// Impossible histories are rejected with [`Error::InvalidEvent`] naming the event index, the
/// field and the value: dates out of order or outside the calendar, a review while not looked
/// after, placement for adoption of a child who is not looked after, and so on. Unlawful but real
/// events (a late review, a second adjournment, a rearrangement past the deadline) are accepted:
/// the schedule reports them as breaches.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
///     Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
///     Event::new(d(2026, 1, 30), EventKind::ReviewHeld { meeting: true, regimes: None }),
/// ])?;
/// assert_eq!(case.events().len(), 2);
///
/// let err = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
///     Event::new(d(2026, 1, 30), EventKind::ReviewHeld { meeting: true, regimes: None }),
/// ]).unwrap_err();
/// assert!(err.to_string().contains("not looked after"));
/// # Ok::<(), lac_timescales::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseHistory {
    pub(crate) jurisdiction: Jurisdiction,
    pub(crate) child: Child,
    pub(crate) events: Vec<Event>,
    #[serde(skip)]
    pub(crate) walk: walk::Walk,
}

impl CaseHistory {
    /// The jurisdiction.
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.jurisdiction
    }

    /// The child's details.
    pub fn child(&self) -> &Child {
        &self.child
    }

    /// The events, in date order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub(crate) fn walk(&self) -> &walk::Walk {
        &self.walk
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// Every event name (`EventKind::name`), and names that are not events.
    const NAMES: &[&str] = &[
        "became_looked_after",
        "ceased_to_be_looked_after",
        "review_held",
        "review_adjourned",
        "review_rearranged",
        "short_breaks_started",
        "short_breaks_ended",
        "authority_to_place",
        "authority_to_place_ended",
        "placed_for_adoption",
        "returned_to_agency",
        "adoption_order_made",
        "placed_in_secure_accommodation",
        "left_secure_accommodation",
        "secure_review_held",
        "placed_with_parent_before_assessment",
        "iro_requested_review",
        "significant_change",
        "accommodation_ending",
        "placement_not_safeguarding",
        "child_requested_review",
        "child_absent",
        "child_at_risk",
        "family_support_referral",
        "long_term_foster_placement",
        "care_plan_started",
        "dispute_started",
        "duty_done",
        "placement_started",
        "placement_ended",
        "social_worker_visit",
        "iro_changed",
        "Review_Held",
        "review",
        "",
        "date",
    ];

    /// The quick reading of a plain event gives exactly what the general one gives: the same
    /// event, or (through the general reading) the same error.
    #[test]
    fn plain_events_read_as_the_general_reading_reads_them() {
        let dates = [
            "2026-01-05",
            "2024-02-29",
            "2026-02-29",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "0000-01-01",
            "9999-12-31",
            "2026-1-05",
            "2026-01-5",
            "+2026-01-05",
            "2026/01/05",
            "2026-01-05 ",
            " 2026-01-05",
            "２026-01-05",
            "20260105",
            "",
        ];
        for name in NAMES {
            for date in dates {
                let v = serde_json::json!({"event": name, "date": date});
                let quick = Event::from_json(3, &v).map_err(|e| e.to_string());
                let general = Event::general_from_json(3, &v).map_err(|e| e.to_string());
                assert_eq!(quick, general, "{v}");
            }
        }
        // Every event name is read.
        for name in &NAMES[..32] {
            let v = serde_json::json!({"event": name, "date": "2026-01-05"});
            let general = Event::general_from_json(0, &v);
            match Event::plain_from_json(&v) {
                Some(e) => assert_eq!(e.kind.name(), *name),
                // Events that need fields of their own.
                None => assert!(general.is_err(), "{name}"),
            }
        }
    }

    /// `plain_date` reads what chrono reads with `%Y-%m-%d`, for every day from 1900 to 2299.
    #[test]
    fn plain_dates_are_chronos() {
        let mut d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        while d.year() < 2300 {
            let text = d.format("%Y-%m-%d").to_string();
            assert_eq!(plain_date(&text), Some(d));
            assert_eq!(NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok(), Some(d));
            d = d.succ_opt().unwrap();
        }
        for bad in ["2026-02-29", "2100-02-29", "2026-04-31", "2026-1-05", "2026-01-05T", "abcd-ef-gh"] {
            assert_eq!(plain_date(bad), None, "{bad}");
        }
    }
}
