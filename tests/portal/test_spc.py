"""The SPC calculation (portal/spc.py) against series worked by hand, and against the NHS-R
community's plot-the-dots package's published results on the same inputs."""

import datetime

import pytest

from portal import spc

MONTHS = [datetime.date(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 61)]


def chart(values, **options):
    return spc.chart(values, MONTHS[: len(values)], **options)


def flagged(result, rule):
    return [index for index, point in enumerate(result.points) if rule in point.rules]


def month(when):
    return when.strftime("%B %Y")


# Worked by hand


def test_a_steady_series_has_the_mean_and_limits_worked_by_hand():
    # 16 points alternating 10 and 12: mean 11, every moving range 2, limits 11 +/- 2.66 * 2.
    result = chart([10, 12] * 8, direction=spc.HIGHER)
    limits = result.latest
    assert limits.mean == 11
    assert limits.mean_moving_range == 2
    assert limits.lower == pytest.approx(5.68)
    assert limits.upper == pytest.approx(16.32)
    assert result.points[0].moving_range is None
    assert not any(point.rules for point in result.points)
    assert result.variation.key == "common_cause"
    assert result.reliable


def test_a_point_beyond_a_limit_is_special_cause_and_its_outlying_range_is_screened():
    # 10, 12 ... 12 then 20. Mean 196 / 17. Moving ranges: fifteen of 2 and one of 8, mean
    # 38 / 16 = 2.375; 8 >= 3.267 * 2.375 = 7.76, so it is left out and the mean range is 2.
    result = chart([10, 12] * 8 + [20], direction=spc.HIGHER)
    limits = result.latest
    assert limits.mean == pytest.approx(196 / 17)
    assert limits.mean_moving_range == 2
    assert limits.upper == pytest.approx(196 / 17 + 5.32)
    assert result.points[-1].screened
    assert flagged(result, spc.BEYOND) == [16]
    assert result.variation.key == "improvement_high"
    assert result.points[-1].kind == spc.IMPROVING


def test_without_screening_the_outlying_range_widens_the_limits():
    result = chart([10, 12] * 8 + [20], direction=spc.HIGHER, screen=False)
    assert result.latest.mean_moving_range == pytest.approx(2.375)
    assert result.latest.upper == pytest.approx(196 / 17 + 2.66 * 2.375)
    assert not result.points[-1].screened


def test_a_high_point_is_concerning_when_lower_is_better():
    result = chart([10, 12] * 8 + [20], direction=spc.LOWER)
    assert result.variation.key == "concern_high"
    assert result.points[-1].kind == spc.CONCERNING


def test_a_low_point_beyond_the_limit_is_improving_when_lower_is_better():
    result = chart([10, 12] * 8 + [2], direction=spc.LOWER)
    assert flagged(result, spc.BEYOND) == [16]
    assert result.variation.key == "improvement_low"


def test_special_cause_is_neither_when_no_direction_is_better():
    result = chart([10, 12] * 8 + [2], direction=spc.NEITHER)
    assert result.variation.key == "neither_low"
    assert result.points[-1].kind == spc.SPECIAL
    assert result.assurance is None


SHIFT = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 12, 13, 12, 13, 12, 13, 12]


def test_a_run_of_seven_or_more_on_one_side_of_the_mean_is_a_shift():
    # Mean 197 / 17 = 11.59; from the tenth point (12) every point is above it: 8 in a row.
    # Moving ranges: nine of 2, one of 0, six of 1: mean 1.5, limits 11.59 +/- 3.99, so no
    # point is beyond or near a limit, and nothing rises seven times.
    result = chart(SHIFT, direction=spc.HIGHER)
    assert result.latest.mean == pytest.approx(197 / 17)
    assert result.latest.mean_moving_range == pytest.approx(1.5)
    assert flagged(result, spc.SHIFT) == list(range(9, 17))
    assert flagged(result, spc.BEYOND) == flagged(result, spc.TREND) == []
    assert flagged(result, spc.TWO_OF_THREE) == []
    assert result.variation.key == "improvement_high"
    assert spc.summary(result, when_label=month).startswith(
        "Special cause improving: 8 months above the mean since October 2024."
    )


def test_a_shift_below_the_mean_is_concerning_when_higher_is_better():
    result = chart([20 + 2 * 11 - value for value in SHIFT], direction=spc.HIGHER)
    assert flagged(result, spc.SHIFT) == list(range(9, 17))
    assert result.variation.key == "concern_low"
    assert spc.summary(result, when_label=month).startswith(
        "Special cause concerning: 8 months below the mean since October 2024."
    )


