import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from fellows.models import Initiative, Milestone, ProgressUpdate
from learning.models import LearningItem
from regions.models import Organisation
from taxonomy.models import SyllabusTag, Theme
from tests.conftest import AN_NHS_NUMBER, NOT_AN_NHS_NUMBER
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import LearningItemFactory
from tests.roles import host_psc, person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


@pytest.fixture
def initiative(fellow):
    return InitiativeFactory(created_by=fellow, region=region("north"))


def date_parts(name, date):
    return {f"{name}-day": date.day, f"{name}-month": date.month, f"{name}-year": date.year}


def initiative_data(initiative=None, **overrides):
    """What the form posts for a new initiative in the north, or for `initiative` unchanged."""
    data = {
        "title": "Safer insulin prescribing",
        "summary": "Spreading an insulin safety bundle across the region's trusts.",
        "aims": "Fewer insulin errors within a year.",
        "status": Initiative.Status.ACTIVE,
        "region": region("north").pk,
        "host_psc": host_psc("north").pk,
        **date_parts("starts_on", datetime.date(2026, 4, 1)),
    }
    if initiative is not None:
        data |= {
            "title": initiative.title,
            "summary": initiative.summary,
            "aims": initiative.aims,
            "status": initiative.status,
            "region": initiative.region_id,
            "host_psc": initiative.host_psc_id,
            "fellows": [user.pk for user in initiative.fellows.all()],
            "version": initiative.version,
        }
    return data | overrides


# Scoping.


def test_a_fellow_of_another_region_gets_404_on_every_page_of_an_initiative(client, initiative):
    milestone = Milestone.objects.create(
        initiative=initiative, title="Audit", due_on=datetime.date(2026, 6, 1)
    )
    sign_in(client, person_with(Role.FELLOW, "south"))
    urls = [
        reverse("fellows:detail", args=[initiative.pk]),
        reverse("fellows:edit", args=[initiative.pk]),
        reverse("fellows:milestone-add", args=[initiative.pk]),
        reverse("fellows:milestone-edit", args=[initiative.pk, milestone.pk]),
        reverse("fellows:progress-add", args=[initiative.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    complete = reverse("fellows:milestone-complete", args=[initiative.pk, milestone.pk])
    assert client.post(complete).status_code == 404
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_the_list_shows_only_initiatives_in_the_persons_regions(client, initiative):
    south = InitiativeFactory(title="Southern project", region=region("south"))
    sign_in(client, person_with(Role.FELLOW, "south"))

    response = client.get(reverse("fellows:list"))

    assert list(response.context["page"]) == [south]
    assert initiative.title not in response.content.decode()


def test_a_milestone_is_reached_only_through_its_own_initiative(client, fellow, initiative):
    other = InitiativeFactory(region=region("north"))
    milestone = Milestone.objects.create(
        initiative=other, title="Audit", due_on=datetime.date(2026, 6, 1)
    )
    sign_in(client, fellow)

    url = reverse("fellows:milestone-edit", args=[initiative.pk, milestone.pk])
    assert client.get(url).status_code == 404


def test_the_list_filters_by_status_and_region(client):
    active = InitiativeFactory(status=Initiative.Status.ACTIVE, region=region("north"))
    InitiativeFactory(status=Initiative.Status.PAUSED, region=region("north"))
    InitiativeFactory(status=Initiative.Status.ACTIVE, region=region("south"))
    sign_in(client, person_with(Role.NATIONAL))

    response = client.get(
        reverse("fellows:list"), {"status": "active", "region": region("north").pk}
    )

    assert list(response.context["page"]) == [active]


def test_the_list_is_paginated_in_pages_of_20(client):
    InitiativeFactory.create_batch(21, region=region("north"))
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))

    first = client.get(reverse("fellows:list"))
    second = client.get(reverse("fellows:list"), {"page": 2})

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 1
    assert "Page 2 of 2" in first.content.decode()


# Permissions.


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.FELLOW, 200),
        (Role.NATIONAL, 200),
        (Role.REGIONAL_LEAD, 403),
        (Role.PSC_CHAIR, 403),
        (Role.PARTNER_READER, 403),
    ],
)
def test_who_may_add_an_initiative(client, role, code):
    sign_in(client, person_with(role, "north"))
    assert client.get(reverse("fellows:add")).status_code == code


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("fellow on it", 200),
        ("lead of the region", 200),
        ("national", 200),
        ("another fellow of the region", 403),
        ("chair", 403),
        ("fellow of another region", 404),
        ("reader", 404),
    ],
)
def test_who_may_change_an_initiative(client, fellow, initiative, who, code):
    person = {
        "fellow on it": lambda: fellow,
        "lead of the region": lambda: person_with(Role.REGIONAL_LEAD, "north"),
        "national": lambda: person_with(Role.NATIONAL),
        "another fellow of the region": lambda: person_with(Role.FELLOW, "north"),
        "chair": lambda: person_with(Role.PSC_CHAIR, "north"),
        "fellow of another region": lambda: person_with(Role.FELLOW, "south"),
        "reader": lambda: person_with(Role.PARTNER_READER),
    }[who]()
    sign_in(client, person)

    assert client.get(reverse("fellows:edit", args=[initiative.pk])).status_code == code
    response = client.post(
        reverse("fellows:progress-add", args=[initiative.pk]),
        {**date_parts("written_on", datetime.date(2026, 5, 1)), "ihi_score": "2.0", "text": "x"},
    )
    assert response.status_code == (302 if code == 200 else code)


