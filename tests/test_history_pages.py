"""The history on record pages: a page of entries costs the same queries however many there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fellows.models import Milestone, ProgressUpdate
from portal.history import HISTORY_SHOWN, one_history_entry
from taxonomy.models import Theme
from tests.factories import UserFactory
from tests.roles import region, sign_in
from tests.work_factories import InitiativeFactory, InvestigationFactory, LearningItemFactory

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
