"""Four real post-inspection action plans, with four quarterly reviews each, built deterministically.

Recommendation texts are verbatim from the councils' cabinet reports (/work/shared/seeds/);
the actions, leads (job titles only), timescales, statuses and progress notes are plausible
inventions. Everything below the machinery is data: one `act(...)` line per action.

How an action's history is written:
- `statuses`: one letter per review, B(lue, complete) G A R, '?' blank, '-' not in that review
  (so '--GG' was added at review 3, 'GGA-' was dropped from the last review);
- `progress`: one note per review; SAME repeats the previous note unchanged (a stale update);
- `moved`: {review index: new timescale text} when the due date was put back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, UNKNOWN, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from sample_data.layouts import LAYOUTS

SAME = '"'  # ditto mark: the note is copied unchanged from the previous review
STATUS_CODES = {"B": COMPLETE, "G": GREEN, "A": AMBER, "R": RED, "?": UNKNOWN}
ABSENT = "-"


@dataclass(frozen=True)
class ActionSpec:
    action_id: str | None
    description: str
    lead: str  # a job title, never a person's name
    measure: str
    timescale: str  # as first written in the tracker
    statuses: str
    progress: tuple[str, ...]
    moved: dict[int, str] = field(default_factory=dict)
    partner: str | None = None
    # Who agreed the moved timescale ("Agreed by", from the review it moved in): an approved date
    # change; a move with nobody named is a change not approved (issue 25).
    agreed_by: str | None = None

    def timescale_at(self, review: int) -> str:
        text = self.timescale
        for index in sorted(self.moved):
            if index <= review:
                text = self.moved[index]
        return text

    def progress_at(self, review: int) -> str | None:
        note = self.progress[review]
        while note == SAME and review > 0:
            review -= 1
            note = self.progress[review]
        return note or None


def act(
    action_id, description, lead, measure, timescale, statuses, *progress, moved=None, partner=None, agreed_by=None
):
    return ActionSpec(
        action_id, description, lead, measure, timescale, statuses, tuple(progress), dict(moved or {}), partner,
        agreed_by,
    )  # fmt: skip


def signed_off_at(action: ActionSpec, review: int) -> str | None:
    """The sample trackers' "Signed off" cell: the board signs an action off at the meeting after
    the review that first reported it complete, so "Yes" once it has been complete for two reviews
    in a row; blank while it awaits sign-off."""
    complete = "B"
    return "Yes" if review > 0 and action.statuses[review] == complete == action.statuses[review - 1] else None


def agreed_at(action: ActionSpec, review: int) -> str | None:
    """The "Agreed by" cell: the approver of the moved timescale, from the review it moved in."""
    moved_from = min(action.moved, default=None)
    return action.agreed_by if action.agreed_by and moved_from is not None and review >= moved_from else None


@dataclass(frozen=True)
class RecSpec:
    ref: str
    text: str  # verbatim from the report
    actions: tuple[ActionSpec, ...]


def rec(ref: str, text: str, *actions: ActionSpec) -> RecSpec:
    return RecSpec(ref, text, actions)


@dataclass(frozen=True)
class PlanSpec:
    slug: str
    layout: str
    info: PlanInfo
    review_dates: tuple[dt.date, ...]
    file_name: str  # '{as_at}' is replaced by the review date when there is one file per review
    recs: tuple[RecSpec, ...]


@dataclass
class SamplePlan:
    info: PlanInfo
    reviews: list[ReviewSnapshot]
    slug: str
    layout: str
    file_name: str = ""  # pattern; use tracker_file() for a review's file

    def tracker_file(self, review: ReviewSnapshot) -> str:
        """The tracker file that holds this review (its sheet is review.sheet, '' for a one-table file)."""
        return self.file_name.replace("{as_at}", review.as_at.isoformat())


def sheet_name(as_at: dt.date) -> str:
    """'Q3 2016-17': the UK financial quarter, as councils name tracker sheets ('/' is not allowed)."""
    from data_access.domain.rules import quarter_label

    return quarter_label(as_at).replace("/", "-")


def _review(spec: PlanSpec, index: int) -> ReviewSnapshot:
    layout = LAYOUTS[spec.layout]
    printed = {fld for _, fld in layout.columns}
    rows: list[TrackerRow] = []
    for recommendation in spec.recs:
        for action in recommendation.actions:
            code = action.statuses[index]
            if code == ABSENT:
                continue
            status = STATUS_CODES[code]
            by_colour = layout.status_words is None
            rows.append(
                TrackerRow(
                    rec_ref=recommendation.ref,
                    rec_text=recommendation.text,
                    description=action.description,
                    action_id=action.action_id,
                    lead=action.lead,
                    partner=action.partner,
                    measure=action.measure,
                    status=status,
                    status_raw=None if by_colour else layout.status_words.get(status),
                    status_from_colour=by_colour and status != UNKNOWN,
                    timescale=parse_timescale(action.timescale_at(index)),
                    progress=action.progress_at(index),
                    signoff_raw=signed_off_at(action, index) if "signoff_raw" in printed else None,
                    change_approved_by=agreed_at(action, index) if "change_approved_by" in printed else None,
                    source_row=layout.first_data_row + len(rows),
                )
            )
    as_at = spec.review_dates[index]
    return ReviewSnapshot(as_at=as_at, rows=rows, sheet="" if layout.file_per_review else sheet_name(as_at))


def _check(spec: PlanSpec) -> None:
    """Catch typing slips in the tables: one status and one note per review."""
    reviews = len(spec.review_dates)
    for recommendation in spec.recs:
        for action in recommendation.actions:
            where = f"{spec.slug} {recommendation.ref} {action.action_id or action.description[:40]!r}"
            if len(action.statuses) != reviews or set(action.statuses) - set(STATUS_CODES) - {ABSENT}:
                raise ValueError(f"{where}: statuses {action.statuses!r} need one of BGAR?- per review")
            if len(action.progress) != reviews:
                raise ValueError(f"{where}: {len(action.progress)} progress notes for {reviews} reviews")


def build_plans() -> list[SamplePlan]:
    """The four sample plans, each with its four quarterly reviews in date order."""
    for spec in PLAN_SPECS:
        _check(spec)
    return [
        SamplePlan(
            info=PlanInfo(**vars(spec.info)),  # a fresh copy: callers may change it
            reviews=[_review(spec, i) for i in range(len(spec.review_dates))],
            slug=spec.slug,
            layout=spec.layout,
            file_name=spec.file_name,
        )
        for spec in PLAN_SPECS
    ]


D = dt.date

# ---------------------------------------------------------------------------
# Rutland County Council — Ofsted SIF, 15 Nov – 8 Dec 2016, published 13 Feb 2017;
# Next Steps Action Plan to Cabinet 16 May 2017 ('get to good over the next 6-12 months').
# ---------------------------------------------------------------------------

RUTLAND = PlanSpec(
    slug="rutland-2017",
    layout="file_per_review_merged",
    info=PlanInfo(
        name="Rutland County Council \u2013 Ofsted Next Steps Action Plan 2017",
        organisation="Rutland County Council",
        inspection_type="SIF",
        inspection_start=D(2016, 11, 15),
        inspection_end=D(2016, 12, 8),
        published_on=D(2017, 2, 13),
        target_date=D(2018, 3, 31),
    ),
    review_dates=(D(2017, 6, 30), D(2017, 9, 30), D(2017, 12, 31), D(2018, 3, 31)),
    file_name="rutland-next-steps-action-plan-{as_at}.xlsx",
    recs=(
        rec(
            "a",
            "Ensure that senior leaders have access to comprehensive, high-quality performance management "
            "information in order to understand frontline practice and fully hold senior managers to account.",
            act(
                "1.1",
                "Develop a monthly children's social care performance scorecard with targets and trend data",
                "Business Intelligence Manager",
                "Scorecard produced monthly and used at DMT",
                "Sept 17",
                "GGBB",
                "Draft scorecard agreed with Head of Service; data fields being mapped.",
                "First scorecard presented to DMT in August.",
                "Scorecard embedded; produced monthly.",
                SAME,
            ),
            act(
                "1.2",
                "Hold monthly performance clinics chaired by the Director for People",
                "Director for People",
                "Clinic minutes show managers held to account for exceptions",
                "Monthly",
                "GBBB",
                "First two clinics held; action log in place.",
                "Clinics established and minuted.",
                SAME,
                SAME,
            ),
            act(
                "1.3",
                "Report quarterly quality assurance findings to the Senior Leadership Team and Lead Member",
                "Service Manager \u2013 Quality Assurance",
                "Quarterly QA report received and actions tracked",
                "Q3 2017/18",
                "?GGB",
                "",
                "QA framework refreshed; first report due November.",
                "First quarterly report presented.",
                "Second report received by Lead Member; now business as usual.",
            ),
        ),
        rec(
            "b",
            "Ensure that all staff receive regular good-quality supervision, with an appropriate balance of "
            "critical challenge, case direction and opportunities for reflection.",
            act(
                "2.1",
                "Revise the supervision policy and recording template to include reflection and case direction",
                "Principal Social Worker",
                "Revised policy launched with all staff",
                "June 2017",
                "AABB",
                "Draft policy out to consultation with staff; slipped to allow union comments.",
                "Consultation closed; launch moved to September.",
                "Policy launched at staff briefing.",
                SAME,
                moved={1: "Sept 17"},
                agreed_by="Improvement Board, 19 July 2017",
            ),
            act(
                "2.2",
                "Audit a sample of supervision records each quarter",
                "Service Manager \u2013 Quality Assurance",
                "80% of audited supervision rated good or better",
                "Q2 2017/18",
                "GAGB",
                "Audit tool agreed.",
                "First audit: 58% good; frequency gaps in two teams.",
                "Second audit: 71% good.",
                "Third audit: 83% good or better.",
            ),
            act(
                "2.3",
                "Deliver reflective supervision training for all team managers",
                "Workforce Development Manager",
                "All team managers trained",
                "30/11/2017",
                "GGGB",
                "Provider commissioned.",
                "Two of three cohorts delivered.",
                SAME,
                "All team managers trained.",
            ),
        ),
        rec(
            "c",
            "Ensure that assessments and plans actively consider all risks to children, including emerging "
            "and new risks as circumstances for children change. Improve social workers' understanding of "
            "neglect and the impact on children.",
            act(
                "3.1",
                "Train all social workers in the Graded Care Profile 2 neglect tool",
                "Workforce Development Manager",
                "All social workers trained; tool used in neglect cases",
                "31/10/2017",
                "GGAB",
                "Licences purchased; trainers identified.",
                "Half of staff trained.",
                "Remaining sessions delayed by trainer sickness; now January.",
                "All social workers trained.",
            ),
            act(
                "3.2",
                "Introduce a practice standard to update assessments when circumstances change",
                "Head of Service \u2013 Children's Social Care",
                "Practice standard issued; audit compliance",
                "July 2017",
                "GBBB",
                "Standard drafted.",
                "Standard issued to all teams.",
                SAME,
                SAME,
            ),
            act(
                "3.3",
                "Complete a thematic audit of neglect cases and report the learning",
                "Service Manager \u2013 Quality Assurance",
                "Audit report and learning briefing published",
                "December 2017",
                "GGAA",
                "Audit scoped with the LSCB.",
                "Case sample selected.",
                "Audit fieldwork behind schedule.",
                SAME,
            ),
        ),
        rec(
            "d",
            "Improve the quality of assessments and plans across the service by ensuring that they are "
            "informed by children's wishes and feelings, involve the views of men and fathers, consider "
            "diversity and historical factors, which are specific to individual children's needs, and have "
            "explicit outcome-based actions.",
            act(
                "4.1",
                "Revise the single assessment template to prompt for wishes and feelings, fathers, "
                "diversity and history",
                "Principal Social Worker",
                "Revised template live in the case management system",
                "End of June 2017",
                "GBBB",
                "Template changes with the system supplier.",
                "Revised template live from 1 August.",
                SAME,
                SAME,
            ),
            act(
                "4.2",
                "Run practice workshops on engaging fathers and male carers",
                "Principal Social Worker",
                "Audits show fathers' views recorded in 75% of assessments",
                "Sept 17",
                "ARRR",
                "Workshop content in development.",
                "No workshops held yet; capacity issue.",
                "Re-planned with the LSCB for Q4.",
                "One workshop held; audit shows 52%.",
                moved={2: "March 2018"},
            ),
            act(
                "4.3",
                "Train staff in writing SMART, outcome-focused plans",
                "Workforce Development Manager",
                "Plans audited as SMART in 80% of cases",
                "Q2 2017/18",
                "GGBB",
                "Training booked.",
                "Training delivered to all teams.",
                "Audit shows 81% SMART.",
                SAME,
            ),
        ),
        rec(
            "e",
            "Ensure that personal education plans are completed for all children looked after, and that "
            "they include a thorough assessment of needs and set targets for improvement.",
            act(
                "5.1",
                "Track PEP completion monthly and escalate overdue PEPs",
                "Virtual School Head",
                "100% of children looked after have a current PEP",
                "Monthly",
                "AGGB",
                "PEP completion 84%.",
                "PEP completion 95%.",
                "PEP completion 98%.",
                "PEP completion 100%.",
            ),
            act(
                "5.2",
                "Introduce an electronic PEP with quality-assured targets",
                "Virtual School Head",
                "ePEP in use for all children; quality audit termly",
                "December 2017",
                "GGAB",
                "Supplier selected.",
                "Pilot with 10 schools.",
                "Roll-out delayed to January.",
                "ePEP live for all.",
            ),
        ),
        rec(
            "f",
            "Review and strengthen management and panel oversight of the fostering service to ensure that "
            "there is effective challenge of the quality of practice. In particular, ensure that foster carer "
            "assessments and investigations of allegations and concerns are thorough and robust, contain all "
            "relevant information and are completed in a timely way.",
            act(
                "6.1",
                "Appoint an independent fostering panel chair and deliver panel member training",
                "Service Manager \u2013 Fostering and Adoption",
                "Independent chair in post; panel training delivered",
                "31/07/2017",
                "GBBB",
                "Recruitment under way.",
                "Independent chair appointed; training held in July.",
                SAME,
                SAME,
            ),
            act(
                "6.2",
                "Introduce a quality checklist for foster carer assessments before panel",
                "Team Manager \u2013 Fostering",
                "All assessments checked before panel",
                "Sept 17",
                "GGBB",
                "Checklist drafted.",
                "Checklist in use.",
                "All assessments checked since October.",
                SAME,
            ),
            act(
                "6.3",
                "Agree a joint process with the LADO for allegations against foster carers",
                "Service Manager \u2013 Fostering and Adoption",
                "Allegations completed within timescale",
                "Sept 17",
                "AAAB",
                "Meeting arranged with the LADO.",
                "Draft process awaiting sign-off.",
                "Sign-off delayed; LADO post vacant.",
                "Process agreed and in use.",
            ),
        ),
        rec(
            "g",
            "Ensure that the corporate parenting board is effective in driving improvements and monitoring "
            "outcomes for children looked after and care leavers. Increase opportunities for children looked "
            "after and care leavers to participate in decision-making and service development and for their "
            "achievements to be celebrated.",
            act(
                "7.1",
                "Refresh the corporate parenting board's terms of reference and performance report",
                "Director for People",
                "New terms of reference agreed; board receives outcomes report",
                "June 2017",
                "GBBB",
                "Terms of reference refreshed.",
                "Board now receives quarterly outcomes report.",
                SAME,
                SAME,
            ),
            act(
                "7.2",
                "Children in care council members attend and report to each board meeting",
                "Participation Officer",
                "Young people attend every board meeting",
                "Q3 2017/18",
                "GGGB",
                "Children in care council relaunched.",
                "Young people attended September board.",
                SAME,
                "Attendance at every meeting since September.",
            ),
            act(
                "7.3",
                "Hold an annual celebration of achievement event for children looked after and care leavers",
                "Service Manager \u2013 Looked After Children and Leaving Care",
                "Event held; feedback gathered",
                "December 2017",
                "GGBB",
                "Venue booked.",
                "Event held in October; 45 young people attended.",
                SAME,
                SAME,
            ),
        ),
        rec(
            "h",
            "Improve social work practice by ensuring that social workers visit children regularly, in line "
            "with the children's plans or statutory guidance, and take account of their feelings and wishes "
            "when making plans for the children. The frequency and quality of visits should be monitored by "
            "managers.",
            act(
                "8.1",
                "Weekly exception report of statutory visits sent to team managers",
                "Business Intelligence Manager",
                "95% of visits within timescale",
                "Ongoing",
                "AGGG",
                "Visits in timescale 88%.",
                "Visits in timescale 94%.",
                "Visits in timescale 96%.",
                "Visits in timescale 97%; report continues weekly.",
            ),
            act(
                "8.2",
                "Audit the quality of visits, including whether children are seen alone",
                "Service Manager \u2013 Quality Assurance",
                "Quality of visits audited as good in 75% of cases",
                "Q3 2017/18",
                "GGAB",
                "Audit tool agreed.",
                "Fieldwork under way.",
                "Report delayed to February.",
                "Audit reported: 78% good.",
            ),
        ),
        rec(
            "i",
            "Increase the effectiveness of management oversight across the service, ensuring that the "
            "rationale for decisions and actions set is clear. Managers, child protection chairs and IROs in "
            "core groups, reviews and key meetings should actively challenge drift and delay, and support the "
            "progress of plans and the reduction of risk.",
            act(
                "9.1",
                "Introduce a standard for recording management oversight and decision rationale",
                "Head of Service \u2013 Children's Social Care",
                "Audits show clear rationale in 80% of cases",
                "July 2017",
                "GBBB",
                "Standard drafted.",
                "Standard issued and briefed to managers.",
                SAME,
                SAME,
            ),
            act(
                "9.2",
                "Strengthen the IRO and child protection chair escalation (dispute resolution) protocol",
                "Independent Reviewing Officer Manager",
                "Escalations logged and resolved within 20 days",
                "Sept 17",
                "AGBB",
                "Protocol under review.",
                "Revised protocol agreed.",
                "Escalation log reviewed monthly.",
                SAME,
            ),
            act(
                "9.3",
                "Monthly permanence and drift tracking meeting for all children in need of a plan",
                "Head of Service \u2013 Children's Social Care",
                "No child's plan without review for over 3 months",
                "Monthly",
                "GGGG",
                "Tracking meeting established.",
                "Meeting held monthly.",
                SAME,
                SAME,
            ),
        ),
        rec(
            "j",
            "When children go missing, ensure that social workers and managers fully understand the risks and "
            "vulnerabilities of the young people and take appropriate action. Ensure that the information "
            "gathered during return home interviews is used to reduce risk and inform individual planning and "
            "broader service needs.",
            act(
                "10.1",
                "Review the commissioned return home interview service and its reporting",
                "Commissioning Manager",
                "95% of return home interviews offered within 72 hours",
                "Sept 17",
                "AARB",
                "Contract review started.",
                "Provider performance below target (81%).",
                "Provider on improvement notice.",
                "Performance at 96%; notice lifted.",
            ),
            act(
                "10.2",
                "Monthly missing panel to review every missing episode and update safety plans",
                "Team Manager \u2013 Safeguarding",
                "Every missing episode reviewed at panel",
                "Monthly",
                "GGBB",
                "Panel terms of reference agreed.",
                "Panel meeting monthly since August.",
                SAME,
                SAME,
            ),
            act(
                "10.3",
                "Quarterly analysis of missing and exploitation themes reported to the LSCB",
                "Business Intelligence Manager",
                "Themes inform the LSCB and commissioning plans",
                "Q4 2017/18",
                "--GG",
                "",
                "",
                "Added at December review: first analysis in preparation.",
                "First report presented.",
            ),
        ),
        rec(
            "k",
            "Develop and implement a robust sufficiency strategy, which informs the provision of services "
            "and, in particular, the recruitment of foster carers, for children looked after now and in the "
            "future.",
            act(
                "11.1",
                "Publish the looked after children sufficiency strategy 2017-2020",
                "Commissioning Manager",
                "Strategy approved by Cabinet",
                "September 2017",
                "AAGB",
                "Needs analysis incomplete.",
                "Cabinet date moved to December.",
                "Strategy drafted.",
                "Strategy approved.",
                moved={1: "December 2017"},
            ),
            act(
                "11.2",
                "Run a targeted foster carer recruitment campaign",
                "Team Manager \u2013 Fostering",
                "Six new fostering households approved",
                "March 2018",
                "GAAA",
                "Campaign launched.",
                "Two households in assessment.",
                "Three approved; two in assessment.",
                SAME,
            ),
        ),
        rec(
            "l",
            "Review the service level agreement with the neighbouring local authority, which delivers "
            "adoption services on behalf of Rutland County Council. Ensure that services are sufficient and of "
            "good quality to meet all needs of children, families and adopters prior to and beyond the making "
            "of an adoption order.",
            act(
                "12.1",
                "Review the adoption service level agreement with performance indicators",
                "Service Manager \u2013 Fostering and Adoption",
                "Revised SLA signed with quarterly performance review",
                "Sept 17",
                "GGBB",
                "Review meeting held.",
                "Revised SLA signed.",
                SAME,
                SAME,
            ),
            act(
                "12.2",
                "Audit the adoption support offer before and after orders",
                "Service Manager \u2013 Quality Assurance",
                "Audit completed and gaps addressed",
                "December 2017",
                "GGGB",
                "Scoped.",
                "Audit under way.",
                "Audit complete; two gaps identified.",
                "Gaps addressed.",
            ),
        ),
        rec(
            "m",
            "Ensure that birth parents have access to support from someone independent of their child's "
            "social worker when adoption is being considered.",
            act(
                "13.1",
                "Commission independent support for birth parents",
                "Commissioning Manager",
                "All birth parents offered independent support",
                "August 2017",
                "RRAB",
                "No provider identified.",
                "Tender failed; regional option explored.",
                "Regional provider agreed.",
                "Service in place.",
            ),
            act(
                "13.2",
                "Produce a leaflet for birth parents on independent support",
                "Team Manager \u2013 Fostering and Adoption",
                "Leaflet given to all birth parents",
                "July 2017",
                "GAA-",
                "Draft leaflet prepared.",
                "On hold until provider confirmed.",
                "Will be produced by the commissioned provider.",
                "",
            ),
            act(
                "13.3",
                "Include the offer of independent support in pre-proceedings letters",
                "Legal Services Manager",
                "Offer included in all letters before proceedings",
                "30 September 2017",
                "GGBB",
                "Letter template revised.",
                "In use.",
                SAME,
                SAME,
            ),
        ),
        rec(
            "n",
            "Ensure that all options for achieving permanence for children are given proper consideration, "
            "including, when appropriate, parallel planning and foster to adopt.",
            act(
                "14.1",
                "Permanence tracking meeting to record parallel plans and foster to adopt options",
                "Head of Service \u2013 Children's Social Care",
                "All children have a permanence plan by 2nd review",
                "Monthly",
                "GGBB",
                "Tracking meeting extended to permanence.",
                "Permanence plans in place for all.",
                SAME,
                SAME,
            ),
            act(
                "14.2",
                "Deliver foster to adopt training for social workers and foster carers",
                "Workforce Development Manager",
                "Training delivered; first foster to adopt placement",
                "Q3 2017/18",
                "AGGB",
                "Trainer sourced.",
                "Training delivered.",
                SAME,
                "First foster to adopt placement made.",
            ),
        ),
        rec(
            "o",
            "Improve the quality of information which children have access to, both now and in the future, "
            "such as child permanence reports and later-life letters. Ensure that all children in permanent "
            "placements receive life-story work.",
            act(
                "15.1",
                "Quality standard and manager sign-off for child permanence reports and later life letters",
                "Service Manager \u2013 Fostering and Adoption",
                "All reports quality checked",
                "Sept 17",
                "GGBB",
                "Standard drafted.",
                "Standard in use.",
                SAME,
                SAME,
            ),
            act(
                "15.2",
                "Complete life-story work for all children in permanent placements",
                "Service Manager \u2013 Looked After Children and Leaving Care",
                "100% of children have life-story work",
                "March 2018",
                "?AAR",
                "",
                "Baseline: 40% complete.",
                "55% complete.",
                "68% complete; not met by March.",
            ),
        ),
        rec(
            "p",
            "Ensure that children have timely access to health services, including specialist provision.",
            act(
                "16.1",
                "Initial health assessments completed within 20 working days of entering care",
                "Designated Nurse \u2013 Looked After Children",
                "90% of IHAs within 20 working days",
                "Ongoing",
                "RRAA",
                "Performance 52%.",
                "Performance 60%.",
                "Performance 78%.",
                "Performance 84%.",
            ),
            act(
                "16.2",
                "Agree a CAMHS pathway for children looked after with the CCG",
                "Head of Service \u2013 Children's Social Care",
                "Pathway agreed; referral to assessment in 6 weeks",
                "December 2017",
                "AARR",
                "Discussions under way with the CCG.",
                SAME,
                "Pathway not agreed; escalated to Director.",
                SAME,
            ),
        ),
        rec(
            "q",
            "Increase the extent to which workers consider the long-term arrangements when placing children "
            "looked after with foster carers, so that more are able to stay put when they become 18 years old.",
            act(
                "17.1",
                "Revise the staying put policy and foster carer allowances",
                "Service Manager \u2013 Looked After Children and Leaving Care",
                "Policy agreed by Cabinet",
                "July 2017",
                "GBBB",
                "Draft policy prepared.",
                "Policy approved.",
                SAME,
                SAME,
            ),
            act(
                "17.2",
                "Placement planning considers staying put from age 16 in every review",
                "Independent Reviewing Officer Manager",
                "Staying put discussed at every review from 16",
                "Q4 2017/18",
                "GGGA",
                "IRO checklist updated.",
                SAME,
                "Audit planned.",
                "Audit shows 70% compliance.",
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# North Tyneside Council — Ofsted SIF, 27 Feb – 23 Mar 2017, judged Good, published 13 Jun 2017;
# plan to Cabinet 11 Sep 2017. The tracker has NO action IDs: reviews match actions by text.
# ---------------------------------------------------------------------------

NORTH_TYNESIDE = PlanSpec(
    slug="north-tyneside-2017",
    layout="sheets_first_row_key_sheet",
    info=PlanInfo(
        name="North Tyneside Council \u2013 Post-Inspection Action Plan 2017",
        organisation="North Tyneside Council",
        inspection_type="SIF",
        inspection_start=D(2017, 2, 27),
        inspection_end=D(2017, 3, 23),
        published_on=D(2017, 6, 13),
        target_date=D(2018, 6, 30),
    ),
    review_dates=(D(2017, 9, 30), D(2017, 12, 31), D(2018, 3, 31), D(2018, 6, 30)),
    file_name="north-tyneside-post-inspection-action-plan.xlsx",
    recs=(
        rec(
            "1",
            "Ensure that assessments are regularly updated to reflect the changing needs of children and that "
            "they fully consider children's identities, contingencies and research.",
            act(
                None,
                "Update the assessment practice guidance to require review at key changes for the child",
                "Senior Manager \u2013 Quality Assurance",
                "Guidance issued; audits show updated assessments",
                "October 2017",
                "GBBB",
                "Guidance in draft.",
                "Guidance issued to all teams.",
                SAME,
                SAME,
            ),
            act(
                None,
                "Add identity, contingency and research prompts to the assessment template",
                "Principal Social Worker",
                "Template changed; 80% of audited assessments address identity",
                "Dec 17",
                "GGAB",
                "Change request with the system team.",
                "Testing.",
                "System release slipped to April.",
                "Template live.",
            ),
            act(
                None,
                "Practice week on using research in assessments",
                "Principal Social Worker",
                "Practice week held; staff feedback",
                "Q3 2017/18",
                "GBBB",
                "Planned for November.",
                "Held in November; 120 staff attended.",
                SAME,
                SAME,
            ),
        ),
        rec(
            "2",
            "Ensure that support to children who are privately fostered is timely, managed well and "
            "effectively meets the needs of children.",
            act(
                None,
                "Private fostering awareness campaign with schools, GPs and faith groups",
                "Service Manager \u2013 Fostering",
                "Notifications increase year on year",
                "March 2018",
                "GGGB",
                "Campaign materials produced.",
                "Schools briefed.",
                "GP and faith group briefings done.",
                "Campaign complete; notifications up from 4 to 9.",
            ),
            act(
                None,
                "Monthly management tracking of private fostering visits and assessments",
                "Team Manager \u2013 Fostering",
                "100% of visits and assessments in timescale",
                "Monthly",
                "AGGG",
                "Tracking started; 2 visits late.",
                "All visits in timescale.",
                SAME,
                SAME,
            ),
        ),
        rec(
            "3",
            "Improve the timeliness with which designated officers complete investigations.",
            act(
                None,
                "Recruit an additional designated officer (LADO) post",
                "Head of Safeguarding and Quality Assurance",
                "Post filled",
                "31/12/2017",
                "AARB",
                "Post approved; advert out.",
                "No suitable applicants; re-advertised.",
                "Second campaign; interim cover in place.",
                "Post filled in April.",
                moved={2: "31/03/2018"},
            ),
            act(
                None,
                "Weekly tracking of open designated officer cases against timescales",
                "Designated Officer",
                "80% of investigations concluded within one month",
                "Ongoing",
                "RRAA",
                "42% within one month.",
                "50% within one month.",
                "64% within one month.",
                "72% within one month.",
            ),
            act(
                None,
                "Agree escalation route with police and employers for delayed investigations",
                "Head of Safeguarding and Quality Assurance",
                "Protocol agreed by LSCB",
                "March 2018",
                "--GB",
                "",
                "",
                "Added following LSCB challenge: protocol drafted.",
                "Protocol agreed by LSCB.",
            ),
        ),
        rec(
            "4",
            "Improve the oversight of IRO's (Independent Review Officers) of the progress of plans between "
            "child protection conferences and between children looked after reviews, and evidence this on the "
            "child's records.",
            act(
                None,
                "Introduce a mid-point review by IROs and child protection chairs between meetings",
                "IRO Service Manager",
                "Mid-point review recorded for 90% of children",
                "January 2018",
                "GGAG",
                "Process designed.",
                "Pilot in one team.",
                "Recording form not yet live.",
                "Live; 61% recorded.",
            ),
            act(
                None,
                "New case note type for IRO oversight on the child's record",
                "Systems Development Manager",
                "Case note type available",
                "Nov 17",
                "GBBB",
                "Requested.",
                "Live.",
                SAME,
                SAME,
            ),
        ),
        rec(
            "5",
            "Ensure that life story work and later life letters are of consistently good quality and completed "
            "in a timely way to ensure that children and their adopters have a clear understanding of a "
            "child's history in preparation for placement and for later life understanding.",
            act(
                None,
                "Life story work training for social workers and foster carers",
                "Service Manager \u2013 Adoption",
                "All adoption social workers and foster carers trained",
                "End of March 2018",
                "GGGB",
                "Training commissioned.",
                "Two sessions held.",
                SAME,
                "All trained.",
            ),
            act(
                None,
                "Manager quality check of later life letters before placement",
                "Team Manager \u2013 Adoption",
                "All letters quality checked and sent within 10 working days of adoption order",
                "Q3 2017/18",
                "AGGB",
                "Checklist drafted.",
                "Checklist in use.",
                "All letters checked since January.",
                SAME,
            ),
            act(
                None,
                "Quarterly audit of life story books",
                "Senior Manager \u2013 Quality Assurance",
                "Quality rated good in 80% of books",
                "Quarterly",
                "?GAA",
                "",
                "First audit: 70% good.",
                "Second audit: 66% good.",
                SAME,
            ),
        ),
        rec(
            "6",
            "Ensure that supervision for all staff is consistently of good quality because it is reflective, "
            "directive, regular and well recorded.",
            act(
                None,
                "Relaunch the supervision policy with a reflective supervision model",
                "Principal Social Worker",
                "Policy relaunched at all-staff event",
                "November 2017",
                "GBBB",
                "Policy revised.",
                "Relaunched in November.",
                SAME,
                SAME,
            ),
            act(
                None,
                "Monthly report of supervision frequency by team",
                "Performance Manager",
                "95% of staff supervised in line with policy",
                "Monthly",
                "GGGG",
                "Report built.",
                "89% in timescale.",
                "93% in timescale.",
                "95% in timescale.",
            ),
            act(
                None,
                "Peer audit of supervision records",
                "Senior Manager \u2013 Quality Assurance",
                "Audit reported to Senior Leadership Team",
                "June 2018",
                "GGG-",
                "Planned.",
                SAME,
                "Replaced by the quarterly audit programme.",
                "",
            ),
        ),
        rec(
            "7",
            "Ensure that actions identified as a result of audits are specific and measurable and have timescales.",
            act(
                None,
                "Revise the audit tool so every action has an owner, a measure and a timescale",
                "Senior Manager \u2013 Quality Assurance",
                "Revised tool in use",
                "31/10/2017",
                "GBBB",
                "Tool revised.",
                "In use since October.",
                SAME,
                SAME,
            ),
            act(
                None,
                "Track audit actions to completion through the quality assurance board",
                "Senior Manager \u2013 Quality Assurance",
                "90% of audit actions completed in timescale",
                "Quarterly",
                "AAGG",
                "Tracker set up; 60% on time.",
                "68% on time.",
                "85% on time.",
                "91% on time.",
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Stockton-on-Tees Borough Council — Ofsted SIF, 23 May – 16 Jun 2016, published 5 Aug 2016;
# plan submitted 14 Nov 2016, to Cabinet 1 Dec 2016. RAG shown by cell colour only.
# ---------------------------------------------------------------------------

STOCKTON_SIF = PlanSpec(
    slug="stockton-sif-2016",
    layout="sheets_fill_only_key_footnote",
    info=PlanInfo(
        name="Stockton-on-Tees Borough Council \u2013 Ofsted SIF Action Plan 2016",
        organisation="Stockton-on-Tees Borough Council",
        inspection_type="SIF",
        inspection_start=D(2016, 5, 23),
        inspection_end=D(2016, 6, 16),
        published_on=D(2016, 8, 5),
        target_date=D(2017, 9, 30),
    ),
    review_dates=(D(2016, 12, 31), D(2017, 3, 31), D(2017, 6, 30), D(2017, 9, 30)),
    file_name="stockton-sif-action-plan-2016.xlsx",
    recs=(
        rec(
            "a",
            "Improve the quality of supervision across children's services, explicitly linking supervision to "
            "accountability, professional development and ensuring that the best possible outcomes for "
            "children are being pursued.",
            act(
                "A1.1",
                "Revise supervision policy to link supervision to appraisal and professional development",
                "Principal Social Worker",
                "Policy approved; supervision audit shows improvement",
                "January 2017",
                "GBBB",
                "Draft with HR.",
                "Policy approved.",
                SAME,
                SAME,
            ),
            act(
                "A1.2",
                "Supervision audit every six months",
                "Quality Assurance Manager",
                "75% of supervision graded good",
                "Six monthly",
                "GGAG",
                "Baseline audit planned.",
                "Baseline: 62% good.",
                "Second audit delayed.",
                "Second audit: 76% good.",
            ),
        ),
        rec(
            "b",
            "Ensure that return home interviews are offered to all children who go missing from home or care, "
            "and that each episode is analysed to inform the child's safety plan and wider strategic planning in "
            "relation to prevention and risk reduction.",
            act(
                "A2.1",
                "Extend the return home interview service to children missing from home",
                "Assistant Director \u2013 Early Help, Partnership and Planning",
                "All children offered a return home interview",
                "March 2017",
                "AABB",
                "Funding agreed; provider mobilising.",
                "Service extended in March.",
                "Offer rate 98%.",
                SAME,
            ),
            act(
                "A2.2",
                "Quarterly missing analysis to the LSCB missing and exploitation group",
                "Performance and Information Manager",
                "Analysis informs prevention plan",
                "Q4 2016/17",
                "GGBB",
                "Dataset agreed.",
                "First analysis presented.",
                SAME,
                SAME,
            ),
            act(
                "A2.3",
                "Safety plans updated after every missing episode",
                "Team Manager \u2013 Children and Young People's Team",
                "Audit shows safety plan updated in 90%",
                "Ongoing",
                "?GGG",
                "",
                "Practice guidance issued.",
                "Audit: 84%.",
                "Audit: 91%.",
            ),
        ),
        rec(
            "c",
            "Improve the quality and consistency of all children's and young people's plans, ensuring that the "
            "overall aim is clear, detailing the services or support that will be offered, and that reasonable "
            "timescales are set which reflect the child's needs and development.",
            act(
                "A3.1",
                "New plan template for child in need, child protection and looked after plans",
                "Head of Children's Social Care",
                "Template live for all plan types",
                "31/03/2017",
                "GGBB",
                "Template designed.",
                "Live on the case system.",
                SAME,
                SAME,
            ),
            act(
                "A3.2",
                "Plans workshops for all social workers and managers",
                "Principal Social Worker",
                "All staff attended",
                "June 2017",
                "GGAB",
                "Workshops planned.",
                "Half delivered.",
                "Remaining sessions moved to September.",
                "All delivered.",
                moved={2: "Sept 17"},
            ),
            act(
                "A3.3",
                "Audit plans for clear aims and timescales",
                "Quality Assurance Manager",
                "80% of plans audited as good",
                "Q2 2017/18",
                "GGAA",
                "Audit tool revised.",
                "Baseline 58%.",
                "Re-audit 66%.",
                "Re-audit 72%.",
            ),
        ),
        rec(
            "d",
            "The local authority should satisfy itself that all placements where children and young people are "
            "placed with connected persons and private fostering are appropriate, and that all carers are "
            "assessed under the relevant regulation.",
            act(
                "A4.1",
                "Review every connected persons and private fostering placement against the regulations",
                "Service Manager \u2013 Fostering",
                "All placements reviewed and assessed",
                "30/11/2016",
                "BBBB",
                "Complete: all placements reviewed before the report was published.",
                SAME,
                SAME,
                SAME,
            ),
            act(
                "A4.2",
                "Monthly tracker of connected persons assessments",
                "Team Manager \u2013 Fostering",
                "All assessments within 16 weeks",
                "Monthly",
                "GGGB",
                "Tracker in place.",
                SAME,
                SAME,
                "Embedded; all within 16 weeks.",
            ),
        ),
        rec(
            "e",
            "Develop 'edge of care' services to respond in a flexible, family-friendly way to offer realistic "
            "alternatives to full-time residential or foster care.",
            act(
                "A5.1",
                "Business case for an edge of care team",
                "Assistant Director \u2013 Early Help, Partnership and Planning",
                "Business case approved",
                "February 2017",
                "GBBB",
                "Drafted.",
                "Approved by Cabinet.",
                SAME,
                SAME,
            ),
            act(
                "A5.2",
                "Recruit and launch the edge of care team",
                "Head of Early Help",
                "Team operational",
                "July 2017",
                "GGRA",
                "Job descriptions evaluated.",
                "Recruitment started.",
                "Only 2 of 5 posts filled.",
                "4 of 5 posts filled; team launched in October.",
                moved={2: "October 2017"},
            ),
            act(
                "A5.3",
                "Family group conferencing offered before entry to care",
                "Head of Early Help",
                "FGC offered in 80% of cases before accommodation",
                "Sept 17",
                "GAAR",
                "Provider identified.",
                "Capacity limited.",
                SAME,
                "Offer rate 45%.",
            ),
        ),
        rec(
            "f",
            "Ensure that the care planning process for children looked after children always considers "
            "adoption as a possible permanence option at the four-month review, including consideration of "
            "foster to adopt. In addition, ensure that the family-finding process begins as soon as adoption "
            "becomes the plan following a statutory review.",
            act(
                "A6.1",
                "IRO checklist for the four-month review includes adoption and foster to adopt",
                "IRO Manager",
                "Checklist used at all four-month reviews",
                "December 2016",
                "BBBB",
                "Checklist in use.",
                SAME,
                SAME,
                SAME,
            ),
            act(
                "A6.2",
                "Family finding to start within 5 days of adoption becoming the plan",
                "Service Manager \u2013 Adoption",
                "Family finding started within 5 days in 90% of cases",
                "Ongoing",
                "AGGG",
                "Process agreed with the regional adoption agency.",
                "86%.",
                "92%.",
                "94%.",
            ),
        ),
        rec(
            "g",
            "Ensure that the best quality legal advice is available to social workers and their managers to "
            "support effective and timely planning for children and young people.",
            act(
                "A7.1",
                "Review of legal services support to children's social care",
                "Head of Legal Services",
                "Review completed with service level agreement",
                "March 2017",
                "GABB",
                "Scope agreed.",
                "Delayed; moved to June.",
                "SLA agreed.",
                SAME,
                moved={1: "June 2017"},
            ),
            act(
                "A7.2",
                "Weekly legal gateway panel with a senior solicitor",
                "Head of Children's Social Care",
                "Panel held weekly",
                "Weekly",
                "GBBB",
                "Panel set up.",
                "Panel embedded.",
                SAME,
                SAME,
            ),
        ),
        rec(
            "h",
            "Ensure that there are sufficient foster carers, residential placements and potential adopters to "
            "meet the needs of the children.",
            act(
                "A8.1",
                "Foster carer recruitment strategy and marketing campaign",
                "Service Manager \u2013 Fostering",
                "20 new fostering households a year",
                "Q4 2016/17",
                "GAAA",
                "Campaign launched.",
                "9 households approved.",
                "12 approved.",
                SAME,
            ),
            act(
                "A8.2",
                "Placement sufficiency strategy including in-house residential",
                "Head of Commissioning",
                "Strategy approved",
                "June 2017",
                "GGBB",
                "Needs analysis done.",
                "Drafted.",
                "Approved.",
                SAME,
            ),
            act(
                "A8.3",
                "Recruit adopters through the regional adoption agency",
                "Service Manager \u2013 Adoption",
                "Adopters sufficient for children with a plan",
                "Ongoing",
                "RRRR",
                "Shortfall of 8 adopters.",
                "Shortfall of 7.",
                SAME,
                "Shortfall of 6; regional campaign planned.",
            ),
        ),
        rec(
            "i",
            "Ensure that when children are separated from their birth families, they have the opportunity to "
            "understand their past and move positively into the future through the provision of sensitive and "
            "timely life-story work.",
            act(
                "A9.1",
                "Life story work practice standard and training",
                "Principal Social Worker",
                "Standard issued; staff trained",
                "April 2017",
                "GGBB",
                "Drafted.",
                "Training booked.",
                "Issued and trained.",
                SAME,
            ),
            act(
                "A9.2",
                "Life story work started for every child with a plan for permanence",
                "Head of Children's Social Care",
                "100% started within 3 months of the plan",
                "Sept 17",
                "AAAA",
                "48%.",
                "61%.",
                "70%.",
                "78%.",
            ),
        ),
        rec(
            "j",
            "Continue to challenge and monitor the attendance of Cleveland Police at strategy meetings to ensure "
            "compliance with Working Together 2015. In addition, Her Majesty's Chief Inspector will act within "
            "the terms of the published information sharing protocol (agreed between all the relevant "
            "inspectorates) in sharing these findings with HMI Constabulary for it to decide what course of "
            "action is appropriate.",
            act(
                "A10.1",
                "Monthly report of police attendance at strategy meetings to the LSCB",
                "Performance and Information Manager",
                "Police attend 95% of strategy meetings",
                "Monthly",
                "RAGG",
                "Attendance 61%.",
                "Attendance 79%.",
                "Attendance 92%.",
                "Attendance 96%.",
            ),
            act(
                "A10.2",
                "Agree telephone strategy discussion protocol with Cleveland Police",
                "Head of Children's Social Care",
                "Protocol signed by both agencies",
                "January 2017",
                "ABBB",
                "Draft with police.",
                "Protocol signed.",
                SAME,
                SAME,
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Stockton-on-Tees — Joint Targeted Area Inspection (neglect), 20–24 Nov 2017, published 15 Jan 2018;
# multi-agency plan submitted 18 Apr 2018, to Cabinet 24 May 2018. Partner agencies named.
# ---------------------------------------------------------------------------

POLICE = "Cleveland Police"
PROBATION = "National Probation Service"
CRC = "Durham Tees Valley Community Rehabilitation Company"
CCG = "NHS Hartlepool and Stockton-on-Tees CCG"
NHS_TRUST = "North Tees and Hartlepool NHS Foundation Trust"
COUNCIL = "Stockton-on-Tees Borough Council"
LSCB = "Stockton LSCB"

STOCKTON_JTAI = PlanSpec(
    slug="stockton-jtai-2018",
    layout="sheets_partner_every_row",
    info=PlanInfo(
        name="Stockton-on-Tees \u2013 JTAI Neglect Multi-agency Action Plan 2018",
        organisation="Stockton-on-Tees Borough Council",
        inspection_type="JTAI",
        inspection_start=D(2017, 11, 20),
        inspection_end=D(2017, 11, 24),
        published_on=D(2018, 1, 15),
        target_date=D(2019, 3, 31),
    ),
    review_dates=(D(2018, 6, 30), D(2018, 9, 30), D(2018, 12, 31), D(2019, 3, 31)),
    file_name="stockton-jtai-neglect-action-plan-2018.xlsx",
    recs=(
        rec(
            "a",
            "The resilience of the Children's Hub",
            act(
                "1.1",
                "Review Children's Hub staffing and demand, with a business continuity plan",
                "Head of Children's Hub",
                "Contacts screened within 24 hours, including at peak demand",
                "September 2018",
                "GGBB",
                "Demand analysis under way.",
                "Staffing review agreed.",
                "Two additional posts filled.",
                SAME,
                partner=COUNCIL,
            ),
            act(
                "1.2",
                "Police officers co-located in the Hub every weekday",
                "Detective Inspector \u2013 Vulnerability",
                "Police present in the Hub every weekday",
                "July 2018",
                "AGBB",
                "Rota gaps on two days.",
                "Full cover from September.",
                "Complete.",
                SAME,
                partner=POLICE,
            ),
            act(
                "1.3",
                "Health practitioner capacity in the Hub reviewed and funded",
                "Designated Nurse \u2013 Safeguarding Children",
                "Health checks on all contacts within 24 hours",
                "Q3 2018/19",
                "GAAB",
                "Options paper drafted.",
                "Funding not yet agreed.",
                "Funding agreed; recruitment under way.",
                "Practitioner in post.",
                partner=CCG,
            ),
        ),
        rec(
            "b",
            "The need to update the Children and Young People's Plan and the Joint Strategic Needs Assessment",
            act(
                "2.1",
                "Refresh the Children and Young People's Plan with a neglect priority",
                "Director of Children's Services",
                "Plan approved by the Health and Wellbeing Board",
                "December 2018",
                "GGGB",
                "Consultation planned.",
                "Consultation with young people held.",
                "Draft plan prepared.",
                "- Plan approved by the Health and Wellbeing Board\n- Launch event held with young people",
                partner=COUNCIL,
            ),
            act(
                "2.2",
                "Update the JSNA children's chapter, including neglect prevalence",
                "Consultant in Public Health",
                "JSNA chapter published",
                "March 2019",
                "GGAA",
                "Data gathering.",
                SAME,
                "Publication moved to June to include new census data.",
                SAME,
                moved={2: "June 2019"},
                partner=COUNCIL,
            ),
        ),
        rec(
            "c",
            "The quality of child in need plans, which can in some cases lead to drift and delay",
            act(
                "3.1",
                "Child in need plans reviewed by a manager at least every three months",
                "Head of Children's Social Care",
                "95% of CIN plans reviewed within 3 months",
                "Ongoing",
                "AAGG",
                "82% reviewed in time.",
                "88%.",
                "95%.",
                "96%.",
                partner=COUNCIL,
            ),
            act(
                "3.2",
                "Multi-agency audit of child in need plans for neglect",
                "LSCB Business Manager",
                "Audit reported with learning disseminated",
                "31/10/2018",
                "GGRB",
                "Audit scheduled.",
                "Cases selected.",
                "Audit postponed; partner auditors unavailable.",
                "Audit completed and reported.",
                moved={2: "31/01/2019"},
                partner=LSCB,
            ),
            act(
                "3.3",
                "Health visitors and school nurses attend all CIN meetings for neglected children",
                "Named Nurse \u2013 Safeguarding Children",
                "Health attendance at 90% of CIN meetings",
                "Q2 2018/19",
                "RRAA",
                "Attendance 58%.",
                "Attendance 63%.",
                "Attendance 80%.",
                SAME,
                partner=NHS_TRUST,
            ),
        ),
        rec(
            "d",
            "A bigger focus on quality and feedback in the performance system",
            act(
                "4.1",
                "Add quality audit results and family feedback to the monthly performance report",
                "Performance and Information Manager",
                "Performance report includes quality and feedback measures",
                "Sept 18",
                "GBBB",
                "Measures agreed.",
                "Included from September.",
                SAME,
                SAME,
                partner=COUNCIL,
            ),
            act(
                "4.2",
                "Multi-agency neglect dashboard for the LSCB",
                "LSCB Business Manager",
                "Dashboard reviewed at each LSCB meeting",
                "Q3 2018/19",
                "?GGB",
                "",
                "Partners' data agreed.",
                "Prototype shown to LSCB.",
                "Dashboard live.",
                partner=LSCB,
            ),
        ),
        rec(
            "e",
            "Detailed actions for partners including Cleveland Police, National Probation Service, Durham Tees "
            "Valley Community Rehabilitation Company, NHS commissioners and providers.",
            act(
                "5.1",
                "Neglect training for frontline officers and a check of children's welfare at domestic incidents",
                "Detective Chief Inspector \u2013 Safeguarding",
                "90% of frontline officers trained",
                "31/12/2018",
                "GGAB",
                "Training package written.",
                "60% trained.",
                "78% trained; shift pattern limits sessions.",
                "91% trained.",
                partner=POLICE,
            ),
            act(
                "5.2",
                "Probation officers record children in the household and share concerns with the Hub",
                "Senior Probation Officer",
                "Audit shows children recorded in 95% of cases",
                "October 2018",
                "AAGB",
                "Guidance issued.",
                "Audit: 81%.",
                "Audit: 92%.",
                "Audit: 97%.",
                partner=PROBATION,
            ),
            act(
                "5.3",
                "CRC case managers complete safeguarding checks at start of supervision",
                "Head of Stockton Operations",
                "Checks completed in 95% of new cases",
                "October 2018",
                "RRAA",
                "Checks in 55% of cases.",
                "Checks in 60% of cases.",
                "Checks in 85% of cases.",
                SAME,
                partner=CRC,
            ),
            act(
                "5.4",
                "GP practices identify and code neglect concerns on children's records",
                "Designated Doctor \u2013 Safeguarding Children",
                "All GP practices using the neglect code",
                "March 2019",
                "GGAR",
                "Coding guidance agreed.",
                "Launched at GP safeguarding forum.",
                "Only 11 of 20 practices using it.",
                "13 of 20 practices using it.",
                partner=CCG,
            ),
        ),
    ),
)

PLAN_SPECS: tuple[PlanSpec, ...] = (RUTLAND, NORTH_TYNESIDE, STOCKTON_SIF, STOCKTON_JTAI)


# ---------------------------------------------------------------------------
# Measures of success: a sheet in two of the trackers (drawn by generate.py, read by
# data_access/importer/reading/measure_sheets.py). Figures are illustrative, in the shape of the
# councils' own scorecards: North Tyneside monthly with one Target column and percent-formatted
# cells; Stockton quarterly target/actual pairs with text percentages and ↑/↓ polarity.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSheet:
    name: str  # the sheet's name
    title: str
    headings: tuple  # str, or a date for a month heading (a date cell shown as a month)
    rows: tuple[tuple, ...]
    percent_rows: tuple[int, ...] = ()  # 0-based rows whose numbers are formatted as 0% (a percent per row)
    notes: tuple[str, ...] = ()  # footnotes under the table


_NT_MONTHS = tuple(D(2017 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(15))  # Apr-17 .. Jun-18
NORTH_TYNESIDE_MEASURES = MeasureSheet(
    name="Measures of success",
    title="Measures of success: monthly scorecard",
    headings=("Indicator", "Recommendation", "Good is", "Target", *_NT_MONTHS),
    rows=(
        (
            "Assessments completed within 45 working days",
            "1",
            "High",
            0.85,
            0.78,
            0.80,
            0.79,
            0.82,
            0.81,
            0.84,
            0.83,
            0.86,
            0.85,
            0.87,
            0.88,
            0.86,
            0.89,
            0.90,
            0.88,
        ),
        (
            "Privately fostered children visited within timescale",
            "2",
            "High",
            1.0,
            0.67,
            0.67,
            0.75,
            0.75,
            0.80,
            0.80,
            0.83,
            0.86,
            0.86,
            0.88,
            0.90,
            0.90,
            0.92,
            0.91,
            0.92,
        ),
        (
            "Designated officer investigations completed within one month",
            "Rec 3",
            "High",
            0.8,
            "n/a",
            "n/a",
            "n/a",
            0.55,
            0.60,
            0.58,
            0.63,
            0.66,
            0.65,
            0.69,
            0.70,
            0.71,
            0.73,
            "tbc",
            0.72,
        ),
        (
            "Children's plans reviewed by the IRO between reviews",
            "R4",
            "High",
            0.9,
            0.52,
            0.55,
            0.61,
            0.64,
            0.70,
            0.74,
            0.79,
            0.81,
            0.85,
            0.88,
            0.90,
            0.91,
            0.93,
            0.92,
            0.94,
        ),
        ("Supervision sessions overdue", "6", "Low", 10, 34, 31, 29, 27, 25, 22, 20, 18, 17, 15, 13, 12, 11, 9, 8),
    ),  # fmt: skip
    percent_rows=(0, 1, 2, 3),
    notes=(
        "Source: Liquidlogic case management system, performance team monthly extract.",
        "n/a: not collected before July 2017; tbc: awaiting validation.",
    ),
)

STOCKTON_SIF_MEASURES = MeasureSheet(
    name="Performance",
    title="Performance scorecard: quarterly targets and actuals",
    headings=(
        "Measure",
        "Polarity",
        "Recs",
        "Unit",
        "Q3 16/17 target",
        "Q3 16/17 actual",
        "Q4 16/17 target",
        "Q4 16/17 actual",
        "Q1 17/18 target",
        "Q1 17/18 actual",
        "Q2 17/18 target",
        "Q2 17/18 actual",
    ),
    rows=(
        (
            "Return home interviews offered within 72 hours",
            "↑",
            "Rec b",
            "%",
            "70%",
            "61%",
            "75%",
            "72%",
            "80%",
            "79%",
            "85%",
            "88%",
        ),
        (
            "Children's plans audited as good or better",
            "↑",
            "c",
            "%",
            "50%",
            "38%",
            "55%",
            "47%",
            "60%",
            "52%",
            "65%",
            "58%",
        ),
        ("Supervision within timescale", "↑", "a", "%", "80%", "71%", "85%", "84%", "90%", "88%", "90%", "93%"),
        ("Re-referrals within 12 months", "↓", "e", "%", "24%", "27%", "23%", "25%", "22%", "23%", "21%", "22%"),
        (
            "Average days from entering care to an adoption placement",
            "↓",
            "h",
            "days",
            500,
            540,
            480,
            512,
            460,
            470,
            426,
            430,
        ),
    ),  # fmt: skip
    notes=("Targets agreed by the Improvement Board in November 2016; actuals are the quarter's final figures.",),
)

# slug -> the measures sheet drawn into that plan's (last) tracker workbook
MEASURE_SHEETS: dict[str, MeasureSheet] = {
    "north-tyneside-2017": NORTH_TYNESIDE_MEASURES,
    "stockton-sif-2016": STOCKTON_SIF_MEASURES,
}


# ---------------------------------------------------------------------------
# An update round in progress (issue 26): Stockton's JTAI plan, a month after its last review.
# Partner agencies and leads have updated some of their actions in the app; the rest are still
# to come, so `make run` shows partners, "My actions" and the Update round page at work. Loaded
# by data_access/importer/sample_seed.py after the trackers; the trackers are unchanged.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleUpdate:
    """One person's update of one action in the round (their role and a partner's organisation)."""

    action_id: str
    by: str  # sign-in identity (example.org addresses: nobody real)
    role: str  # "partner" or "lead"
    organisation: str | None
    status: str
    progress: str
    mitigation: str | None = None
    board_ask: str | None = None
    requested_due: dt.date | None = None
    due_change_reason: str | None = None


@dataclass(frozen=True)
class SampleRound:
    slug: str  # the plan's PlanSpec.slug
    as_at: dt.date
    deadline: dt.date
    opened_by: str
    leads: dict[str, list[str]]  # the plan's lead mapping: lead -> identities or groups
    updates: tuple[SampleUpdate, ...]


STOCKTON_JTAI_ROUND = SampleRound(
    slug="stockton-jtai-2018",
    as_at=D(2019, 4, 30),
    deadline=D(2019, 4, 23),
    opened_by="improvement.board@stockton.example.org",
    leads={
        "Consultant in Public Health": ["public.health@stockton.example.org"],
        "Head of Children's Social Care": ["csc-heads"],
        "Director of Children's Services": ["dcs@stockton.example.org"],
    },
    updates=(
        SampleUpdate(
            "5.4",
            "designated.doctor@nhs.example.org",
            "partner",
            CCG,
            RED,
            "Designated Doctor post still vacant after a second advert; cover from the neighbouring CCG ends in May.",
            mitigation="Interim sessions bought from South Tees; child protection medicals prioritised weekly.",
            board_ask="Support a joint funding bid with the Trust for a shared post.",
        ),
        SampleUpdate(
            "5.3",
            "operations@crc.example.org",
            "partner",
            CRC,
            AMBER,
            "Joint risk management meetings running in two of three localities.",
            mitigation="Weekly attendance check by the Head of Operations until the third locality starts.",
            requested_due=D(2019, 6, 30),
            due_change_reason="Third locality's team restructure completes in June.",
        ),
        SampleUpdate(
            "1.2",
            "di.vulnerability@police.example.org",
            "partner",
            POLICE,
            COMPLETE,
            "Co-location continues every weekday; rota covers leave.",
        ),
        SampleUpdate(
            "2.2",
            "public.health@stockton.example.org",
            "lead",
            None,
            AMBER,
            "Neglect strategy consultation closed; 140 responses being analysed.",
            mitigation="Draft to the LSCB executive in May rather than April.",
        ),
    ),
)
SAMPLE_ROUNDS: tuple[SampleRound, ...] = (STOCKTON_JTAI_ROUND,)
