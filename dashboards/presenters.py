"""How the dashboard's figures are shown: each section as rows of a table (the region's
figure, the national one, and the list the figure opens), and each trend as a bar chart with
its summary in words. Display only: the counting is in selectors.py."""

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse

from curriculum.models import CurriculumEntry
from dashboards import figures
from dashboards.selectors import TRENDS
from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from register.models import AdoptionStage


@dataclass
class Row:
    label: str
    value: object
    national: object
    key: str = ""  # the figure whose list the value links to
    change: int | None = None  # since the previous quarter
    url: str = ""  # that list, for the region and quarter shown


@dataclass
class Section:
    title: str
    slug: str
    rows: list = field(default_factory=list)
    national_is: str = "total of the regions"
    note: str = ""


def _days(value):
    return "None yet" if value is None else f"{value:g} {'day' if value == 1 else 'days'}"


def figure_link(region, quarter):
    """The link from each figure of `region` to the list it counts, in `quarter`."""
    query = f"?quarter={quote(quarter.label)}"
    prefix, urlconf = get_script_prefix(), get_urlconf()
    return lambda key: f"{_figure_path(region.slug, key, prefix, urlconf)}{query}"


@lru_cache(maxsize=2048)
def _figure_path(slug, key, prefix, urlconf):
    # The national table links hundreds of figures; the URL of each is the same on every page
    # served under the same prefix and URLconf, which are part of the key for that reason.
    return reverse("dashboard-figure", args=[slug, key], urlconf=urlconf)


def sections(mine, nation, link=None):
    """The dashboard's sections for one region's figures (`mine`) beside the nation's, each
    figure with its list's URL from `link` (figure_link) when the page links them."""
    statuses = Section("Initiatives by status at the end of the quarter", "initiatives")
    for status, label in Initiative.Status.choices:
        statuses.rows.append(
            Row(
                label,
                mine.initiatives[status],
                nation.initiatives[status],
                f"initiatives.{status}",
                mine.initiatives[status] - mine.initiatives_before[status],
            )
        )
    ihi = Section("Latest IHI scores at the end of the quarter", "ihi")
    for index, (label, _low, _high) in enumerate(figures.IHI_BANDS):
        ihi.rows.append(
            Row(
                label,
                mine.ihi[index],
                nation.ihi[index],
                f"ihi.{index}",
                mine.ihi[index] - mine.ihi_before[index],
            )
        )
    learning = Section("Learning published in the quarter", "learning")
    for kind, label in LearningItem.Kind.choices:
        learning.rows.append(
            Row(label, mine.learning[kind], nation.learning[kind], f"learning.{kind}")
        )
    learning.rows.append(
        Row(
            "Median days from submission to publication",
            _days(mine.median_days_to_publish),
            _days(nation.median_days_to_publish),
        )
    )
    learning.note = "The national median is over every region's learning, not a median of medians."
    investigations = Section("Investigations logged in the quarter", "investigations")
    for source, label in Investigation.Source.choices:
        investigations.rows.append(
            Row(
                label,
                mine.investigations[source],
                nation.investigations[source],
                f"investigations.{source}",
            )
        )
    recommendations = Section("Recommendations", "recommendations")
    for group, label in figures.RECOMMENDATION_GROUPS.items():
        recommendations.rows.append(
            Row(
                label,
                mine.recommendations[group],
                nation.recommendations[group],
                f"recommendations.{group}",
            )
        )
    recommendations.rows.append(
        Row(
            "Median days to respond (those answered in the quarter)",
            _days(mine.median_days_to_respond),
            _days(nation.median_days_to_respond),
        )
    )
    adoption = Section("Adoption by stage at the end of the quarter", "adoption")
    for stage, label in AdoptionStage.choices:
        adoption.rows.append(
            Row(label, mine.adoptions[stage], nation.adoptions[stage], f"adoptions.{stage}")
        )
    adoption.rows.append(
        Row(
            "Adoptions in other regions of the region's initiatives and learning",
            mine.spread_beyond,
            nation.spread_beyond,
            "spread",
        )
    )
    curriculum = Section("Curriculum and training", "curriculum")
    for status, label in CurriculumEntry.Status.choices:
        curriculum.rows.append(
            Row(
                f"Curriculum entries {label.lower()}",
                mine.curriculum[status],
                nation.curriculum[status],
                f"curriculum.{status}",
            )
        )
    curriculum.rows += [
        # A sum is no count of rows, so the link is on the number of sessions beside it.
        Row("Training sessions held", mine.training_sessions, nation.training_sessions, "training"),
        Row("People trained in the quarter", mine.people_trained, nation.people_trained),
        Row(
            "Sessions of support for staff affected by incidents",
            mine.support_sessions,
            nation.support_sessions,
            "support",
        ),
        Row(
            "Staff affected by incidents reached in the quarter",
            mine.staff_reached,
            nation.staff_reached,
        ),
        Row("Gaps in the syllabus coverage grid (of 25 cells)", mine.gaps, nation.gaps),
    ]
    every = [statuses, ihi, learning, investigations, recommendations, adoption, curriculum]
    if link:
        for row in (row for section in every for row in section.rows if row.key):
            row.url = link(row.key)
    return every


