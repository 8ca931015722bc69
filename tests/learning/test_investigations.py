"""The investigation pages: list, add, detail and edit."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import Investigation, LearningItem
from regions.models import Organisation
from taxonomy.models import PsirfResponse
from tests.conftest import AN_NHS_NUMBER, NOT_AN_NHS_NUMBER
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.regions.factories import programme_region
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def investigation_data(**overrides):
    data = {
        "title": "Recognising deterioration",
        "source": Investigation.Source.HSSIB,
        "psirf_response_type": "",
        "sjr_overall_score": "",
        "organisation": Organisation.objects.get(slug="hssib").pk,
        "report_url": "https://www.hssib.org.uk/reports/deterioration/",
        "published_on-day": "27",
        "published_on-month": "3",
        "published_on-year": "2025",
        "summary": "Findings on recognising deterioration.",
        "region": programme_region("north").pk,
    }
    return data | overrides


def test_the_list_shows_investigations_in_the_persons_region_only(client, fellow):
    InvestigationFactory(title="North report")
    InvestigationFactory(title="South report", region=programme_region("south"))
    sign_in(client, fellow)
    response = client.get(reverse("learning:investigation-list"))
    assert [i.title for i in response.context["page"]] == ["North report"]


def test_the_list_filters_by_source_and_region(client):
    InvestigationFactory(title="HSSIB north")
    InvestigationFactory(
        title="Deaths review north",
        source=Investigation.Source.LEARNING_FROM_DEATHS,
        sjr_overall_score=2,
    )
    InvestigationFactory(title="HSSIB south", region=programme_region("south"))
    sign_in(client, person_with(Role.NATIONAL))
    response = client.get(
        reverse("learning:investigation-list"),
        {"source": "hssib", "region": programme_region("north").pk},
    )
    assert [i.title for i in response.context["page"]] == ["HSSIB north"]


def test_the_list_is_paginated(client, fellow):
    for _ in range(21):
        InvestigationFactory()
    sign_in(client, fellow)
    response = client.get(reverse("learning:investigation-list"))
    assert len(response.context["page"]) == 20
    assert "Page 2 of 2" in response.content.decode()
    response = client.get(reverse("learning:investigation-list"), {"page": 2})
    assert len(response.context["page"]) == 1


def test_a_partner_reader_cannot_see_investigations(client):
    sign_in(client, person_with(Role.PARTNER_READER))
    assert client.get(reverse("learning:investigation-list")).status_code == 403


def test_a_fellow_adds_an_investigation(client, fellow):
    sign_in(client, fellow)
    response = client.post(reverse("learning:investigation-add"), investigation_data())
    investigation = Investigation.objects.get()
    assert response.url == reverse("learning:investigation-detail", args=[investigation.pk])
    assert investigation.created_by == fellow
    assert investigation.published_on.isoformat() == "2025-03-27"


def test_the_form_explains_when_the_psirf_and_sjr_fields_apply(client, fellow):
    sign_in(client, fellow)
    page = client.get(reverse("learning:investigation-add")).content.decode()
    assert "Only for a PSIRF learning response" in page
    assert "Only for a Learning from Deaths review" in page


def test_source_specific_fields_are_checked_next_to_the_field(client, fellow):
    sign_in(client, fellow)
    response = client.post(
        reverse("learning:investigation-add"),
        investigation_data(source="psirf", sjr_overall_score="3"),
    )
    errors = response.context["form"].errors
    assert errors["psirf_response_type"] == ["Select the type of PSIRF learning response."]
    assert errors["sjr_overall_score"] == ["Only a Learning from Deaths review has an SJR score."]
    response = client.post(
        reverse("learning:investigation-add"),
        investigation_data(source="psirf", psirf_response_type=PsirfResponse.AAR, report_url=""),
    )
    assert response.status_code == 302


def test_a_hssib_report_needs_its_link(client, fellow):
    sign_in(client, fellow)
    response = client.post(reverse("learning:investigation-add"), investigation_data(report_url=""))
    assert response.context["form"].errors["report_url"] == [
        "Enter the link to the published report."
    ]


@pytest.mark.parametrize("field", ["title", "summary"])
def test_an_nhs_number_is_refused_next_to_each_free_text_field(client, fellow, field):
    sign_in(client, fellow)
    data = investigation_data()
    data[field] = f"{data[field]} {AN_NHS_NUMBER}"
    response = client.post(reverse("learning:investigation-add"), data)
    assert "NHS number" in response.context["form"].errors[field][0]
    assert not Investigation.objects.exists()


def test_ten_digits_that_are_not_an_nhs_number_are_accepted(client, fellow):
    sign_in(client, fellow)
    client.post(
        reverse("learning:investigation-add"),
        investigation_data(summary=f"Reference {NOT_AN_NHS_NUMBER}"),
    )
    assert Investigation.objects.get().summary.endswith(NOT_AN_NHS_NUMBER)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_mfa_required")
def test_an_investigations_report_link_with_an_nhs_number_is_refused(client, fellow):
    from tests.roles import sign_in

    sign_in(client, fellow)

    response = client.post(
        reverse("learning:investigation-add"),
        {"title": "A report", "report_url": "https://example.org/reports/943-476-5919"},
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["report_url"]
    assert error.startswith("Remove the NHS number ending 5919")
    assert not Investigation.objects.exists()


def test_the_detail_page_links_the_report_and_the_learning_the_person_may_see(client, fellow):
    investigation = InvestigationFactory(report_url="https://www.hssib.org.uk/reports/x/")
    LearningItemFactory(
        title="Published learning",
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
    ).investigations.add(investigation)
    LearningItemFactory(title="Someone's draft").investigations.add(investigation)
    sign_in(client, fellow)
    response = client.get(reverse("learning:investigation-detail", args=[investigation.pk]))
    assert [item.title for item in response.context["learning"]] == ["Published learning"]
    assert 'href="https://www.hssib.org.uk/reports/x/"' in response.content.decode()


def test_another_regions_investigation_is_404(client, fellow):
    investigation = InvestigationFactory(region=programme_region("south"))
    sign_in(client, fellow)
    url = reverse("learning:investigation-detail", args=[investigation.pk])
    assert client.get(url).status_code == 404


def test_an_edit_shows_in_the_history_with_who_made_it(client, fellow):
    investigation = InvestigationFactory()
    sign_in(client, fellow)
    response = client.post(
        reverse("learning:investigation-edit", args=[investigation.pk]),
        investigation_data(title="Renamed report", version=investigation.version),
    )
    assert response.status_code == 302
    page = client.get(
        reverse("learning:investigation-detail", args=[investigation.pk])
    ).content.decode()
    assert "Changed</strong> by North Fellow" in page
    assert re.search(r"<li>Title: National investigation report \d+ → Renamed report</li>", page)


def test_a_concurrent_edit_is_refused_and_the_typed_values_are_kept(client, fellow):
    investigation = InvestigationFactory(title="Original")
    shown = investigation.version
    Investigation.objects.filter(pk=investigation.pk).update(title="Theirs", version=shown + 1)
    sign_in(client, fellow)
    response = client.post(
        reverse("learning:investigation-edit", args=[investigation.pk]),
        investigation_data(title="Mine", summary="My summary", version=shown),
    )
    form = response.context["form"]
    assert "Someone else saved this record" in form.non_field_errors()[0]
    assert (form["title"].value(), form["summary"].value()) == ("Mine", "My summary")
    investigation.refresh_from_db()
    assert investigation.title == "Theirs"


def test_the_list_makes_the_same_number_of_queries_for_few_and_many_rows(client, fellow):
    def count():
        sign_in(client, fellow)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("learning:investigation-list")).status_code == 200
        return len(queries)

    InvestigationFactory()
    few = count()
    for _ in range(6):
        InvestigationFactory()
    assert count() == few


def test_the_detail_page_makes_the_same_number_of_queries_however_much_learning_is_linked(
    client, fellow
):
    def count(investigation):
        sign_in(client, fellow)
        url = reverse("learning:investigation-detail", args=[investigation.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few, many = InvestigationFactory(), InvestigationFactory()
    LearningItemFactory(status=LearningItem.Status.PUBLISHED).investigations.add(few)
    for _ in range(4):
        LearningItemFactory(status=LearningItem.Status.PUBLISHED).investigations.add(many)
    assert count(many) == count(few)
