from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from imports.kinds import KINDS
from imports.reading import MAX_BYTES
from portal.forms import PortalForm
from portal.nhs_number import nhs_numbers_in


class UploadForm(PortalForm):
    kind = forms.ChoiceField(
        label="What the file holds",
        widget=forms.RadioSelect,
        choices=[(kind.slug, kind.title) for kind in KINDS.values()],
        error_messages={"required": "Choose what the file holds"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="An Excel workbook (XLSX) or a CSV file, up to 10 MB and 50,000 rows. "
        "Nothing is saved until you have seen what it will do and confirmed.",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The form pack sends it as multipart/form-data: it has a file field.
        self.helper.add_input(Submit("check", "Check the file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        numbers = nhs_numbers_in(upload.name or "")
        if numbers:
            raise forms.ValidationError(
                f"The file's name contains an NHS number ending {numbers[0].digits[-4:]}: "
                "rename the file and upload it again"
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB: it must be 10 MB or smaller. "
                "Split it into smaller files and import each"
            )
        return upload


class MappingForm(PortalForm):
    """Which of the file's columns holds each of the kind's fields: one question a column."""

    def __init__(self, *args, kind, headers, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Do not import this column")] + [
            (column.name, column.header) for column in kind.all_columns
        ]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or f"Column {index + 1} (no header)",
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, ""),
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("map", "Check the file with these columns"))

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for index, header in enumerate(self.headers):
            name = cleaned.get(f"column_{index}")
            if name and name in seen:
                self.add_error(
                    f"column_{index}",
                    f"{seen[name]} already holds this field: choose one column for it",
                )
            elif name:
                seen[name] = header or f"Column {index + 1}"
        return cleaned

    def mapping(self):
        return {
            header: self.cleaned_data.get(f"column_{index}") or ""
            for index, header in enumerate(self.headers)
        }
