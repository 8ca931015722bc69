"""What a report counts: a PSC's report counts the PSC's own records (its hosted initiatives
and what its safety fellows recorded), with its region and England beside it; and every
section lists exactly the records its summary figures count."""

import datetime

import pytest
import time_machine

from accounts.models import RoleAssignment
from accounts.roles import Role
from dashboards.selectors import dashboard
from fellows.models import Initiative
from regions.models import PatientSafetyCollaborative
from reports.files import summary_table
from reports.sections import Scope, report
from tests.accounts.factories import UserFactory
from tests.curriculum import factories as curriculum
from tests.fellows.factories import InitiativeFactory
from tests.quarter_data import Q1, build, published
from tests.roles import host_psc, region


@pytest.fixture
def hand_built(fellow):
    return build(fellow)


@pytest.fixture
def neighbour(db):
    """A safety fellow of another north PSC: their work is the north's, not the north's
    host PSC's."""
    person = UserFactory(full_name="Yorkshire Fellow")
    RoleAssignment.objects.create(
        user=person,
        role=Role.FELLOW,
        region=region("north"),
        psc=PatientSafetyCollaborative.objects.get(slug="yorkshire-humber"),
    )
    return person


def neighbours_work(person):
    at = datetime.datetime(2026, 5, 20, 10, tzinfo=datetime.UTC)
    published(person, at, submitted=at - datetime.timedelta(days=30), title="Yorkshire learning")
    curriculum.session(person, held_on=datetime.date(2026, 5, 21), people_trained=40)
    InitiativeFactory(
        created_by=person,
        region=region("north"),
        host_psc=PatientSafetyCollaborative.objects.get(slug="yorkshire-humber"),
        status=Initiative.Status.ACTIVE,
        title="Yorkshire initiative",
    )


def rows_of(the_report, slug):
    return list(next(s for s in the_report.sections if s.slug == slug).rows())


def summary_of(the_report):
    return {(row[0], row[1]): row[2:] for row in rows_of(the_report, "summary")}


def test_a_pscs_figures_are_its_own_with_its_region_and_england_beside_them(hand_built, neighbour):
    neighbours_work(neighbour)
    psc = report(Scope.of_psc(host_psc("north")), Q1)
    summary = summary_of(psc)
    learning = "Learning published in the quarter"
    # The PSC's fellow published one item of each kind in Q1; the region has the neighbour's
    # too, and England the south's.
    assert summary[(learning, "Best practice")] == (1, 1, 2, 3)
    assert summary[(learning, "Learning from an investigation")] == (1, 0, 1, 1)
    assert summary[(learning, "Median days from submission to publication")] == (4, 10, 6, 5)
    assert summary[("Curriculum and training", "People trained in the quarter")] == (10, 0, 50, 55)
    # The north's one initiative then is hosted by another north PSC (the factory's first).
    active = summary[("Initiatives by status at the end of the quarter", "Active")]
    assert (active[0], active[2]) == (0, 1)
    north = dashboard(Q1).of(region("north"))
    assert summary[(learning, "Best practice")][2] == north.learning["best_practice"]
    # The sections list the PSC's records only.
    assert "Yorkshire learning" not in [row[0] for row in rows_of(psc, "learning")]
    assert "Yorkshire initiative" not in [row[0] for row in rows_of(psc, "initiatives")]
    assert [row[6] for row in rows_of(psc, "training")] == [10]
    # The region's report has them.
    assert "Yorkshire learning" in [
        row[0] for row in rows_of(report(Scope(region=region("north")), Q1), "learning")
    ]  # noqa: E501
    # Its columns say whose each figure is.
    headings = [column.heading for column in psc.sections[0].columns[2:]]
    assert headings == [
        f"{host_psc('north').name}, 2026/27 Q1", f"{host_psc('north').name}, 2025/26 Q4",
        "North, 2026/27 Q1", "England, 2026/27 Q1",
    ]  # fmt: skip


def test_a_pscs_report_says_what_it_counts_as_the_pscs(hand_built):
    counts = dict(Scope.of_psc(host_psc("north")).what_it_counts())
    assert counts["Initiatives"] == "initiatives the PSC hosts"
    assert "safety fellows" in counts["Adoptions"]


SECTION_FIGURES = {
    "initiatives": ["Initiatives by status at the end of the quarter"],
    "learning": ["Learning published in the quarter"],
    "investigations": ["Investigations logged in the quarter"],
    "recommendations": ["Recommendations"],
    "adoptions": ["Adoption by stage at the end of the quarter"],
}


@pytest.mark.parametrize("scope_of", ["psc", "region", "nation"])
def test_every_sections_rows_are_the_records_its_summary_counts(hand_built, neighbour, scope_of):
    neighbours_work(neighbour)
    with time_machine.travel(datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)):
        InitiativeFactory(
            created_by=neighbour, region=region("north"), status="planned",
            host_psc=host_psc("north"),
        )  # fmt: skip
    scope = {
        "psc": Scope.of_psc(host_psc("north")),
        "region": Scope(region=region("north")),
        "nation": Scope(),
    }[scope_of]
    the_report = report(scope, Q1)
    summary = rows_of(the_report, "summary")

    def counted(title, *, but=()):
        return sum(row[2] for row in summary if row[0] == title and row[1] not in but and row[2])

    assert len(rows_of(the_report, "initiatives")) == counted(SECTION_FIGURES["initiatives"][0])
    assert "Planned" in [row[3] for row in rows_of(the_report, "initiatives")]
    assert len(rows_of(the_report, "learning")) == counted(
        "Learning published in the quarter", but=["Median days from submission to publication"]
    )
    assert len(rows_of(the_report, "investigations")) == counted(
        "Investigations logged in the quarter"
    )
    assert len(rows_of(the_report, "recommendations")) == counted(
        "Recommendations", but=["Median days to respond (those answered in the quarter)"]
    )
    assert len(rows_of(the_report, "adoptions")) == counted(
        "Adoption by stage at the end of the quarter",
        but=[row[1] for row in summary if row[1].startswith("Adoptions of the")],
    )
    curriculum_rows = rows_of(the_report, "curriculum")
    assert len(curriculum_rows) == sum(
        row[2] for row in summary if row[1].startswith("Curriculum entries")
    )
    training = {row[1]: row[2] for row in summary if row[0] == "Curriculum and training"}
    assert len(rows_of(the_report, "training")) == training["Training sessions held"]
    assert (
        sum(row[6] for row in rows_of(the_report, "training"))
        == (training["People trained in the quarter"])
    )
    assert (
        len(rows_of(the_report, "support"))
        == (training["Sessions of support for staff affected by incidents"])
    )
    # The short lists count the same records: adoptions in the board pack add up to the
    # summary's.
    top = next(s for s in the_report.short_lists() if s.where == "Adoptions")
    assert sum(row[1] for row in top.rows) == len(rows_of(the_report, "adoptions"))


def test_a_median_of_one_day_reads_1_day_in_the_board_pack(fellow):
    at = datetime.datetime(2026, 5, 12, 10, tzinfo=datetime.UTC)
    published(fellow, at, submitted=at - datetime.timedelta(days=1))
    table = summary_table(report(Scope(region=region("north")), Q1))
    rows = {row["label"]: row["values"] for group in table["groups"] for row in group["rows"]}
    assert rows["Median days from submission to publication"][0] == "1 day"
    assert rows["Median days to respond (those answered in the quarter)"][0] == "None yet"
