"""The headline figures that open each dashboard and home: every card's number is the figure
in the table below it and the count of the list it links to, its change is the difference from
the previous quarter's card, and England's figure is the one in the table's England column.
"What needs attention" lists only what the person may open, in their region."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from dashboards import presenters
from learning.models import LearningItem
from portal.quarters import Quarter
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import LearningItemFactory
from tests.quarter_data import Q1, Q2, Q4_2025, build
from tests.register.factories import recommendation
from tests.roles import person_with, region, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")

CARD = re.compile(
    r'id="card-(?P<key>\w+)">.*?<a class="nhsuk-card__link" href="(?P<url>[^"]+)">.*?'
    # After the figure, its SPC variation icon when its chart is drawn.
    r'id="card-(?P=key)-value">(?P<value>[^<]+)</p>.*?'
    r'<p class="portal-headline__detail">(?P<detail>.*?)</p>',
    re.DOTALL,
)
CHANGE = re.compile(r'portal-headline__change">(Up|Down) ([\d.]+)(?: days?)?<|'
                    r'portal-headline__change">(No change)<')  # fmt: skip
ENGLAND = re.compile(r'portal-headline__national">England: ([^<]+)</span>')
RESULT_COUNT = re.compile(r'<p id="result-count">(\d+) in all\.</p>')
LINKED = re.compile(r'href="/dashboards/north/figures/[^"]+">(\d+)<span')


def cards(text):
    found = {match["key"]: match for match in CARD.finditer(text)}
    assert list(found) == [
        "published", "days_to_publish", "responded_on_time", "overdue", "trained", "adoptions",
    ]  # fmt: skip
    return found


def table(text, table_id):
    start = text.index(f'id="{table_id}"')
    return text[start : text.index("</table>", start)]


def row(text, table_id, label):
    """The region's and England's cells of the row `label` of table `table_id`."""
    cells = re.search(
        re.escape(label) + r"</th>\s*<td[^>]*>(?:<a [^>]*>)?([^<]+)<.*?<td[^>]*>([^<]+)</td>",
        table(text, table_id),
        re.DOTALL,
    )
    return cells.group(1).strip(), cells.group(2).strip()


def listed(client, url):
    page = client.get(url.replace("&amp;", "&").split("#")[0])
    assert page.status_code == 200, url
    return int(RESULT_COUNT.search(page.content.decode()).group(1))


def number(shown):
    return float(shown.split()[0]) if shown != "None yet" else None


@pytest.mark.parametrize("quarter", [Q4_2025, Q1, Q2], ids=str)
def test_every_card_is_the_figure_below_it_and_the_count_of_its_list(client, lead, fellow, quarter):
    build(fellow)
    sign_in(client, lead)
    text = client.get(reverse("dashboard", args=["north"]), {"quarter": quarter.label})
    text = text.content.decode()
    found = cards(text)
    learning = [int(value) for value in LINKED.findall(table(text, "figures-learning"))]

    assert (
        int(found["published"]["value"])
        == sum(learning)
        == listed(client, found["published"]["url"])
    )
    median, england = row(text, "figures-learning", "Median days from submission to publication")
    assert found["days_to_publish"]["value"] == median
    assert f"England: {england}" in found["days_to_publish"]["detail"]
    # A median links to the learning it is the median of.
    assert found["days_to_publish"]["url"] == found["published"]["url"]
    for key, label in [
        ("responded_on_time", "Answered on time in the quarter"),
        ("overdue", "Overdue at the quarter&#x27;s end"),
    ]:
        mine, england = row(text, "figures-recommendations", label)
        assert found[key]["value"] == mine
        assert int(mine) == listed(client, found[key]["url"])
        assert f"England: {england}" in found[key]["detail"]
    trained, england = row(text, "figures-curriculum", "People trained in the quarter")
    sessions, _england = row(text, "figures-curriculum", "Training sessions held")
    assert found["trained"]["value"] == trained
    assert f"England: {england}" in found["trained"]["detail"]
    # People trained is a sum: its list is the sessions that trained them.
    assert listed(client, found["trained"]["url"]) == int(sessions)
    begun = re.findall(
        r'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">(\d+)</td>',
        table(text, "table-adoptions"),
    )
    assert found["adoptions"]["value"] == begun[-2]  # the quarter's row: the region, England
    assert int(begun[-2]) == listed(client, found["adoptions"]["url"])
    assert sum(int(card["value"]) for key, card in found.items() if key != "days_to_publish")


@pytest.mark.parametrize("quarter", [Q1, Q2], ids=str)
def test_each_cards_change_is_from_the_previous_quarters_card(client, lead, fellow, quarter):
    build(fellow)
    sign_in(client, lead)

    def page(of):
        response = client.get(reverse("dashboard", args=["north"]), {"quarter": of.label})
        return cards(response.content.decode())

    now, before = page(quarter), page(quarter.previous())
    changes = 0
    for key, card in now.items():
        value, earlier = number(card["value"]), number(before[key]["value"])
        change = CHANGE.search(card["detail"])
        if value is None or earlier is None:
            assert change is None, key
            continue
        if change.group(3):
            assert value == earlier, key
            continue
        sign = 1 if change.group(1) == "Up" else -1
        assert value - earlier == sign * float(change.group(2)), key
        changes += 1
    assert changes >= 2  # the hand-built set moves between these quarters


def test_englands_cards_are_the_england_column_and_link_to_each_regions_figures(client, fellow):
    build(fellow)
    sign_in(client, person_with(Role.NATIONAL))
    text = client.get(reverse("dashboard-national"), {"quarter": Q1.label}).content.decode()
    found = cards(text)
    regions = client.get(reverse("dashboard-national"), {"quarter": Q1.label}).context["regions"]

    overdue = table(text, "national-recommendations")
    overdue = overdue[overdue.index("Overdue at the quarter") :]
    counts = re.findall(r'href="(/dashboards/[\w-]+/figures/[^"]+)">(\d+)<span', overdue)
    counts = counts[: len(regions)]
    assert found["overdue"]["url"].endswith("#national-recommendations")
    assert int(found["overdue"]["value"]) == sum(listed(client, url) for url, _n in counts)
    assert int(found["overdue"]["value"]) == sum(int(n) for _url, n in counts)
    # England's own dashboard does not set England beside itself.
    assert "portal-headline__national" not in text


def test_every_home_shows_the_headline_of_its_scope_and_no_dashboard_tables(client, fellow):
    build(fellow)
    for person, scope in [
        (fellow, "North"),
        (person_with(Role.REGIONAL_LEAD, "north"), "North"),
        (person_with(Role.PSC_CHAIR, "north"), "North"),
        (person_with(Role.NATIONAL), None),
    ]:
        sign_in(client, person)
        text = client.get(reverse("home")).content.decode()
        cards(text)
        assert 'class="nhsuk-table portal-figures"' not in text
        assert "nhsuk-table-responsive" not in text
        if scope:
            assert f"{scope} this quarter</h2>" in text
            assert f"Open the {scope} dashboard" in text
        else:
            assert 'href="/dashboards/england/"' in text
        client.logout()


def test_needs_attention_lists_the_regions_oldest_waiting_overdue_and_due_soon(
    client, lead, fellow
):
    today = timezone.localdate()
    old = LearningItemFactory(
        created_by=fellow, status=LearningItem.Status.SUBMITTED, title="Waiting a long time"
    )
    LearningItem.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=20)
    )
    recommendation(fellow, issued_on=today - datetime.timedelta(days=100), reference="R-LATE")
    recommendation(
        fellow,
        issued_on=today - datetime.timedelta(days=80),
        due_on=today + datetime.timedelta(days=10),
        reference="R-SOON",
    )
    recommendation(
        fellow,
        issued_on=today,
        due_on=today + datetime.timedelta(days=40),
        reference="R-LATER",
    )
    initiative = InitiativeFactory(created_by=fellow, title="Late milestone work")
    initiative.milestones.create(title="Audit", due_on=today - datetime.timedelta(days=2))
    south = person_with(Role.FELLOW, "south")
    InitiativeFactory(
        created_by=south, region=region("south"), title="Southern work"
    ).milestones.create(title="Audit", due_on=today - datetime.timedelta(days=2))
    sign_in(client, lead)

    text = client.get(reverse("dashboard", args=["north"])).content.decode()
    attention = text[text.index('id="needs-attention"') : text.index('id="group-initiatives"')]

    assert "Waiting a long time</a>, submitted 2" in attention
    assert "R-LATE" in attention and "R-SOON" in attention and "R-LATER" not in attention
    assert "Overdue</strong>" in attention
    assert "Late milestone work</a>: Audit" in attention
    assert "Southern work" not in attention
    assert 'href="/review/"' in attention or reverse("learning:review-queue") in attention


def test_needs_attention_says_plainly_when_nothing_needs_it(client, lead):
    sign_in(client, lead)
    text = client.get(reverse("dashboard", args=["north"])).content.decode()
    for sentence in (
        "Nothing is waiting for review.",
        "None overdue or due within 14 days.",
        "No initiative has an overdue milestone.",
    ):
        assert sentence in text
    assert str(Quarter.current()) in text


def test_a_cards_days_are_singular_for_one():
    card = presenters.Card(
        "days_to_publish", "Median days to publish", 1, 2, 1.5, "learning", unit=" days"
    )
    assert (card.shown, card.change, card.national_shown) == ("1 day", "Down 1 day", "1.5 days")


def test_needs_attention_counts_every_row_of_a_block_while_it_shows_the_first_three(
    client, lead, fellow
):
    today = timezone.localdate()
    for number in range(5):
        LearningItemFactory(
            created_by=fellow, status=LearningItem.Status.SUBMITTED, title=f"Waiting {number}"
        )
    south = person_with(Role.FELLOW, "south")
    LearningItemFactory(
        created_by=south, region=region("south"), status=LearningItem.Status.SUBMITTED
    )
    for number in range(4):
        recommendation(fellow, issued_on=today - datetime.timedelta(days=100 + number))
    for number in range(2):
        InitiativeFactory(created_by=fellow).milestones.create(
            title=f"Audit {number}", due_on=today - datetime.timedelta(days=2)
        )
    sign_in(client, lead)

    response = client.get(reverse("dashboard", args=["north"]))

    blocks = response.context["attention"]
    shown = {name: len(blocks[name].rows) for name in ("waiting", "recommendations", "initiatives")}
    counts = {name: blocks[name].count for name in ("waiting", "recommendations", "initiatives")}
    assert shown == {"waiting": 3, "recommendations": 3, "initiatives": 2}
    assert counts == {"waiting": 5, "recommendations": 4, "initiatives": 2}
    text = response.content.decode()
    assert "5 waiting" in text and "4 in all" in text and "2 in all" in text