def test_a_chair_sees_the_initiatives_of_their_psc_but_may_not_change_them(client, initiative):
    sign_in(client, person_with(Role.PSC_CHAIR, "north"))

    response = client.get(reverse("fellows:detail", args=[initiative.pk]))

    assert response.status_code == 200
    assert "Change the initiative" not in response.content.decode()


def test_the_initiatives_item_is_in_the_navigation_for_everyone_but_a_partner_reader(client):
    sign_in(client, person_with(Role.PSC_CHAIR, "north"))
    assert "Initiatives" in [item["label"] for item in client.get("/").context["nav_items"]]

    sign_in(client, person_with(Role.PARTNER_READER))
    assert "Initiatives" not in [item["label"] for item in client.get("/").context["nav_items"]]


# Adding and changing.


def test_a_fellow_adds_an_initiative_in_their_region_and_is_its_fellow(client, fellow):
    sign_in(client, fellow)
    theme = Theme.objects.first()
    tag = SyllabusTag.objects.get(domain__number=2, level__number=1)

    response = client.post(
        reverse("fellows:add"),
        initiative_data(themes=[theme.pk], syllabus=[tag.pk]),
    )

    initiative = Initiative.objects.get()
    assert response.url == reverse("fellows:detail", args=[initiative.pk])
    assert initiative.created_by == fellow
    assert list(initiative.fellows.all()) == [fellow]
    assert list(initiative.themes.all()) == [theme]
    assert list(initiative.syllabus.all()) == [tag]
    assert initiative.starts_on == datetime.date(2026, 4, 1)


def test_the_add_form_starts_with_the_fellows_region_host_psc_and_themselves(client, fellow):
    sign_in(client, fellow)

    form = client.get(reverse("fellows:add")).context["form"]

    assert form["region"].value() == region("north").pk
    assert form["host_psc"].value() == host_psc("north").pk
    assert form["fellows"].value() == [fellow.pk]


def test_a_fellow_may_not_choose_another_region_or_host_psc(client, fellow):
    sign_in(client, fellow)

    response = client.post(
        reverse("fellows:add"),
        initiative_data(region=region("south").pk, host_psc=host_psc("south").pk),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"region", "host_psc"}
    assert not Initiative.objects.exists()


def test_the_national_team_may_choose_any_region(client):
    national = person_with(Role.NATIONAL)
    sign_in(client, national)

    response = client.post(
        reverse("fellows:add"),
        initiative_data(region=region("south").pk, host_psc=host_psc("south").pk),
    )

    assert response.status_code == 302
    assert Initiative.objects.get().region == region("south")


def test_the_form_lists_no_trusts_but_adds_partners_by_name_or_ods_code(client):
    sign_in(client, person_with(Role.FELLOW, "north"))
    hssib = Organisation.objects.get(slug="hssib")

    page = client.get(reverse("fellows:add")).text
    assert "Guy&#x27;s and St Thomas&#x27;" not in page
    assert page.count("<option") < 30  # regions and PSCs, not 300 organisations

    response = client.post(
        reverse("fellows:add"),
        {**initiative_data(), "partners": [hssib.pk], "partners-add": "RJ1"},
    )

    assert response.status_code == 302
    assert set(Initiative.objects.get().partners.values_list("ods_code", "slug")) == {
        ("", "hssib"),
        ("RJ1", "ods-rj1"),
    }


