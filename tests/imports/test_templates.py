"""Each kind's template round-trips: downloaded, filled, imported, and the records are what
was filled in."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from curriculum.models import CurriculumEntry, TrainingSession
from fellows.models import Initiative
from imports.kinds import KINDS
from imports.models import Import
from learning.models import Investigation, LearningItem
from regions.models import Organisation
from register.models import Adoption, Recommendation
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.regions.factories import trust
from tests.roles import person_with, region, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")

FILLED = {
    "learning": [
        {
            "Title": "Safety huddles after incidents",
            "Type": "Best practice",
            "Summary": "A huddle within a day helped staff recover.",
            "Body": "## What we did\n\nA ten-minute huddle, led by the ward manager.",
            "Region": "North",
            "Patient Safety Syllabus": "2.1; 3.2",
            "PSIRF response type": "",
        },
        {
            "Title": "Gaps in escalation training",
            "Type": "Gap in practice or training",
            "Summary": "Night staff had no escalation training.",
            "Region": "North",
        },
    ],
    "recommendations": [
        {
            "Reference": "R/2025/014",
            "Type": "HSSIB safety recommendation",
            "Recommendation": "Agree a national standard for escalation.",
            "Investigation": "Recognising deterioration",
            "Addressed to": "RR8",
            "Region": "North",
            "Date made": "03/03/2025",
            "Response due": "30/06/2025",
            "Patient Safety Syllabus": "4.1",
        }
    ],
}

FILLED |= {
    "investigations": [
        {
            "Title": "Deterioration out of hours",
            "Source": "PSIRF learning response",
            "PSIRF response type": "After action review",
            "Organisation that published it": "RR8",
            "Publication date": "2025-05-02",
            "Summary": "Escalation was delayed at night.",
            "Region": "North",
        }
    ],
    "training": [
        {
            "Date": "12/02/2026",
            "Title": "Human factors simulation",
            "Format": "Simulation",
            "Professions in the audience": "Nursing; Medicine",
            "Number of people trained": "14",
            "Host": "RR8",
            "Region": "North",
            "Patient Safety Syllabus": "3.2",
        }
    ],
    "curriculum": [
        {
            "University or trust": "University of Leeds",
            "Programme": "BSc Adult Nursing, year 2",
            "Profession": "Nursing",
            "Stage": "Undergraduate",
            "What changes": "A session on human factors.",
            "Status": "Agreed",
            "Date of the status": "01/09/2025",
            "Academic year it starts": "2025/26",
            "Region": "North",
        }
    ],
    "adoptions": [
        {
            "What was adopted": "Safety huddles",
            "Organisation": "RR8",
            "Region": "North",
            "Stage": "Piloting",
            "Date of the stage": "01/09/2025",
            "Contact role": "Ward manager",
        }
    ],
    "initiatives": [
        {
            "Title": "Safer handover at night",
            "Summary": "A structured handover between shifts.",
            "Aims": "Fewer missed escalations.",
            "Status": "Active",
            "Start date": "01/04/2025",
            "Region": "North",
            "Host PSC": "Health Innovation North East and North Cumbria",
            "Milestones": "Baseline audit | 30/06/2025 | 20/06/2025\nLaunch | 30/09/2026",
            "IHI scores": "2.0 | 01/10/2025 | Changes tested on two wards",
        }
    ],
}


def fill(template, rows):
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    target = io.BytesIO()
    workbook.save(target)
    return SimpleUploadedFile("filled.xlsx", target.getvalue())


@pytest.fixture
def fellow(db):
    trust("RR8", "Leeds Teaching Hospitals NHS Trust", slug="leeds")
    Organisation.objects.create(
        slug="uni-leeds", kind="higher_education", name="University of Leeds"
    )
    InvestigationFactory(title="Recognising deterioration", region=region("north"))
    LearningItemFactory(
        title="Safety huddles", status=LearningItem.Status.PUBLISHED, published_at=timezone.now()
    )
    return person_with(Role.FELLOW, "north")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_template_downloads_fills_and_imports_what_was_filled(
    client, fellow, kind, django_capture_on_commit_callbacks
):
    sign_in(client, fellow)
    template = client.get(reverse("imports:template", args=[kind]))
    assert template.status_code == 200
    assert template["Content-Disposition"] == f'attachment; filename="{kind}-template.xlsx"'
    headers = [c.value for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]]
    assert headers == [column.header for column in KINDS[kind].all_columns]
    client.post(
        reverse("imports:start"),
        {"kind": kind, "file": fill(template.content, FILLED[kind])},
    )
    batch = Import.objects.get()
    assert batch.error_count == 0, batch.preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Import.objects.get().created == len(FILLED[kind]), Import.objects.get().message
    CHECKS[kind]()


def _syllabus(record):
    return "; ".join(f"{t.domain.number}.{t.level.number}" for t in record.syllabus.all())


def _learning():
    for filled in FILLED["learning"]:
        item = LearningItem.objects.get(title=filled["Title"])
        assert item.get_kind_display() == filled["Type"]
        assert item.summary == filled["Summary"]
        assert item.body == filled.get("Body", "")
        assert item.region.name == filled["Region"]
        assert _syllabus(item) == filled.get("Patient Safety Syllabus", "")


def _recommendations():
    filled = FILLED["recommendations"][0]
    made = Recommendation.objects.get()
    assert made.reference == filled["Reference"]
    assert made.get_kind_display() == filled["Type"]
    assert made.text == filled["Recommendation"]
    assert made.investigation.title == filled["Investigation"]
    assert made.addressed_to.ods_code == filled["Addressed to"]
    assert made.region.name == filled["Region"]
    assert made.issued_on == datetime.date(2025, 3, 3)
    assert made.due_on == datetime.date(2025, 6, 30)
    assert _syllabus(made) == filled["Patient Safety Syllabus"]


def _investigations():
    made = Investigation.objects.get(title="Deterioration out of hours")
    assert (made.source, made.psirf_response_type) == ("psirf", "aar")
    assert made.organisation.ods_code == "RR8"
    assert made.published_on == datetime.date(2025, 5, 2)
    assert made.summary == "Escalation was delayed at night."


def _training():
    made = TrainingSession.objects.get()
    assert (made.title, made.format, made.people_trained) == (
        "Human factors simulation", "simulation", 14,
    )  # fmt: skip
    assert made.held_on == datetime.date(2026, 2, 12)
    assert sorted(p.name for p in made.professions.all()) == ["Medicine", "Nursing"]
    assert made.host.ods_code == "RR8"
    assert _syllabus(made) == "3.2"


def _curriculum():
    made = CurriculumEntry.objects.get()
    assert made.organisation.name == "University of Leeds"
    assert (made.programme, made.stage, made.status) == (
        "BSc Adult Nursing, year 2", "undergraduate", "agreed",
    )  # fmt: skip
    assert made.status_on == datetime.date(2025, 9, 1)
    assert made.academic_year == "2025/26"


def _adoptions():
    made = Adoption.objects.get()
    assert made.learning_item.title == "Safety huddles"
    assert (made.organisation.ods_code, made.stage, made.contact_role) == (
        "RR8", "piloting", "Ward manager",
    )  # fmt: skip


def _initiatives():
    made = Initiative.objects.get()
    assert (made.title, made.status, made.starts_on) == (
        "Safer handover at night", "active", datetime.date(2025, 4, 1),
    )  # fmt: skip
    assert made.host_psc.slug == "north-east-north-cumbria"
    milestones = [(m.title, m.due_on, m.completed_on) for m in made.milestones.order_by("due_on")]
    assert milestones == [
        ("Baseline audit", datetime.date(2025, 6, 30), datetime.date(2025, 6, 20)),
        ("Launch", datetime.date(2026, 9, 30), None),
    ]
    progress = made.progress_updates.get()
    assert (str(progress.ihi_score), progress.written_on, progress.text) == (
        "2.0", datetime.date(2025, 10, 1), "Changes tested on two wards",
    )  # fmt: skip


CHECKS = {
    "learning": _learning,
    "recommendations": _recommendations,
    "investigations": _investigations,
    "training": _training,
    "curriculum": _curriculum,
    "adoptions": _adoptions,
    "initiatives": _initiatives,
}


def test_the_csv_template_has_the_same_headers(client, fellow):
    sign_in(client, fellow)
    response = client.get(reverse("imports:template", args=["learning"]) + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert text.strip() == ",".join(column.header for column in KINDS["learning"].all_columns)


def test_a_training_row_with_the_date_title_and_region_of_a_session_updates_it(
    client, fellow, django_capture_on_commit_callbacks
):
    sign_in(client, fellow)
    template = client.get(reverse("imports:template", args=["training"])).content
    for people in ("14", "20"):
        row = {
            **FILLED["training"][0],
            "Title": "human factors SIMULATION",
            "Number of people trained": people,
        }
        client.post(reverse("imports:start"), {"kind": "training", "file": fill(template, [row])})
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[Import.objects.order_by("pk").last().pk]))
    second = Import.objects.order_by("pk").last()
    assert (second.status, second.created, second.updated) == ("done", 0, 1), second.preview
    assert TrainingSession.objects.get().people_trained == 20
