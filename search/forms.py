from django import forms

from fellows.models import Initiative
from learning.models import LearningItem
from portal.forms import DateField, FilterForm, region_filter
from search.selectors import SearchFilters
from taxonomy.models import SyllabusDomain, Theme

SEARCH_TYPES = [
    ("initiative", "Initiatives"),
    ("investigation", "Investigations"),
    ("recommendation", "Recommendations"),
    ("curriculum", "Curriculum entries"),
    ("training", "Training"),
    # Support records and a type of learning share words: each option says which it is.
    ("support", "Support for staff affected by incidents: sessions and peer supporter training"),
    *[(kind, f"Learning: {label}") for kind, label in LearningItem.Kind.choices],
]


class SearchForm(FilterForm):
    """The search box and its filters: `filters()` hands them to search/selectors.py."""

    button = "Search"
    button_class = ""

    q = forms.CharField(label="Search for", required=False, max_length=200)
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *SEARCH_TYPES]
    )
    region = region_filter()
    status = forms.ChoiceField(
        label="Initiative status",
        required=False,
        choices=[("", "Any status"), *Initiative.Status.choices],
        help_text="Shows initiatives only.",
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label="All themes",
    )
    domain = forms.ModelChoiceField(
        label="Patient Safety Syllabus domain",
        required=False,
        queryset=SyllabusDomain.objects.all(),
        to_field_name="number",
        empty_label="All domains",
    )
    date_from = DateField(
        label="Published or started from", required=False, help_text="For example, 1 4 2025."
    )
    date_to = DateField(
        label="Published or started up to", required=False, help_text="For example, 31 3 2026."
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def filters(self):
        data = self.cleaned_data
        return SearchFilters(
            types=[data["type"]] if data.get("type") else [],
            region=data["region"].pk if data.get("region") else None,
            status=data.get("status") or "",
            theme=data["theme"].slug if data.get("theme") else "",
            domain=data["domain"].number if data.get("domain") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