def test_six_on_one_side_are_not_a_shift():
    result = chart(SHIFT[:-2] + [10, 12], direction=spc.HIGHER)
    assert flagged(result, spc.SHIFT) == []


TREND = [10, 12, 10, 12, 10, 12, 10, 12, 9, 9.5, 10, 10.5, 11, 11.5, 12]


def test_seven_points_rising_are_a_trend():
    # Mean 161.5 / 15 = 10.77, moving ranges seven of 2, one of 3, six of 0.5: mean 20 / 14;
    # limits 10.77 +/- 3.8. The last seven rise, four below the mean and three above.
    result = chart(TREND, direction=spc.LOWER)
    assert result.latest.mean == pytest.approx(161.5 / 15)
    assert result.latest.mean_moving_range == pytest.approx(20 / 14)
    assert flagged(result, spc.TREND) == list(range(8, 15))
    assert flagged(result, spc.SHIFT) == flagged(result, spc.BEYOND) == []
    # A rising trend ending above the mean, where lower is better.
    assert result.variation.key == "concern_high"
    assert spc.summary(result, when_label=month).startswith(
        "Special cause concerning: 7 months rising in a row since September 2024."
    )


def test_seven_points_falling_are_a_trend_and_improving_when_lower_is_better():
    falling = [21 - value for value in TREND]
    result = chart(falling, direction=spc.LOWER)
    assert flagged(result, spc.TREND) == list(range(8, 15))
    assert result.variation.key == "improvement_low"


def test_an_equal_value_breaks_a_trend():
    result = chart(TREND[:-1] + [11.5], direction=spc.LOWER)
    assert flagged(result, spc.TREND) == []


def test_two_of_three_near_a_limit_on_the_same_side_are_special_cause():
    # 1, -1 seven times, then 5.5, 1, 5.5: mean 12 / 17 = 0.71; moving ranges thirteen of 2,
    # then 6.5, 4.5, 4.5: mean 41.5 / 16 = 2.59, upper limit 0.71 + 6.9 = 7.61; "near" is
    # beyond 0.71 + 4.6 = 5.31. The three are above the mean and two of them near the limit.
    result = chart([1, -1] * 7 + [5.5, 1, 5.5], direction=spc.HIGHER)
    assert result.latest.mean == pytest.approx(12 / 17)
    assert result.latest.mean_moving_range == pytest.approx(41.5 / 16)
    assert flagged(result, spc.TWO_OF_THREE) == [14, 16]
    assert flagged(result, spc.BEYOND) == []
    assert result.variation.key == "improvement_high"
    assert spc.summary(result).startswith(
        "Special cause improving: 2 of the last 3 months are near the upper process limit."
    )
    lower_is_better = chart([1, -1] * 7 + [5.5, 1, 5.5], direction=spc.LOWER)
    assert lower_is_better.variation.key == "concern_high"


def test_a_rebase_recalculates_the_limits_from_its_date_with_its_reason():
    before, after = [10, 12] * 5, [20, 22] * 5
    plain = chart(before + after, direction=spc.HIGHER)
    assert flagged(plain, spc.SHIFT) == list(range(20))  # ten below the mean, ten above

    result = chart(
        before + after,
        direction=spc.HIGHER,
        rebases=[(MONTHS[10], "A new review panel from November 2024")],
    )
    first, second = result.limits
    assert (first.starts, first.mean, first.points) == (MONTHS[0], 11, 10)
    assert (second.starts, second.mean, second.points) == (MONTHS[10], 21, 10)
    assert second.reason == "A new review panel from November 2024"
    assert second.lower == pytest.approx(21 - 5.32)
    # The first point after the rebase has no moving range across it.
    assert result.points[10].moving_range is None
    assert result.points[10].group == 1
    assert not any(point.rules for point in result.points)
    assert result.variation.key == "common_cause"
    assert not result.reliable
    assert spc.summary(result).endswith(
        "Only 10 months since the limits were set: fewer than 15, so the limits are not yet "
        "reliable."
    )


def test_limits_fixed_after_a_baseline_come_from_its_points_only():
    result = chart([10, 12] * 6 + [30, 31, 32], direction=spc.HIGHER, baseline=12)
    assert result.latest.mean == 11
    assert result.latest.baseline == 12
    assert flagged(result, spc.BEYOND) == [12, 13, 14]


