"""Statistical process control the Making Data Count way: an XmR chart of a measure over time,
its special-cause signals and its two icons. No Django here: numbers and dates in, numbers,
flags and words out, so the same calculation serves the dashboards, the PDF and the workbook.

The method (the NHS-R community's "plot the dots" package computes the same, and the tests
check it against that package's published results):
- the mean of the points; each moving range is the absolute difference between a point and
  the one before; moving ranges of 3.267 times their mean or more are left out (outlier
  screening) and the mean moving range is taken again; the process limits are the mean plus
  and minus 2.66 times that mean moving range;
- special cause, each rule marking the points that take part in it: a point beyond a limit;
  7 or more points in a row all above, or all below, the mean; 7 or more points in a row each
  higher (or each lower) than the one before; of 3 points in a row all on the same side of the
  mean, 2 or 3 near a limit (beyond two thirds of the way to it, not past it);
- the variation icon is the latest point's: common cause, or special cause improving,
  concerning or neither (when no direction is better), high or low;
- with a target, the assurance icon: the target outside the limits on the good side means the
  process will consistently pass, on the bad side consistently fail, between them hit and miss.
Limits can be fixed after a baseline of points, and recalculated from a rebase's date.
"""

import statistics
from dataclasses import dataclass, field

SCREEN = 3.267  # moving ranges this many times their mean, or more, are outliers
LIMIT = 2.66  # the process limits are this many mean moving ranges from the mean
NEAR = 2 / 3  # "near a limit": beyond this fraction of the way from the mean to it
RUN = 7  # points in a run (one side of the mean) or a trend (rising or falling)
RELIABLE = 15  # fewer points than this since the limits were set: not yet reliable

HIGHER, LOWER, NEITHER = "higher", "lower", "neither"
DIRECTIONS = {HIGHER: "Higher is better", LOWER: "Lower is better", NEITHER: "Neither"}

BEYOND, SHIFT, TREND, TWO_OF_THREE = "beyond", "shift", "trend", "two_of_three"
RULES = {
    BEYOND: "a point beyond a process limit",
    SHIFT: f"{RUN} or more points in a row on one side of the mean",
    TREND: f"{RUN} or more points in a row rising or falling",
    TWO_OF_THREE: "2 of 3 points in a row near a process limit",
}

COMMON, IMPROVING, CONCERNING, SPECIAL = "common", "improving", "concerning", "special"


@dataclass(frozen=True)
class Icon:
    key: str
    label: str
    letter: str  # the letter drawn in the icon, so it reads without its colour
    tone: str  # improving, concerning, neither or common: the icon's colour

    def __str__(self):
        return self.label


VARIATION = {
    "common_cause": Icon("common_cause", "Common cause variation", "~", "common"),
    "improvement_high": Icon("improvement_high", "Special cause improving, high", "H", "improving"),
    "improvement_low": Icon("improvement_low", "Special cause improving, low", "L", "improving"),
    "concern_high": Icon("concern_high", "Special cause concerning, high", "H", "concerning"),
    "concern_low": Icon("concern_low", "Special cause concerning, low", "L", "concerning"),
    "neither_high": Icon("neither_high", "Special cause, high (neither better nor worse)", "H",
                         "neither"),
    "neither_low": Icon("neither_low", "Special cause, low (neither better nor worse)", "L",
                        "neither"),
}  # fmt: skip
ASSURANCE = {
    "pass": Icon("pass", "Consistently passing the target", "P", "improving"),
    "fail": Icon("fail", "Consistently failing the target", "F", "concerning"),
    "hit_and_miss": Icon("hit_and_miss", "Hit and miss: the target is within the limits", "?",
                         "common"),
}  # fmt: skip


@dataclass
class Point:
    when: object  # a date, or anything the caller orders points by
    value: float
    mean: float = 0.0
    lower: float = 0.0
    upper: float = 0.0
    moving_range: float | None = None
    screened: bool = False  # its moving range was left out as an outlier
    group: int = 0  # which stretch of limits it belongs to (0, then one more at each rebase)
    rules: set = field(default_factory=set)
    kind: str = COMMON  # common, improving, concerning, or special (no direction is better)

    @property
    def side(self):
        """1 above the mean, -1 below, 0 on it."""
        return (self.value > self.mean) - (self.value < self.mean)

    @property
    def beyond(self):
        return self.value > self.upper or self.value < self.lower

    @property
    def near(self):
        """Beyond two thirds of the way to a limit, and not past it."""
        if self.beyond:
            return False
        high = self.mean + NEAR * (self.upper - self.mean)
        low = self.mean - NEAR * (self.mean - self.lower)
        return self.value > high or self.value < low

    @property
    def special(self):
        return bool(self.rules)


@dataclass
class Limits:
    """One stretch of the chart with the same limits: from `starts` (the first point's
    `when`), set from its first `baseline` points (all of them when None)."""

    starts: object
    mean: float
    lower: float
    upper: float
    mean_moving_range: float
    points: int
    reason: str = ""  # why the limits were recalculated here (a rebase), "" for the first
    baseline: int | None = None

    @property
    def reliable(self):
        return self.points >= RELIABLE


