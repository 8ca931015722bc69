"""Each person's home, the regional and national dashboards and the lists behind their
figures: every figure against a hand-built set across quarter ends (31 March / 1 April in
London time, with its BST edge, and 30 June / 1 July), every figure's link against its list,
scope, and query counts that do not grow with the rows."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from dashboards.selectors import dashboard
from fellows.models import Milestone, ProgressUpdate
from learning.models import LearningItem
from learning.services import learning_item_publish
from portal.counts import GENERATION, move_on
from portal.quarters import Quarter
from register.models import AdoptionStage
from tests.curriculum import factories as curriculum
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import LearningItemFactory
from tests.quarter_data import Q1, Q2, Q4_2025, answered, build, published
from tests.register.factories import a_trust, adoption, recommendation
from tests.roles import host_psc, person_with, region, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")


@pytest.fixture
def hand_built(fellow):
    return build(fellow)


def north(quarter):
    dash = dashboard(quarter)
    return dash.of(region("north")), dash.nation


def test_learning_falls_in_the_quarter_of_its_london_date(hand_built):
    mine, nation = north(Q4_2025)
    assert dict(mine.learning) == {"best_practice": 1}
    mine, nation = north(Q1)
    assert dict(mine.learning) == {"best_practice": 1, "investigation": 1}
    assert mine.learning_total == 2
    assert nation.learning_total == 3  # with the south's
    assert mine.median_days_to_publish == 4  # of 2 and 6 days
    assert north(Q2)[0].learning_total == 1


def test_investigations_are_counted_by_source_in_the_quarter_they_were_logged(hand_built):
    assert dict(north(Q4_2025)[0].investigations) == {"hssib": 1}
    # The recommendations' own investigations were logged today, in none of these quarters.
    assert dict(north(Q1)[0].investigations) == {"hssib": 1}


def test_recommendations_are_on_time_late_overdue_or_open_at_the_quarters_end(hand_built):
    mine, _nation = north(Q1)
    assert dict(mine.recommendations) == {"on_time": 1, "late": 1, "overdue": 1, "open": 1}
    assert mine.median_days_to_respond == Decimal("105.5")  # of 31 and 180 days
    mine, _nation = north(Q2)
    # Answered on 1 July, after being overdue at the end of June; the one due on 30 August
    # is overdue now.
    assert dict(mine.recommendations) == {"late": 1, "overdue": 1}


def test_initiatives_count_by_their_status_and_score_at_the_quarters_end(hand_built):
    mine, _nation = north(Q4_2025)
    assert dict(mine.initiatives) == {"planned": 1}
    assert dict(mine.ihi) == {0: 1}
    mine, _nation = north(Q1)
    assert dict(mine.initiatives) == {"active": 1}
    assert dict(mine.initiatives_before) == {"planned": 1}
    assert dict(mine.ihi) == {2: 1}
    assert dict(mine.ihi_before) == {0: 1}


def test_adoptions_count_by_their_stage_at_the_quarters_end_and_spread_beyond(hand_built):
    mine, _nation = north(Q4_2025)
    assert dict(mine.adoptions) == {"considering": 1}
    assert mine.spread_beyond == 0
    mine, _nation = north(Q1)
    assert dict(mine.adoptions) == {"piloting": 1}
    mine, nation = north(Q2)
    assert mine.spread_beyond == 1  # the south trust took up the north's initiative
    assert dict(nation.adoptions) == {"piloting": 1, "adopted": 1}


def test_curriculum_training_and_support_fall_in_the_quarter_of_their_dates(hand_built):
    mine, nation = north(Q1)
    assert dict(mine.curriculum) == {"proposed": 1}
    assert mine.people_trained == 10
    assert nation.people_trained == 15
    assert mine.staff_reached == 8
    mine, _nation = north(Q2)
    assert dict(mine.curriculum) == {"agreed": 1}
    assert mine.people_trained == 7
    assert north(Q4_2025)[0].staff_reached == 4


def test_the_trends_count_the_last_eight_quarters(hand_built):
    mine, nation = north(Q2)
    assert mine.trends["learning"][-3:] == [1, 2, 1]
    assert nation.trends["learning"][-3:] == [1, 3, 1]
    assert mine.trends["people"][-2:] == [10, 7]
    assert mine.trends["answered"][-3:] == [0, 2, 1]
    assert mine.trends["adoptions"][-3:] == [1, 0, 0]  # begun: considering on 31 March


FIGURE_LINK = re.compile(r'href="(/dashboards/north/figures/[^"]+)">(\d+)<span')
RESULT_COUNT = re.compile(r'<p id="result-count">(\d+) in all\.</p>')


# The quarter under way too: its statuses are read from the records themselves (ADR 45).
@pytest.mark.parametrize("quarter", [Q4_2025, Q1, Q2, Quarter.current()], ids=str)
@pytest.mark.parametrize("who", ["lead", "fellow"])
def test_every_figure_links_to_a_list_of_as_many_records(client, hand_built, request, who, quarter):
    sign_in(client, request.getfixturevalue(who))
    page = client.get(reverse("dashboard", args=["north"]), {"quarter": quarter.label})
    links = FIGURE_LINK.findall(page.content.decode())
    assert len(links) >= 25
    assert sum(int(number) for _url, number in links) > 0
    for url, number in links:
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200, url
        assert RESULT_COUNT.search(listed.content.decode()).group(1) == number, url


def test_the_dashboard_shows_the_region_beside_the_nation_and_says_what_the_nation_is(
    client, lead, hand_built
):
    sign_in(client, lead)
    page = client.get(reverse("dashboard", args=["north"]), {"quarter": "2026/27 Q1"})
    text = page.content.decode()
    assert "<h1>" in text and "North" in text
    assert "England (total of the regions)" in text
    assert "105.5 days" in text  # median days to respond
    assert "2026/27 Q1" in text
    assert 'href="/dashboards/north/?quarter=2025/26%20Q4"' in text  # previous
    assert 'href="/dashboards/north/?quarter=2026/27%20Q2"' in text  # next


def test_the_quarter_under_way_is_the_default_and_has_no_next_link(client, lead):
    sign_in(client, lead)
    page = client.get(reverse("dashboard", args=["north"]))
    assert page.status_code == 200
    assert str(Quarter.current()) in page.content.decode()
    assert f"quarter={Quarter.current().next().label}" not in page.content.decode()


@pytest.mark.parametrize("quarter", ["2027/28 Q1", "2013/14 Q4", "Q5", "2026/27 Q9", "nonsense"])
def test_a_quarter_not_begun_before_the_programme_or_malformed_is_a_404(client, lead, quarter):
    sign_in(client, lead)
    assert client.get(reverse("dashboard", args=["north"]), {"quarter": quarter}).status_code == 404


def test_another_regions_dashboard_and_figures_are_a_404_for_a_lead(client, lead):
    sign_in(client, lead)
    assert client.get(reverse("dashboard", args=["south"])).status_code == 404
    url = reverse("dashboard-figure", args=["south", "learning.best_practice"])
    assert client.get(url).status_code == 404


def test_an_unknown_figure_is_a_404(client, lead):
    sign_in(client, lead)
    url = reverse("dashboard-figure", args=["north", "learning.nonsense"])
    assert client.get(url).status_code == 404


def test_a_chair_sees_their_pscs_region_and_not_another(client, db):
    chair = person_with(Role.PSC_CHAIR, "north")
    sign_in(client, chair)
    assert client.get(reverse("dashboard", args=["north"])).status_code == 200
    assert client.get(reverse("dashboard", args=["south"])).status_code == 404


def test_the_national_team_opens_any_region_and_the_national_dashboard(client, hand_built):
    national = person_with(Role.NATIONAL)
    sign_in(client, national)
    assert client.get(reverse("dashboard", args=["south"])).status_code == 200
    page = client.get(reverse("dashboard-national"), {"quarter": "2026/27 Q1"})
    text = page.content.decode()
    assert page.status_code == 200
    for name in ("North", "Midlands and East", "London and South East", "South"):
        assert name in text


def test_a_fellows_figure_list_holds_only_records_they_may_open(client, fellow):
    # A draft in the north is in no figure; a fellow of another region sees the north's
    # dashboard only if it is theirs.
    south_fellow = person_with(Role.FELLOW, "south")
    sign_in(client, south_fellow)
    assert client.get(reverse("dashboard", args=["north"])).status_code == 404


# Homes


def test_a_fellows_home_says_plainly_when_each_block_is_empty(client, fellow):
    sign_in(client, fellow)
    text = client.get(reverse("home")).content.decode()
    for sentence in (
        "You have no initiatives yet.",
        "No milestones due in the next 30 days, and none overdue.",
        "None of your learning is returned or waiting for review.",
        "No recommendation you follow up is due in the next 30 days or overdue.",
        "No adoption has gone 90 days without a change of stage.",
    ):
        assert sentence in text
    for link in ("fellows:add", "learning:item-add", "register:gap-add", "curriculum:training-add"):
        assert f'href="{reverse(link)}"' in text
    assert "<table" not in text
    # A fellow's host PSC is not theirs to report on: the chair's blocks are not shown.
    assert "Your PSC's initiatives" not in text
    assert reverse("reports:request") not in text


def test_a_fellows_home_shows_their_work_that_needs_them(client, fellow):
    today = timezone.localdate()
    initiative = InitiativeFactory(created_by=fellow, title="Safer discharge letters")
    initiative.fellows.add(fellow)
    ProgressUpdate.objects.create(
        initiative=initiative, text="Baseline", ihi_score=Decimal("2.5"), by=fellow
    )
    Milestone.objects.create(
        initiative=initiative, title="Audit 50 letters", due_on=today + datetime.timedelta(days=10)
    )
    Milestone.objects.create(
        initiative=initiative, title="Agree the template", due_on=today - datetime.timedelta(days=3)
    )
    Milestone.objects.create(
        initiative=initiative, title="Spread to wards", due_on=today + datetime.timedelta(days=60)
    )
    LearningItemFactory(
        created_by=fellow, title="Huddles that help", status=LearningItem.Status.RETURNED
    ).authors.add(fellow)
    recommendation(
        fellow, owner=fellow, issued_on=today - datetime.timedelta(days=100), reference="R-OLD"
    )
    adoption(
        fellow,
        of=initiative,
        organisation=a_trust(),
        stage=AdoptionStage.PILOTING,
        stage_on=today - datetime.timedelta(days=91),
    )
    sign_in(client, fellow)
    text = client.get(reverse("home")).content.decode()
    assert "Safer discharge letters</a>: planned, latest IHI score 2.5" in text
    assert "Audit 50 letters" in text
    assert "Overdue</strong> Agree the template" in text
    assert "Spread to wards" not in text
    assert "Huddles that help</a>: returned" in text
    assert 'id="home-recommendations"' in text
    assert "Test Teaching Hospitals NHS Trust</a>: piloting since" in text


def test_a_leads_home_shows_the_review_queue_overdue_recommendations_and_the_region(
    client, lead, fellow
):
    sign_in(client, lead)
    text = client.get(reverse("home")).content.decode()
    assert "Nothing is waiting for review." in text
    assert "No recommendation in your region is overdue." in text
    assert 'href="/dashboards/north/"' in text

    item = LearningItemFactory(created_by=fellow, status=LearningItem.Status.SUBMITTED)
    LearningItem.objects.filter(pk=item.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=3)
    )
    LearningItemFactory(created_by=fellow, status=LearningItem.Status.SUBMITTED)
    today = timezone.localdate()
    recommendation(fellow, issued_on=today - datetime.timedelta(days=100), reference="R-LATE")
    text = client.get(reverse("home")).content.decode()
    assert "2 learning items waiting for review</a>; the longest waiting was" in text
    assert "1 overdue." in text
    assert 'id="home-overdue"' in text


def test_a_chairs_home_shows_the_pscs_initiatives_fellows_and_changes(client, fellow):
    chair = person_with(Role.PSC_CHAIR, "north")
    sign_in(client, chair)
    text = client.get(reverse("home")).content.decode()
    assert "Your PSC hosts no initiatives yet." in text
    assert "None of your PSC's initiatives changed this quarter." in text

    InitiativeFactory(
        created_by=fellow, title="Falls after a ward move", host_psc=host_psc("north")
    )
    InitiativeFactory(created_by=person_with(Role.FELLOW, "south"), region=region("south"))
    text = client.get(reverse("home")).content.decode()
    assert "1 initiative." in text
    assert "Falls after a ward move</a>: planned" in text
    assert 'id="home-psc-changed"' in text
    assert fellow.full_name in text
    assert "1 safety fellow." in text


def test_a_chairs_home_lists_the_first_fellows_by_name_and_counts_them_all(client, fellow):
    chair = person_with(Role.PSC_CHAIR, "north")
    for number in range(11):
        person_with(Role.FELLOW, "north", full_name=f"Zed Fellow {number:02}")
    sign_in(client, chair)

    text = client.get(reverse("home")).content.decode()

    assert "12 safety fellows, the first 10 by name." in text
    assert fellow.full_name in text
    assert "Zed Fellow 08" in text
    assert "Zed Fellow 09" not in text


def test_the_national_teams_home_shows_every_region_side_by_side(client, db):
    sign_in(client, person_with(Role.NATIONAL))
    text = client.get(reverse("home")).content.decode()
    assert 'href="/dashboards/england/"' in text
    for name in ("North", "Midlands and East", "London and South East", "South"):
        assert name in text


# Query counts: a fixed number, however many records


def _rows(fellow, count):
    today = timezone.localdate()
    south_fellow = person_with(Role.FELLOW, "south")
    for number in range(count):
        initiative = InitiativeFactory(created_by=fellow)
        initiative.fellows.add(fellow)
        ProgressUpdate.objects.create(
            initiative=initiative, text="Update", ihi_score=Decimal("2.0"), by=fellow
        )
        Milestone.objects.create(initiative=initiative, title=f"Step {number}", due_on=today)
        item = published(fellow, timezone.now(), submitted=timezone.now())
        published(south_fellow, timezone.now(), submitted=timezone.now(), region_slug="south")
        LearningItemFactory(created_by=fellow, status=LearningItem.Status.SUBMITTED)
        rec = recommendation(fellow, owner=fellow, issued_on=today - datetime.timedelta(days=100))
        if number % 2:
            answered(rec, today, fellow)
        adoption(fellow, of=item, stage_on=today - datetime.timedelta(days=100))
        curriculum.entry(fellow)
        curriculum.session(fellow, held_on=today)
        curriculum.support(fellow, held_on=today)


FEW, MANY = 1, 10
SIGNED_IN = 3  # the session, the person and their scope
# With nothing in the cache (as after a deploy): the programme's regions; the kept figures of
# the closed quarters (the trends, the quarter before) in one query, the kept days of the
# quarter under way before today in one, and the quarter from today in one; the SPC charts'
# kept monthly series (1) with the targets and rebases (2), whose icons the headline cards
# carry (docs/adr/0042, docs/adr/0047). A dashboard also reads the kept syllabus coverage.
REGIONS = 1
FIGURES = 3 + 1 + 2
COVERAGE = 1
# Counted afresh after a write to a record they count: the quarter under way alone. The
# regions, the SPC settings and the kept summaries stay kept until they change (docs/adr/0045).
AFTER_A_WRITE = 1
# What needs attention today: the first rows and the count of each of its three blocks.
ATTENTION = 6


@pytest.mark.parametrize("rows", [FEW, MANY])
@pytest.mark.parametrize(
    ("who", "url_name", "blocks"),
    [
        ("lead", "dashboard", ATTENTION),
        ("national", "dashboard-national", ATTENTION),
        # Each of a fellow's blocks, and the news about their learning: the ids of their
        # items, the review steps, the adoptions, the curriculum's citations (and the
        # entries, when cited), the comments, and the items with news.
        ("fellow", "home", 11),
        ("lead", "home", 6),  # the review queue, its oldest, overdue recommendations, counts
        # The PSC's initiatives, their count, those changed, the fellows and their count.
        ("chair", "home", 5),
        ("national", "home", 0),
    ],
)
def test_dashboards_and_homes_take_the_same_queries_for_few_and_many_rows(
    client, fellow, django_assert_num_queries, rows, who, url_name, blocks
):
    _rows(fellow, rows)
    people = {
        "fellow": fellow,
        "lead": person_with(Role.REGIONAL_LEAD, "north"),
        "chair": person_with(Role.PSC_CHAIR, "north"),
        "national": person_with(Role.NATIONAL),
    }
    sign_in(client, people[who])
    url = reverse(url_name, args=["north"]) if url_name == "dashboard" else reverse(url_name)
    # Every home has the headline figures of the person's region, or England's.
    figures, regions = FIGURES + (COVERAGE if url_name != "home" else 0), REGIONS
    # The closed quarters and months are counted once, when first needed ...
    assert client.get(url).status_code == 200
    # ... so with nothing in the cache, they are read from where they are kept ...
    cache.clear()
    with django_assert_num_queries(SIGNED_IN + blocks + regions + figures):
        assert client.get(url).status_code == 200
    # ... counted afresh after a write, only the quarter under way is counted ...
    move_on(GENERATION)
    with django_assert_num_queries(SIGNED_IN + blocks + AFTER_A_WRITE):
        assert client.get(url).status_code == 200
    # ... and read again, with nothing written since: the figures are not counted again.
    with django_assert_num_queries(SIGNED_IN + blocks):
        assert client.get(url).status_code == 200


def test_the_figures_are_counted_again_after_a_write_and_not_before(
    client, lead, fellow, django_assert_num_queries, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    url = reverse("dashboard", args=["north"])

    def gaps():
        page = client.get(url).content.decode()
        return re.search(
            r"Gaps in the syllabus coverage grid \(of 25 cells\)</th>\s*<td[^>]*>(\d+)", page
        ).group(1)

    assert gaps() == "25"
    with django_assert_num_queries(SIGNED_IN + ATTENTION):
        assert gaps() == "25"
    with django_capture_on_commit_callbacks(execute=True):
        curriculum.session(fellow, held_on=timezone.localdate(), tags=[(1, 1), (2, 3)])
    with django_assert_num_queries(SIGNED_IN + ATTENTION + AFTER_A_WRITE):
        assert gaps() == "23"

    # A review step is a conditional UPDATE, which sends no signal: publishing says so itself.
    draft = LearningItemFactory(created_by=fellow, status=LearningItem.Status.SUBMITTED)
    draft.syllabus.set([curriculum.tag(3, 1)])
    assert gaps() == "23"
    with django_capture_on_commit_callbacks(execute=True):
        learning_item_publish(item=draft, by=lead)
    assert gaps() == "22"


@pytest.mark.django_db
def test_spread_of_learning_is_credited_to_the_region_it_came_from(client):
    fellow = person_with(Role.FELLOW, "north")
    learning = LearningItemFactory(
        region=region("north"), status=LearningItem.Status.PUBLISHED, published_at=timezone.now()
    )
    for number, slug in enumerate(["south", "london-south-east", "north"]):
        adoption(
            fellow,
            of=learning,
            region_slug=slug,
            organisation=a_trust(f"t{number}", f"Trust {number}"),
            stage=AdoptionStage.PILOTING,
            stage_on=timezone.localdate(),
        )
    quarter = Quarter.current()

    dash = dashboard(quarter)

    assert dash.of(region("north")).spread_beyond == 2
    assert dash.of(region("south")).spread_beyond == 0
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    page = client.get(reverse("dashboard", args=["north"])).content.decode()
    assert "Adoptions in other regions of the region&#x27;s initiatives and learning" in page
    figure = client.get(reverse("dashboard-figure", args=["north", "spread"]))
    assert figure.context["page"].paginator.count == 2


@pytest.mark.django_db
def test_the_previous_quarter_is_named_large_with_an_arrow(client):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    page = client.get(reverse("dashboard", args=["north"])).content.decode()
    previous = Quarter.current().previous()
    link = page[page.index('class="nhsuk-pagination-item--previous"') :]
    link = link[: link.index("</li>")]
    assert f'<span class="nhsuk-pagination__title">{previous}</span>' in link
    assert '<span class="nhsuk-pagination__page">Previous quarter</span>' in link
    assert "nhsuk-icon--arrow-left" in link


@pytest.mark.django_db
def test_the_charts_axis_labels_are_drawn_at_a_readable_size_under_each_bar(client):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    page = client.get(reverse("dashboard", args=["north"])).content.decode()
    chart = page[page.index('id="chart-learning"') :]
    chart = chart[: chart.index("</svg>")]
    assert 'viewBox="0 0 640 260"' in chart and 'font-size="16"' in chart
    assert re.findall(r'font-size="(\d+)"', chart) == ["16"]
    current = Quarter.current()
    assert f">Q{current.number}</text>" in chart
    assert f">{current.year % 100:02d}/{(current.year + 1) % 100:02d}</text>" in chart
