"""Importing recommendations with their responses: organisations matched leniently, one
record for each organisation a row names, and the response recorded with each."""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from imports.models import Import
from regions.models import OrganisationName
from register.models import Recommendation, ResponseStatus
from tests.imports.files import xlsx
from tests.learning.factories import InvestigationFactory
from tests.regions.factories import trust
from tests.roles import person_with, region, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")

HEADERS = ["Reference", "Type", "Recommendation", "Investigation", "Addressed to", "Region",
           "Date made", "Response due", "Themes", "Patient Safety Syllabus", "Response status",
           "Response date", "Response", "Response link"]  # fmt: skip


@pytest.fixture
def fellow(db):
    return person_with(Role.FELLOW, "north")


@pytest.fixture
def trusts(db):
    leeds = trust("RR8", "Leeds Teaching Hospitals NHS Trust", slug="leeds")
    york = trust("RCB", "York and Scarborough Teaching Hospitals NHS Foundation Trust", slug="york")
    OrganisationName.objects.create(
        organisation=york,
        name="York Teaching Hospital NHS Foundation Trust",
        used_until=datetime.date(2021, 7, 31),
    )
    sheffield = trust("RHQ", "Sheffield Teaching Hospitals NHS Foundation Trust", slug="sheffield")
    return leeds, york, sheffield


def row(addressed_to, reference="R/2025/001", **overrides):
    cells = {
        "Reference": reference,
        "Type": "HSSIB safety recommendation",
        "Recommendation": "Agree a standard for escalating a deteriorating patient.",
        "Investigation": "Recognising deterioration",
        "Addressed to": addressed_to,
        "Region": "north",
        "Date made": "01/03/2025",
        "Response due": "",
        "Response status": "Accepted",
        "Response date": "15/04/2025",
        "Response": "We accept and will act by June.",
    }
    cells.update(overrides)
    return [cells.get(header, "") for header in HEADERS]


def test_a_row_naming_three_organisations_makes_three_recommendations_each_with_its_response(
    client, fellow, trusts, django_capture_on_commit_callbacks
):
    leeds, york, sheffield = trusts
    InvestigationFactory(title="Recognising deterioration", region=region("north"))
    sign_in(client, fellow)
    # By ODS code, by a former name, and by "NHS FT" in another case, one a line.
    named = "rr8; York Teaching Hospital NHS Foundation Trust\nsheffield teaching hospitals nhs ft"
    client.post(
        reverse("imports:start"),
        {"kind": "recommendations", "file": xlsx(HEADERS, [row(named)])},
    )
    batch = Import.objects.get()
    assert batch.error_count == 0, batch.preview
    assert batch.to_create == 3
    matched = [m for r in batch.preview["rows"] for m in r["matches"]]
    assert "Addressed to: rr8 → Leeds Teaching Hospitals NHS Trust (by ODS code)" in matched
    assert (
        "Addressed to: York Teaching Hospital NHS Foundation Trust → York and Scarborough "
        "Teaching Hospitals NHS Foundation Trust (by former name)"
    ) in matched
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Import.objects.get().created == 3
    made = Recommendation.objects.order_by("addressed_to__name")
    assert [r.addressed_to for r in made] == [leeds, sheffield, york]
    for recommendation in made:
        assert recommendation.reference == "R/2025/001"
        assert recommendation.due_on == datetime.date(2025, 5, 30)  # HSSIB's 90 days
        assert recommendation.status == ResponseStatus.ACCEPTED
        assert recommendation.answered_on == datetime.date(2025, 4, 15)
        assert recommendation.responses.get().text == "We accept and will act by June."
        assert recommendation.history.first().history_user == fellow


def test_a_name_that_matches_nothing_or_a_bad_date_is_an_error_in_words(client, fellow, trusts):
    InvestigationFactory(title="Recognising deterioration", region=region("north"))
    sign_in(client, fellow)
    rows = [
        row("Nowhere General Hospital"),
        row("RR8", **{"Response due": "31/02/2025"}),
        row("RR8", Investigation="No such report"),
    ]
    client.post(reverse("imports:start"), {"kind": "recommendations", "file": xlsx(HEADERS, rows)})
    errors = Import.objects.get().preview["errors"]
    assert errors == [
        "Row 2, Addressed to: “Nowhere General Hospital” matches no organisation: check the "
        "spelling, or use its ODS code",
        "Row 3, Response due: 31/02/2025 is not a date: write it as 31/12/2025",
        "Row 4, Investigation: “No such report” matches no investigation you can see in the portal",
    ]


def test_a_row_with_the_reference_and_organisation_of_a_recommendation_updates_it(
    client, fellow, trusts, django_capture_on_commit_callbacks
):
    leeds = trusts[0]
    InvestigationFactory(title="Recognising deterioration", region=region("north"))
    sign_in(client, fellow)
    no_response = {"Response status": "", "Response date": "", "Response": ""}
    for text in ("First wording.", "Second wording."):
        client.post(
            reverse("imports:start"),
            {
                "kind": "recommendations",
                "file": xlsx(HEADERS, [row("RR8", Recommendation=text, **no_response)]),
            },
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[Import.objects.first().pk]))
    second = Import.objects.order_by("pk").last()
    assert (second.status, second.updated, second.created) == ("done", 1, 0), second.preview
    assert Recommendation.objects.get(addressed_to=leeds).text == "Second wording."
