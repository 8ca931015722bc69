"""Two people answering one recommendation from the same page: the second response is refused,
with the first shown beside what they typed, as a stale edit of a record is (ADR 7, 19)."""

import datetime
import re
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from register import services
from register.models import Recommendation, ResponseStatus
from tests.conftest import require_service
from tests.register.factories import recommendation
from tests.roles import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

APRIL_1, APRIL_2 = datetime.date(2026, 4, 1), datetime.date(2026, 4, 2)


def response_data(page, status, on, text):
    """What a person sends from the response page `page`: what they typed, and what the page
    carried of the responses it was shown with."""
    return {
        "status": status,
        "responded_on-day": on.day,
        "responded_on-month": on.month,
        "responded_on-year": on.year,
        "text": text,
        "url": "",
        "last_response_seen": page.context["form"]["last_response_seen"].value(),
    }


def at(moment):
    return date_format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def test_a_response_from_a_stale_page_is_refused_showing_the_newer_one_and_keeping_the_typing(
    client, fellow, lead
):
    rec = recommendation(fellow)
    url = reverse("register:response-add", args=[rec.pk])
    theirs, mine = sign_in(Client(), lead), sign_in(client, fellow)
    their_page, my_page = theirs.get(url), mine.get(url)

    saved = theirs.post(
        url, response_data(their_page, ResponseStatus.ACCEPTED, APRIL_1, "We accept it in full.")
    )
    refused = mine.post(
        url,
        response_data(my_page, ResponseStatus.NOT_ACCEPTED, APRIL_2, "The trust does not accept."),
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    first = rec.responses.get()
    assert first.text == "We accept it in full."
    rec.refresh_from_db()
    assert rec.status == ResponseStatus.ACCEPTED
    # Who recorded the newer response and when, at the top of the page...
    assert refused.context["form"].non_field_errors() == [
        f"{lead} recorded a response on {at(first.recorded_at)}, after you opened this page. "
        "Yours is not saved, and is still in the form: read theirs below, then save yours "
        "again if it should still be added."
    ]
    # ...what it says, where it stands, its date, who recorded it and when...
    assert refused.context["form"].newer_responses == [first]
    card = refused.text.split('id="newer-responses"', 1)[1].split("</dl>", 1)[0]
    for shown in (
        "Response received: accepted",
        "1 April 2026",
        "We accept it in full.",
        f"{lead}, on {at(first.recorded_at)}",
    ):
        assert shown in card, shown
    # ...and, below it, everything the person typed, still in the form.
    form = refused.context["form"]
    assert form["text"].value() == "The trust does not accept."
    assert form["status"].value() == ResponseStatus.NOT_ACCEPTED
    assert "The trust does not accept.</textarea>" in refused.text
    assert re.search(r'<input [^>]*value="not_accepted"[^>]* checked[ >]', refused.text)
    # The page now carries the newer response: saving again is a choice made having seen it.
    assert f'name="last_response_seen" value="{first.pk}"' in refused.text


def test_saving_again_after_reading_the_newer_response_records_it(client, fellow, lead):
    rec = recommendation(fellow)
    url = reverse("register:response-add", args=[rec.pk])
    theirs, mine = sign_in(Client(), lead), sign_in(client, fellow)
    their_page, my_page = theirs.get(url), mine.get(url)
    theirs.post(url, response_data(their_page, ResponseStatus.ACCEPTED, APRIL_1, "Accepted."))
    refused = mine.post(
        url, response_data(my_page, ResponseStatus.IN_PROGRESS, APRIL_2, "Work has begun.")
    )

    again = mine.post(
        url, response_data(refused, ResponseStatus.IN_PROGRESS, APRIL_2, "Work has begun.")
    )

    assert again.status_code == 302
    assert [r.text for r in rec.responses.order_by("pk")] == ["Accepted.", "Work has begun."]
    rec.refresh_from_db()
    assert rec.status == ResponseStatus.IN_PROGRESS


def test_a_response_from_a_page_that_showed_the_latest_one_is_saved(client, fellow, lead):
    rec = recommendation(fellow)
    services.response_record(
        recommendation=rec, by=lead, status=ResponseStatus.ACCEPTED, responded_on=APRIL_1
    )
    url = reverse("register:response-add", args=[rec.pk])
    sign_in(client, fellow)
    page = client.get(url)

    response = client.post(
        url, response_data(page, ResponseStatus.IMPLEMENTED, APRIL_2, "Done on every ward.")
    )

    assert response.status_code == 302
    assert rec.responses.count() == 2


def test_a_page_without_what_it_was_shown_counts_as_one_that_showed_no_response(
    client, fellow, lead
):
    rec = recommendation(fellow)
    services.response_record(
        recommendation=rec, by=lead, status=ResponseStatus.ACCEPTED, responded_on=APRIL_1
    )
    sign_in(client, fellow)
    data = response_data(
        client.get(reverse("register:response-add", args=[rec.pk])),
        ResponseStatus.IMPLEMENTED,
        APRIL_2,
        "Done.",
    )
    del data["last_response_seen"]

    refused = client.post(reverse("register:response-add", args=[rec.pk]), data)

    assert refused.status_code == 200
    assert rec.responses.count() == 1


def record_from_the_same_page(pk, by, text, outcomes, *, then=None):
    """Record a response in this thread's own connection as made from a page that showed no
    response; with `then`, keep the transaction open until `then()` returns."""
    try:
        with transaction.atomic():
            services.response_record(
                recommendation=Recommendation.objects.get(pk=pk),
                by=by,
                status=ResponseStatus.ACCEPTED,
                responded_on=APRIL_1,
                text=text,
                last_response_seen=0,
            )
            if then is not None:
                then()
        outcomes.append(("saved", text))
    except services.StaleResponse as stale:
        outcomes.append(("refused", text, [r.text for r in stale.newer]))
    finally:
        connections.close_all()


def waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_of_two_responses_recorded_at_once_from_one_page_the_second_is_refused(
    reference_data, fellow, lead
):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the race needs two real database connections; set DATABASE_URL to a postgres:// URL",
    )
    rec = recommendation(fellow)
    first_done, release, outcomes = threading.Event(), threading.Event(), []

    def hold_until_released():
        first_done.set()
        release.wait(30)

    first = threading.Thread(
        target=record_from_the_same_page,
        args=(rec.pk, lead, "Theirs", outcomes),
        kwargs={"then": hold_until_released},
    )
    first.start()
    assert first_done.wait(30)
    second = threading.Thread(
        target=record_from_the_same_page, args=(rec.pk, fellow, "Mine", outcomes)
    )
    second.start()
    # The second waits for the recommendation's lock: the first commits while it waits.
    deadline = time.monotonic() + 30
    while waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert waiting_on_a_lock() == 1
    release.set()
    first.join(30)
    second.join(30)

    assert sorted(outcomes) == [("refused", "Mine", ["Theirs"]), ("saved", "Theirs")]
    assert [r.text for r in rec.responses.all()] == ["Theirs"]
