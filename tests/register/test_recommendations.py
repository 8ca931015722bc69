"""Recommendations: due dates, responses, overdue, reminders, response rates, gaps, what
answers them, the thread, and the pages."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import LearningItem
from regions.models import Organisation
from register import selectors, services
from register.models import Recommendation, RecommendationKind, ResponseStatus
from search.selectors import search
from tests.conftest import AN_NHS_NUMBER, NOT_AN_NHS_NUMBER, require_service
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.register.factories import a_trust, adoption, recommendation
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

MARCH_1 = datetime.date(2026, 3, 1)
Status = ResponseStatus


def answer(rec, by, on, status=Status.ACCEPTED, **fields):
    return services.response_record(
        recommendation=rec, by=by, status=status, responded_on=on, text="We accept it.", **fields
    )


def date_parts(name, date):
    return {f"{name}-day": date.day, f"{name}-month": date.month, f"{name}-year": date.year}


def recommendation_data(**overrides):
    data = {
        "kind": RecommendationKind.SAFETY_RECOMMENDATION,
        "reference": "R/2026/014",
        "text": "Review how deterioration is escalated out of hours.",
        "addressed_to": a_trust().pk,
        "owner": "",
        "region": region("north").pk,
        **date_parts("issued_on", MARCH_1),
        "due_on-day": "",
        "due_on-month": "",
        "due_on-year": "",
        "new_organisation_name": "",
        "new_organisation_kind": "",
    }
    data.update(overrides)
    return data


# Due dates


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        (RecommendationKind.PFD_CONCERN, 56),
        (RecommendationKind.SAFETY_RECOMMENDATION, 90),
    ],
)
def test_the_due_date_defaults_by_kind_from_the_date_made(fellow, kind, days):
    rec = recommendation(fellow, kind=kind)
    assert rec.due_on == MARCH_1 + datetime.timedelta(days=days)


def test_an_observation_or_a_finding_has_no_due_date_unless_one_is_given(fellow):
    observation = recommendation(fellow, kind=RecommendationKind.SAFETY_OBSERVATION)
    finding = recommendation(
        fellow, kind=RecommendationKind.FINDING, due_on=datetime.date(2026, 4, 1)
    )
    assert observation.due_on is None
    assert finding.due_on == datetime.date(2026, 4, 1)


def test_a_due_date_given_replaces_the_default(fellow):
    rec = recommendation(
        fellow, kind=RecommendationKind.PFD_CONCERN, due_on=datetime.date(2026, 6, 30)
    )
    assert rec.due_on == datetime.date(2026, 6, 30)


def test_the_deadlines_are_data_the_national_team_can_change(fellow):
    from register.models import ResponseDeadline

    ResponseDeadline.objects.filter(kind=RecommendationKind.SAFETY_RECOMMENDATION).update(days=60)
    assert recommendation(fellow).due_on == MARCH_1 + datetime.timedelta(days=60)


# Overdue, at its boundaries


def test_due_today_is_not_overdue_and_due_yesterday_is(fellow):
    rec = recommendation(fellow, due_on=datetime.date(2026, 6, 1))
    assert not rec.is_overdue(today=datetime.date(2026, 6, 1))
    assert rec.is_overdue(today=datetime.date(2026, 6, 2))
    overdue_on = Recommendation.objects.overdue
    assert list(overdue_on(datetime.date(2026, 6, 1))) == []
    assert list(overdue_on(datetime.date(2026, 6, 2))) == [rec]


def test_a_response_on_the_due_date_is_on_time_and_not_overdue(fellow):
    rec = recommendation(fellow, due_on=datetime.date(2026, 6, 1))
    answer(rec, fellow, datetime.date(2026, 6, 1))
    rec.refresh_from_db()
    assert rec.answered_on_time is True
    assert rec.days_to_respond == (datetime.date(2026, 6, 1) - MARCH_1).days
    assert not rec.is_overdue(today=datetime.date(2026, 7, 1))
    assert list(Recommendation.objects.overdue(datetime.date(2026, 7, 1))) == []


def test_a_response_the_day_after_is_late(fellow):
    rec = recommendation(fellow, due_on=datetime.date(2026, 6, 1))
    answer(rec, fellow, datetime.date(2026, 6, 2))
    rec.refresh_from_db()
    assert rec.answered_on_time is False


def test_every_status_change_is_kept_and_the_first_answer_sets_the_days_to_respond(fellow):
    rec = recommendation(fellow)
    answer(rec, fellow, datetime.date(2026, 4, 10), status=Status.PARTLY_ACCEPTED)
    answer(rec, fellow, datetime.date(2026, 8, 1), status=Status.IN_PROGRESS)
    answer(rec, fellow, datetime.date(2026, 11, 20), status=Status.IMPLEMENTED)
    rec.refresh_from_db()
    assert [(r.status, r.responded_on) for r in rec.responses.all()] == [
        (Status.PARTLY_ACCEPTED, datetime.date(2026, 4, 10)),
        (Status.IN_PROGRESS, datetime.date(2026, 8, 1)),
        (Status.IMPLEMENTED, datetime.date(2026, 11, 20)),
    ]
    assert rec.status == Status.IMPLEMENTED
    assert rec.answered_on == datetime.date(2026, 4, 10)
    assert rec.days_to_respond == 40


def test_an_awaiting_entry_does_not_count_as_an_answer(fellow):
    rec = recommendation(fellow)
    answer(rec, fellow, datetime.date(2026, 3, 5), status=Status.AWAITING)
    rec.refresh_from_db()
    assert (rec.status, rec.answered_on, rec.days_to_respond) == (Status.AWAITING, None, None)


# Reminders


def test_the_owner_is_reminded_once_the_day_a_response_becomes_overdue(
    fellow, django_capture_on_commit_callbacks
):
    rec = recommendation(fellow, owner=fellow, due_on=datetime.date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_reminders_queue(today=datetime.date(2026, 6, 1)) == []
        assert services.overdue_reminders_queue(today=datetime.date(2026, 6, 2)) == [rec.pk]
        assert services.overdue_reminders_queue(today=datetime.date(2026, 6, 2)) == []
        assert services.overdue_reminders_queue(today=datetime.date(2026, 6, 3)) == []
    [message] = mail.outbox
    assert message.to == [fellow.email]
    assert "overdue" in message.subject
    assert rec.get_absolute_url() in message.body


def test_moving_the_due_date_later_allows_one_more_reminder_when_that_passes(
    fellow, django_capture_on_commit_callbacks
):
    rec = recommendation(fellow, owner=fellow, due_on=datetime.date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.overdue_reminders_queue(today=datetime.date(2026, 6, 2))
        Recommendation.objects.filter(pk=rec.pk).update(due_on=datetime.date(2026, 7, 1))
        assert services.overdue_reminders_queue(today=datetime.date(2026, 6, 20)) == []
        assert services.overdue_reminders_queue(today=datetime.date(2026, 7, 2)) == [rec.pk]
    assert len(mail.outbox) == 2


def test_no_reminder_for_an_answered_recommendation_or_one_without_an_owner(
    fellow, django_capture_on_commit_callbacks
):
    answered = recommendation(fellow, owner=fellow, due_on=datetime.date(2026, 6, 1))
    answer(answered, fellow, datetime.date(2026, 5, 1))
    recommendation(fellow, owner=None, due_on=datetime.date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_reminders_queue(today=datetime.date(2026, 6, 2)) == []
    assert mail.outbox == []


def test_the_reminder_task_run_twice_sends_one_email(fellow, django_capture_on_commit_callbacks):
    from register.tasks import remind_overdue_recommendations

    recommendation(fellow, owner=fellow, due_on=datetime.date(2026, 6, 1))
    with time_machine.travel(datetime.datetime(2026, 6, 2, 8, 0, tzinfo=datetime.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            first = remind_overdue_recommendations()
        with django_capture_on_commit_callbacks(execute=True):
            second = remind_overdue_recommendations()
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_remind_each_owner_once(reference_data):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the race needs two real database connections; set DATABASE_URL to a postgres:// URL",
    )
    owner = person_with(Role.FELLOW, "north")
    recs = [recommendation(owner, owner=owner, due_on=datetime.date(2026, 6, 1)) for _ in range(20)]
    barrier = threading.Barrier(2)
    claimed, errors = [[], []], []

    def worker(index):
        try:
            barrier.wait()
            claimed[index] = services.overdue_reminders_queue(today=datetime.date(2026, 6, 2))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(claimed[0] + claimed[1]) == sorted(r.pk for r in recs)
    # One reminder each, written with its claim.
    assert len(mail.outbox) == len(recs)
    assert {message.to[0] for message in mail.outbox} == {owner.email}


# Response rates, against a hand-built set


def test_response_rates_by_organisation_and_by_region(fellow):
    south_fellow = person_with(Role.FELLOW, "south")
    trust = a_trust()
    college = a_trust("test-college", "Test Ambulance Service NHS Trust")
    due = datetime.date(2026, 6, 1)
    # The trust: two on time (40 and 92 days), one late (100 days), one overdue, one not due.
    on_time = recommendation(fellow, addressed_to=trust, due_on=due)
    answer(on_time, fellow, datetime.date(2026, 4, 10))
    on_time_too = recommendation(south_fellow, region_slug="south", addressed_to=trust, due_on=due)
    answer(on_time_too, south_fellow, datetime.date(2026, 6, 1))
    late = recommendation(fellow, addressed_to=trust, due_on=due)
    answer(late, fellow, datetime.date(2026, 6, 9), status=Status.NOT_ACCEPTED)
    recommendation(fellow, addressed_to=trust, due_on=due)
    recommendation(fellow, addressed_to=trust, due_on=datetime.date(2026, 12, 31))
    # The other: one answered with no due date (a fellow's own), after 10 days.
    own = recommendation(fellow, kind=RecommendationKind.FELLOW, addressed_to=college)
    answer(own, fellow, datetime.date(2026, 3, 11))

    national = person_with(Role.NATIONAL)
    today = datetime.date(2026, 7, 1)
    by_organisation = {
        rate.name: rate
        for rate in selectors.response_rates(
            Recommendation.objects.for_user(national), by="addressed_to", today=today
        )
    }
    trust_rate = by_organisation[trust.name]
    assert (trust_rate.total, trust_rate.answered, trust_rate.on_time, trust_rate.late) == (
        5,
        3,
        2,
        1,
    )
    assert (trust_rate.unanswered, trust_rate.overdue) == (2, 1)
    assert trust_rate.median_days == 92
    assert trust_rate.on_time_percent == 67
    college_rate = by_organisation[college.name]
    assert (college_rate.total, college_rate.answered, college_rate.on_time) == (1, 1, 0)
    assert (college_rate.median_days, college_rate.on_time_percent) == (10, None)

    by_region = {
        rate.name: rate
        for rate in selectors.response_rates(
            Recommendation.objects.for_user(national), by="region", today=today
        )
    }
    north = by_region[region("north").name]
    assert (north.total, north.on_time, north.late, north.overdue) == (5, 1, 1, 1)
    assert north.median_days == 40  # 40, 100 and 10 days
    assert by_region[region("south").name].median_days == 92


def test_a_median_of_an_even_number_of_answers_is_halfway_between_the_middle_two(fellow):
    for days in (10, 20, 40, 100):
        answer(recommendation(fellow), fellow, datetime.date(2026, 3, 1) + datetime.timedelta(days))
    [rate] = selectors.response_rates(Recommendation.objects.all(), by="region")
    assert rate.median_days == 30


def test_a_lead_sees_the_rates_of_their_region_only(client, fellow, lead):
    recommendation(fellow)
    recommendation(person_with(Role.FELLOW, "south"), region_slug="south")
    sign_in(client, lead)
    rates = client.get(reverse("register:response-rates"), {"by": "region"}).context["rates"]
    assert [rate.name for rate in rates] == [region("north").name]


def test_the_rates_sort_by_any_column_either_way(client, fellow):
    for number, slug in enumerate(["a", "b", "c"]):
        organisation = a_trust(f"trust-{slug}", f"Trust {slug.upper()}")
        for _ in range(number + 1):
            recommendation(fellow, addressed_to=organisation)
    sign_in(client, fellow)
    url = reverse("register:response-rates")
    most_first = client.get(url, {"sort": "total", "order": "desc"}).context["rates"]
    fewest_first = client.get(url, {"sort": "total", "order": "asc"}).context["rates"]
    by_name = client.get(url, {"sort": "name", "order": "asc"}).context["rates"]
    assert [r.total for r in most_first] == [3, 2, 1]
    assert [r.total for r in fewest_first] == [1, 2, 3]
    assert [r.name for r in by_name] == ["Trust A", "Trust B", "Trust C"]
    page = client.get(url, {"sort": "total", "order": "desc"}).content.decode()
    assert 'aria-sort="descending"' in page


# Recording them in the browser's forms


def test_a_fellow_records_a_recommendation_from_an_investigation_with_the_default_deadline(
    client, fellow
):
    investigation = InvestigationFactory(region=region("north"), published_on=MARCH_1)
    sign_in(client, fellow)
    url = reverse("register:recommendation-add") + f"?investigation={investigation.pk}"
    form = client.get(url).context["form"]
    assert form["issued_on"].value() == MARCH_1

    response = client.post(url, recommendation_data(owner=fellow.pk))

    rec = Recommendation.objects.get()
    assert response.status_code == 302
    assert (rec.investigation, rec.owner, rec.created_by) == (investigation, fellow, fellow)
    assert rec.due_on == MARCH_1 + datetime.timedelta(days=90)
    page = client.get(reverse("learning:investigation-detail", args=[investigation.pk])).text
    assert rec.get_absolute_url() in page and "Awaiting response" in page


def test_without_an_investigation_only_a_fellows_own_recommendation_can_be_recorded(client, fellow):
    sign_in(client, fellow)
    response = client.post(
        reverse("register:recommendation-add"),
        recommendation_data(kind=RecommendationKind.SAFETY_RECOMMENDATION),
    )
    assert "kind" in response.context["form"].errors
    response = client.post(
        reverse("register:recommendation-add"), recommendation_data(kind=RecommendationKind.FELLOW)
    )
    assert response.status_code == 302
    assert Recommendation.objects.get().investigation is None


def test_a_due_date_before_the_date_made_is_refused_and_what_was_typed_is_kept(client, fellow):
    sign_in(client, fellow)
    response = client.post(
        reverse("register:recommendation-add"),
        recommendation_data(
            kind=RecommendationKind.FELLOW, **date_parts("due_on", datetime.date(2026, 2, 1))
        ),
    )
    form = response.context["form"]
    assert form.errors["due_on"] == ["The response due date must be on or after the date made"]
    assert form["text"].value() == "Review how deterioration is escalated out of hours."
    assert not Recommendation.objects.exists()


def test_a_closed_organisation_is_refused_naming_its_successor(client, fellow):
    successor = a_trust("new-trust", "New Merged NHS Foundation Trust")
    closed = a_trust("old-trust", "Old Community NHS Trust")
    Organisation.objects.filter(pk=closed.pk).update(
        closed_on=datetime.date(2025, 3, 31), successor=successor
    )
    sign_in(client, fellow)
    response = client.post(
        reverse("register:recommendation-add"),
        recommendation_data(kind=RecommendationKind.FELLOW, addressed_to=closed.pk),
    )
    [error] = response.context["form"].errors["addressed_to"]
    assert "closed on 31 March 2025" in error
    assert "New Merged NHS Foundation Trust" in error
    assert "Old Community NHS Trust (closed 31 March 2025)" in response.text


def test_an_organisation_not_in_the_list_is_added_on_the_way(client, fellow):
    sign_in(client, fellow)
    response = client.post(
        reverse("register:recommendation-add"),
        recommendation_data(
            kind=RecommendationKind.FELLOW,
            addressed_to="",
            new_organisation_name="Riverside Mental Health NHS Trust",
            new_organisation_kind=Organisation.Kind.NHS_TRUST,
        ),
    )
    assert response.status_code == 302
    organisation = Recommendation.objects.get().addressed_to
    assert (organisation.name, organisation.kind) == (
        "Riverside Mental Health NHS Trust",
        Organisation.Kind.NHS_TRUST,
    )
    assert organisation.history.get().history_user == fellow


def test_an_owner_must_work_in_the_recommendations_region(client, fellow):
    southern = person_with(Role.FELLOW, "south")
    national = person_with(Role.NATIONAL)
    sign_in(client, national)
    response = client.post(
        reverse("register:recommendation-add"),
        recommendation_data(kind=RecommendationKind.FELLOW, owner=southern.pk),
    )
    assert response.context["form"].errors["owner"] == ["Choose someone who works in North"]


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("register:recommendation-add", "text"),
        ("register:recommendation-add", "reference"),
        ("register:response-add", "text"),
        ("register:response-add", "url"),
        ("register:gap-add", "gap_title"),
        ("register:gap-add", "gap_summary"),
        ("register:gap-add", "text"),
    ],
)
def test_every_register_text_field_refuses_an_nhs_number(client, fellow, url_name, field):
    rec = recommendation(fellow, kind=RecommendationKind.FELLOW)
    sign_in(client, fellow)
    data = {
        "register:recommendation-add": recommendation_data(kind=RecommendationKind.FELLOW),
        "register:response-add": {
            "status": Status.ACCEPTED,
            **date_parts("responded_on", datetime.date(2026, 4, 1)),
            "text": "Accepted.",
            "url": "https://example.org/response",
        },
        "register:gap-add": {
            "gap_title": "No simulation training on sepsis",
            "gap_summary": "Newly qualified nurses have none.",
            "text": "Add sepsis simulation to the preceptorship.",
            "addressed_to": a_trust().pk,
            "region": region("north").pk,
            "due_on-day": "",
            "due_on-month": "",
            "due_on-year": "",
        },
    }[url_name]
    number = AN_NHS_NUMBER.replace(" ", "") if field == "url" else AN_NHS_NUMBER
    value = f"https://example.org/{number}" if field == "url" else f"About {number}"
    data[field] = value
    url = (
        reverse(url_name, args=[rec.pk])
        if url_name == "register:response-add"
        else reverse(url_name)
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    other = NOT_AN_NHS_NUMBER.replace(" ", "") if field == "url" else NOT_AN_NHS_NUMBER
    data[field] = value.replace(number, other)
    assert client.post(url, data).status_code == 302


def test_a_response_dated_in_the_future_is_refused(client, fellow):
    rec = recommendation(fellow)
    sign_in(client, fellow)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("register:response-add", args=[rec.pk]),
        {"status": Status.ACCEPTED, **date_parts("responded_on", tomorrow), "text": "Yes."},
    )
    assert response.context["form"].errors["responded_on"] == [
        "The date of the response must be today or in the past"
    ]
    assert not rec.responses.exists()


def test_a_response_needs_what_it_says_or_a_link(client, fellow):
    rec = recommendation(fellow)
    sign_in(client, fellow)
    url = reverse("register:response-add", args=[rec.pk])
    data = {"status": Status.ACCEPTED, **date_parts("responded_on", datetime.date(2026, 4, 1))}
    assert "text" in client.post(url, data).context["form"].errors
    assert client.post(url, {**data, "url": "https://example.org/r"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.ACCEPTED


def test_a_gap_and_its_recommendation_are_recorded_in_one_go_and_link_both_ways(client, fellow):
    sign_in(client, fellow)
    response = client.post(
        reverse("register:gap-add"),
        {
            "gap_title": "No human factors teaching for porters",
            "gap_summary": "Porters move deteriorating patients with no training in escalation.",
            "text": "Include porters in the trust's human factors training.",
            "addressed_to": a_trust().pk,
            "owner": fellow.pk,
            "region": region("north").pk,
            "due_on-day": "",
            "due_on-month": "",
            "due_on-year": "",
        },
    )
    rec = Recommendation.objects.get()
    gap = LearningItem.objects.get()
    assert response.status_code == 302
    assert (gap.kind, gap.status, list(gap.authors.all())) == (
        LearningItem.Kind.GAP,
        LearningItem.Status.DRAFT,
        [fellow],
    )
    assert (rec.kind, rec.gap, rec.owner) == (RecommendationKind.FELLOW, gap, fellow)
    assert gap.get_absolute_url() in client.get(rec.get_absolute_url()).text
    assert rec.get_absolute_url() in client.get(gap.get_absolute_url()).text


def test_a_learning_item_is_found_and_linked_as_answering_it_and_shows_it(client, fellow):
    rec = recommendation(fellow)
    item = LearningItemFactory(
        title="Escalation huddles at night",
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    LearningItemFactory(title="Something else", status=LearningItem.Status.PUBLISHED)
    sign_in(client, fellow)
    url = reverse("register:answers", args=[rec.pk])
    found = client.get(url, {"q": "escalation"}).context["learning"]
    assert found == [item]

    client.post(url, {"learning_item": item.pk})

    assert list(rec.answered_by_learning.all()) == [item]
    assert rec.get_absolute_url() in client.get(item.get_absolute_url()).text
    history = client.get(rec.get_absolute_url()).text.split('id="change-history"')[1]
    assert "Learning that answers it: (blank) → Escalation huddles at night" in history
    client.post(reverse("register:answer-remove", args=[rec.pk]), {"learning_item": item.pk})
    assert not rec.answered_by_learning.exists()


def test_learning_out_of_scope_cannot_be_linked(client, fellow):
    rec = recommendation(fellow)
    hidden = LearningItemFactory(created_by=person_with(Role.FELLOW, "south"))
    sign_in(client, fellow)
    response = client.post(reverse("register:answers", args=[rec.pk]), {"learning_item": hidden.pk})
    assert response.status_code == 404
    assert not rec.answered_by_learning.exists()


def test_an_overdue_recommendation_says_so_in_the_list_and_on_its_page(client, fellow):
    rec = recommendation(fellow, due_on=timezone.localdate() - datetime.timedelta(days=1))
    sign_in(client, fellow)
    assert "Overdue" in client.get(reverse("register:recommendation-list")).text
    assert "Overdue" in client.get(rec.get_absolute_url()).text
    overdue_only = client.get(reverse("register:recommendation-list"), {"status": "overdue"})
    assert list(overdue_only.context["page"]) == [rec]


def test_an_edit_made_after_another_is_refused_naming_who_made_it(client, fellow, lead):
    from django.test import Client

    rec = recommendation(fellow, kind=RecommendationKind.FELLOW)
    url = reverse("register:recommendation-edit", args=[rec.pk])
    first, second = sign_in(Client(), lead), sign_in(client, fellow)
    first.get(url), second.get(url)
    assert (
        first.post(url, recommendation_data(kind="fellow", text="Theirs", version=1)).status_code
        == 302
    )
    refused = second.post(url, recommendation_data(kind="fellow", text="Mine", version=1))
    assert "changed this recommendation on" in refused.text
    rec.refresh_from_db()
    assert rec.text == "Theirs"


# The thread


def test_the_thread_counts_each_step_of_the_chain(client, fellow):
    investigation = InvestigationFactory(region=region("north"))
    answered = recommendation(fellow, investigation=investigation, reference="R1")
    recommendation(fellow, investigation=investigation, reference="R2")
    answer(answered, fellow, datetime.date(2026, 4, 1))
    item = LearningItemFactory(status=LearningItem.Status.PUBLISHED, published_at=timezone.now())
    services.answer_link(recommendation=answered, learning_item=item)
    also = LearningItemFactory(status=LearningItem.Status.PUBLISHED, published_at=timezone.now())
    also.investigations.add(investigation)
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    services.answer_link(recommendation=answered, initiative=initiative)
    adoption(fellow, of=item, region_slug="south")
    adoption(fellow, of=item, region_slug="north", organisation=a_trust("t2", "Second Trust"))
    adoption(
        fellow,
        of=initiative,
        region_slug="london-south-east",
        organisation=a_trust("t3", "Third Trust"),
    )
    sign_in(client, fellow)

    response = client.get(reverse("register:thread", args=[investigation.pk]))

    summary = response.text.split('id="thread-summary"')[1].split("</div>")[0]
    assert (
        "2 recommendations, 1 answered; 2 learning items; 1 initiative; adopted by 3 "
        "organisations in 3 regions; 0 curriculum entries and 0 training sessions (0 people "
        "trained)." in summary
    )


def test_the_thread_never_puts_punctuation_straight_after_a_link_that_ends_in_its_own(
    client, fellow
):
    import re

    investigation = InvestigationFactory(region=region("north"), title="Falls at night.")
    recommendation(
        fellow,
        investigation=investigation,
        text="Agree one way of escalating care before a transfer.",
    )
    sign_in(client, fellow)

    page = client.get(reverse("register:thread", args=[investigation.pk])).text

    assert "before a transfer.</a>" in page
    assert re.findall(r"[.!?]</a>[,.:;]", page) == []


# Search


def test_search_finds_recommendations_in_scope(fellow):
    recommendation(fellow, text="Standardise the sepsis screening tool across wards.")
    recommendation(
        person_with(Role.FELLOW, "south"), region_slug="south", text="Sepsis screening south."
    )
    found = search(
        "sepsis",
        initiatives=InitiativeFactory._meta.model.objects.none(),
        investigations=InvestigationFactory._meta.model.objects.none(),
        learning_items=LearningItem.objects.none(),
        recommendations=Recommendation.objects.for_user(fellow),
    )
    assert [result.kind for result in found] == ["recommendation"]
    assert "Standardise" in found[0].title


# Query counts, with few rows and with ten times as many


def _many(fellow, rows):
    for number in range(rows):
        rec = recommendation(
            fellow,
            addressed_to=a_trust(f"trust-{number}", f"Trust {number}"),
            owner=fellow,
        )
        answer(rec, fellow, datetime.date(2026, 4, 1))


def _written_elsewhere(django_capture_on_commit_callbacks):
    """A write to the register, out of the fellow's sight, committed: what follows counts
    afresh, as the first view after any write does."""
    with django_capture_on_commit_callbacks(execute=True):
        recommendation(person_with(Role.FELLOW, "south"), region_slug="south")


@pytest.mark.parametrize("rows", [1, 10])
def test_the_register_takes_the_same_queries_for_few_and_many_rows(
    client, fellow, django_assert_num_queries, django_capture_on_commit_callbacks, rows
):
    _many(fellow, rows)
    sign_in(client, fellow)
    _written_elsewhere(django_capture_on_commit_callbacks)
    # The signed-in page's three, the count and the page of recommendations, and the regions
    # to filter by. The organisation filter is a search box: it lists no organisations.
    # Counted afresh just after a write, and read again: the same.
    for _view in ("afresh", "again"):
        with django_assert_num_queries(6):
            response = client.get(reverse("register:recommendation-list"))
        assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_the_response_rates_take_the_same_queries_for_few_and_many_rows(
    client, fellow, django_assert_num_queries, django_capture_on_commit_callbacks, rows
):
    _many(fellow, rows)
    sign_in(client, fellow)
    _written_elsewhere(django_capture_on_commit_callbacks)
    # The signed-in page's three and the counts, with the medians on PostgreSQL (elsewhere,
    # one more reads the days to respond); afresh and again.
    queries = 4 if connection.vendor == "postgresql" else 5
    for _view in ("afresh", "again"):
        with django_assert_num_queries(queries):
            response = client.get(reverse("register:response-rates"))
        assert len(response.context["rates"]) == rows
