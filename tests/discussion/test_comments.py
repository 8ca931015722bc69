"""Comments on learning items: who may comment, what is refused, editing, moderation, how
people are told, and the item page's queries as the discussion grows."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from digests import services as digest_services
from digests.models import DigestFrequency, DigestPreference
from discussion import services
from discussion.mentions import mentioned_addresses
from discussion.models import Comment, CommentDelivery, CommentNotice, DiscussionPreference
from learning.models import LearningItem
from tests.conftest import AN_NHS_NUMBER
from tests.discussion.factories import CommentFactory
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region, sign_in

pytestmark = pytest.mark.django_db
Status = LearningItem.Status


@pytest.fixture(autouse=True)
def _settings(settings, no_mfa_required):
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def author():
    return person_with(Role.FELLOW, "north", full_name="Nia North", email="nia@example.org")


@pytest.fixture
def north_lead():
    return person_with(
        Role.REGIONAL_LEAD, "north", full_name="Lee Lead", email="lead.north@example.org"
    )


@pytest.fixture
def south_fellow():
    return person_with(Role.FELLOW, "south", full_name="Sol South", email="sol@example.org")


@pytest.fixture
def item(author):
    return LearningItemFactory(
        created_by=author,
        region=region("north"),
        title="Huddles after falls",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture
def submitted(author):
    return LearningItemFactory(
        created_by=author, region=region("north"), title="Under review", status=Status.SUBMITTED
    )


def add_url(item):
    return reverse("discussion:comment-add", args=[item.pk])


def post_comment(client, item, body, **extra):
    return client.post(add_url(item), {"body": body, **extra})


def page_of(client, item):
    return client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()


# Who may comment


def test_a_fellow_of_another_region_comments_on_published_learning(client, item, south_fellow):
    sign_in(client, south_fellow)

    response = post_comment(client, item, "We tried **this** in Wessex.")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/learning/{item.pk}/#comment-{comment.pk}"
    assert (comment.author, comment.item, comment.parent) == (south_fellow, item, None)
    page = page_of(client, item)
    assert "We tried <strong>this</strong> in Wessex." in page
    assert "Sol South" in page


def test_a_partner_reader_reads_the_discussion_but_does_not_comment(client, item, author):
    CommentFactory(item=item, author=author, body="A note from the author.")
    sign_in(client, person_with(Role.PARTNER_READER))

    assert "A note from the author." in page_of(client, item)
    assert "Add a comment" not in page_of(client, item)
    assert post_comment(client, item, "Reader's view").status_code == 403
    assert Comment.objects.count() == 1


def test_learning_under_review_is_discussed_by_its_authors_and_reviewers_only(
    client, submitted, author, north_lead, south_fellow
):
    for person in (author, north_lead, person_with(Role.NATIONAL)):
        sign_in(client, person)
        assert post_comment(client, submitted, f"From {person.email}").status_code == 302
    # Someone who cannot see it is not told it exists.
    for person in (south_fellow, person_with(Role.FELLOW, "north"), person_with(Role.PSC_CHAIR)):
        sign_in(client, person)
        assert post_comment(client, submitted, "Let me in").status_code == 404
    assert Comment.objects.count() == 3


def test_a_draft_or_withdrawn_item_takes_no_comments(client, author):
    sign_in(client, author)
    for status in (Status.DRAFT, Status.RETURNED, Status.WITHDRAWN):
        item = LearningItemFactory(created_by=author, status=status)
        assert post_comment(client, item, "Hello").status_code == 403
        assert "Add a comment" not in page_of(client, item)
    assert not Comment.objects.exists()


def test_a_reply_joins_its_thread_and_a_reply_to_a_reply_joins_the_same_thread(
    client, item, author, south_fellow
):
    first = CommentFactory(item=item, author=author)
    sign_in(client, south_fellow)
    reply_url = reverse("discussion:comment-reply", args=[item.pk, first.pk])
    assert client.get(reply_url).status_code == 200

    client.post(reply_url, {"body": "A reply."})
    reply = Comment.objects.get(body="A reply.")
    client.post(
        reverse("discussion:comment-reply", args=[item.pk, reply.pk]), {"body": "And another."}
    )

    assert reply.parent == first
    assert Comment.objects.get(body="And another.").parent == first


def test_a_comment_link_is_not_found_outside_the_persons_scope(client, submitted, author):
    comment = CommentFactory(item=submitted, author=author)
    sign_in(client, person_with(Role.FELLOW, "south"))
    assert client.get(comment.get_absolute_url()).status_code == 404
    sign_in(client, author)
    assert client.get(comment.get_absolute_url())["Location"] == (
        f"/learning/{submitted.pk}/#comment-{comment.pk}"
    )


def test_a_reply_to_a_comment_on_another_item_is_not_found(client, item, author, south_fellow):
    elsewhere = CommentFactory(author=author, item=LearningItemFactory(status=Status.PUBLISHED))
    sign_in(client, south_fellow)
    url = reverse("discussion:comment-reply", args=[item.pk, elsewhere.pk])
    assert client.post(url, {"body": "Lost"}).status_code == 404


# What is refused, and how it is shown


def test_a_comment_with_an_nhs_number_is_refused_next_to_the_box(client, item, south_fellow):
    sign_in(client, south_fellow)

    response = post_comment(client, item, f"The patient, NHS number {AN_NHS_NUMBER}, fell.")

    assert response.status_code == 200
    text = response.content.decode()
    assert "NHS number" in text and "nhsuk-error-message" in text
    assert "The patient, NHS number" in text  # what was typed is kept
    assert not Comment.objects.exists()


def test_a_comment_longer_than_its_limit_is_refused_saying_the_size(client, item, south_fellow):
    sign_in(client, south_fellow)
    response = post_comment(client, item, "a" * 5_001)
    assert response.status_code == 200
    assert "5,000" in response.content.decode()
    assert not Comment.objects.exists()


def test_markup_in_a_comment_is_made_safe_as_in_learning(client, item, south_fellow):
    sign_in(client, south_fellow)
    post_comment(client, item, "<script>alert(1)</script> [link](javascript:alert(1)) _fine_")
    page = page_of(client, item)
    assert "<script>alert(1)" not in page and "javascript:" not in page
    assert "<em>fine</em>" in page


def test_the_form_says_how_to_mention_someone(client, item, south_fellow):
    sign_in(client, south_fellow)
    assert "write @ and their email address" in page_of(client, item)


# Editing


def test_the_writer_edits_for_15_minutes_and_the_comment_is_marked_edited(
    client, item, south_fellow
):
    sign_in(client, south_fellow)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        post_comment(client, item, "First thoughts.")
    comment = Comment.objects.get()
    edit_url = reverse("discussion:comment-edit", args=[comment.pk])

    with time_machine.travel(start + datetime.timedelta(minutes=14, seconds=59), tick=False):
        assert "Edit<span" in page_of(client, item)
        edit_page = client.get(edit_url).content.decode()
        assert "First thoughts." in edit_page and "A mention added now tells nobody" in edit_page
        response = client.post(edit_url, {"body": "Second thoughts."})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second thoughts." and comment.edited_at is not None
    page = page_of(client, item)
    assert "Second thoughts." in page and ">Edited<" in page


def test_after_15_minutes_the_comment_cannot_be_edited(client, item, south_fellow):
    sign_in(client, south_fellow)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        post_comment(client, item, "First thoughts.")
    comment = Comment.objects.get()
    edit_url = reverse("discussion:comment-edit", args=[comment.pk])

    with time_machine.travel(start + datetime.timedelta(minutes=15), tick=False):
        assert "Edit<span" not in page_of(client, item)
        response = client.get(edit_url, follow=True)
        refused = client.post(edit_url, {"body": "Too late."})

    assert refused.status_code == 200 and "can no longer be edited" in refused.content.decode()
    assert response.redirect_chain[-1][0] == f"/learning/{item.pk}/#comment-{comment.pk}"
    assert "can no longer be edited" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "First thoughts." and comment.edited_at is None


def test_an_edit_sent_as_the_time_runs_out_keeps_what_was_typed(client, item, south_fellow):
    sign_in(client, south_fellow)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        post_comment(client, item, "First thoughts.")
    comment = Comment.objects.get()
    edit_url = reverse("discussion:comment-edit", args=[comment.pk])
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert client.get(edit_url).status_code == 200
    # The page was opened in time; the edit is sent a moment after the window closed.
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        response = client.post(edit_url, {"body": "Late second thoughts."})
        with pytest.raises(services.CommentNotEditable):
            services.comment_edit(comment=comment, by=south_fellow, body="Late")
    text = response.content.decode()
    assert response.status_code == 200
    assert "can no longer be edited" in text and "Late second thoughts." in text
    comment.refresh_from_db()
    assert comment.body == "First thoughts."


def test_nobody_else_edits_a_comment(client, item, author, north_lead):
    comment = CommentFactory(item=item, author=author)
    sign_in(client, north_lead)
    url = reverse("discussion:comment-edit", args=[comment.pk])
    assert client.post(url, {"body": "Not mine"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body != "Not mine"


def test_an_edit_with_an_nhs_number_is_refused(client, item, south_fellow):
    comment = CommentFactory(item=item, author=south_fellow, body="Fine.")
    sign_in(client, south_fellow)
    url = reverse("discussion:comment-edit", args=[comment.pk])
    response = client.post(url, {"body": f"NHS no {AN_NHS_NUMBER}"})
    assert response.status_code == 200 and "nhsuk-error-message" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Fine."


# Moderation


def test_the_regions_lead_hides_a_comment_with_a_reason_and_it_stays_in_the_history(
    client, item, south_fellow, north_lead
):
    comment = CommentFactory(item=item, author=south_fellow, body="Something unkind.")
    sign_in(client, north_lead)
    url = reverse("discussion:comment-hide", args=[comment.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "Not kind to a colleague."})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_by == north_lead and comment.hidden_reason == "Not kind to a colleague."
    assert Comment.objects.filter(pk=comment.pk).exists()
    sign_in(client, person_with(Role.FELLOW, "south"))
    page = page_of(client, item)
    assert "Hidden by a moderator" in page
    assert "Something unkind." not in page and "Not kind to a colleague." not in page
    # The change is in the item's history, with who made it.
    history = page[page.index('id="change-history"') :]
    assert "Comment changed" in history and "Lee Lead" in history
    assert "Something unkind." not in history
    assert comment.history.count() == 2


def test_the_national_team_hides_a_comment_in_any_region(client, item, south_fellow):
    comment = CommentFactory(item=item, author=south_fellow)
    sign_in(client, person_with(Role.NATIONAL))
    client.post(reverse("discussion:comment-hide", args=[comment.pk]), {"reason": "Off topic."})
    comment.refresh_from_db()
    assert comment.is_hidden


def test_only_the_items_lead_and_the_national_team_hide_comments(client, item, south_fellow):
    comment = CommentFactory(item=item, author=south_fellow)
    url = reverse("discussion:comment-hide", args=[comment.pk])
    for person in (
        person_with(Role.REGIONAL_LEAD, "south"),
        person_with(Role.FELLOW, "north"),
        south_fellow,
    ):
        sign_in(client, person)
        assert client.post(url, {"reason": "No."}).status_code == 403
        assert "Hide<span" not in page_of(client, item)
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_hiding_needs_a_reason(client, item, south_fellow, north_lead):
    comment = CommentFactory(item=item, author=south_fellow)
    sign_in(client, north_lead)
    response = client.post(reverse("discussion:comment-hide", args=[comment.pk]), {"reason": ""})
    assert "Enter why you are hiding this comment" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_a_hidden_comment_cannot_be_edited(client, item, south_fellow, north_lead):
    comment = CommentFactory(item=item, author=south_fellow, body="Before.")
    sign_in(client, north_lead)
    client.post(reverse("discussion:comment-hide", args=[comment.pk]), {"reason": "Off topic."})
    sign_in(client, south_fellow)
    client.post(reverse("discussion:comment-edit", args=[comment.pk]), {"body": "After."})
    comment.refresh_from_db()
    assert comment.body == "Before."


# Notifications


def test_a_mention_tells_the_person_at_once(
    client, item, south_fellow, north_lead, django_capture_on_commit_callbacks
):
    DiscussionPreference.objects.create(user=north_lead, comments=CommentDelivery.DIGEST)
    sign_in(client, south_fellow)

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, item, "Could @lead.north@example.org share the audit?")

    to_lead = [m for m in mail.outbox if m.to == ["lead.north@example.org"]]
    assert len(to_lead) == 1
    assert "Sol South mentioned you" in to_lead[0].subject
    assert "Could @lead.north@example.org share the audit?" in to_lead[0].body
    comment = Comment.objects.get()
    assert f"https://portal.example.org/comments/{comment.pk}/" in to_lead[0].body


def test_the_author_and_earlier_commenters_are_emailed_at_once_by_default(
    client, item, author, south_fellow, django_capture_on_commit_callbacks
):
    earlier = person_with(Role.FELLOW, "south", email="earlier@example.org")
    CommentFactory(item=item, author=earlier)
    sign_in(client, south_fellow)

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, item, "Thanks for sharing.")

    assert sorted(m.to[0] for m in mail.outbox) == ["earlier@example.org", "nia@example.org"]
    assert all("New comment on Huddles after falls" in m.subject for m in mail.outbox)
    assert not CommentNotice.objects.exists()


def test_who_chose_the_digest_gets_a_notice_and_no_email_and_the_digest_carries_the_comment(
    client, item, author, south_fellow, django_capture_on_commit_callbacks
):
    DiscussionPreference.objects.create(user=author, comments=CommentDelivery.DIGEST)
    DigestPreference.objects.create(user=author, frequency=DigestFrequency.DAILY)
    sign_in(client, south_fellow)

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, item, "A _question_ for the author.")

    assert mail.outbox == []
    notice = CommentNotice.objects.get()
    assert notice.recipient == author
    run = digest_services.digest_run_plan(
        frequency=DigestFrequency.DAILY, now=timezone.now() + datetime.timedelta(days=1)
    )
    delivery = run.deliveries.get(user=author)
    digest_services.digest_delivery_send(delivery_id=delivery.pk)

    (digest,) = mail.outbox
    assert digest.to == ["nia@example.org"]
    html = digest.alternatives[0][0]
    for text in (digest.body, html):
        assert "A _question_ for the author." in text
        assert "Sol South" in text and "Huddles after falls" in text
        assert f"https://portal.example.org/comments/{notice.comment_id}/" in text


def test_a_hidden_comment_is_left_out_of_the_digest(client, item, author, south_fellow):
    DiscussionPreference.objects.create(user=author, comments=CommentDelivery.DIGEST)
    DigestPreference.objects.create(user=author, frequency=DigestFrequency.DAILY)
    sign_in(client, south_fellow)
    post_comment(client, item, "Something unkind.")
    Comment.objects.update(hidden_at=timezone.now())
    run = digest_services.digest_run_plan(
        frequency=DigestFrequency.DAILY, now=timezone.now() + datetime.timedelta(days=1)
    )
    digest_services.digest_delivery_send(delivery_id=run.deliveries.get(user=author).pk)
    # The digest still brings the author's region's new learning, without the comment.
    (digest,) = mail.outbox
    assert "Huddles after falls" in digest.body
    assert "Something unkind." not in digest.body and "COMMENTS" not in digest.body


def test_a_mention_of_someone_who_cannot_see_the_item_tells_nobody_and_the_writer_hears_it(
    client, submitted, author, north_lead, south_fellow, django_capture_on_commit_callbacks
):
    sign_in(client, author)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(
            client,
            submitted,
            "Ask @sol@example.org and @nobody@example.org, and @lead.north@example.org.",
        )
    page = client.get(response["Location"]).content.decode()

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["lead.north@example.org"]
    assert "@sol@example.org, @nobody@example.org" in page
    assert "Nobody was told of these mentions" in page
    assert not any("Under review" in m.body for m in mail.outbox if m.to != recipients)


def test_nobody_is_told_of_their_own_comment_and_a_mention_is_one_email(
    client, item, author, django_capture_on_commit_callbacks
):
    lead = person_with(Role.REGIONAL_LEAD, "north", email="lead.north@example.org")
    CommentFactory(item=item, author=lead)
    sign_in(client, author)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, item, "Thanks @lead.north@example.org and @nia@example.org")
    assert [m.to for m in mail.outbox] == [["lead.north@example.org"]]
    assert "mentioned you" in mail.outbox[0].subject


# Preferences, on the digests page


def test_the_digest_preferences_page_sets_how_comments_are_told(client, author):
    sign_in(client, author)
    assert (
        "How do you want to hear of comments"
        in client.get(reverse("digests:preferences")).content.decode()
    )
    data = {
        "frequency": DigestFrequency.WEEKLY,
        "regions": [region("north").pk],
        "kinds": [LearningItem.Kind.BEST_PRACTICE],
        "comments": CommentDelivery.DIGEST,
    }
    assert client.post(reverse("digests:preferences"), data).status_code == 302
    assert DiscussionPreference.objects.get(user=author).comments == CommentDelivery.DIGEST


def test_comments_cannot_go_to_a_digest_that_is_never_sent(client, author):
    sign_in(client, author)
    data = {
        "frequency": DigestFrequency.NEVER,
        "regions": [region("north").pk],
        "kinds": [LearningItem.Kind.BEST_PRACTICE],
        "comments": CommentDelivery.DIGEST,
    }
    response = client.post(reverse("digests:preferences"), data)
    assert response.status_code == 200
    assert "You chose to get no digests" in response.content.decode()
    assert not DiscussionPreference.objects.filter(comments=CommentDelivery.DIGEST).exists()


def test_unsubscribing_from_digests_has_comments_emailed_at_once(author):
    DiscussionPreference.objects.create(user=author, comments=CommentDelivery.DIGEST)
    digest_services.digest_unsubscribe(user=author)
    assert DiscussionPreference.objects.get(user=author).comments == CommentDelivery.IMMEDIATE


# Queries


def _discussion(item, threads, replies_each):
    for number in range(threads):
        writer = person_with(Role.FELLOW, "south" if number % 2 else "north")
        thread = CommentFactory(item=item, author=writer, body=f"Thread {number} _text_")
        for _ in range(replies_each):
            CommentFactory(item=item, author=person_with(Role.FELLOW, "north"), parent=thread)
    Comment.objects.filter(pk=Comment.objects.first().pk).update(
        hidden_at=timezone.now(), hidden_by=item.created_by, hidden_reason="Off topic."
    )


def test_the_item_page_makes_the_same_number_of_queries_as_comments_grow(
    client, item, north_lead, django_assert_num_queries
):
    sign_in(client, north_lead)
    _discussion(item, threads=2, replies_each=1)
    url = reverse("learning:item-detail", args=[item.pk])
    client.get(url)  # the session's and scope's first reads
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _discussion(item, threads=20, replies_each=3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    # A page of 20 threads, the oldest first: the 2 with a reply each, 18 with three.
    assert response.content.decode().count("<article") == 20 + 2 * 1 + 18 * 3
    assert "?comments=2" in response.content.decode()


def test_a_new_comment_is_shown_on_the_page_of_threads_that_holds_it(client, item, south_fellow):
    for number in range(20):
        CommentFactory(item=item, author=south_fellow, body=f"Thread {number}")
    sign_in(client, south_fellow)

    response = post_comment(client, item, "The twenty-first thread.")

    comment = Comment.objects.get(body="The twenty-first thread.")
    assert response["Location"] == f"/learning/{item.pk}/?comments=2#comment-{comment.pk}"
    assert "The twenty-first thread." in client.get(response["Location"]).content.decode()
    reply = CommentFactory(item=item, author=south_fellow, parent=comment)
    # The link in emails, which stays good as threads are added, sends on to the page.
    response = client.get(reply.get_absolute_url())
    assert response["Location"] == f"/learning/{item.pk}/?comments=2#comment-{reply.pk}"


def test_a_mention_is_an_at_sign_before_an_address_and_a_plain_address_is_not():
    text = (
        "Thanks @Lead.North@Example.org. Write to sam@example.org, or ask @kim@example.org, "
        "and @lead.north@example.org again."
    )
    assert mentioned_addresses(text) == ["lead.north@example.org", "kim@example.org"]
