"""What links to a record from a higher app reaches the lower app's page through a backlink
the higher app answers at start-up (portal/backlinks.py, docs/adr/0011)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from curriculum import selectors as curriculum_selectors
from discussion import selectors as discussion_selectors
from fellows import backlinks as initiative
from learning import backlinks as learning_item
from learning import selectors as learning_selectors
from portal.backlinks import Backlink
from register import backlinks as recommendation
from register import selectors as register_selectors


def test_every_backlink_the_apps_declare_is_answered_once_django_has_started():
    declared = [
        link
        for link in Backlink.every
        if link in vars(initiative).values()
        or link in vars(learning_item).values()
        or link in vars(recommendation).values()
    ]
    assert len(declared) == 12
    assert [link for link in declared if not link.answered] == []


def test_each_backlink_is_answered_by_the_app_that_owns_the_link():
    assert initiative.learning_linked._read is learning_selectors.learning_for_initiative
    assert initiative.spread._read is register_selectors.spread_of
    assert learning_item.gap_recommendations._read is register_selectors.gap_recommendations_of
    assert recommendation.carrying_any._read is curriculum_selectors.carrying_any
    assert learning_item.discussion._read is discussion_selectors.discussion_of
    # What happened to an author's learning, from each app that records a part of it.
    assert learning_item.adopted_since._read is register_selectors.learning_adopted_since
    assert learning_item.cited_since._read is curriculum_selectors.learning_cited_since
    assert learning_item.commented_since._read is discussion_selectors.learning_commented_since


def test_a_backlink_nobody_answered_says_which_question_is_unanswered():
    link = Backlink("the things that link to a test record")
    Backlink.every.remove(link)
    with pytest.raises(ImproperlyConfigured, match="the things that link to a test record"):
        link("record", "user")


def test_a_backlink_calls_its_answer_with_what_the_page_passes():
    link = Backlink("what a test page asks")
    Backlink.every.remove(link)
    link.answer(lambda record, user: (record, user))
    assert link("record", "user") == ("record", "user")


def test_two_different_answers_to_one_backlink_are_refused():
    link = Backlink("a question with one answer")
    Backlink.every.remove(link)

    def first(record, user):
        return []

    link.answer(first)
    link.answer(first)  # the same answer again, as a second ready() would give, is harmless
    with pytest.raises(ImproperlyConfigured, match="answered twice"):
        link.answer(lambda record, user: [])
