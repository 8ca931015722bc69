"""The measures the SPC charts follow month by month, named once: each with its slug, its
title, which way is better and how its values are written."""

from dataclasses import dataclass

from portal import spc


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str
    direction: str  # spc.HIGHER or spc.LOWER
    unit: str = ""  # "days" or "%" after a value; "" for a count
    explained: str = ""
    sheet: str = ""  # its sheet in a report's workbook: whole words, at most 31 characters

    @property
    def bounds(self):
        """What its values can be: none below 0, and a percentage none above 100."""
        return (0, 100 if self.unit == "%" else None)

    @property
    def direction_label(self):
        return spc.DIRECTIONS[self.direction]

    def format(self, value):
        if value is None:
            return "None"
        text = f"{value:.1f}".removesuffix(".0")
        if self.unit == "%":
            return f"{text}%"
        if self.unit == "days":
            return f"{text} day" if text == "1" else f"{text} days"
        return text


PUBLISHED = "published"
DAYS_TO_PUBLISH = "days_to_publish"
RESPONDED_ON_TIME = "responded_on_time"
OVERDUE = "overdue"
TRAINED = "trained"
ADOPTIONS = "adoptions"

MEASURES = {
    measure.slug: measure
    for measure in [
        Measure(
            PUBLISHED,
            "Learning items published",
            spc.HIGHER,
            explained="Learning items published in the month.",
            sheet="SPC learning published",
        ),
        Measure(
            DAYS_TO_PUBLISH,
            "Median days from submission to publication",
            spc.LOWER,
            "days",
            "The median, over the learning items published in the month, of the days from "
            "submission to publication.",
            sheet="SPC days to publish",
        ),
        Measure(
            RESPONDED_ON_TIME,
            "Recommendations responded to by their due date",
            spc.HIGHER,
            "%",
            "Of the recommendations due in the month, the percentage answered on or before "
            "their due date. A month with none due has no point.",
            sheet="SPC responded on time",
        ),
        Measure(
            OVERDUE,
            "Recommendations open and overdue at the month's end",
            spc.LOWER,
            explained="Recommendations unanswered at the end of the month whose response was "
            "due before its last day.",
            sheet="SPC overdue at month end",
        ),
        Measure(
            TRAINED,
            "People trained",
            spc.HIGHER,
            explained="People trained at the training sessions held in the month.",
            sheet="SPC people trained",
        ),
        Measure(
            ADOPTIONS,
            "Adoptions recorded",
            spc.HIGHER,
            explained="Adoptions begun in the month (their first stage recorded).",
            sheet="SPC adoptions recorded",
        ),
    ]
}

CHOICES = [(measure.slug, measure.title) for measure in MEASURES.values()]
