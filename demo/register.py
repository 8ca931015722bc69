"""Demo content for the register: in every region, recommendations from several sources
(answered on time, late, not yet, overdue) and a fellow's own from a gap, and adoptions at
every stage, some across regions. Each region's recommendations are its own, not one list
repeated. Dates are counted back from today, so the states hold whenever the demo is seeded.

Written through the register's services, which send no email; idempotent by reference and by
adopter.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from regions.models import Organisation, Region
from register.models import (
    Adoption,
    AdoptionStage,
    Recommendation,
    RecommendationKind,
    ResponseStatus,
)
from register.services import (
    adoption_create,
    adoption_stage_change,
    answer_link,
    recommendation_create,
    response_record,
)

Kind = RecommendationKind
Source = Investigation.Source

# More organisations to address recommendations to and to adopt things, named "Demo" so
# nobody mistakes them for real ones.
ORGANISATIONS = [
    ("demo-ambulance-north", Organisation.Kind.NHS_TRUST, "Northern Demo Ambulance Service NHS Trust"),
    ("demo-mental-health-midlands", Organisation.Kind.NHS_TRUST, "Midlands Demo Partnership NHS Foundation Trust (mental health)"),
    ("demo-community-london", Organisation.Kind.NHS_TRUST, "London Demo Community Health NHS Trust"),
    ("demo-children-south", Organisation.Kind.NHS_TRUST, "Southern Demo Children's Hospital NHS Foundation Trust"),
]  # fmt: skip

# For each region: (source of the investigation it comes from, kind, reference, text, addressed
# to, made how many days ago, what happened). "What happened" is ("on time", days to answer),
# ("late", days after the due date), ("implemented", days to answer), "overdue" or "open".
RECOMMENDATIONS = {
    "north": [
        (Source.HSSIB, Kind.SAFETY_RECOMMENDATION, "R/2025/041", "NHS England to publish one standard for escalating care when a patient's early warning score rises at night, covering who is called and how fast.", "nhs-england", 200, ("on time", 71)),
        (Source.HSSIB, Kind.SAFETY_OBSERVATION, "O/2025/017", "Wards may benefit from rehearsing escalation calls in simulation, with the night team present.", "demo-trust-north", 200, "open"),
        (Source.PREVENTION_OF_FUTURE_DEATHS, Kind.PFD_CONCERN, "PFD-N-2026-03", "Falls risk assessments were not repeated when the patient moved wards overnight; the trust should say how it will make sure they are.", "demo-trust-north", 120, "overdue"),
        (Source.LEARNING_FROM_DEATHS, Kind.FINDING, "SJR-N-Q2", "Ongoing care showed gaps in recognising sepsis after the first 24 hours: reviewers ask for a second screening point.", "demo-ambulance-north", 90, ("late", 12)),
    ],
    "midlands-east": [
        (Source.HSSIB, Kind.SAFETY_RECOMMENDATION, "R/2025/058", "Health Education England to include structured handover in the preceptorship of every newly registered nurse.", "health-education-england", 240, ("implemented", 64)),
        (Source.PSIRF, Kind.FINDING, "AAR-ME-11", "Handover between the emergency department and the acute medical unit missed the early warning score twice in a month.", "demo-trust-midlands", 75, ("on time", 20)),
        (Source.PREVENTION_OF_FUTURE_DEATHS, Kind.PFD_CONCERN, "PFD-ME-2026-07", "A patient on a mental health ward was not checked at the frequency set after a change of observation level.", "demo-mental-health-midlands", 80, "overdue"),
        (Source.HSSIB, Kind.SAFETY_RECOMMENDATION, "R/2026/006", "Trusts to review how insulin of different strengths is stored on the same ward.", "demo-trust-midlands", 30, "open"),
    ],
    "london-south-east": [
        (Source.PSIRF, Kind.FINDING, "SWARM-LSE-4", "Two insulin strengths were stored side by side in the ward fridge; the huddle asks for separate, labelled shelves.", "demo-trust-london", 160, ("late", 30)),
        (Source.HSSIB, Kind.SAFETY_RECOMMENDATION, "R/2025/072", "NHS England to make sure community nursing teams can see a patient's latest early warning score.", "nhs-england", 130, "overdue"),
        (Source.LEARNING_FROM_DEATHS, Kind.FINDING, "SJR-LSE-Q3", "Admission care was good; end-of-life conversations started late for patients with frailty.", "demo-community-london", 60, ("on time", 33)),
    ],
    "south": [
        (Source.PREVENTION_OF_FUTURE_DEATHS, Kind.PFD_CONCERN, "PFD-S-2025-19", "A child's deterioration at home was not escalated because the family did not know whom to call out of hours.", "demo-children-south", 180, ("on time", 50)),
        (Source.HSSIB, Kind.SAFETY_RECOMMENDATION, "R/2025/090", "Trusts to give families a single number to call when they are worried a child in their care is getting worse.", "demo-children-south", 110, "overdue"),
        (Source.PSIRF, Kind.FINDING, "AAR-S-21", "The after action review found the theatre checklist was completed after, not before, the count.", "demo-trust-south", 45, ("implemented", 15)),
        (Source.HSSIB, Kind.SAFETY_OBSERVATION, "O/2026/002", "Simulation of deteriorating-patient calls could include porters and ward clerks.", "demo-trust-south", 20, "open"),
    ],
}  # fmt: skip

# A fellow's own recommendation answering the gap their region's demo learning records.
GAP_RECOMMENDATION = {
    "north": "Add the insulin module to the bank staff induction at every trust in the region.",
    "midlands-east": "Make the insulin strengths session part of agency nurses' first shift.",
    "london-south-east": "Offer bank staff the insulin e-learning before their first booking.",
    "south": "Pair new bank nurses with a ward nurse for their first insulin round.",
}

# Adoptions: (the region whose initiative or learning is adopted, what, the adopter's region,
# the adopter, the stages it went through). What is an initiative title or a learning title.
ADOPTIONS = [
    ("north", "A structured handover tool cut missed escalations", "midlands-east", "demo-trust-midlands", [AdoptionStage.CONSIDERING, AdoptionStage.PILOTING, AdoptionStage.ADOPTED]),
    ("north", "A structured handover tool cut missed escalations", "south", "demo-trust-south", [AdoptionStage.PILOTING]),
    ("north", "Safer handover at shift change", "north", "demo-ambulance-north", [AdoptionStage.PILOTING, AdoptionStage.ADOPTED, AdoptionStage.EMBEDDED]),
    ("midlands-east", "Timing antibiotics from the sepsis screen", "london-south-east", "demo-community-london", [AdoptionStage.CONSIDERING]),
    ("midlands-east", "Sepsis screening in the emergency department", "midlands-east", "demo-mental-health-midlands", [AdoptionStage.PILOTING, AdoptionStage.STOPPED]),
    ("london-south-east", "A team brief before the first patient on day-case lists", "north", "demo-trust-north", [AdoptionStage.PILOTING, AdoptionStage.ADOPTED]),
    ("london-south-east", "Safer surgery checklists in day-case theatres", "south", "demo-children-south", [AdoptionStage.CONSIDERING]),
    ("south", "Lying and standing blood pressure for every older inpatient", "london-south-east", "demo-trust-london", [AdoptionStage.ADOPTED, AdoptionStage.EMBEDDED]),
    ("south", "Falls prevention on older people's wards", "north", "demo-trust-north", [AdoptionStage.CONSIDERING, AdoptionStage.PILOTING]),
]  # fmt: skip

STOP_NOTE = "The trust paused the pilot while its wards were reorganised."


def register_seed():
    """Create the register's demo content that is missing; returns how many records."""
    organisations = _organisations()
    today = timezone.localdate()
    created = 0
    for region in Region.objects.in_programme_scheme().order_by("display_order"):
        fellow = User.objects.filter(email=f"fellow.{region.slug}@example.org").first()
        if fellow is None:
            continue
        for source, kind, reference, text, addressed_to, days_ago, outcome in RECOMMENDATIONS.get(
            region.slug, []
        ):
            if Recommendation.objects.filter(region=region, reference=reference).exists():
                continue
            investigation = (
                Investigation.objects.filter(region=region, source=source).order_by("pk").first()
            )
            recommendation = recommendation_create(
                by=fellow,
                kind=kind,
                reference=reference,
                text=text,
                investigation=investigation,
                addressed_to=organisations[addressed_to],
                owner=fellow,
                region=region,
                issued_on=today - datetime.timedelta(days=days_ago),
                due_on=_due_on(kind, today, days_ago),
                themes=list(investigation.themes.all()) if investigation else [],
            )
            _respond(recommendation, outcome, by=fellow)
            _link_learning(recommendation, investigation)
            created += 1
        created += _gap_recommendation(region, fellow, organisations, today)
    created += _adoptions(organisations, today)
    return created


