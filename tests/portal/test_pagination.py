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