def test_a_rebase_can_fix_its_limits_on_its_first_months():
    before, after = [10, 12] * 5, [20, 22] * 4 + [40, 41]
    result = chart(
        before + after,
        direction=spc.HIGHER,
        rebases=[(MONTHS[10], "A new review panel", 8)],
    )
    first, second = result.limits
    assert (first.mean, first.baseline) == (11, None)
    assert (second.mean, second.baseline, second.points) == (21, 8, 10)
    assert flagged(result, spc.BEYOND) == [18, 19]  # judged against the baseline's limits


def test_a_baseline_recorded_at_the_first_month_fixes_the_first_limits():
    values = [10, 12] * 6 + [30, 31, 32]
    result = chart(values, direction=spc.HIGHER, rebases=[(MONTHS[0], "Baseline year", 12)])
    assert len(result.limits) == 1
    assert (result.latest.mean, result.latest.baseline) == (11, 12)
    assert flagged(result, spc.BEYOND) == [12, 13, 14]


def test_fewer_than_fifteen_points_are_not_yet_reliable():
    assert not chart([10, 12] * 7).reliable
    assert chart([10, 12] * 7 + [10]).reliable


@pytest.mark.parametrize(
    ("direction", "target", "icon"),
    [
        (spc.HIGHER, 4, "pass"),
        (spc.HIGHER, 20, "fail"),
        (spc.HIGHER, 11, "hit_and_miss"),
        (spc.LOWER, 4, "fail"),
        (spc.LOWER, 20, "pass"),
        (spc.LOWER, 16, "hit_and_miss"),
    ],
)
def test_the_assurance_icon_compares_the_target_with_the_limits(direction, target, icon):
    # Limits 5.68 to 16.32.
    result = chart([10, 12] * 8, direction=direction, target=target)
    assert result.assurance.key == icon


def test_the_summary_says_what_the_assurance_icon_says():
    result = chart([10, 12] * 8, direction=spc.HIGHER, target=4)
    assert "Consistently passing the target: the target of 4 is beyond" in spc.summary(result)


def test_limits_past_what_a_measure_can_take_are_reported_at_its_bounds():
    # A percentage: mean 50, every moving range 100, so the limits are 50 +/- 266.
    result = chart([0, 100] * 8, direction=spc.HIGHER, bounds=(0, 100))
    assert (result.latest.lower, result.latest.upper) == (0, 100)
    assert (result.points[0].lower, result.points[0].upper) == (0, 100)
    # The rules used the limits as calculated: no point is beyond them, none near.
    assert not any(point.rules for point in result.points)


def test_one_point_is_too_few_to_set_limits_by():
    assert spc.summary(chart([4])).startswith(
        "Common cause variation: only one month so far, too few to set limits by."
    )


def test_no_points_make_an_empty_chart_that_says_so():
    result = chart([], direction=spc.HIGHER, target=3)
    assert (result.points, result.limits, result.variation, result.assurance) == (
        [],
        [],
        None,
        None,
    )
    assert not result.reliable
    assert spc.summary(result) == "No months to show yet."


def test_it_refuses_a_direction_it_does_not_know():
    with pytest.raises(ValueError, match="direction"):
        chart([1, 2], direction="up")


# The plot-the-dots package's published results


# set.seed(123); rnorm(20) in R: the input of NHSRplotthedots's
# tests/testthat/test-ptd_spc_standard.R, whose results are in
# tests/testthat/_snaps/ptd_spc_standard.md and tests/testthat/_snaps/ptd_spc.md.
RNORM = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_plot_the_dots_standard_example():
    # _snaps/ptd_spc_standard.md, r1: mean 0.1416238, lpl -3.01138, upl 3.294627, and the
    # first relative_to_mean values; _snaps/ptd_spc.md: 20 points, all common cause.
    result = chart(RNORM, direction=spc.HIGHER)
    assert result.latest.mean == pytest.approx(0.1416238, abs=1e-7)
    assert result.latest.lower == pytest.approx(-3.01138, abs=1e-5)
    assert result.latest.upper == pytest.approx(3.294627, abs=1e-6)
    sides = [point.side for point in result.points[:15]]
    assert sides == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    assert [point.kind for point in result.points] == [spc.COMMON] * 20
    assert result.variation.key == "common_cause"


