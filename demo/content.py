"""Sample work for the demo: in every programme region, initiatives at several stages,
investigations of each source type and learning items in every workflow state.

Written straight to the models (not through the review services) so seeding sends no email;
the review steps are recorded as events, as the services would. Idempotent: a record whose
title already exists in its region is left alone.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from demo.accounts import HOST_PSC
from fellows.models import Initiative, Milestone, ProgressUpdate
from learning.models import Investigation, LearningItem, LearningItemEvent
from portal.history import one_history_entry
from regions.models import Organisation, PatientSafetyCollaborative, Region
from taxonomy.models import PsirfResponse, SyllabusDomain, SyllabusLevel, SyllabusTag, Theme

Status = LearningItem.Status
Source = Investigation.Source

# Organisations the demo's investigations come from, made if missing: demo trusts and a
# university, named as such so nobody mistakes them for real ones.
DEMO_ORGANISATIONS = [
    ("demo-trust-north", Organisation.Kind.NHS_TRUST, "Northern Demo Hospitals NHS Foundation Trust"),
    ("demo-trust-midlands", Organisation.Kind.NHS_TRUST, "Midlands Demo Teaching Hospitals NHS Trust"),
    ("demo-trust-london", Organisation.Kind.NHS_TRUST, "London Demo Healthcare NHS Trust"),
    ("demo-trust-south", Organisation.Kind.NHS_TRUST, "Southern Demo University Hospitals NHS Trust"),
    ("demo-university", Organisation.Kind.HIGHER_EDUCATION, "Demo University School of Health Sciences"),
]  # fmt: skip
TRUST_OF_REGION = {
    "north": "demo-trust-north",
    "midlands-east": "demo-trust-midlands",
    "london-south-east": "demo-trust-london",
    "south": "demo-trust-south",
}

INITIATIVES = [
    # title, status, themes, start (months ago), scores over time
    ("Safer handover at shift change", Initiative.Status.ACTIVE, ["handover-and-communication"], 9, ["1.0", "2.0", "2.5", "3.0"]),
    ("Recognising deterioration with early warning scores", Initiative.Status.COMPLETED, ["deterioration-and-sepsis"], 18, ["1.5", "3.0", "4.0", "4.5"]),
    ("Peer support after serious incidents", Initiative.Status.PLANNED, ["staff-affected-by-incidents"], 0, ["0.5"]),
    ("Reducing insulin errors on surgical wards", Initiative.Status.PAUSED, ["medication-safety"], 6, ["1.0", "2.0"]),
]  # fmt: skip

INVESTIGATIONS = [
    # source, extra fields, title, summary, themes
    (Source.HSSIB, {}, "Recognising and responding to critically unwell patients", "A national investigation into delays in escalating care for patients whose condition worsened on general wards, with safety recommendations on escalation and staffing.", ["deterioration-and-sepsis"]),
    (Source.PSIRF, {"psirf_response_type": PsirfResponse.AAR}, "After action review: missed handover of a deteriorating patient", "A team review of a handover in which an early warning score was not passed on; the learning is about structured handover tools.", ["handover-and-communication"]),
    (Source.PSIRF, {"psirf_response_type": PsirfResponse.SWARM}, "SWARM huddle: wrong-strength insulin drawn up", "A huddle held the same day after a near miss with insulin strengths; the team agreed changes to storage and checking.", ["medication-safety"]),
    (Source.LEARNING_FROM_DEATHS, {"sjr_overall_score": 3}, "Structured judgement reviews of deaths after emergency admission", "Themes from a quarter's structured judgement reviews: care at admission was good, ongoing care showed gaps in escalation.", ["deterioration-and-sepsis"]),
    (Source.PREVENTION_OF_FUTURE_DEATHS, {}, "Prevention of Future Deaths report: falls at night", "A coroner's report on a fall on a night shift, asking how the trust will make sure falls risk assessments are repeated after moves between wards.", ["falls"]),
]  # fmt: skip

LEARNING = [
    # kind, status, title, summary, body, themes
    (LearningItem.Kind.BEST_PRACTICE, Status.PUBLISHED, "A structured handover tool cut missed escalations", "Using the same five headings at every handover meant early warning scores were passed on every time in the pilot wards.", "## What we did\n\nWe agreed five headings for every nursing handover and printed them on the ward board.\n\n## What happened\n\n- missed escalations fell over three months\n- staff said handovers were shorter, not longer\n\n## How to spread it\n\nStart on one ward, and ask the night team first.", ["handover-and-communication"]),
    (LearningItem.Kind.STAFF_SUPPORT, Status.PUBLISHED, "Peer support within a day of a serious incident", "Trained peer supporters contact colleagues involved in a serious incident within 24 hours; take-up was high and sickness absence fell.", "Staff affected by incidents told us the first day matters most. A trained peer supporter now calls within 24 hours, with a follow-up after a week.", ["staff-affected-by-incidents"]),
    (LearningItem.Kind.FROM_INVESTIGATION, Status.SUBMITTED, "Escalation when early warning scores rise", "Learning from a national investigation: escalation depends on staff feeling able to challenge, not only on the score.", "The investigation found that staff knew the score but did not feel able to call for help. Simulation training on escalation conversations is the change we recommend.", ["deterioration-and-sepsis"]),
    (LearningItem.Kind.GAP, Status.RETURNED, "No training on insulin strengths for bank staff", "Bank and agency nurses are not covered by the ward's insulin training, which the huddle identified as a gap.", "Bank staff do not receive the insulin module. We propose adding it to the bank induction.", ["medication-safety"]),
    (LearningItem.Kind.CURRICULUM_CHANGE, Status.DRAFT, "Human factors in the second-year nursing curriculum", "Working with a university to add a human factors session, mapped to the Patient Safety Syllabus.", "Draft plan for a half-day session on human factors with the university's nursing school.", ["human-factors"]),
    (LearningItem.Kind.BEST_PRACTICE, Status.WITHDRAWN, "Falls sensors on every bed", "Withdrawn: the evidence did not support a portal-wide recommendation.", "", ["falls"]),
]  # fmt: skip


def demo_content_seed():
    """Create the sample work that is missing; returns how many records were created."""
    created = 0
    organisations = _demo_organisations()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    domains = list(SyllabusDomain.objects.order_by("number"))
    levels = list(SyllabusLevel.objects.order_by("number"))
    tags = {(tag.domain_id, tag.level_id): tag for tag in SyllabusTag.objects.all()}
    today = timezone.localdate()
    for region in Region.objects.in_programme_scheme().order_by("display_order"):
        fellow = User.objects.filter(email=f"fellow.{region.slug}@example.org").first()
        lead = User.objects.filter(email=f"lead.{region.slug}@example.org").first()
        if fellow is None or lead is None:
            continue
        psc = PatientSafetyCollaborative.objects.get(slug=HOST_PSC[region.slug])
        initiatives = []
        for title, status, theme_slugs, months_ago, scores in INITIATIVES:
            initiative = Initiative.objects.filter(region=region, title=title).first()
            if initiative is None:
                created += 1
                starts_on = today - datetime.timedelta(days=30 * months_ago)
                initiative = Initiative(
                    title=title,
                    summary=f"{title}: a {region.name} initiative led by the safety fellow with the host PSC.",
                    aims="Fewer harms from the problem this addresses, and learning others can adopt.",
                    status=status,
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(days=365),
                    host_psc=psc,
                    region=region,
                    created_by=fellow,
                )
                with one_history_entry(initiative, created=True):
                    initiative.save()
                    initiative.fellows.set([fellow])
                    initiative.themes.set([themes[slug] for slug in theme_slugs if slug in themes])
                    initiative.syllabus.set(_tags(tags, domains[:2], levels[:1]))
                    initiative.partners.set([organisations[TRUST_OF_REGION[region.slug]]])
                # Recorded when it started, so the dashboards count it in the quarters since.
                began = timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time(9)))
                Initiative.objects.filter(pk=initiative.pk).update(created_at=began)
                initiative.history.update(history_date=began)
                step = max(1, (today - starts_on).days // max(1, len(scores)))
                for index, score in enumerate(scores):
                    ProgressUpdate.objects.create(
                        initiative=initiative,
                        written_on=starts_on + datetime.timedelta(days=step * index),
                        text=f"Progress review {index + 1}: scored {score} on the IHI scale.",
                        ihi_score=Decimal(score),
                        by=fellow,
                    )
                Milestone.objects.create(
                    initiative=initiative, title="Baseline audit complete",
                    due_on=starts_on + datetime.timedelta(days=60), completed_on=starts_on + datetime.timedelta(days=55),
                )  # fmt: skip
                Milestone.objects.create(
                    initiative=initiative, title="Spread to a second site",
                    due_on=today - datetime.timedelta(days=14) if status == Initiative.Status.ACTIVE else today + datetime.timedelta(days=90),
                )  # fmt: skip
            initiatives.append(initiative)

        investigations = []
        for source, extra, title, summary, theme_slugs in INVESTIGATIONS:
            investigation = Investigation.objects.filter(region=region, title=title).first()
            if investigation is None:
                created += 1
                national = source == Source.HSSIB
                investigation = Investigation(
                    source=source,
                    title=title,
                    summary=summary,
                    organisation=organisations[
                        "hssib" if national else TRUST_OF_REGION[region.slug]
                    ],
                    report_url=f"https://example.org/demo-reports/{region.slug}/{len(investigations) + 1}",
                    published_on=today - datetime.timedelta(days=40 * (len(investigations) + 1)),
                    region=region,
                    created_by=fellow,
                    **extra,
                )
                with one_history_entry(investigation, created=True):
                    investigation.save()
                    investigation.themes.set(
                        [themes[slug] for slug in theme_slugs if slug in themes]
                    )
            investigations.append(investigation)

        for index, (kind, status, title, summary, body, theme_slugs) in enumerate(LEARNING):
            if LearningItem.objects.filter(region=region, title=title).exists():
                continue
            created += 1
            item = LearningItem(
                kind=kind, title=title, summary=summary, body=body, region=region, created_by=fellow,
                psirf_response_type=PsirfResponse.AAR if kind == LearningItem.Kind.FROM_INVESTIGATION else "",
            )  # fmt: skip
            with one_history_entry(item, created=True):
                item.save()
                item.authors.set([fellow])
                item.themes.set([themes[slug] for slug in theme_slugs if slug in themes])
                item.syllabus.set(_tags(tags, domains[index % 5 : index % 5 + 1], levels[:2]))
                item.investigations.set(
                    investigations[index % len(investigations) : index % len(investigations) + 1]
                )
                item.initiatives.set(
                    initiatives[index % len(initiatives) : index % len(initiatives) + 1]
                )
            # Published learning is spread over the last quarters, so the dashboards' earlier
            # quarters and trends have something to show; what waits for review is recent.
            if status == Status.PUBLISHED:
                days_ago = 20 + index * 100 + region.display_order * 9
            else:
                days_ago = 30 - index * 4
            _walk_to(item, status, fellow=fellow, lead=lead, days_ago=days_ago)
    return created


def _tags(tags, domains, levels):
    return [tags[(domain.pk, level.pk)] for domain in domains for level in levels]


def _walk_to(item, status, *, fellow, lead, days_ago):
    """Record the review steps that bring a new draft to `status`, dated in the past."""
    when = timezone.now() - datetime.timedelta(days=days_ago)
    steps = {
        Status.DRAFT: [],
        Status.SUBMITTED: [(Status.DRAFT, Status.SUBMITTED, fellow, "")],
        Status.RETURNED: [
            (Status.DRAFT, Status.SUBMITTED, fellow, ""),
            (
                Status.SUBMITTED,
                Status.RETURNED,
                lead,
                "Please say which wards took part and add the syllabus level.",
            ),
        ],
        Status.PUBLISHED: [
            (Status.DRAFT, Status.SUBMITTED, fellow, ""),
            (Status.SUBMITTED, Status.RETURNED, lead, "Please add what staff said about it."),
            (Status.RETURNED, Status.SUBMITTED, fellow, ""),
            (Status.SUBMITTED, Status.PUBLISHED, lead, ""),
        ],
        Status.WITHDRAWN: [
            (Status.DRAFT, Status.SUBMITTED, fellow, ""),
            (Status.SUBMITTED, Status.PUBLISHED, lead, ""),
            (
                Status.PUBLISHED,
                Status.WITHDRAWN,
                lead,
                "The evidence did not support spreading it.",
            ),
        ],
    }[status]
    fields = {"status": status}
    for number, (from_status, to_status, by, feedback) in enumerate(steps):
        at = when + datetime.timedelta(days=number)
        LearningItemEvent.objects.create(
            item=item, from_status=from_status, to_status=to_status, by=by, at=at, feedback=feedback
        )
        if to_status == Status.SUBMITTED:
            fields["submitted_at"] = at
        if to_status == Status.PUBLISHED:
            fields["published_at"] = at
            fields["days_to_publish"] = LearningItem.days_between(fields.get("submitted_at"), at)
    LearningItem.objects.filter(pk=item.pk).update(**fields)


def _demo_organisations():
    organisations = {}
    for slug, kind, name in DEMO_ORGANISATIONS:
        organisations[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"kind": kind, "name": name}
        )
    organisations["hssib"] = Organisation.objects.get(slug="hssib")
    return organisations
