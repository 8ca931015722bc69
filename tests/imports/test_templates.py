"""Each kind's template round-trips: downloaded, filled, imported, and the records are what
was filled in."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from imports.kinds import KINDS
from imports.models import Import
from learning.models import LearningItem
from regions.models import Organisation
from register.models import Recommendation
from tests.learning.factories import InvestigationFactory
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
    Organisation.objects.create(
        slug="leeds", kind="nhs_trust", name="Leeds Teaching Hospitals NHS Trust", ods_code="RR8"
    )
    InvestigationFactory(title="Recognising deterioration", region=region("north"))
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
    assert headers == [column.header for column in KINDS[kind].columns]
    client.post(
        reverse("imports:start"),
        {"kind": kind, "file": fill(template.content, FILLED[kind])},
    )
    batch = Import.objects.get()
    assert batch.error_count == 0, batch.preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Import.objects.get().created == len(FILLED[kind])
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


CHECKS = {"learning": _learning, "recommendations": _recommendations}


def test_the_csv_template_has_the_same_headers(client, fellow):
    sign_in(client, fellow)
    response = client.get(reverse("imports:template", args=["learning"]) + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert text.strip() == ",".join(column.header for column in KINDS["learning"].columns)