def _due_on(kind, today, days_ago):
    # An observation asks for no response; the others have one due (a finding's in 60 days).
    if kind == Kind.SAFETY_OBSERVATION:
        return None
    if kind == Kind.FINDING:
        return today - datetime.timedelta(days=days_ago - 60)
    return None  # the usual deadline for the kind


def _respond(recommendation, outcome, *, by):
    if outcome in ("open", "overdue"):
        return
    what, days = outcome
    issued = recommendation.issued_on
    due = recommendation.due_on or issued + datetime.timedelta(days=90)
    if what == "late":
        answered = due + datetime.timedelta(days=days)
        response_record(
            recommendation=recommendation, by=by, status=ResponseStatus.PARTLY_ACCEPTED,
            responded_on=answered,
            text="Partly accepted: the organisation will act on the first part and review the second.",
        )  # fmt: skip
        return
    answered = issued + datetime.timedelta(days=days)
    response_record(
        recommendation=recommendation, by=by, status=ResponseStatus.ACCEPTED, responded_on=answered,
        text="Accepted in full, with an action plan and a named executive lead.",
        url="https://example.org/demo-responses/" + (recommendation.reference or "response"),
    )  # fmt: skip
    if what == "implemented":
        response_record(
            recommendation=recommendation, by=by, status=ResponseStatus.IMPLEMENTED,
            responded_on=min(answered + datetime.timedelta(days=30), timezone.localdate()),
            text="The change is in place and has been audited.",
        )  # fmt: skip


