"""In a real browser: a fellow of another region comments on published learning, mentioning
the region's lead, edits the comment, and the lead, told by email, replies and hides an
off-topic comment. Each page of the discussion is checked for accessibility."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from learning.models import LearningItem
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.discussion.factories import CommentFactory
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region


@pytest.fixture
def people(reference_data, settings):
    settings.MFA_REQUIRED = False
    return {
        "author": person_with(
            Role.FELLOW, "north", email="north-fellow@example.org", full_name="Sam North"
        ),
        "lead": person_with(
            Role.REGIONAL_LEAD, "north", email="lead.north@example.org", full_name="Jo Lead"
        ),
        "commenter": person_with(
            Role.FELLOW, "south", email="south-fellow@example.org", full_name="Kim South"
        ),
    }


def test_a_fellow_comments_with_a_mention_and_the_lead_is_told_replies_and_moderates(page, people):
    item = LearningItemFactory(
        created_by=people["author"],
        region=region("north"),
        title="Safety huddles after falls",
        summary="A ten-minute huddle after every fall halved repeat falls.",
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    CommentFactory(
        item=item,
        author=people["author"],
        body="Our huddle checklist is in the appendix.",
    )
    off_topic = CommentFactory(
        item=item, author=people["commenter"], body="Is the car park open at weekends?"
    )

    sign_in(page, people["commenter"].email, DEMO_PASSWORD)
    page.goto(f"/learning/{item.pk}/")
    box = page.get_by_label("Your comment")
    expect(page.locator("#id_body-hint")).to_contain_text("write @ and their email address")
    box.fill("We tried this in Wessex. Could @lead.north@example.org share the audit tool?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("comment has been")
    comment = item.comments.get(body__startswith="We tried this")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Could @lead.north")

    # The lead is told at once; the author, who has not chosen the digest, too.
    to_lead = [m for m in mail.outbox if m.to == ["lead.north@example.org"]]
    assert len(to_lead) == 1 and "Kim South mentioned you" in to_lead[0].subject
    assert any(m.to == ["north-fellow@example.org"] for m in mail.outbox)

    # Within 15 minutes the writer corrects it, and it is marked edited.
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Edit your comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your comment")
    check_accessibility(page)
    screenshot(page, "discussion-edit")
    page.get_by_label("Your comment").fill(
        "We tried this in Wessex too. Could @lead.north@example.org share the audit tool?"
    )
    page.get_by_role("button", name="Save comment").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Edited")

    # The lead follows the link in the email, replies, and hides the off-topic comment.
    page.context.clear_cookies()
    sign_in(page, people["lead"].email, DEMO_PASSWORD)
    link = re.search(r"https?://[^/\s]+(/comments/\S+)", to_lead[0].body).group(1)
    page.goto(link)
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Reply to Kim South").click()
    check_accessibility(page)
    screenshot(page, "discussion-reply")
    page.get_by_label("Your reply").fill("Yes: I will send it to you this week.")
    page.get_by_role("button", name="Add reply").click()
    expect(page.locator(".discussion-comment--reply")).to_contain_text("I will send it")

    page.locator(f"#comment-{off_topic.pk}").get_by_role("link", name=re.compile("^Hide")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hide this comment")
    check_accessibility(page)
    screenshot(page, "discussion-hide")
    page.get_by_role("button", name="Hide comment").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Why are you hiding this comment?").fill("Not about this learning.")
    page.get_by_role("button", name="Hide comment").click()
    expect(page.locator(f"#comment-{off_topic.pk}")).to_contain_text("Hidden by a moderator")
    expect(page.locator(f"#comment-{off_topic.pk}")).not_to_contain_text("car park")

    check_accessibility(page)
    screenshot(page, "discussion-item-thread")

    # The lead would rather have comments on their own learning in the digest.
    page.goto("/digests/preferences/")
    page.get_by_label("In my digest, with the new learning").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_label("In my digest, with the new learning")).to_be_checked()
    check_accessibility(page)
    screenshot(page, "discussion-digest-preferences")