def test_a_partner_search_that_matches_several_keeps_those_already_added(client):
    sign_in(client, person_with(Role.FELLOW, "north"))
    guys = Organisation.objects.get(ods_code="RJ1")

    response = client.post(
        reverse("fellows:add"),
        {**initiative_data(), "partners": [guys.pk], "partners-add": "manchester"},
    )

    assert response.context["form"].errors["partners"] == [
        "3 organisations match “manchester”. Choose one below the box"
    ]
    page = response.text
    assert f'name="partners" type="checkbox" value="{guys.pk}" checked' in page
    assert page.count('name="partners-add-choice"') == 3
    assert 'value="manchester"' in page
    manchester = Organisation.objects.get(ods_code="R0A")

    response = client.post(
        reverse("fellows:add"),
        {
            **initiative_data(),
            "partners": [guys.pk],
            "partners-add": "manchester",
            "partners-add-choice": manchester.pk,
        },
    )

    assert response.status_code == 302
    assert set(Initiative.objects.get().partners.all()) == {guys, manchester}


def test_the_end_date_may_not_be_before_the_start(client, fellow):
    sign_in(client, fellow)

    response = client.post(
        reverse("fellows:add"),
        initiative_data(**date_parts("ends_on", datetime.date(2026, 1, 1))),
    )

    assert response.context["form"].errors["ends_on"] == [
        "The end date must be on or after the start date"
    ]


def test_a_fellow_on_it_changes_an_initiative(client, fellow, initiative):
    sign_in(client, fellow)

    response = client.post(
        reverse("fellows:edit", args=[initiative.pk]),
        initiative_data(initiative, title="Safer handover, phase 2"),
    )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Safer handover, phase 2"
    assert initiative.version == 2


# The NHS-number guard, through each form.

FREE_TEXT = [
    ("fellows:add", "title"),
    ("fellows:add", "summary"),
    ("fellows:add", "aims"),
    ("fellows:edit", "title"),
    ("fellows:edit", "summary"),
    ("fellows:edit", "aims"),
    ("fellows:milestone-add", "title"),
    ("fellows:milestone-edit", "title"),
    ("fellows:progress-add", "text"),
]


def post_free_text(client, initiative, url_name, field, text):
    milestone = Milestone.objects.create(
        initiative=initiative, title="Audit", due_on=datetime.date(2026, 6, 1)
    )
    if url_name == "fellows:add":
        url, data = reverse(url_name), initiative_data()
    elif url_name == "fellows:edit":
        url, data = reverse(url_name, args=[initiative.pk]), initiative_data(initiative)
    elif url_name == "fellows:milestone-add":
        url = reverse(url_name, args=[initiative.pk])
        data = {"title": "Audit", **date_parts("due_on", datetime.date(2026, 6, 1))}
    elif url_name == "fellows:milestone-edit":
        url = reverse(url_name, args=[initiative.pk, milestone.pk])
        data = {
            "title": "Audit",
            **date_parts("due_on", datetime.date(2026, 6, 1)),
            "version": milestone.version,
        }
    else:
        url = reverse(url_name, args=[initiative.pk])
        data = {
            "text": "Good progress",
            "ihi_score": "3.0",
            **date_parts("written_on", datetime.date(2026, 5, 1)),
        }
    data[field] = f"Seen in clinic, ref {text}, during the pilot"
    return client.post(url, data)


@pytest.mark.parametrize(("url_name", "field"), FREE_TEXT)
def test_free_text_with_an_nhs_number_is_refused_with_the_message_by_the_field(
    client, fellow, initiative, url_name, field
):
    sign_in(client, fellow)

    response = post_free_text(client, initiative, url_name, field, AN_NHS_NUMBER)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [
        f"Remove the NHS number ending 5919 from {form[field].label}: “Seen in clinic, ref "
        "••• ••• 5919, during the pilot” (characters 21 to 32). The portal must never hold "
        "patient-identifiable information."
    ]
    assert f'id="id_{field}-error"' in response.content.decode()