def _link_learning(recommendation, investigation):
    """The learning from the same investigation answers the recommendation."""
    if investigation is None:
        return
    item = investigation.learning_items.exclude(status=LearningItem.Status.WITHDRAWN).first()
    if item is not None:
        answer_link(recommendation=recommendation, learning_item=item)


def _gap_recommendation(region, fellow, organisations, today):
    gap = LearningItem.objects.filter(region=region, kind=LearningItem.Kind.GAP).first()
    if gap is None or gap.gap_recommendations.exists():
        return 0
    recommendation_create(
        by=fellow,
        kind=Kind.FELLOW,
        text=GAP_RECOMMENDATION[region.slug],
        gap=gap,
        addressed_to=organisations[_trust_of(region)],
        owner=fellow,
        region=region,
        issued_on=today - datetime.timedelta(days=25),
        due_on=today + datetime.timedelta(days=35),
        themes=list(gap.themes.all()),
    )
    return 1


def _trust_of(region):
    return {
        "north": "demo-trust-north",
        "midlands-east": "demo-trust-midlands",
        "london-south-east": "demo-trust-london",
        "south": "demo-trust-south",
    }[region.slug]


def _adoptions(organisations, today):
    regions = {region.slug: region for region in Region.objects.in_programme_scheme()}
    created = 0
    for origin, title, where, adopter, stages in ADOPTIONS:
        spread = (
            Initiative.objects.filter(region=regions[origin], title=title).first()
            or LearningItem.objects.published().filter(region=regions[origin], title=title).first()
        )
        fellow = User.objects.filter(email=f"fellow.{origin}@example.org").first()
        if spread is None or fellow is None:
            continue
        key = "initiative" if isinstance(spread, Initiative) else "learning_item"
        organisation = organisations[adopter]
        if Adoption.objects.filter(organisation=organisation, **{key: spread}).exists():
            continue
        first_on = today - datetime.timedelta(days=60 * len(stages) + 40)
        adoption = adoption_create(
            by=fellow,
            organisation=organisation,
            region=regions[where],
            stage=stages[0],
            stage_on=first_on,
            contact_role="Head of patient safety",
            notes="Introduced by the safety fellow at a regional learning event.",
            **{key: spread},
        )
        for number, stage in enumerate(stages[1:], start=1):
            adoption_stage_change(
                adoption=adoption,
                expected_version=adoption.version,
                by=fellow,
                stage=stage,
                on=first_on + datetime.timedelta(days=60 * number),
                note=STOP_NOTE if stage == AdoptionStage.STOPPED else "",
            )
        created += 1
    return created


def _organisations():
    organisations = {org.slug: org for org in Organisation.objects.all()}
    for slug, kind, name in ORGANISATIONS:
        if slug not in organisations:
            organisations[slug] = Organisation.objects.create(slug=slug, kind=kind, name=name)
    return organisations
