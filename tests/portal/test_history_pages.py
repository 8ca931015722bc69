"""The history on record pages: a page of entries costs the same queries however many there are,
and older entries are a link away."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fellows.models import Milestone, ProgressUpdate
from fellows.views import INITIATIVE_PARTS
from portal.history import HISTORY_SHOWN, changes_of, one_history_entry
from taxonomy.models import SyllabusTag, Theme
from tests.accounts.factories import UserFactory
from tests.curriculum import factories as curriculum
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.register import factories as register
from tests.roles import region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

FEW, MANY = 1, 30


def change(record, number, people=None):
    """Change a plain field and the themes of the record, and with `people` (the name of a
    many-to-many field to users) who it names, as one history entry.

    Every change links the same kinds of records, themes and people, as the factory's first
    change names people: the names of linked records take one query for each kind mentioned,
    so few changes and many then take the same queries.
    """
    themes = list(Theme.objects.order_by("pk")[:3])
    record.title = f"Version {number}"
    with one_history_entry(record, created=False):
        record.save()
        record.themes.set([themes[number % 3], themes[(number + 1) % 3]])
        if people:
            named = getattr(record, people)
            if number % 2:
                named.add(UserFactory(totp=False))
            else:
                named.set([record.created_by])


def change_initiative(initiative, number, fellow):
    """Change the initiative, one of its milestones twice and add a progress update."""
    change(initiative, number, people="fellows")
    milestone = Milestone.objects.create(
        initiative=initiative, title=f"Milestone {number}", due_on=datetime.date(2026, 9, 1)
    )
    milestone.title = f"Milestone {number}, renamed"
    milestone.save()
    ProgressUpdate.objects.create(
        initiative=initiative,
        written_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
        ihi_score="2.0",
        text="Going well",
        by=fellow,
    )


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def assert_same_queries_for_few_and_many_changes(client, url, make_change, history_key):
    for number in range(1, FEW + 1):
        make_change(number)
    client.get(url)  # Whatever the first page of a session reads once.
    few = queries_of(client, url)

    for number in range(FEW + 1, MANY + 1):
        make_change(number)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(queries) == few, "\n".join(query["sql"] for query in queries.captured_queries)
    shown = response.context[history_key]
    assert len(shown) == HISTORY_SHOWN
    assert any(name == "Themes" for entry in shown for name, _old, _new in entry["changes"])


def test_an_initiatives_page_takes_the_same_queries_for_few_and_many_changes(client, fellow):
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    sign_in(client, fellow)

    assert_same_queries_for_few_and_many_changes(
        client,
        reverse("fellows:detail", args=[initiative.pk]),
        lambda number: change_initiative(initiative, number, fellow),
        "history",
    )


def test_a_learning_items_page_takes_the_same_queries_for_few_and_many_changes(client, fellow):
    item = LearningItemFactory(created_by=fellow)
    sign_in(client, fellow)

    assert_same_queries_for_few_and_many_changes(
        client,
        reverse("learning:item-detail", args=[item.pk]),
        lambda number: change(item, number, people="authors"),
        "changes",
    )


def test_an_investigations_page_takes_the_same_queries_for_few_and_many_changes(client, fellow):
    investigation = InvestigationFactory()
    sign_in(client, fellow)

    assert_same_queries_for_few_and_many_changes(
        client,
        reverse("learning:investigation-detail", args=[investigation.pk]),
        lambda number: change(investigation, number),
        "changes",
    )


def older_link(page):
    """The query of the page's "Show older changes" link, which goes to the history."""
    found = re.search(r'href="(\?history_before=[^"#]+)#history"', page)
    return found and found.group(1)


def titles_changed_to(response):
    return [
        new
        for entry in response.context["changes"]
        for label, _old, new in entry["changes"]
        if label == "Title"
    ]


def test_show_older_changes_shows_the_next_older_entries(client, fellow):
    item = LearningItemFactory(created_by=fellow, title="Version 0")
    for number in range(1, MANY + 1):
        change(item, number)
    url = reverse("learning:item-detail", args=[item.pk])
    sign_in(client, fellow)

    newest = client.get(url)
    page = newest.content.decode()
    assert "Show older changes" in page
    assert "Show newest changes" not in page
    assert titles_changed_to(newest) == [f"Version {number}" for number in range(30, 10, -1)]

    older = client.get(url + older_link(page))
    page = older.content.decode()
    assert older.status_code == 200
    assert titles_changed_to(older) == [f"Version {number}" for number in range(10, 0, -1)]
    # The creation and the factory's authors are the oldest two.
    assert len(older.context["changes"]) == 12
    assert older.context["changes"][-1]["kind"] == "Created"
    assert "Show older changes" not in page
    assert f'href="{url}#history">' in page
    assert "Show newest changes" in page