@pytest.mark.parametrize(("url_name", "field"), FREE_TEXT)
def test_free_text_with_ten_digits_that_are_not_an_nhs_number_is_accepted(
    client, fellow, initiative, url_name, field
):
    sign_in(client, fellow)

    response = post_free_text(client, initiative, url_name, field, NOT_AN_NHS_NUMBER)

    assert response.status_code == 302, response.context["form"].errors


# History.


def test_the_history_shows_who_created_and_who_changed_what(client, fellow):
    sign_in(client, fellow)
    client.post(reverse("fellows:add"), initiative_data(title="Safer insulin"))
    initiative = Initiative.objects.get()
    lead = person_with(Role.REGIONAL_LEAD, "north", full_name="Robin Lead")
    sign_in(client, lead)
    client.post(
        reverse("fellows:edit", args=[initiative.pk]),
        initiative_data(initiative, title="Safer insulin prescribing", status="paused"),
    )

    response = client.get(reverse("fellows:detail", args=[initiative.pk]))

    history = response.context["history"]
    # One entry a save, though links such as the fellows are written just after the record.
    assert [entry["kind"] for entry in history] == ["Changed", "Created"]
    assert history[0]["kind"] == "Changed"
    assert history[0]["who"] == lead
    assert ("Title", "Safer insulin", "Safer insulin prescribing") in history[0]["changes"]
    assert history[-1]["kind"] == "Created"
    assert history[-1]["who"] == fellow
    page = response.content.decode()
    assert "Changed</strong> by Robin Lead" in page
    assert "Title: Safer insulin → Safer insulin prescribing" in page
    assert "Status: Active → Paused" in page


# Two people editing at once.


