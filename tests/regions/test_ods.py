"""NHS trusts from the Organisation Data Service: the shipped file's load, and a refresh from a
newer file by the national team (preview, apply once, all or nothing)."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from regions.models import OdsRefresh, OdsRegionMapping, Organisation, OrganisationName
from regions.ods import SHIPPED_FILE, OdsFileError, name_as_written, read_trusts
from regions.services import organisations_load_from_ods
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def trusts_by(programme_region_slug):
    trusts = Organisation.objects.exclude(ods_code="").filter(
        kind=Organisation.Kind.NHS_TRUST, programme_region__slug=programme_region_slug
    )
    if programme_region_slug is None:
        trusts = Organisation.objects.exclude(ods_code="").filter(programme_region=None)
    return (trusts.filter(closed_on=None).count(), trusts.exclude(closed_on=None).count())


# The shipped file (regions/data/ods/etr.csv), loaded with every test database


def test_the_shipped_file_loads_every_trust_open_and_closed_by_programme_region():
    # Counted from the file with its README's grouping: Thames Valley (S0E4D) and Wessex
    # (QRL) are in the South though ODS places them in the South East (Y59).
    assert trusts_by("north") == (61, 16)
    assert trusts_by("midlands-east") == (60, 18)
    assert trusts_by("london-south-east") == (49, 23)
    assert trusts_by("south") == (29, 15)
    # Welsh trusts have no NHS England region, and so no programme region.
    assert trusts_by(None) == (3, 0)


def test_a_trust_has_its_name_as_people_write_it_its_regions_and_its_close_date():
    guys = Organisation.objects.get(ods_code="RJ1")
    assert guys.name == "Guy's and St Thomas' NHS Foundation Trust"
    assert guys.nhs_england_region.name == "London"
    assert guys.programme_region == region("london-south-east")
    oxford = Organisation.objects.get(ods_code="RTH")
    assert (oxford.nhs_england_region.name, oxford.programme_region) == (
        "South East",
        region("south"),
    )
    solent = Organisation.objects.get(ods_code="R1C")
    assert solent.closed_on == datetime.date(2024, 9, 30)
    assert solent.label == "Solent NHS Trust (closed 30 September 2024)"


@pytest.mark.parametrize(
    ("ods", "written"),
    [
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        (
            "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
        (
            "ROYAL BROMPTON & HAREFIELD NHS FOUNDATION TRUST",
            "Royal Brompton & Harefield NHS Foundation Trust",
        ),
        ("STOKE-ON-TRENT 2GETHER NHS TRUST", "Stoke-On-Trent 2GETHER NHS Trust"),
        ("BARKING, HAVERING AND REDBRIDGE", "Barking, Havering and Redbridge"),
    ],
)
def test_names_are_written_in_the_case_people_write_them(ods, written):
    assert name_as_written(ods) == written


def test_loading_the_shipped_file_again_writes_nothing(django_assert_num_queries):
    trusts = read_trusts(SHIPPED_FILE.read_bytes())
    history = Organisation.history.count()

    # The lock, the mapping, the regions' names and the trusts: reading only.
    with django_assert_num_queries(6):
        plan = organisations_load_from_ods(trusts=trusts)

    assert plan.counts()["added"] == 0 and not plan.changes and not plan.snapshots
    assert Organisation.history.count() == history


# What the portal's people edited stands


def shipped_rows():
    return list(csv.reader(io.StringIO(SHIPPED_FILE.read_text(encoding="utf-8"))))


def as_file(rows):
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows(rows)
    return out.getvalue().encode("utf-8")


def changed(rows, code, **columns):
    """The rows with the trust `code` given new values (by column index)."""
    result = []
    for row in rows:
        if row[0] == code:
            row = list(row)
            for index, value in columns.items():
                row[int(index.removeprefix("c"))] = value
        result.append(row)
    return result


def test_a_name_edited_in_the_portal_is_kept_when_ods_renames_the_trust():
    guys = Organisation.objects.get(ods_code="RJ1")
    guys.name = "Guy's and St Thomas' (GSTT)"
    guys.save()
    rows = changed(shipped_rows(), "RJ1", c1="GUY'S AND ST THOMAS' HOSPITALS NHS FOUNDATION TRUST")

    plan = organisations_load_from_ods(trusts=read_trusts(as_file(rows)))

    guys.refresh_from_db()
    assert guys.name == "Guy's and St Thomas' (GSTT)"
    assert [(org.ods_code, what) for org, what, _portal, _ods in plan.kept] == [("RJ1", "name")]
    # ODS's new name was seen: the next load of the same file says nothing more about it.
    assert organisations_load_from_ods(trusts=read_trusts(as_file(rows))).kept == []


def test_a_close_date_set_in_the_portal_is_kept_when_ods_has_none():
    trust = Organisation.objects.get(ods_code="RJ1")
    trust.closed_on = datetime.date(2026, 1, 31)
    trust.save()

    organisations_load_from_ods(trusts=read_trusts(SHIPPED_FILE.read_bytes()))

    trust.refresh_from_db()
    assert trust.closed_on == datetime.date(2026, 1, 31)


def test_an_organisation_added_by_hand_with_the_code_keeps_its_name_and_gains_its_regions():
    Organisation.objects.filter(ods_code="RJ1").delete()
    by_hand = Organisation.objects.create(
        slug="gstt", kind=Organisation.Kind.NHS_TRUST, name="GSTT", ods_code="RJ1"
    )

    organisations_load_from_ods(trusts=read_trusts(SHIPPED_FILE.read_bytes()))

    by_hand.refresh_from_db()
    assert by_hand.name == "GSTT"
    assert by_hand.programme_region == region("london-south-east")
    assert Organisation.objects.filter(ods_code="RJ1").count() == 1


def test_the_programme_region_follows_the_editable_mapping():
    OdsRegionMapping.objects.filter(nhs_england_code="Y58", icb_code="").update(
        programme_region=region("london-south-east")
    )

    plan = organisations_load_from_ods(trusts=read_trusts(SHIPPED_FILE.read_bytes()))

    assert len(plan.moved) == 28  # every trust with Y58, open or closed
    assert Organisation.objects.get(ods_code="RA7").programme_region == region("london-south-east")


# Refreshing from a newer file, in the portal


@pytest.fixture
def national_client(client):
    sign_in(client, person_with(Role.NATIONAL))
    return client


def newer_file():
    """The shipped file, with one trust renamed, one closed and one new."""
    rows = changed(shipped_rows(), "RJ1", c1="GUY'S AND ST THOMAS' HOSPITALS NHS FOUNDATION TRUST")
    rows = changed(rows, "RX1", c11="20260930")
    new = list(rows[0])
    new[:4] = ["RZZ", "NEWTOWN AND DISTRICT NHS TRUST", "Y62", "QOP"]
    new[11] = ""
    return as_file([*rows, new])


def upload(client, content, name="etr.csv"):
    return client.post(
        reverse("regions:ods-refresh-start"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_the_national_team_previews_what_a_newer_file_adds_renames_and_closes(national_client):
    response = upload(national_client, newer_file())
    refresh = OdsRefresh.objects.get()
    assert response.url == reverse("regions:ods-refresh", args=[refresh.pk])

    page = national_client.get(response.url).text

    assert "add 1, rename 1 and close 1" in page
    assert "Newtown and District NHS Trust" in page
    assert "Guy&#x27;s and St Thomas&#x27; Hospitals NHS Foundation Trust" in page
    assert "30 September 2026" in page
    # Nothing has changed yet.
    assert not Organisation.objects.filter(ods_code="RZZ").exists()
    assert Organisation.objects.get(ods_code="RX1").closed_on is None


def apply(client, refresh):
    page = client.get(reverse("regions:ods-refresh", args=[refresh.pk]))
    fingerprint = page.context["plan"].fingerprint
    return client.post(
        reverse("regions:ods-refresh-apply", args=[refresh.pk]), {"fingerprint": fingerprint}
    )


def test_applying_renames_keeping_the_old_name_closes_and_adds_recording_who(national_client):
    upload(national_client, newer_file())
    refresh = OdsRefresh.objects.get()

    response = apply(national_client, refresh)

    page = national_client.get(response.url).text
    assert "1 added, 1 renamed, 1 closed" in page
    guys = Organisation.objects.get(ods_code="RJ1")
    assert guys.name == "Guy's and St Thomas' Hospitals NHS Foundation Trust"
    assert list(guys.former_names.values_list("name", flat=True)) == [
        "Guy's and St Thomas' NHS Foundation Trust"
    ]
    assert Organisation.objects.get(ods_code="RX1").closed_on == datetime.date(2026, 9, 30)
    added = Organisation.objects.get(ods_code="RZZ")
    assert (added.name, added.programme_region) == (
        "Newtown and District NHS Trust",
        region("north"),
    )
    refresh.refresh_from_db()
    latest = guys.history.first()
    assert latest.history_user == refresh.applied_by
    assert latest.history_change_reason == "Refreshed from ODS file etr.csv"


def test_a_second_apply_of_the_same_file_changes_nothing(national_client):
    upload(national_client, newer_file())
    refresh = OdsRefresh.objects.get()
    fingerprint = (
        national_client.get(reverse("regions:ods-refresh", args=[refresh.pk]))
        .context["plan"]
        .fingerprint
    )
    url = reverse("regions:ods-refresh-apply", args=[refresh.pk])
    national_client.post(url, {"fingerprint": fingerprint})
    history = Organisation.history.count()

    response = national_client.post(url, {"fingerprint": fingerprint}, follow=True)

    assert "This file has been applied already" in response.text
    assert Organisation.history.count() == history
    assert OrganisationName.objects.filter(organisation__ods_code="RJ1").count() == 1


def test_a_stale_preview_applies_nothing(national_client):
    upload(national_client, newer_file())
    upload(national_client, newer_file())
    first, second = OdsRefresh.objects.order_by("pk")
    first_fingerprint = (
        national_client.get(reverse("regions:ods-refresh", args=[first.pk]))
        .context["plan"]
        .fingerprint
    )
    apply(national_client, second)
    history = Organisation.history.count()

    response = national_client.post(
        reverse("regions:ods-refresh-apply", args=[first.pk]),
        {"fingerprint": first_fingerprint},
        follow=True,
    )

    assert "changed after you looked at this preview, so nothing was applied" in response.text
    assert Organisation.history.count() == history
    first.refresh_from_db()
    assert first.applied_at is None
    # Looked at again, the same file has nothing left to apply.
    assert not response.context["plan"].changes_anything


def test_a_slug_taken_after_the_preview_does_not_stop_the_apply(national_client):
    upload(national_client, newer_file())
    refresh = OdsRefresh.objects.get()
    fingerprint = (
        national_client.get(reverse("regions:ods-refresh", args=[refresh.pk]))
        .context["plan"]
        .fingerprint
    )
    Organisation.objects.create(slug="ods-rzz", kind=Organisation.Kind.OTHER, name="Taken")

    national_client.post(
        reverse("regions:ods-refresh-apply", args=[refresh.pk]), {"fingerprint": fingerprint}
    )

    assert Organisation.objects.get(ods_code="RZZ").slug == "ods-rzz-2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"ODS code,name\nRJ1,GUYS\n", "Row 1 has 2 columns"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not text"),
        (b"", "The submitted file is empty"),
        (as_file([["RJ1", "A TRUST", "Y56", "QKK", *[""] * 7, "2024-09-30"]]), "not a date"),
    ],
)
def test_a_file_that_is_not_the_ods_file_is_refused_next_to_the_box(
    national_client, content, message
):
    response = upload(national_client, content)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert not OdsRefresh.objects.exists()


def test_a_name_in_windows_1252_is_read():
    rows = [["RZZ", "CAFÉ NHS TRUST", "Y62", "QOP", *[""] * 7, ""]]
    content = as_file(rows).decode("utf-8").encode("cp1252")

    assert read_trusts(content)[0].name == "Café NHS Trust"


def test_a_code_twice_in_the_file_is_refused():
    row = ["RZZ", "A TRUST", "Y62", "QOP", *[""] * 8]
    with pytest.raises(OdsFileError, match="RZZ is in the file twice"):
        read_trusts(as_file([row, row]))


@pytest.mark.parametrize("size", [3, 30])
def test_the_preview_takes_the_same_queries_for_small_and_large_files(
    national_client, django_assert_num_queries, size
):
    rows = shipped_rows()[:size]
    rows = [changed([row], row[0], c1=row[1] + " RENAMED")[0] for row in rows]
    upload(national_client, as_file(rows))
    refresh = OdsRefresh.objects.get()

    # The signed-in page's three, the refresh, the mapping, the regions and the trusts.
    with django_assert_num_queries(7):
        response = national_client.get(reverse("regions:ods-refresh", args=[refresh.pk]))

    assert len(response.context["plan"].renamed) == size


def test_a_file_name_with_an_nhs_number_is_refused(national_client):
    response = upload(national_client, newer_file(), name="trusts for 943 476 5919.csv")

    assert "NHS number" in str(response.context["form"].errors["file"])
    assert not OdsRefresh.objects.exists()
