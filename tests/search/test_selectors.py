import datetime

import pytest
from django.db import connection
from django.utils import timezone

from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from search import selectors as search_module
from search.selectors import SearchFilters, search
from taxonomy.models import SyllabusTag, Theme
from tests.conftest import require_service
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.regions.factories import programme_region

PUBLISHED = LearningItem.Status.PUBLISHED


def run(text, filters=None):
    return search(
        text,
        initiatives=Initiative.objects.all(),
        investigations=Investigation.objects.all(),
        learning_items=LearningItem.objects.all(),
        filters=filters,
    )


def titles(results):
    return [result.record.title for result in results]


@pytest.fixture(params=["postgresql", "plain"])
def either_backend(request, db, monkeypatch):
    """Runs a test with PostgreSQL full-text search and with the plain fallback."""
    if request.param == "postgresql":
        require_service(
            "PostgreSQL", connection.vendor == "postgresql", "full-text search runs on PostgreSQL"
        )
    else:
        monkeypatch.setattr(search_module, "_postgres_matches", search_module._plain_matches)
    return request.param


def test_a_title_match_ranks_above_a_body_match(on_postgresql):
    LearningItemFactory(
        title="Ward huddles", summary="Daily huddles.", body="About sepsis screening.",
        status=PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    LearningItemFactory(
        title="Sepsis screening in emergency departments", summary="Screening tool.",
        status=PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    assert titles(run("sepsis")) == ["Sepsis screening in emergency departments", "Ward huddles"]


def test_postgresql_search_matches_word_forms_and_highlights_them(on_postgresql):
    LearningItemFactory(
        title="Screening for sepsis", summary='Nurses screened every patient for "sepsis & shock".',
        status=PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    [result] = run("screen")
    assert "<mark>Screening</mark>" in result.title
    assert "&quot;sepsis &amp; shock&quot;" in result.summary
    assert "<mark>screened</mark>" in result.summary


@pytest.mark.parametrize(
    ("text", "words", "html"),
    [
        ("Ramp & handover", {"amp"}, "R<mark>amp</mark> &amp; handover"),
        ("Falls < 5 a month", {"lt"}, "Falls &lt; 5 a month"),
        (
            'Quotes "quot" & more',
            {"quot"},
            "<mark>Quot</mark>es &quot;<mark>quot</mark>&quot; &amp; more",
        ),
        ("<script>", {"script"}, "&lt;<mark>script</mark>&gt;"),
    ],
)
def test_search_highlighting_never_marks_inside_an_escaped_character(text, words, html):
    from search.selectors import _highlight

    assert _highlight(text, words) == html


def test_second_victim_finds_learning_about_staff_affected_by_incidents(either_backend):
    LearningItemFactory(
        kind=LearningItem.Kind.STAFF_SUPPORT, title="Peer support after serious incidents",
        summary="Trained peers contact colleagues within a day.",
        status=PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    LearningItemFactory(
        title="Listening to staff affected by incidents", summary="Debriefs for teams.",
        status=PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    LearningItemFactory(title="Falls prevention", status=PUBLISHED, published_at=timezone.now())
    assert set(titles(run("second victim"))) == {
        "Peer support after serious incidents",
        "Listening to staff affected by incidents",
    }


def test_only_published_learning_is_found(either_backend):
    for status in LearningItem.Status.values:
        LearningItemFactory(title=f"Handover {status}", status=status)
    assert titles(run("handover")) == ["Handover published"]


def test_it_searches_initiatives_investigations_and_learning_together(either_backend):
    InitiativeFactory(title="Deterioration project")
    InvestigationFactory(title="Deterioration in acute wards")
    LearningItemFactory(title="Deterioration scores", status=PUBLISHED, published_at=timezone.now())
    assert {result.kind for result in run("deterioration")} == {
        "initiative",
        "investigation",
        "learning",
    }


def test_filters_narrow_by_type_region_status_theme_domain_and_date(either_backend):
    from taxonomy.models import SyllabusDomain

    south = programme_region("south")
    falls = Theme.objects.get(slug="falls")
    domain_two = SyllabusDomain.objects.get(number=2)
    north_item = LearningItemFactory(
        title="Falls review north", status=PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(2025, 5, 1)),
    )  # fmt: skip
    north_item.themes.add(falls)
    north_item.syllabus.add(SyllabusTag.objects.get(domain=domain_two, level__number=3))
    LearningItemFactory(
        title="Falls review south", region=south, status=PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(2025, 11, 1)),
    )  # fmt: skip
    InitiativeFactory(title="Falls initiative", status=Initiative.Status.ACTIVE)
    InitiativeFactory(title="Falls plan", status=Initiative.Status.PLANNED)

    assert set(titles(run("falls", SearchFilters(types=["initiative"])))) == {
        "Falls initiative",
        "Falls plan",
    }
    assert titles(run("falls", SearchFilters(region=south.pk))) == ["Falls review south"]
    assert titles(run("falls", SearchFilters(status="active"))) == ["Falls initiative"]
    assert titles(run("falls", SearchFilters(theme="falls"))) == ["Falls review north"]
    assert titles(run("falls", SearchFilters(domain=2))) == ["Falls review north"]
    assert titles(
        run("falls", SearchFilters(types=["best_practice"], date_from=datetime.date(2025, 10, 1)))
    ) == ["Falls review south"]


def test_the_search_vector_follows_changes_made_by_queryset_updates(on_postgresql):
    item = LearningItemFactory(title="Old words", status=PUBLISHED, published_at=timezone.now())
    LearningItem.objects.filter(pk=item.pk).update(title="Medication reconciliation")
    assert titles(run("medication")) == ["Medication reconciliation"]
    assert list(run("old")) == []