def test_the_second_of_two_overlapping_edits_is_refused_and_keeps_what_was_typed(
    client, fellow, initiative, django_user_model
):
    from django.test import Client

    lead = person_with(Role.REGIONAL_LEAD, "north", full_name="Robin Lead")
    first, second = sign_in(Client(), lead), sign_in(client, fellow)
    url = reverse("fellows:edit", args=[initiative.pk])
    first_form = first.get(url).context["form"]
    second_form = second.get(url).context["form"]
    assert first_form["version"].value() == second_form["version"].value() == 1

    saved = first.post(url, initiative_data(initiative, title="The lead's title"))
    refused = second.post(url, initiative_data(initiative, title="The fellow's title"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Robin Lead changed this initiative on" in page
    assert "Nothing has been overwritten" in page
    assert 'value="The fellow&#x27;s title"' in page
    initiative.refresh_from_db()
    assert initiative.title == "The lead's title"
    # Saving again, now knowing of the other change, is allowed.
    again = second.post(url, refused.context["form"].data)
    assert again.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "The fellow's title"


# Milestones and progress.


def test_an_overdue_milestone_is_flagged(client, fellow, initiative):
    Milestone.objects.create(
        initiative=initiative, title="Baseline audit", due_on=datetime.date(2020, 1, 1)
    )
    Milestone.objects.create(
        initiative=initiative, title="Final report", due_on=datetime.date(2099, 1, 1)
    )
    sign_in(client, fellow)

    response = client.get(reverse("fellows:detail", args=[initiative.pk]))

    rows = {row["milestone"].title: row["overdue"] for row in response.context["milestones"]}
    assert rows == {"Baseline audit": True, "Final report": False}
    assert response.content.decode().count(">Overdue</strong>") == 1


def test_a_milestone_is_added_changed_and_marked_complete(client, fellow, initiative):
    sign_in(client, fellow)
    client.post(
        reverse("fellows:milestone-add", args=[initiative.pk]),
        {"title": "Baseline audit", **date_parts("due_on", datetime.date(2026, 6, 30))},
    )
    milestone = initiative.milestones.get()
    client.post(
        reverse("fellows:milestone-edit", args=[initiative.pk, milestone.pk]),
        {
            "title": "Baseline audit of 3 wards",
            **date_parts("due_on", datetime.date(2026, 7, 31)),
            "version": milestone.version,
        },
    )
    complete = reverse("fellows:milestone-complete", args=[initiative.pk, milestone.pk])
    assert client.get(complete).status_code == 405

    response = client.post(complete)

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Baseline audit of 3 wards"
    assert milestone.due_on == datetime.date(2026, 7, 31)
    assert milestone.completed_on is not None


def test_milestones_and_progress_updates_are_on_the_initiatives_history(client, fellow, initiative):
    sign_in(client, fellow)
    client.post(
        reverse("fellows:milestone-add", args=[initiative.pk]),
        {"title": "Baseline audit", **date_parts("due_on", datetime.date(2026, 6, 30))},
    )
    milestone = initiative.milestones.get()
    client.post(
        reverse("fellows:milestone-edit", args=[initiative.pk, milestone.pk]),
        {
            "title": "Baseline audit",
            "version": milestone.version,
            **date_parts("due_on", datetime.date(2026, 7, 31)),
        },
    )
    client.post(
        reverse("fellows:progress-add", args=[initiative.pk]),
        {**date_parts("written_on", datetime.date(2026, 5, 15)), "ihi_score": "2.0", "text": "Go"},
    )

    response = client.get(reverse("fellows:detail", args=[initiative.pk]))

    history = response.context["history"]
    assert [(entry["kind"], entry["subject"]) for entry in history[:3]] == [
        ("Progress update added", "IHI score 2.0, 15 May 2026"),
        ("Milestone changed", "Baseline audit"),
        ("Milestone added", "Baseline audit"),
    ]
    assert history[-1]["kind"] == "Created"
    assert all(entry["who"] == fellow for entry in history[:3])
    assert history[1]["changes"] == [("Due date", "30 June 2026", "31 July 2026")]
    page = response.content.decode()
    assert "<strong>Milestone added</strong>: Baseline audit by North Fellow" in page


def test_progress_scores_are_shown_in_date_order(client, fellow, initiative):
    sign_in(client, fellow)
    for day, score in ((datetime.date(2026, 9, 1), "3.0"), (datetime.date(2026, 5, 1), "1.5")):
        client.post(
            reverse("fellows:progress-add", args=[initiative.pk]),
            {**date_parts("written_on", day), "ihi_score": score, "text": f"Update {score}"},
        )
    ProgressUpdate.objects.create(
        initiative=initiative,
        written_on=datetime.date(2026, 7, 1),
        ihi_score="2.0",
        text="Update 2.0",
        by=fellow,
    )

    response = client.get(reverse("fellows:detail", args=[initiative.pk]))

    scores = [str(update.ihi_score) for update in response.context["updates"]]
    assert scores == ["1.5", "2.0", "3.0"]
    page = response.content.decode()
    table = page[page.index('id="scores"') :]
    assert table.index("1 May 2026") < table.index("1 July 2026") < table.index("1 September 2026")
    assert response.context["chart"] is not None
    assert 'aria-hidden="true" focusable="false"' in page
    assert all(update.by == fellow for update in response.context["updates"])


def test_the_list_shows_the_latest_score_and_next_milestone(client, fellow, initiative):
    ProgressUpdate.objects.create(
        initiative=initiative,
        written_on=datetime.date(2026, 5, 1),
        ihi_score="1.5",
        text="a",
        by=fellow,
    )
    ProgressUpdate.objects.create(
        initiative=initiative,
        written_on=datetime.date(2026, 8, 1),
        ihi_score="2.5",
        text="b",
        by=fellow,
    )
    Milestone.objects.create(
        initiative=initiative,
        title="Done",
        due_on=datetime.date(2026, 1, 1),
        completed_on=datetime.date(2026, 1, 1),
    )
    Milestone.objects.create(initiative=initiative, title="Pilot", due_on=datetime.date(2026, 9, 1))
    sign_in(client, fellow)

    row = client.get(reverse("fellows:list")).context["page"][0]

    assert str(row.latest_score) == "2.5"
    assert (row.next_milestone_title, row.next_milestone_due) == (
        "Pilot",
        datetime.date(2026, 9, 1),
    )


def test_the_list_tags_an_overdue_next_milestone_filters_and_counts_them(client, fellow):
    today = timezone.localdate()
    late = InitiativeFactory(title="Late audit", region=region("north"))
    Milestone.objects.create(
        initiative=late, title="Audit", due_on=today - datetime.timedelta(days=16)
    )
    on_time = InitiativeFactory(title="On time", region=region("north"))
    Milestone.objects.create(initiative=on_time, title="Due today", due_on=today)
    done = InitiativeFactory(title="Done late", region=region("north"))
    Milestone.objects.create(
        initiative=done,
        title="Finished",
        due_on=today - datetime.timedelta(days=30),
        completed_on=today - datetime.timedelta(days=20),
    )
    sign_in(client, fellow)

    everything = client.get(reverse("fellows:list"))
    only_overdue = client.get(reverse("fellows:list"), {"milestones": "overdue"})

    page = everything.content.decode()
    rows = {row.title: row for row in everything.context["page"]}
    assert rows["Late audit"].next_milestone_overdue
    assert not rows["On time"].next_milestone_overdue
    assert rows["Done late"].next_milestone_title is None
    assert page.count('nhsuk-tag--red">Overdue</strong>') == 1
    late_row = page[page.index("Late audit") :]
    assert late_row.index("Overdue") < late_row.index("</tr>")
    assert "1 with an overdue milestone" in page
    assert list(only_overdue.context["page"]) == [late]
    assert "1 initiative." in only_overdue.content.decode()


def test_only_learning_items_the_person_may_see_are_linked(client, initiative):
    published = LearningItemFactory(title="Published item", status=LearningItem.Status.PUBLISHED)
    draft = LearningItemFactory(title="Someone's draft")
    published.initiatives.add(initiative)
    draft.initiatives.add(initiative)
    sign_in(client, person_with(Role.FELLOW, "north"))

    response = client.get(reverse("fellows:detail", args=[initiative.pk]))

    assert list(response.context["learning_items"]) == [published]


# Query counts.


def make_initiatives(count, fellow):
    for _ in range(count):
        initiative = InitiativeFactory(region=region("north"), fellows=[fellow])
        ProgressUpdate.objects.create(
            initiative=initiative,
            written_on=datetime.date(2026, 5, 1),
            ihi_score="2.0",
            text="a",
            by=fellow,
        )
        Milestone.objects.create(
            initiative=initiative, title="Pilot", due_on=datetime.date(2026, 9, 1)
        )


@pytest.mark.parametrize("rows", [1, 20])
def test_the_list_takes_the_same_number_of_queries_however_many_rows(
    client, fellow, django_assert_num_queries, django_capture_on_commit_callbacks, rows
):
    make_initiatives(rows, fellow)
    sign_in(client, fellow)
    # A write out of the fellow's sight, committed: the first view counts afresh.
    with django_capture_on_commit_callbacks(execute=True):
        InitiativeFactory(region=region("south"), fellows=[person_with(Role.FELLOW, "south")])

    # Session, user, scope, two for the model permissions behind the add button, the filter's
    # regions, the count, the count of overdue ones and the page of rows with its latest score
    # and next milestone; afresh and read again alike.
    for _view in ("afresh", "again"):
        with django_assert_num_queries(7):
            response = client.get(reverse("fellows:list"))
        assert len(response.context["page"]) == rows


def add_related(initiative, fellow, count):
    for number in range(count):
        ProgressUpdate.objects.create(
            initiative=initiative,
            written_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            ihi_score="2.0",
            text="a",
            by=fellow,
        )
        Milestone.objects.create(
            initiative=initiative, title=f"M{number}", due_on=datetime.date(2026, 9, 1)
        )
        item = LearningItemFactory(status=LearningItem.Status.PUBLISHED)
        item.initiatives.add(initiative)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_detail_page_takes_the_same_number_of_queries_however_many_rows(
    client, fellow, initiative, django_assert_num_queries, rows
):
    add_related(initiative, fellow, rows)
    sign_in(client, fellow)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("fellows:detail", args=[initiative.pk]))
    assert len(response.context["updates"]) == rows


# Session, user and scope; the initiative and 6 prefetches; the learning items; the history:
# its entries, one query for each of its four many-to-many fields, the names of the fellows
# its one change links, and one query each for the history of its milestones and its progress
# updates (tests/portal/test_history_pages.py shows it the same for few and many entries); the
# recommendations it answers, its adoptions and their counts by region and stage; and the
# base template's.
DETAIL_QUERIES = 22


def test_the_progress_update_form_starts_with_todays_date(client, fellow, initiative):
    sign_in(client, fellow)

    form = client.get(reverse("fellows:progress-add", args=[initiative.pk])).context["form"]

    assert form["written_on"].value() == timezone.localdate()
