"""The SPC charts of a region, a PSC or England: each measure's monthly series through the
calculation (portal/spc.py), with its target and rebases, laid out for the SVG the template
draws, its icons, its summary in words and its table. Display only: the counting is in
dashboards/monthly.py and the statistics in portal/spc.py."""

from dataclasses import dataclass, field
from functools import cached_property

from dashboards.measures import MEASURES
from dashboards.models import Rebase, Target
from dashboards.monthly import monthly
from portal import spc
from portal.counts import counted
from portal.months import Month

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 40, 20, 52
FONT_SIZE = 16
TONES = {
    spc.COMMON: "#768692",
    spc.IMPROVING: "#005eb8",
    spc.CONCERNING: "#ed8b00",
    spc.SPECIAL: "#330072",
}
ICON_TONES = {
    "common": "#768692",
    "improving": "#005eb8",
    "concerning": "#ed8b00",
    "neither": "#330072",
}
RULE_WORDS = {
    spc.BEYOND: "beyond a limit",
    spc.SHIFT: "run on one side of the mean",
    spc.TREND: "rising or falling run",
    spc.TWO_OF_THREE: "2 of 3 near a limit",
}


SETTINGS = "counts:spc-settings"


@dataclass
class Settings:
    """The targets and rebases the national team set (dashboards/admin.py)."""

    targets: dict = field(default_factory=dict)  # measure slug: value
    rebases: list = field(default_factory=list)

    @classmethod
    def read(cls):
        """Two queries for every chart of a page, kept until the national team changes a
        target or a rebase (portal/counts.py): writes to the records charted do not change
        them."""
        return counted(
            "spc-settings",
            lambda: cls(
                {target.measure: float(target.value) for target in Target.objects.all()},
                list(Rebase.objects.order_by("starts_on", "pk")),
            ),
            generation=SETTINGS,
        )

    def rebases_for(self, slug, *, region=None, psc=None):
        return [
            rebase
            for rebase in self.rebases
            if rebase.measure == slug
            and rebase.psc_id == (psc.pk if psc else None)
            and rebase.region_id == (None if psc else region.pk if region else None)
        ]


@dataclass
class Dot:
    x: float
    y: float
    colour: str
    special: bool


@dataclass
class Row:
    month: object
    value: str
    mean: str
    lower: str
    upper: str
    signal: str


@dataclass
class SpcChart:
    measure: object
    scope: str  # "London", "England", a PSC's name
    result: object  # portal.spc.Chart
    months: list  # the months charted, oldest first
    summary: str
    rebases: list  # (Month, reason) where the limits were recalculated
    target_set: object = None  # the target the national team set, as the drawing marks it

    # Drawn only when a page shows the chart: a home shows only its variation icon.
    @cached_property
    def drawing(self):
        return _drawing(self.result, self.months, self.target_set)

    @cached_property
    def rows(self):
        measure = self.measure
        return [
            Row(
                month,
                measure.format(point.value),
                measure.format(round(point.mean, 1)),
                measure.format(round(point.lower, 1)),
                measure.format(round(point.upper, 1)),
                _signal(point),
            )
            for month, point in zip(self.months, self.result.points, strict=True)
        ]

    @property
    def slug(self):
        return self.measure.slug

    @property
    def title(self):
        return self.measure.title

    @property
    def variation(self):
        return self.result.variation

    @property
    def assurance(self):
        return self.result.assurance

    @property
    def target(self):
        return self.result.target

    @property
    def target_label(self):
        return self.measure.format(self.target)

    @property
    def reliable(self):
        return self.result.reliable

    @property
    def variation_colour(self):
        return ICON_TONES[self.variation.tone] if self.variation else ""

    @property
    def assurance_colour(self):
        return ICON_TONES[self.assurance.tone] if self.assurance else ""

    @property
    def latest(self):
        return self.result.latest

    def format(self, value):
        return self.measure.format(value)


def spc_charts(values, months, settings, *, scope="England", region=None, psc=None):
    """[SpcChart] for each measure, from `values` ({slug: [value each month]})."""
    return [
        spc_chart(
            measure,
            values[slug],
            months,
            target=settings.targets.get(slug),
            rebases=settings.rebases_for(slug, region=region, psc=psc),
            scope=scope,
        )
        for slug, measure in MEASURES.items()
    ]