@dataclass
class Chart:
    points: list
    limits: list  # one Limits per stretch, oldest first
    direction: str
    target: float | None
    variation: Icon | None  # None with no points
    assurance: Icon | None  # None without a target, or when no direction is better

    @property
    def latest(self):
        return self.limits[-1] if self.limits else None

    @property
    def reliable(self):
        """Whether the latest limits rest on enough points to mean much."""
        return bool(self.limits) and self.limits[-1].reliable


def chart(
    values,
    whens,
    *,
    direction=NEITHER,
    target=None,
    rebases=(),
    baseline=None,
    screen=True,
    bounds=(None, None),
):
    """The XmR chart of `values` (in time order, one for each of `whens`).

    `rebases` is [(when, reason)] or [(when, reason, baseline)]: the limits are recalculated
    from the first point at or after each `when`, on that stretch's first `baseline` points
    when it has one. `baseline` fixes each other stretch's limits on its first points.
    `screen=False` keeps outlying moving ranges (for comparison only: the method screens).
    `bounds` (low, high) are what the measure can take (0, and 100 for a percentage): limits
    past them are reported at them, once the rules have used the limits as calculated.
    `direction` is HIGHER, LOWER or NEITHER (which way is better)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
    if len(values) != len(whens):
        raise ValueError("one value for each point in time")
    points = [Point(when, float(value)) for when, value in zip(whens, values, strict=True)]
    limits = []
    for index, (start, end, reason, fixed_on) in enumerate(_stretches(points, rebases, baseline)):
        stretch = points[start:end]
        limits.append(_limits(stretch, fixed_on, reason, screen))
        for point in stretch:
            point.group = index
            point.mean, point.lower, point.upper = (
                limits[-1].mean, limits[-1].lower, limits[-1].upper
            )  # fmt: skip
        flag(stretch)
    _bound(points, limits, *bounds)
    for point in points:
        if not point.rules:
            point.kind = COMMON
        elif direction == NEITHER:
            point.kind = SPECIAL
        elif point.side == (1 if direction == HIGHER else -1):
            point.kind = IMPROVING
        else:
            point.kind = CONCERNING
    return Chart(
        points=points,
        limits=limits,
        direction=direction,
        target=None if target is None else float(target),
        variation=_variation(points[-1]) if points else None,
        assurance=assurance(limits[-1], direction, target) if limits else None,
    )


def _stretches(points, rebases, baseline=None):
    """(start, end, reason, baseline) of each stretch of points with the same limits. A rebase
    is (when, reason) or (when, reason, baseline): its stretch's limits are then fixed on its
    first `baseline` points. One at or before the first point recalculates nothing, but its
    baseline, if it has one, fixes the first stretch's limits."""
    if not points:
        return []
    starts = {0: ("", baseline)}
    for when, reason, *fixed in sorted(rebases, key=lambda rebase: rebase[0]):
        fixed_on = fixed[0] if fixed else None
        at = next((i for i, point in enumerate(points) if point.when >= when), None)
        if at:
            starts[at] = (reason, fixed_on)
        elif at == 0 and fixed_on:
            starts[0] = (starts[0][0], fixed_on)
    bounds = sorted(starts)
    return [
        (start, end, *starts[start])
        for start, end in zip(bounds, [*bounds[1:], len(points)], strict=True)
    ]


def _bound(points, limits, low, high):
    for item in [*points, *limits]:
        if low is not None:
            item.lower = max(item.lower, low)
        if high is not None:
            item.upper = min(item.upper, high)


def _limits(stretch, baseline, reason, screen):
    fixed = stretch[:baseline] if baseline else stretch
    mean = statistics.fmean(point.value for point in fixed)
    for before, point in zip(stretch, stretch[1:], strict=False):
        point.moving_range = abs(point.value - before.value)
    ranges = [point.moving_range for point in fixed[1:]]
    mean_range = statistics.fmean(ranges) if ranges else 0.0
    kept = [r for r in ranges if r < SCREEN * mean_range]
    if screen and len(kept) < len(ranges):
        for point in fixed[1:]:
            point.screened = point.moving_range >= SCREEN * mean_range
        mean_range = statistics.fmean(kept) if kept else 0.0
    return Limits(
        starts=stretch[0].when,
        mean=mean,
        lower=mean - LIMIT * mean_range,
        upper=mean + LIMIT * mean_range,
        mean_moving_range=mean_range,
        points=len(stretch),
        reason=reason,
        baseline=baseline if baseline and baseline < len(stretch) else None,
    )