def test_plot_the_dots_outlier_screening_example():
    # _snaps/ptd_spc_standard.md, r2 and r3: y[15] <- 10, screened (mean 0.6694159, lpl
    # -2.383666, upl 3.722497) and not (lpl -4.596625, upl 5.935457).
    values = list(RNORM)
    values[14] = 10
    screened = chart(values, direction=spc.HIGHER)
    assert screened.latest.mean == pytest.approx(0.6694159, abs=1e-7)
    assert screened.latest.lower == pytest.approx(-2.383666, abs=1e-6)
    assert screened.latest.upper == pytest.approx(3.722497, abs=1e-6)
    sides = [point.side for point in screened.points[:14]]
    assert sides == [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]
    kept = chart(values, direction=spc.HIGHER, screen=False)
    assert kept.latest.lower == pytest.approx(-4.596625, abs=1e-6)
    assert kept.latest.upper == pytest.approx(5.935457, abs=1e-6)


def test_plot_the_dots_two_near_points_on_opposite_sides_are_common_cause():
    # tests/testthat/test-ptd_spc_standard.R, "it only reports special cause for 2 of 3
    # points close to limits when they are on the same side of the mean".
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    result = chart(values, direction=spc.HIGHER)
    assert [point.kind for point in result.points[-2:]] == [spc.COMMON, spc.COMMON]


@pytest.mark.parametrize(
    ("values", "marked"),
    [
        # tests/testthat/test-ptd_calculate_point_type.R, ptd_seven_point_trend and
        # ptd_part_of_seven_trend: 1:6 no; c(1:3, 3:6) no; 1:7 all seven; c(2, 1:7, 3) the
        # seven in the middle; 7:1 all seven; c(2, 7:1, 3) the seven in the middle.
        ([1, 2, 3, 4, 5, 6], []),
        ([1, 2, 3, 3, 4, 5, 6], []),
        ([1, 2, 3, 4, 5, 6, 7], list(range(7))),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], list(range(1, 8))),
        ([7, 6, 5, 4, 3, 2, 1], list(range(7))),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], list(range(1, 8))),
    ],
)
def test_plot_the_dots_trend_examples(values, marked):
    assert flagged(chart(values), spc.TREND) == marked


@pytest.mark.parametrize(
    ("sides", "marked"),
    [
        # The same file, ptd_seven_point_one_side_mean with ptd_part_of_seven_trend: six on
        # one side no; six then one across no; eight on one side, then one across, the
        # eight; and (-1, eight of 1, -1) the eight in the middle.
        ([1] * 6, []),
        ([1] * 6 + [-1], []),
        ([1] * 8 + [-1], list(range(8))),
        ([-1] * 8 + [1], list(range(8))),
        ([-1] + [1] * 8 + [-1], list(range(1, 9))),
        ([1] + [-1] * 8 + [1], list(range(1, 9))),
    ],
)
def test_plot_the_dots_run_examples(sides, marked):
    # The package's function takes each point's side of the mean: points of 1 and -1 about a
    # mean of 0, with limits far away, so only the run rule can mark them.
    points = [
        spc.Point(when, side, mean=0, lower=-10, upper=10)
        for when, side in zip(MONTHS, sides, strict=False)
    ]
    spc.flag(points)
    assert [i for i, point in enumerate(points) if spc.SHIFT in point.rules] == marked


@pytest.mark.parametrize(
    ("lower", "upper", "direction", "expected"),
    [
        # tests/testthat/test-ptd_calculate_assurance_type.R: limits (1, 3), (5, 7), (1, 5),
        # target 4; increase: fail, pass, inconsistent; decrease: pass, fail, inconsistent;
        # neutral: none.
        (1, 3, spc.HIGHER, "fail"),
        (5, 7, spc.HIGHER, "pass"),
        (1, 5, spc.HIGHER, "hit_and_miss"),
        (1, 3, spc.LOWER, "pass"),
        (5, 7, spc.LOWER, "fail"),
        (1, 5, spc.LOWER, "hit_and_miss"),
        (1, 3, spc.NEITHER, None),
    ],
)
def test_plot_the_dots_assurance_examples(lower, upper, direction, expected):
    limits = spc.Limits(None, (lower + upper) / 2, lower, upper, 0, 20)
    icon = spc.assurance(limits, direction, 4)
    assert (icon.key if icon else None) == expected
