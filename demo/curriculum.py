"""Demo content for curriculum and training: in every region, curriculum entries with
universities, training sessions across quarters and professions, and support for staff
affected by incidents. Each region teaches different parts of the syllabus, so the coverage
grid shows different coverage and gaps in each. Dates count back from today.

Written through the curriculum services; idempotent by programme and by title.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from curriculum.models import CurriculumEntry, StaffSupport, TrainingSession
from curriculum.services import (
    curriculum_entry_create,
    curriculum_status_change,
    staff_support_create,
    training_session_create,
)
from regions.models import Organisation, Region
from register.models import Recommendation
from taxonomy.models import Profession, SyllabusTag

# Universities that sound like universities, marked "demo" so nobody mistakes them for real
# ones; editable in the admin like every organisation.
UNIVERSITIES = {
    "north": ("demo-university-pennine", "University of Pennine Vale (demo)"),
    "midlands-east": ("demo-university-fenland", "Fenland and Trent University (demo)"),
    "london-south-east": ("demo-university-thames", "Thames Gateway University (demo)"),
    "south": ("demo-university-wessex", "University of the Downs and Solent (demo)"),
}
TRUSTS = {
    "north": "demo-trust-north",
    "midlands-east": "demo-trust-midlands",
    "london-south-east": "demo-trust-london",
    "south": "demo-trust-south",
}

# (programme, profession, stage, what changes, syllabus cells, the statuses it went through)
ENTRIES = {
    "north": [
        (
            "BSc Adult Nursing, year 2",
            "nursing",
            "undergraduate",
            "A simulated night shift in which students escalate a deteriorating patient, debriefed with human factors.",
            [(3, 1), (3, 2)],
            ["proposed", "agreed", "in_curriculum"],
        ),
        (
            "Paramedic Science, year 3",
            "paramedic-science",
            "undergraduate",
            "Handover to emergency departments taught with a structured tool and rehearsed.",
            [(1, 1), (4, 1)],
            ["proposed", "agreed"],
        ),
    ],
    "midlands-east": [
        (
            "MPharm, year 4",
            "pharmacy",
            "undergraduate",
            "Insulin strengths and look-alike medicines, with the learning from a regional SWARM huddle.",
            [(2, 1), (2, 2)],
            ["proposed", "agreed", "in_curriculum", "evaluated"],
        ),
        (
            "Foundation doctors' teaching programme",
            "medicine",
            "postgraduate",
            "A session on learning from incidents under PSIRF, with an after action review to practise on.",
            [(2, 3), (1, 2)],
            ["proposed"],
        ),
    ],
    "london-south-east": [
        (
            "MSc Advanced Clinical Practice",
            "multi-professional",
            "postgraduate",
            "Patient safety incident investigation methods, taught on a case from the region.",
            [(2, 3), (2, 4), (5, 3)],
            ["proposed", "agreed", "in_curriculum"],
        ),
        (
            "Healthcare support worker induction",
            "healthcare-support-workers",
            "cpd",
            "Speaking up about safety: a short module for the first week.",
            [(1, 1)],
            ["proposed", "agreed"],
        ),
    ],
    "south": [
        (
            "BSc Children's Nursing, year 1",
            "nursing",
            "undergraduate",
            "Recognising a child getting worse at home, and what to tell families about whom to call.",
            [(3, 1), (4, 2)],
            ["proposed", "agreed", "in_curriculum"],
        ),
        (
            "Theatre practitioners' CPD day",
            "allied-health-professions",
            "cpd",
            "The surgical safety checklist done before the count, practised in simulation.",
            [(4, 3), (3, 3)],
            ["proposed"],
        ),
    ],
}

# (title, format, professions, people trained, syllabus cells); one a quarter, newest first.
SESSIONS = {
    "north": [
        (
            "Night-shift escalation simulation",
            "simulation",
            ["nursing", "medicine"],
            24,
            [(3, 1), (3, 2)],
        ),
        (
            "Handover at the ambulance bay",
            "face_to_face",
            ["paramedic-science", "nursing"],
            36,
            [(1, 1)],
        ),
        (
            "Early warning scores refresher",
            "elearning",
            ["nursing", "healthcare-support-workers"],
            180,
            [(3, 1)],
        ),
        ("Human factors for ward managers", "online", ["nursing"], 18, [(3, 3)]),
    ],
    "midlands-east": [
        (
            "Insulin safety for bank and agency nurses",
            "face_to_face",
            ["nursing", "pharmacy"],
            42,
            [(2, 1)],
        ),
        ("Look-alike medicines workshop", "online", ["pharmacy"], 27, [(2, 2)]),
        ("After action review facilitation", "face_to_face", ["multi-professional"], 15, [(2, 3)]),
    ],
    "london-south-east": [
        (
            "Patient safety incident investigation: the basics",
            "online",
            ["multi-professional"],
            60,
            [(2, 3), (2, 4)],
        ),
        ("Speaking up for safety", "elearning", ["healthcare-support-workers"], 240, [(1, 1)]),
        (
            "Frailty and end-of-life conversations",
            "face_to_face",
            ["medicine", "nursing"],
            22,
            [(5, 2)],
        ),
        (
            "Community nursing: spotting deterioration at home",
            "simulation",
            ["nursing"],
            16,
            [(3, 2)],
        ),
    ],
    "south": [
        (
            "Families and the out-of-hours number",
            "face_to_face",
            ["nursing", "medicine"],
            30,
            [(4, 2)],
        ),
        (
            "Checklist before the count: theatre simulation",
            "simulation",
            ["allied-health-professions", "medicine"],
            20,
            [(4, 3)],
        ),
        ("Escalating a child getting worse", "simulation", ["nursing"], 28, [(3, 1)]),
    ],
}

SUPPORT = {
    "north": [("peer_training", "trim", 12, "Twelve ward staff trained as TRiM peer supporters.")],
    "midlands-east": [("session", "schwartz", 45, "A Schwartz round on the emotional cost of a never event.")],
    "london-south-east": [("session", "debrief", 9, "A team debrief within a day of a serious incident.")],
    "south": [("peer_training", "peer_support", 16, "Peer supporters trained across two theatre teams."), ("session", "first_aid", 6, "Psychological first aid offered after a child's death.")],
}  # fmt: skip


def curriculum_seed():
    """Create the curriculum demo content that is missing; returns how many records."""
    today = timezone.localdate()
    tags = {(tag.domain.number, tag.level.number): tag for tag in SyllabusTag.objects.with_names()}
    professions = {profession.slug: profession for profession in Profession.objects.all()}
    created = 0
    for region in Region.objects.in_programme_scheme().order_by("display_order"):
        fellow = User.objects.filter(email=f"fellow.{region.slug}@example.org").first()
        if fellow is None or region.slug not in UNIVERSITIES:
            continue
        slug, name = UNIVERSITIES[region.slug]
        university, _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"kind": Organisation.Kind.HIGHER_EDUCATION, "name": name}
        )
        trust = Organisation.objects.filter(slug=TRUSTS[region.slug]).first() or university
        recommendation = Recommendation.objects.filter(region=region).order_by("pk").first()
        for number, (programme, profession, stage, change, cells, statuses) in enumerate(
            ENTRIES[region.slug]
        ):
            if CurriculumEntry.objects.filter(region=region, programme=programme).exists():
                continue
            started = today - datetime.timedelta(days=300 - 40 * number)
            entry = curriculum_entry_create(
                by=fellow,
                fellow=fellow,
                organisation=university if number == 0 else trust,
                programme=programme,
                profession=professions[profession],
                stage=stage,
                change=change,
                syllabus=[tags[cell] for cell in cells],
                status=statuses[0],
                status_on=started,
                academic_year=_academic_year(today),
                recommendations=[recommendation] if recommendation and number == 0 else [],
                region=region,
            )
            for step, status in enumerate(statuses[1:], start=1):
                curriculum_status_change(
                    entry=entry,
                    expected_version=entry.version,
                    by=fellow,
                    status=status,
                    on=started + datetime.timedelta(days=60 * step),
                )
            created += 1
        for number, (title, format_, audience, people, cells) in enumerate(SESSIONS[region.slug]):
            if TrainingSession.objects.filter(region=region, title=title).exists():
                continue
            training_session_create(
                by=fellow,
                held_on=today - datetime.timedelta(days=20 + 91 * number),
                title=title,
                format=format_,
                professions=[professions[slug] for slug in audience],
                people_trained=people,
                region=region,
                host=trust if number % 2 else university,
                syllabus=[tags[cell] for cell in cells],
                recommendations=[recommendation] if recommendation and number == 0 else [],
            )
            created += 1
        for number, (kind, model, reached, notes) in enumerate(SUPPORT[region.slug]):
            if StaffSupport.objects.filter(region=region, notes=notes).exists():
                continue
            staff_support_create(
                by=fellow,
                kind=kind,
                held_on=today - datetime.timedelta(days=30 + 70 * number),
                organisation=trust,
                staff_reached=reached,
                support_model=model,
                notes=notes,
                region=region,
            )
            created += 1
    return created


def _academic_year(today):
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"