def flag(stretch):
    """Mark the points of one stretch that take part in each special-cause rule."""
    for point in stretch:
        if point.beyond:
            point.rules.add(BEYOND)
    # A run: consecutive points on the same side of the mean (a point on it ends the run).
    for run in _runs(stretch, lambda a, b: a.side == b.side != 0, first=lambda p: p.side != 0):
        if len(run) >= RUN:
            for point in run:
                point.rules.add(SHIFT)
    # A trend: each point higher than the one before (or each lower); RUN points, RUN - 1 steps.
    for step in (1, -1):
        for run in _runs(stretch, lambda a, b, s=step: (b.value - a.value) * s > 0):
            if len(run) >= RUN:
                for point in run:
                    point.rules.add(TREND)
    # Two of three near a limit: three in a row on one side, two or three of them near it.
    for i in range(len(stretch) - 2):
        three = stretch[i : i + 3]
        side = three[0].side
        if side and all(point.side == side for point in three):
            near = [point for point in three if point.near]
            if len(near) >= 2:
                for point in near:
                    point.rules.add(TWO_OF_THREE)


def _runs(points, joined, first=lambda point: True):
    """The longest runs of consecutive points where each pair `joined(before, after)`."""
    runs, run = [], []
    for point in points:
        if run and joined(run[-1], point):
            run.append(point)
        else:
            if run:
                runs.append(run)
            run = [point] if first(point) else []
    if run:
        runs.append(run)
    return runs


def _variation(point):
    if not point.rules:
        return VARIATION["common_cause"]
    height = "high" if point.side >= 0 else "low"
    prefix = {IMPROVING: "improvement", CONCERNING: "concern", SPECIAL: "neither"}[point.kind]
    return VARIATION[f"{prefix}_{height}"]


def assurance(limits, direction, target):
    """The assurance icon of `limits` against `target`; None without a target, or when no
    direction is better."""
    if target is None or direction == NEITHER:
        return None
    target = float(target)
    if limits.lower <= target <= limits.upper:
        return ASSURANCE["hit_and_miss"]
    below = target < limits.lower  # the whole process is above the target
    return ASSURANCE["pass" if below == (direction == HIGHER) else "fail"]


# In words


def summary(result, *, unit="month", when_label=str, number=lambda value: f"{value:g}"):
    """What the icons say, in a sentence or three: "Special cause improving: 7 months above
    the mean since May 2026." `when_label` writes a point's `when`, `number` a value."""
    if not result.points:
        return f"No {unit}s to show yet."
    last = result.points[-1]
    sentences = [_variation_sentence(result, last, unit, when_label, number)]
    if result.assurance is not None:
        sentences.append(
            f"{result.assurance.label.split(':')[0]}: the target of {number(result.target)} "
            + {
                "pass": "is beyond the process limits on the good side, so every "
                f"{unit} can be expected to meet it.",
                "fail": "is beyond the process limits on the wrong side, so no "
                f"{unit} can be expected to meet it without a change.",
                "hit_and_miss": f"is within the process limits, so some {unit}s will meet "
                "it and some will not.",
            }[result.assurance.key]
        )
    latest = result.latest
    if not latest.reliable:
        sentences.append(
            f"Only {plural(latest.points, unit)} since the limits were set: fewer than "
            f"{RELIABLE}, so the limits are not yet reliable."
        )
    return " ".join(sentences)


def _variation_sentence(result, last, unit, when_label, number):
    label = result.variation.label
    if not last.rules:
        latest = result.latest
        if latest.points < 2:
            return f"{label}: only one {unit} so far, too few to set limits by."
        return (
            f"{label}: no sign of a change. The {unit}s vary about a mean of "
            f"{number(latest.mean)}, between process limits of {number(latest.lower)} and "
            f"{number(latest.upper)}."
        )
    heading = {
        IMPROVING: "Special cause improving",
        CONCERNING: "Special cause concerning",
        SPECIAL: "Special cause",
    }[last.kind]
    group = [point for point in result.points if point.group == last.group]
    if SHIFT in last.rules:
        run = _tail(group, lambda a, b: a.side == b.side)
        where = "above" if last.side > 0 else "below"
        return (
            f"{heading}: {plural(len(run), unit)} {where} the mean since {when_label(run[0].when)}."
        )
    if TREND in last.rules:
        rising = last.value > group[-2].value
        run = _tail(group, lambda a, b: (b.value > a.value) == rising and b.value != a.value)
        return (
            f"{heading}: {plural(len(run), unit)} {'rising' if rising else 'falling'} in a row "
            f"since {when_label(run[0].when)}."
        )
    limit = "upper" if last.side > 0 else "lower"
    if BEYOND in last.rules:
        return (
            f"{heading}: the latest {unit}, {when_label(last.when)}, at {number(last.value)}, "
            f"is beyond the {limit} process limit of "
            f"{number(last.upper if last.side > 0 else last.lower)}."
        )
    return f"{heading}: 2 of the last 3 {unit}s are near the {limit} process limit."


def _tail(points, joined):
    """The run of points at the end of `points` where each pair is `joined`."""
    run = [points[-1]]
    for before in reversed(points[:-1]):
        if not joined(before, run[0]):
            break
        run.insert(0, before)
    return run


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"