def test_following_show_older_walks_an_initiatives_whole_history_once(client, fellow):
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    for number in range(1, 16):
        change_initiative(initiative, number, fellow)
    url = reverse("fellows:detail", args=[initiative.pk])
    sign_in(client, fellow)

    walked, query = [], ""
    while True:
        response = client.get(url + query)
        walked += response.context["history"]
        query = older_link(response.content.decode())
        if not query:
            break

    # 15 changes of the initiative, 30 of milestones, 15 progress updates, the creation and
    # the factory's fellows: four pages.
    assert len(walked) == 62
    assert walked == changes_of(initiative, limit=100, parts=INITIATIVE_PARTS)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "yesterday",
        "2026-13-45T99:00:00Z",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "1" * 1000,
        "2026-12-02T10:00:00Z and more",
        "2026-12-02T10:00:00+00:00",
    ],
)
def test_a_bad_history_before_shows_the_newest_changes(client, fellow, value):
    item = LearningItemFactory(created_by=fellow)
    for number in range(1, MANY + 1):
        change(item, number)
    sign_in(client, fellow)

    response = client.get(
        reverse("learning:item-detail", args=[item.pk]), {"history_before": value}
    )

    assert response.status_code == 200
    assert titles_changed_to(response)[0] == f"Version {MANY}"
    assert "Show newest changes" not in response.content.decode()


def test_a_moment_before_any_change_shows_no_changes_and_the_way_back(client, fellow):
    item = LearningItemFactory(created_by=fellow)
    sign_in(client, fellow)

    response = client.get(
        reverse("learning:item-detail", args=[item.pk]),
        {"history_before": "2000-01-01T00:00:00.000000Z"},
    )

    assert response.status_code == 200
    assert list(response.context["changes"]) == []
    page = response.content.decode()
    assert "No older changes." in page
    assert "Show newest changes" in page


def history_pages(fellow):
    """A record of each kind whose page shows its history, the north fellow's to see."""
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    return {
        "fellows:detail": initiative,
        "learning:item-detail": LearningItemFactory(created_by=fellow),
        "learning:investigation-detail": InvestigationFactory(),
        "register:recommendation-detail": register.recommendation(fellow),
        "register:adoption-detail": register.adoption(fellow, of=initiative),
        "curriculum:entry-detail": curriculum.entry(fellow),
        "curriculum:training-detail": curriculum.session(fellow),
        "curriculum:support-detail": curriculum.support(fellow),
    }


def test_every_page_with_a_history_offers_the_way_back_from_older_changes(client, fellow):
    sign_in(client, fellow)

    for name, record in history_pages(fellow).items():
        url = reverse(name, args=[record.pk])
        newest = client.get(url, {"history_before": "not a moment"})
        older = client.get(url, {"history_before": "2000-01-01T00:00:00.000000Z"})

        assert newest.status_code == 200, name
        assert "Show newest changes" not in newest.content.decode(), name
        assert older.status_code == 200, name
        assert "Show newest changes" in older.content.decode(), name


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z"])
def test_a_moment_at_either_end_of_the_calendar_is_a_page_like_any_other(client, fellow, value):
    item = LearningItemFactory(created_by=fellow)
    sign_in(client, fellow)

    url = reverse("learning:item-detail", args=[item.pk])
    response = client.get(url, {"history_before": value})

    assert response.status_code == 200
    assert "Show newest changes" in response.content.decode()


def test_a_learning_items_page_names_every_syllabus_cell_its_changes_mention_in_one_query(
    client, fellow
):
    """A syllabus cell's name is its domain's and level's numbers: read with the cells, not two
    queries for each cell a change mentions. A page of changes between two cells takes the
    same queries as a page of changes each to a cell of its own."""
    item = LearningItemFactory(created_by=fellow)
    tags = list(SyllabusTag.objects.order_by("pk"))
    sign_in(client, fellow)
    url = reverse("learning:item-detail", args=[item.pk])

    def retag(number, cells):
        item.title = f"Version {number}"
        with one_history_entry(item, created=False):
            item.save()
            item.syllabus.set([tags[number % cells]])

    # One more than a page, so the page shows no change from the item's making (which names
    # its authors, a kind of record of its own).
    for number in range(1, HISTORY_SHOWN + 2):
        retag(number, cells=2)
    client.get(url)
    few = queries_of(client, url)
    for number in range(HISTORY_SHOWN + 2, 2 * HISTORY_SHOWN + 2):
        retag(number, cells=len(tags))
    response = client.get(url)

    assert queries_of(client, url) == few
    named = {
        str(new)
        for entry in response.context["changes"]
        for name, _old, new in entry["changes"]
        if name == "Patient Safety Syllabus"
    }
    assert len(named) == HISTORY_SHOWN, named
    assert all(name.startswith("Domain ") for name in named), named