# Charts, drawn as SVG by the template; the numbers are in the table below each.

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 24, 56
# The drawing is as wide as the page's two-thirds column (about 620 pixels on a desktop), so
# one unit is about a pixel: text of 16 reads as the body text's smaller size at 100% zoom,
# where 11 was too small to read. The quarter and its year go on two lines to fit under a bar.
FONT_SIZE = 16


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str

    @property
    def centre(self):
        return round(self.x + self.width / 2, 1)

    @property
    def label_lines(self):
        """ "Q3 25/26" as ("Q3", "25/26"), one under the other."""
        quarter, _, year = self.label.partition(" ")
        return quarter, year


def trend_charts(mine, nation, quarters):
    return [
        _chart(series, title, mine.trends[series], nation.trends[series], quarters)
        for series, title in TRENDS.items()
    ]


def _chart(series, title, values, national, quarters):
    top = max(values) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / len(values)
    bars = []
    for index, (value, quarter) in enumerate(zip(values, quarters, strict=True)):
        height = inner_h * value / top
        bars.append(
            Bar(
                x=round(LEFT + slot * index + slot * 0.15, 1),
                y=round(TOP + inner_h - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                value=value,
                label=f"Q{quarter.number} {quarter.year % 100:02d}/{(quarter.year + 1) % 100:02d}",
            )
        )
    return {
        "series": series,
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + inner_h,
        "top_value": top,
        "top_y": TOP,
        "label_y": HEIGHT - BOTTOM + 20,
        "year_y": HEIGHT - BOTTOM + 40,
        "font_size": FONT_SIZE,
        "bars": bars,
        "rows": list(zip(quarters, values, national, strict=True)),
        "summary": _summary(title, values, quarters),
    }


def _summary(title, values, quarters):
    first, last = values[0], values[-1]
    peak = max(values)
    peak_at = quarters[values.index(peak)]
    trend = "up from" if last > first else "down from" if last < first else "the same as"
    return (
        f"{title}: {last} in {quarters[-1]}, {trend} {first} in {quarters[0]}; "
        f"the most in one quarter was {peak}, in {peak_at}."
    )


def national_table(dash):
    """[(section, [(the nation's row, [(region, its row)])])]: every region side by side."""
    per_region = [
        sections(dash.of(region), dash.nation, figure_link(region, dash.quarter))
        for region in dash.regions
    ]
    table = []
    for index, section in enumerate(sections(dash.nation, dash.nation)):
        rows = [
            (
                row,
                [
                    (region, region_sections[index].rows[number])
                    for region, region_sections in zip(dash.regions, per_region, strict=True)
                ],
            )
            for number, row in enumerate(section.rows)
        ]
        table.append((section, rows))
    return table


# The headline: the measures a reader looks for first, each a card with its change since the
# previous quarter, England's figure beside it, and the list it counts.


@dataclass
class Card:
    key: str  # the measure's name, as the SPC charts name it (their variation icon's slot)
    label: str
    value: object  # as shown: a count, or a number of days
    before: object  # the previous quarter's, as shown
    national: object
    figure: str  # the figure whose list the card opens
    unit: str = ""  # after a number: " days"
    lower_is_better: bool = False
    list_is: str = ""  # what the list holds, when it is not what the number counts
    national_anchor: str = ""  # on England's dashboard, where each region's figure is

    @property
    def change(self):
        """ "Up 2", "Down 1.5 days", "No change" (from the previous quarter), or "" when either
        quarter has no figure."""
        if self.value is None or self.before is None:
            return ""
        difference = self.value - self.before
        if not difference:
            return "No change"
        return f"{'Up' if difference > 0 else 'Down'} {self._with_unit(abs(difference))}"

    @property
    def shown(self):
        return "None yet" if self.value is None else self._with_unit(self.value)

    @property
    def national_shown(self):
        return "none yet" if self.national is None else self._with_unit(self.national)

    def _with_unit(self, number):
        """The number and its unit, singular for one: "1 day", "1.5 days"."""
        unit = self.unit.removesuffix("s") if number == 1 else self.unit
        return f"{number:g}{unit}"


def headline(mine, nation):
    """The headline cards for one region's figures (`mine`), or the nation's."""
    return [
        Card(
            "published", "Learning published", mine.learning_total, mine.learning_total_before,
            nation.learning_total, "learning", national_anchor="national-learning",
        ),
        Card(
            "days_to_publish", "Median days to publish",
            mine.median_days_to_publish, mine.median_days_to_publish_before,
            nation.median_days_to_publish, "learning", unit=" days", lower_is_better=True,
            list_is="the learning published", national_anchor="national-learning",
        ),
        Card(
            "responded_on_time", "Recommendations on time",
            mine.recommendations[figures.ON_TIME], mine.recommendations_before[figures.ON_TIME],
            nation.recommendations[figures.ON_TIME], f"recommendations.{figures.ON_TIME}",
            national_anchor="national-recommendations",
        ),
        Card(
            "overdue", "Recommendations overdue", mine.recommendations[figures.OVERDUE],
            mine.recommendations_before[figures.OVERDUE], nation.recommendations[figures.OVERDUE],
            f"recommendations.{figures.OVERDUE}", lower_is_better=True,
            national_anchor="national-recommendations",
        ),
        Card(
            "trained", "People trained", mine.people_trained, mine.trends["people"][-2],
            nation.people_trained, "training", list_is="the training sessions",
            national_anchor="national-curriculum",
        ),
        Card(
            "adoptions", "Adoptions begun", mine.trends["adoptions"][-1],
            mine.trends["adoptions"][-2], nation.trends["adoptions"][-1], "begun",
            national_anchor="chart-adoptions",
        ),
    ]  # fmt: skip


# The detail below the headline, in groups a heading list makes sense of: each group's tables
# and the trend chart of the same measure beside them.


@dataclass
class Group:
    title: str
    slug: str
    sections: list
    charts: list


GROUPS = [
    ("Initiatives", "group-initiatives", ["initiatives", "ihi"], []),
    ("Learning and investigations", "group-learning", ["learning", "investigations"], ["learning"]),
    ("Recommendations", "group-recommendations", ["recommendations"], ["answered"]),
    ("Adoption and spread", "group-adoption", ["adoption"], ["adoptions"]),
    ("Curriculum and training", "group-curriculum", ["curriculum"], ["people"]),
]


def groups(sections, charts):
    """`sections` (from sections(), or national_table()'s pairs) and `charts` in GROUPS."""

    def slug_of(section):
        return section[0].slug if isinstance(section, tuple) else section.slug

    by_slug = {slug_of(section): section for section in sections}
    by_series = {chart["series"]: chart for chart in charts}
    return [
        Group(
            title,
            slug,
            [by_slug[name] for name in section_slugs],
            [by_series[name] for name in series if name in by_series],
        )
        for title, slug, section_slugs, series in GROUPS
    ]
