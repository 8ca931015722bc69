"""Sample work for the demo: in every programme region its own initiatives at several stages,
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

A, C, PA, PL, ST = (
    Initiative.Status.ACTIVE,
    Initiative.Status.COMPLETED,
    Initiative.Status.PAUSED,
    Initiative.Status.PLANNED,
    Initiative.Status.STOPPED,
)
K, S = LearningItem.Kind, Status

# Each region's own work: different topics, dates and states, so a search or a list shows
# each title once. Per region: initiatives (title, status, themes, start in months ago, IHI
# scores over time, summary); investigations (source, extra fields, title, summary, themes);
# learning (kind, status, title, summary, body, themes), one item in every workflow state.
CONTENT = {
    "north": {
        "initiatives": [
            ("Safer handover at shift change", A, ["handover-and-communication"], 9, ["1.0", "2.0", "2.5", "3.0"], "A five-heading handover used by nurses and doctors at every shift change on the medical wards."),
            ("Recognising deterioration with early warning scores", C, ["deterioration-and-sepsis"], 18, ["1.5", "3.0", "4.0", "4.5"], "NEWS2 charts and escalation prompts on every adult ward, with weekly audit of missed escalations."),
            ("Peer support after serious incidents", PL, ["staff-affected-by-incidents"], 0, ["0.5"], "A peer support offer for staff affected by incidents, starting with the emergency department."),
            ("Reducing insulin errors on surgical wards", PA, ["medication-safety"], 6, ["1.0", "2.0"], "Standard insulin storage and a second check for every insulin dose on the surgical wards."),
        ],
        "investigations": [
            (Source.HSSIB, {}, "Recognising and responding to critically unwell patients", "A national investigation into delays in escalating care for patients whose condition worsened on general wards, with safety recommendations on escalation and staffing.", ["deterioration-and-sepsis"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.AAR}, "After action review: missed handover of a deteriorating patient", "A team review of a handover in which an early warning score was not passed on; the learning is about structured handover tools.", ["handover-and-communication"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.SWARM}, "SWARM huddle: wrong-strength insulin drawn up", "A huddle held the same day after a near miss with insulin strengths; the team agreed changes to storage and checking.", ["medication-safety"]),
            (Source.LEARNING_FROM_DEATHS, {"sjr_overall_score": 3}, "Structured judgement reviews of deaths after emergency admission", "Themes from a quarter's structured judgement reviews: care at admission was good, ongoing care showed gaps in escalation.", ["deterioration-and-sepsis"]),
            (Source.PREVENTION_OF_FUTURE_DEATHS, {}, "Prevention of Future Deaths report: falls at night", "A coroner's report on a fall on a night shift, asking how the trust will make sure falls risk assessments are repeated after moves between wards.", ["falls"]),
        ],
        "learning": [
            (K.BEST_PRACTICE, S.PUBLISHED, "A structured handover tool cut missed escalations", "Using the same five headings at every handover meant early warning scores were passed on every time in the pilot wards.", "## What we did\n\nWe agreed five headings for every nursing handover and printed them on the ward board.\n\n## What happened\n\n- missed escalations fell over three months\n- staff said handovers were shorter, not longer\n\n## How to spread it\n\nStart on one ward, and ask the night team first.", ["handover-and-communication"]),
            (K.STAFF_SUPPORT, S.PUBLISHED, "Peer support within a day of a serious incident", "Trained peer supporters contact colleagues involved in a serious incident within 24 hours; take-up was high and sickness absence fell.", "Staff affected by incidents told us the first day matters most. A trained peer supporter now calls within 24 hours, with a follow-up after a week.", ["staff-affected-by-incidents"]),
            (K.FROM_INVESTIGATION, S.SUBMITTED, "Escalation when early warning scores rise", "Learning from a national investigation: escalation depends on staff feeling able to challenge, not only on the score.", "The investigation found that staff knew the score but did not feel able to call for help. Simulation training on escalation conversations is the change we recommend.", ["deterioration-and-sepsis"]),
            (K.GAP, S.RETURNED, "No training on insulin strengths for bank staff", "Bank and agency nurses are not covered by the ward's insulin training, which the huddle identified as a gap.", "Bank staff do not receive the insulin module. We propose adding it to the bank induction.", ["medication-safety"]),
            (K.CURRICULUM_CHANGE, S.DRAFT, "Human factors in the second-year nursing curriculum", "Working with a university to add a human factors session, mapped to the Patient Safety Syllabus.", "Draft plan for a half-day session on human factors with the university's nursing school.", ["human-factors"]),
            (K.BEST_PRACTICE, S.WITHDRAWN, "Falls sensors on every bed", "Withdrawn: the evidence did not support a portal-wide recommendation.", "", ["falls"]),
        ],
    },
    "midlands-east": {
        "initiatives": [
            ("Sepsis screening in the emergency department", A, ["deterioration-and-sepsis"], 11, ["1.0", "1.5", "2.5", "3.5"], "A sepsis screen at triage for every adult with a raised NEWS2, with antibiotics timed from the screen."),
            ("Safer discharge letters for anticoagulants", C, ["medication-safety"], 20, ["1.0", "2.0", "3.5", "4.0"], "A discharge letter template that names the anticoagulant, the dose, the review date and who reviews it."),
            ("Learning from maternity incidents across three trusts", PA, ["maternity-and-neonatal"], 7, ["1.0", "1.5"], "A shared learning forum for the maternity safety leads of three trusts, meeting every month."),
            ("Involving families in patient safety incident investigations", PL, ["patient-and-family-involvement"], 1, ["0.5"], "A family liaison role for every PSII, with a leaflet written with families."),
        ],
        "investigations": [
            (Source.HSSIB, {}, "Management of chronic pain in the community", "A national investigation into how opioid prescribing for chronic pain is reviewed after discharge from hospital.", ["medication-safety"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.PSII}, "Patient safety incident investigation: delayed caesarean section", "A PSII into a decision-to-delivery interval of 75 minutes; the learning is about theatre availability and escalation to the consultant.", ["maternity-and-neonatal"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.MDT}, "MDT review: anticoagulant omitted after transfer", "A multidisciplinary team review of a missed dose of apixaban after a patient moved from the stroke unit to a rehabilitation ward.", ["medication-safety"]),
            (Source.LEARNING_FROM_DEATHS, {"sjr_overall_score": 4}, "Learning from deaths: end-of-life care in frailty", "Structured judgement reviews of deaths of patients living with frailty: end-of-life care was good, recognition of dying was sometimes late.", ["patient-and-family-involvement"]),
            (Source.PREVENTION_OF_FUTURE_DEATHS, {}, "Prevention of Future Deaths report: sepsis in a young adult", "A coroner's report after a young adult's sepsis was not recognised at a second attendance, asking how repeat attenders are flagged.", ["deterioration-and-sepsis"]),
        ],
        "learning": [
            (K.BEST_PRACTICE, S.PUBLISHED, "Timing antibiotics from the sepsis screen", "Starting the clock at the screen, not at the doctor's review, brought antibiotics within the hour for most patients.", "## What changed\n\nThe triage nurse starts the sepsis clock. The target is antibiotics within an hour of the screen.\n\n## Result\n\nMedian time to antibiotics fell from 95 to 52 minutes.", ["deterioration-and-sepsis"]),
            (K.FROM_INVESTIGATION, S.PUBLISHED, "Repeat attenders with possible sepsis", "Learning from a coroner's report: a second attendance within 72 hours now prompts a senior review.", "The emergency department flags anyone returning within 72 hours; a senior clinician reviews them before discharge.", ["deterioration-and-sepsis"]),
            (K.STAFF_SUPPORT, S.SUBMITTED, "Debriefs for midwives after a difficult birth", "A structured debrief within a shift for midwives involved in an emergency birth, led by a trained facilitator.", "Midwives asked for a short debrief before going home. Facilitators from the professional midwifery advocate team lead it.", ["staff-affected-by-incidents", "maternity-and-neonatal"]),
            (K.GAP, S.DRAFT, "Anticoagulant checks are missing at ward transfers", "Transfers between wards do not include a medicines reconciliation step for anticoagulants.", "The MDT review found no step for checking anticoagulants at transfer. We suggest adding one to the transfer checklist.", ["medication-safety"]),
            (K.CURRICULUM_CHANGE, S.RETURNED, "Sepsis recognition for first-year paramedic students", "A simulation session on sepsis recognition for the university's paramedic science course.", "Plan for a two-hour simulation with actors, mapped to syllabus domain 2 at level 2.", ["deterioration-and-sepsis"]),
            (K.BEST_PRACTICE, S.WITHDRAWN, "A single anticoagulant chart for every ward", "Withdrawn: the electronic prescribing system replaced the paper chart.", "", ["medication-safety"]),
        ],
    },
    "london-south-east": {
        "initiatives": [
            ("Safer surgery checklists in day-case theatres", A, ["surgical-safety"], 14, ["1.5", "2.5", "3.0", "3.5"], "The WHO surgical safety checklist adapted for day-case lists, with a team brief before the first patient."),
            ("Diagnostic safety in same-day emergency care", PL, ["diagnostic-error"], 0, ["0.5"], "A safety-netting leaflet and a results follow-up rota for patients sent home from same-day emergency care."),
            ("Mental health crisis care in the emergency department", C, ["mental-health"], 15, ["1.0", "2.0", "3.0", "4.0"], "A calm room and a liaison psychiatry response within an hour for people in crisis."),
            ("Just culture training for ward managers", ST, ["safety-culture"], 16, ["1.0", "1.5", "1.5"], "A just culture course for ward managers, stopped when the trust adopted the national programme instead."),
        ],
        "investigations": [
            (Source.HSSIB, {}, "Wrong site surgery in day-case procedures", "A national investigation into wrong site surgery, with safety recommendations on marking and the team brief.", ["surgical-safety"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.AAR}, "After action review: test result not followed up", "An after action review of an abnormal blood result that was not acted on after the patient went home.", ["diagnostic-error"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.PSII}, "PSII: self-harm while waiting in the emergency department", "A patient safety incident investigation into a long wait for a mental health assessment; the learning is about observation levels.", ["mental-health"]),
            (Source.LEARNING_FROM_DEATHS, {"sjr_overall_score": 2}, "Structured judgement reviews after emergency surgery", "Reviews of deaths after emergency laparotomy: delays to theatre were the main theme.", ["surgical-safety"]),
            (Source.PREVENTION_OF_FUTURE_DEATHS, {}, "Prevention of Future Deaths report: missed fracture in an older person", "A coroner's report after a hip fracture was missed on a first X-ray, asking how images are reviewed out of hours.", ["diagnostic-error", "falls"]),
        ],
        "learning": [
            (K.BEST_PRACTICE, S.PUBLISHED, "A team brief before the first patient on day-case lists", "Five minutes before the list starts, the whole team goes through every patient: no wrong site events in a year.", "## The brief\n\nSurgeon, anaesthetist, scrub and recovery staff meet before the first patient.\n\n## What we learnt\n\nThe brief works when it is short and always happens.", ["surgical-safety"]),
            (K.GAP, S.PUBLISHED, "Nobody owns results that arrive after discharge", "Results that come back after a patient leaves same-day emergency care have no named person to act on them.", "We found results with no owner after discharge. A daily results rota now names who acts on them.", ["diagnostic-error"]),
            (K.FROM_INVESTIGATION, S.RETURNED, "Observation levels while waiting for a mental health assessment", "Learning from a PSII: observation levels must be set at triage, not after the assessment.", "The investigation found observation levels were set late. Triage nurses now set them, with liaison psychiatry advice.", ["mental-health"]),
            (K.STAFF_SUPPORT, S.DRAFT, "Support for theatre staff after a never event", "A plan for how theatre teams are supported in the week after a never event.", "Draft: a named senior contact for each team member, and time away from the list if they want it.", ["staff-affected-by-incidents", "surgical-safety"]),
            (K.CURRICULUM_CHANGE, S.SUBMITTED, "Diagnostic error in the foundation doctors' teaching", "A teaching session on cognitive bias in diagnosis for foundation doctors, with cases from the region.", "Agreed with the foundation school: a 90-minute session each rotation, mapped to syllabus domain 3.", ["diagnostic-error", "human-factors"]),
            (K.BEST_PRACTICE, S.WITHDRAWN, "Hourly rounding in the emergency department", "Withdrawn: the trust's evaluation found no change in falls or complaints.", "", ["falls"]),
        ],
    },
    "south": {
        "initiatives": [
            ("Falls prevention on older people's wards", C, ["falls"], 22, ["1.0", "2.5", "3.5", "4.5"], "Lying and standing blood pressure, a medicines review and a bed-rail check for every patient over 65."),
            ("Safer prescribing of high-risk medicines in care homes", A, ["medication-safety"], 8, ["1.0", "2.0", "2.5"], "Pharmacist reviews of high-risk medicines for care home residents, with the GP practices of the area."),
            ("Recognising deterioration in care homes", PA, ["deterioration-and-sepsis"], 10, ["1.0", "1.5", "2.0"], "A soft-signs tool and SBAR calls from care homes to the GP or the ambulance service."),
            ("Human factors in community nursing", PL, ["human-factors"], 1, ["0.5"], "Human factors workshops for district nursing teams, starting with insulin visits."),
        ],
        "investigations": [
            (Source.HSSIB, {}, "Falls in hospital: detection and response", "A national investigation into how falls with head injury are detected and responded to on inpatient wards.", ["falls"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.SWARM}, "SWARM huddle: care home resident not escalated", "A huddle after a care home resident's worsening breathing was not escalated overnight.", ["deterioration-and-sepsis"]),
            (Source.PSIRF, {"psirf_response_type": PsirfResponse.MDT}, "MDT review: insulin visit missed by the district nursing team", "A multidisciplinary team review of an insulin visit dropped from the district nursing schedule.", ["medication-safety", "human-factors"]),
            (Source.LEARNING_FROM_DEATHS, {"sjr_overall_score": 3}, "Learning from deaths of people with a learning disability", "Structured judgement reviews with the LeDeR programme: reasonable adjustments were not always made at admission.", ["patient-and-family-involvement"]),
            (Source.PREVENTION_OF_FUTURE_DEATHS, {}, "Prevention of Future Deaths report: methotrexate taken daily", "A coroner's report after weekly methotrexate was taken daily by a care home resident, asking how dosing is checked.", ["medication-safety"]),
        ],
        "learning": [
            (K.BEST_PRACTICE, S.PUBLISHED, "Lying and standing blood pressure for every older inpatient", "Measuring lying and standing blood pressure within a day of admission found postural drops in one patient in five.", "## What we did\n\nHealthcare assistants measure lying and standing blood pressure on the first day.\n\n## What happened\n\nFalls with harm fell by a third over a year.", ["falls"]),
            (K.FROM_INVESTIGATION, S.PUBLISHED, "Weekly methotrexate in care homes", "Learning from a coroner's report: care homes now record the day of the week for every weekly medicine.", "The medicines record shows the day of the week for weekly doses, and a pharmacist checks new prescriptions.", ["medication-safety"]),
            (K.GAP, S.SUBMITTED, "Care home staff have no escalation training", "Care home staff are not trained to use SBAR when calling for help.", "The huddle found care home staff unsure how to escalate. SBAR training is the gap we propose to fill.", ["deterioration-and-sepsis"]),
            (K.STAFF_SUPPORT, S.RETURNED, "Supporting district nurses after a missed visit", "A conversation with the team leader within two days, and a review of workload, after any missed visit.", "District nurses asked for support without blame after a missed visit. Team leaders now meet them within two days.", ["staff-affected-by-incidents"]),
            (K.CURRICULUM_CHANGE, S.DRAFT, "Falls prevention in the healthcare assistant induction", "A falls prevention module for the trust's healthcare assistant induction, mapped to syllabus domain 4.", "Draft module: lying and standing blood pressure, footwear and bed rails.", ["falls"]),
            (K.BEST_PRACTICE, S.WITHDRAWN, "Colour-coded wristbands for falls risk", "Withdrawn: wristbands were not seen as reliably as the ward board.", "", ["falls"]),
        ],
    },
}  # fmt: skip


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
        content = CONTENT[region.slug]
        for title, status, theme_slugs, months_ago, scores, summary in content["initiatives"]:
            initiative = Initiative.objects.filter(region=region, title=title).first()
            if initiative is None:
                created += 1
                starts_on = today - datetime.timedelta(days=30 * months_ago)
                initiative = Initiative(
                    title=title,
                    summary=summary,
                    aims="Fewer harms from the problem this addresses, and learning others can adopt.",
                    status=status,
                    starts_on=starts_on,
                    ends_on=_ends_on(status, starts_on, today),
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
                _milestones_seed(initiative, today)
            initiatives.append(initiative)

        investigations = []
        for source, extra, title, summary, theme_slugs in content["investigations"]:
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

        for index, (kind, status, title, summary, body, theme_slugs) in enumerate(
            content["learning"]
        ):
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


def _ends_on(status, starts_on, today):
    """A year after the start; for a finished initiative, in the past whatever the start."""
    ends_on = starts_on + datetime.timedelta(days=365)
    if status in (Initiative.Status.COMPLETED, Initiative.Status.STOPPED):
        return min(ends_on, today - datetime.timedelta(days=30))
    return ends_on


def _milestones_seed(initiative, today):
    """Milestones that agree with the initiative's status and dates: nothing is completed in
    the future, a finished initiative has nothing open, an active one has one overdue."""
    starts_on, ends_on = initiative.starts_on, initiative.ends_on
    finished = initiative.status in (Initiative.Status.COMPLETED, Initiative.Status.STOPPED)
    baseline_due = starts_on + datetime.timedelta(days=60)
    done_on = baseline_due - datetime.timedelta(days=5)
    Milestone.objects.create(
        initiative=initiative,
        title="Baseline audit complete",
        due_on=baseline_due,
        completed_on=done_on if done_on <= today else None,
    )
    if finished:
        last = (
            "Final report to the PSC board"
            if initiative.status == Initiative.Status.COMPLETED
            else "Decision to stop recorded"
        )
        Milestone.objects.create(
            initiative=initiative, title=last, due_on=ends_on, completed_on=ends_on - datetime.timedelta(days=3)
        )  # fmt: skip
    elif initiative.status == Initiative.Status.ACTIVE:
        Milestone.objects.create(
            initiative=initiative, title="Spread to a second site", due_on=today - datetime.timedelta(days=14)
        )  # fmt: skip
    else:
        Milestone.objects.create(
            initiative=initiative, title="Spread to a second site", due_on=today + datetime.timedelta(days=90)
        )  # fmt: skip


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
