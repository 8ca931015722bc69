from django import forms

from learning.models import LearningItem
from portal.forms import FilterForm, region_filter
from taxonomy.forms import theme_filter
from taxonomy.models import SyllabusTag


class PublicSearchForm(FilterForm):
    """The public list's search box and filters: the same full-text search as inside the
    portal, over public learning only."""

    button = "Search"
    button_class = ""
    lookups = {"theme": "themes"}

    q = forms.CharField(label="Search for", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *LearningItem.Kind.choices]
    )
    region = region_filter()
    theme = theme_filter()
    syllabus = forms.ModelChoiceField(
        label="Patient Safety Syllabus",
        required=False,
        queryset=SyllabusTag.objects.with_names(),
        empty_label="All domains and levels",
        help_text="A domain of the syllabus at one of its levels.",
    )

    def narrow(self, rows, data):
        data = {name: value for name, value in data.items() if name != "q"}
        rows = super().narrow(rows, data)
        # A theme or a syllabus tag is a join: one item with two matching rows is one result.
        return rows.distinct() if data.get("theme") or data.get("syllabus") else rows