def spc_chart(measure, values, months, *, target=None, rebases=(), scope="England"):
    # The chart starts at the first month with something counted: months before the
    # records began would hold the mean down.
    start = next((i for i, value in enumerate(values) if value), len(values))
    pairs = [(month, value) for month, value in zip(months[start:], values[start:], strict=True)]
    pairs = [(month, value) for month, value in pairs if value is not None]
    charted = [month for month, _value in pairs]
    result = spc.chart(
        [value for _month, value in pairs],
        [month.starts_on for month in charted],
        direction=measure.direction,
        target=target,
        rebases=[
            (rebase.starts_on.replace(day=1), rebase.reason, rebase.baseline_months)
            for rebase in rebases
        ],
        bounds=measure.bounds,
    )
    by_start = {month.starts_on: month for month in charted}
    recalculated = [
        (by_start[limits.starts], limits.reason) for limits in result.limits[1:]
    ]  # fmt: skip
    summary = spc.summary(
        result,
        when_label=lambda when: by_start[when].label,
        number=measure.format,
    )
    for month, reason in recalculated:
        summary += f" Limits recalculated from {month}: {reason}."
    for limits in result.limits:
        if limits.baseline:
            summary += (
                f" Limits set on the {limits.baseline} months from {by_start[limits.starts].label}"
                " and held after them."
            )
    return SpcChart(measure, scope, result, charted, summary, recalculated, target)


def _signal(point):
    if not point.rules:
        return "Common cause"
    kind = {
        spc.IMPROVING: "Improving",
        spc.CONCERNING: "Concerning",
        spc.SPECIAL: "Special cause",
    }[point.kind]
    return f"{kind}: {', '.join(RULE_WORDS[rule] for rule in sorted(point.rules))}"


def _drawing(result, months, target):
    """Coordinates for the SVG: the points, the mean and limits of each stretch, the target,
    the rebases and the axis labels."""
    points = result.points
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if not points:
        return {}
    heights = [p.value for p in points] + [p.lower for p in points] + [p.upper for p in points]
    if target is not None:
        heights.append(target)
    low, high = min(heights), max(heights)
    if low >= 0 and min(p.value for p in points) >= 0:
        low = max(low, 0) if low > 0 else low
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad

    def x(index):
        if len(points) == 1:
            return LEFT + inner_w / 2
        return round(LEFT + inner_w * index / (len(points) - 1), 1)

    def y(value):
        return round(TOP + inner_h * (high - value) / (high - low), 1)

    stretches = []
    for group in sorted({point.group for point in points}):
        indices = [i for i, point in enumerate(points) if point.group == group]
        first, last = indices[0], indices[-1]
        limits = result.limits[group]
        stretches.append(
            {
                "x1": x(first),
                "x2": x(last),
                "mean": y(limits.mean),
                "lower": y(limits.lower),
                "upper": y(limits.upper),
                "rebase": group > 0,
            }
        )
    step = max(1, len(months) // 6)
    ticks = [
        {"x": x(i), "label": month.short_label}
        for i, month in enumerate(months)
        if (len(months) - 1 - i) % step == 0
    ]
    latest = result.limits[-1]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + inner_h,
        "font_size": FONT_SIZE,
        "line": " ".join(f"{x(i)},{y(p.value)}" for i, p in enumerate(points)),
        "dots": [Dot(x(i), y(p.value), TONES[p.kind], bool(p.rules)) for i, p in enumerate(points)],
        "stretches": stretches,
        "target": None if target is None else y(target),
        "ticks": ticks,
        "tick_y": TOP + inner_h + 24,
        "y_labels": [
            {"y": y(latest.upper), "label": f"{latest.upper:.1f}".removesuffix(".0")},
            {"y": y(latest.mean), "label": f"{latest.mean:.1f}".removesuffix(".0")},
            {"y": y(latest.lower), "label": f"{latest.lower:.1f}".removesuffix(".0")},
        ],
    }


def last_month(quarter):
    """The month the charts end at for `quarter`: its last month once it is over, otherwise
    the last whole month (the month under way is left out)."""
    return Month.of(min(quarter.ends_on, Month.last_complete().ends_on))


def context(charts):
    """What a page's templates read: `spc_charts` in order, and `spc` by measure slug."""
    return {"spc_charts": charts, "spc": {chart.slug: chart for chart in charts}}


def region_charts(quarter, regions, region):
    series = monthly(last_month(quarter), regions)
    return spc_charts(series.of(region), series.months, Settings.read(), scope=str(region),
                      region=region)  # fmt: skip


def national_charts(quarter, regions):
    series = monthly(last_month(quarter), regions)
    return spc_charts(series.nation, series.months, Settings.read())
