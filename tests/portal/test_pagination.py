"""Paging a list: an empty one, and a large count kept until the next write."""

import pytest

from learning.models import LearningItem
from tests.learning.factories import published_items

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def test_a_list_with_no_rows_for_the_person_pages_as_empty(rf):
    from portal.pagination import paginated

    page = paginated(rf.get("/learning/"), LearningItem.objects.none())["page"]
    assert page.paginator.count == 0
    assert list(page) == []


def test_a_large_count_is_kept_until_the_next_write(rf, settings, monkeypatch):
    from portal import counts, pagination

    monkeypatch.setattr(pagination, "KEEP_COUNTS_FROM", 3)
    published_items(3)
    rows = LearningItem.objects.published()
    assert pagination.paginated(rf.get("/"), rows)["page"].paginator.count == 3
    LearningItem.objects.filter(pk=rows.first().pk).update(status=LearningItem.Status.DRAFT)
    # Kept: the count moves on when a write commits, which never comes inside a test.
    assert pagination.paginated(rf.get("/"), rows)["page"].paginator.count == 3
    counts._next_generation()  # what every committed write of a counted record does
    assert pagination.paginated(rf.get("/"), rows)["page"].paginator.count == 2
    monkeypatch.setattr(pagination, "KEEP_COUNTS_FROM", 10)
    counts._next_generation()
    assert pagination.paginated(rf.get("/"), rows)["page"].paginator.count == 2
    LearningItem.objects.filter(pk=rows.first().pk).update(status=LearningItem.Status.DRAFT)
    # Small counts are never kept: counted afresh every time.
    assert pagination.paginated(rf.get("/"), rows)["page"].paginator.count == 1


def test_grouped_rows_are_kept_until_the_next_write_and_only_for_a_watched_app():
    from django.db.models import Count

    from portal import counts
    from regions.models import Region

    published_items(2)
    by_status = LearningItem.objects.values("status").annotate(n=Count("pk")).order_by("status")
    assert counts.counted_rows("test", by_status) == [{"status": "published", "n": 2}]
    LearningItem.objects.update(status=LearningItem.Status.DRAFT)
    # Kept: no write has committed (update() sends no signal), so the generation stands.
    assert counts.counted_rows("test", by_status) == [{"status": "published", "n": 2}]
    counts._next_generation()
    assert counts.counted_rows("test", by_status) == [{"status": "draft", "n": 2}]
    assert counts.counted_rows("test", LearningItem.objects.none().values("status")) == []
    # No write to a region moves the counts on, so rows of regions are read every time.
    names = Region.objects.filter(slug="north").values_list("name", flat=True)
    assert counts.counted_rows("test", names) == ["North"]
    Region.objects.filter(slug="north").update(name="The North")
    assert counts.counted_rows("test", names) == ["The North"]
