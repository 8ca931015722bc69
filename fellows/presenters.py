"""Display logic for initiative pages, kept out of the views and templates."""

# The inline chart: a small line of the IHI scores over time in a fixed box, with the scale
# on the left and the first and last dates below.
CHART_WIDTH, CHART_HEIGHT = 600, 220
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 40, 15, 10, 30
CHART_TICKS = (1, 2, 3, 4, 5)


def score_chart(updates):
    """Points for an SVG line of the scores in date order, or None with fewer than two."""
    if len(updates) < 2:
        return None
    first, last = updates[0].written_on, updates[-1].written_on
    span = max((last - first).days, 1)
    inner_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    inner_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def y_of(score):
        return round(CHART_TOP + inner_h * (1 - float(score) / 5), 1)

    points = [
        (
            round(CHART_LEFT + inner_w * (update.written_on - first).days / span, 1),
            y_of(update.ihi_score),
        )
        for update in updates
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "bottom": CHART_HEIGHT - CHART_BOTTOM,
        "label_y": CHART_HEIGHT - 8,
        "ticks": [(tick, y_of(tick)) for tick in CHART_TICKS],
        "points": " ".join(f"{x},{y}" for x, y in points),
        "dots": points,
        "first": first,
        "last": last,
    }
