"""The "nhsuk" crispy-forms template pack draws Django forms as NHS.UK design system components.

Markup is checked on a parsed tree (Django's own HTML parser), so the tests assert structure:
which element carries which class, id and aria-describedby, not just that a string appears.
"""

import datetime

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, ButtonHolder, Field, Fieldset, Layout, Submit
from django import forms
from django.template import Context, Template
from django.test.html import Element, parse_html
from django.urls import reverse
from pytest_django.asserts import assertHTMLEqual

from portal.forms import DateField
from tests.accounts.factories import DEMO_PASSWORD, UserFactory

ROLES = [("fellow", "Safety fellow"), ("lead", "Regional lead"), ("chair", "PSC chair")]
TOPICS = [("falls", "Falls"), ("sepsis", "Sepsis"), ("medicines", "Medicines")]


class EveryFieldForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on your staff card")
    email = forms.EmailField(label="Email address", required=False)
    years = forms.IntegerField(
        label="Years in post",
        required=False,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
    )
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)
    search = forms.CharField(label="Search", widget=forms.SearchInput, required=False)
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea, help_text="Do not include patient details"
    )
    region = forms.ChoiceField(
        label="Region", choices=[("", "Choose a region"), ("ne", "North East"), ("lo", "London")]
    )
    role = forms.ChoiceField(
        label="Your role", choices=ROLES, widget=forms.RadioSelect, help_text="Select one"
    )
    topics = forms.MultipleChoiceField(
        label="Topics", choices=TOPICS, widget=forms.CheckboxSelectMultiple
    )
    no_patient_data = forms.BooleanField(
        label="This learning contains no patient-identifiable information"
    )
    started = DateField(
        label="When did the initiative start?",
        help_text="For example, 15 3 2024",
        latest=datetime.date(2030, 12, 31),
    )
    evidence = forms.FileField(label="Evidence", required=False)
    next_page = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("full_name") == "Nobody":
            raise forms.ValidationError("These details do not match an invitation")
        return cleaned_data


VALID_DATA = {
    "full_name": "Ada Example",
    "email": "ada@example.org",
    "years": "3",
    "summary": "A short summary",
    "region": "lo",
    "role": "lead",
    "topics": ["falls", "medicines"],
    "no_patient_data": "on",
    "started-day": "5",
    "started-month": "3",
    "started-year": "2024",
}

# Wrong in every way the pack has to show: empty, invalid choice, an impossible date.
INVALID_DATA = {
    "full_name": "",
    "summary": "What the person typed",
    "region": "ne",
    "role": "nonsense",
    "started-day": "31",
    "started-month": "2",
    "started-year": "2024",
}


# --- a little tree walking over django.test.html -------------------------------------------


def walk(node):
    """The node (unless it is the nameless root) and every element under it, in order."""
    if node.name is not None:
        yield node
    for child in node.children:
        if isinstance(child, Element):
            yield from walk(child)


def attrs(element):
    return dict(element.attributes)


def classes(element):
    return set((attrs(element).get("class") or "").split())


def find_all(root, tag=None, cls=None, **attributes):
    """Elements under root by tag, one class, and attributes (aria_describedby=... style)."""
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attributes.items()}
    return [
        element
        for element in walk(root)
        if (tag is None or element.name == tag)
        and (cls is None or cls in classes(element))
        and all(attrs(element).get(name) == value for name, value in wanted.items())
    ]


def find(root, tag=None, cls=None, **attributes):
    found = find_all(root, tag, cls, **attributes)
    assert len(found) == 1, f"expected one {tag or ''}.{cls or ''} {attributes}, found {len(found)}"
    return found[0]


def by_id(root, element_id):
    return find(root, id=element_id)


def text(element):
    parts = []
    for child in element.children:
        parts.append(text(child) if isinstance(child, Element) else child)
    return " ".join(" ".join(parts).split())


def form_group_of(root, element_id):
    """The outermost nhsuk-form-group that holds the element with this id."""
    groups = [
        group
        for group in find_all(root, "div", "nhsuk-form-group")
        if any(attrs(el).get("id") == element_id for el in walk(group))
    ]
    assert groups, f"no form group holds #{element_id}"
    return groups[0]


def render(template_code, **context):
    return Template("{% load crispy_forms_tags nhsuk %}" + template_code).render(Context(context))


def render_with_filter(form):
    return parse_html(render("{{ form|crispy }}", form=form))


def render_with_tag(form):
    return parse_html(render("{% crispy form %}", form=form))


@pytest.fixture(params=[render_with_filter, render_with_tag], ids=["filter", "tag"])
def draw(request):
    """Every field assertion runs against both `{{ form|crispy }}` and `{% crispy form %}`."""
    return request.param


@pytest.fixture
def clean_form():
    return EveryFieldForm()


@pytest.fixture
def failed_form():
    form = EveryFieldForm(data=INVALID_DATA)
    assert not form.is_valid()
    return form


# --- text-like inputs ----------------------------------------------------------------------


def test_a_text_input_renders_as_a_labelled_nhs_input(draw, clean_form):
    page = draw(clean_form)

    group = form_group_of(page, "id_full_name")
    assert classes(group) == {"nhsuk-form-group"}
    label = find(group, "label")
    assert classes(label) == {"nhsuk-label"}
    assert attrs(label)["for"] == "id_full_name"
    assert text(label) == "Full name"
    field = by_id(page, "id_full_name")
    assert field.name == "input"
    assert classes(field) == {"nhsuk-input"}
    assert attrs(field)["type"] == "text"
    assert attrs(field)["name"] == "full_name"


def test_a_text_input_with_a_hint_points_aria_describedby_at_the_hint(draw, clean_form):
    page = draw(clean_form)

    hint = by_id(page, "id_full_name-hint")
    assert hint.name == "div"
    assert classes(hint) == {"nhsuk-hint"}
    assert text(hint) == "As it appears on your staff card"
    assert attrs(by_id(page, "id_full_name"))["aria-describedby"] == "id_full_name-hint"


def test_a_text_input_with_an_error_links_its_message_by_aria_describedby(draw, failed_form):
    page = draw(failed_form)

    group = form_group_of(page, "id_full_name")
    assert classes(group) == {"nhsuk-form-group", "nhsuk-form-group--error"}
    message = by_id(page, "id_full_name-error")
    assert message.name == "span"
    assert classes(message) == {"nhsuk-error-message"}
    hidden = find(message, "span", "nhsuk-u-visually-hidden")
    assert text(hidden) == "Error:"
    assert text(message) == "Error: This field is required."
    field = by_id(page, "id_full_name")
    assert classes(field) == {"nhsuk-input", "nhsuk-input--error"}
    assert attrs(field)["aria-describedby"] == "id_full_name-hint id_full_name-error"


def test_the_hint_comes_before_the_error_message_and_both_before_the_input(draw, failed_form):
    group = form_group_of(draw(failed_form), "id_full_name")

    order = [attrs(child).get("id") or child.name for child in group.children]
    assert order == ["label", "id_full_name-hint", "id_full_name-error", "id_full_name"]


def test_an_error_message_matches_the_design_system_markup():
    form = EveryFieldForm(data={})
    form.is_valid()

    html = render("{% include 'nhsuk/layout/help_text_and_errors.html' %}", f=_presenter(form))
    assertHTMLEqual(
        html,
        '<div class="nhsuk-hint" id="id_full_name-hint">As it appears on your staff card</div>'
        '<span class="nhsuk-error-message" id="id_full_name-error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.</span>',
    )


def _presenter(form, name="full_name"):
    from portal.templatetags.nhsuk import nhsuk_field

    return nhsuk_field(form[name])


@pytest.mark.parametrize(
    ("field_id", "input_type"),
    [
        ("id_email", "email"),
        ("id_years", "number"),
        ("id_website", "url"),
        ("id_password", "password"),
        ("id_search", "search"),
    ],
)
def test_text_like_inputs_keep_their_type_and_take_the_nhs_input_class(
    draw, clean_form, field_id, input_type
):
    field = by_id(draw(clean_form), field_id)

    assert field.name == "input"
    assert attrs(field)["type"] == input_type
    assert "nhsuk-input" in classes(field)


def test_a_width_class_given_on_the_widget_is_kept_alongside_the_nhs_class(draw, clean_form):
    field = by_id(draw(clean_form), "id_years")

    assert classes(field) == {"nhsuk-input", "nhsuk-input--width-3"}


def test_an_optional_field_says_optional_in_its_label_and_a_required_one_does_not(draw, clean_form):
    page = draw(clean_form)

    assert text(find(page, "label", **{"for": "id_email"})) == "Email address (optional)"
    assert text(find(page, "label", **{"for": "id_full_name"})) == "Full name"
    assert text(find(form_group_of(page, "id_started"), "legend")) == (
        "When did the initiative start?"
    )
    assert "*" not in render("{{ form|crispy }}", form=clean_form)


def test_a_filter_form_marks_no_field_optional(draw):
    class FilterForm(forms.Form):
        marks_optional = False
        region = forms.ChoiceField(required=False, choices=[("", "All regions")])
        words = forms.CharField(label="Search for", required=False)

    page = draw(FilterForm())

    assert text(find(page, "label", **{"for": "id_region"})) == "Region"
    assert text(find(page, "label", **{"for": "id_words"})) == "Search for"


def test_an_optional_choice_or_date_question_says_optional_in_its_legend(draw):
    class OptionalForm(forms.Form):
        role = forms.ChoiceField(choices=ROLES, widget=forms.RadioSelect, required=False)
        started = DateField(label="Start date", required=False)

    page = draw(OptionalForm())

    legends = [text(legend) for legend in find_all(page, "legend")]
    assert legends == ["Role (optional)", "Start date (optional)"]


# --- textarea and select -------------------------------------------------------------------


def test_a_textarea_renders_as_an_nhs_textarea_with_a_hint(draw, clean_form):
    page = draw(clean_form)

    field = by_id(page, "id_summary")
    assert field.name == "textarea"
    assert classes(field) == {"nhsuk-textarea"}
    assert attrs(field)["aria-describedby"] == "id_summary-hint"
    assert text(find(form_group_of(page, "id_summary"), "label")) == "Summary"


def test_a_textarea_with_an_error_takes_the_textarea_error_modifier(draw):
    form = EveryFieldForm(data={"summary": ""})
    form.is_valid()

    field = by_id(draw(form), "id_summary")

    assert classes(field) == {"nhsuk-textarea", "nhsuk-textarea--error"}
    assert attrs(field)["aria-describedby"] == "id_summary-hint id_summary-error"


def test_a_select_renders_as_an_nhs_select(draw, clean_form):
    field = by_id(draw(clean_form), "id_region")

    assert field.name == "select"
    assert classes(field) == {"nhsuk-select"}
    assert [text(option) for option in find_all(field, "option")] == [
        "Choose a region",
        "North East",
        "London",
    ]


def test_a_select_with_an_error_takes_the_select_error_modifier(draw):
    form = EveryFieldForm(data={})
    form.is_valid()

    field = by_id(draw(form), "id_region")

    assert classes(field) == {"nhsuk-select", "nhsuk-select--error"}
    assert attrs(field)["aria-describedby"] == "id_region-error"


# --- radios and checkboxes -----------------------------------------------------------------


def test_radios_render_in_a_fieldset_with_a_legend_and_nhs_radio_items(draw, clean_form):
    group = form_group_of(draw(clean_form), "id_role_0")

    fieldset = find(group, "fieldset")
    assert classes(fieldset) == {"nhsuk-fieldset"}
    assert attrs(fieldset)["aria-describedby"] == "id_role-hint"
    legend = fieldset.children[0]
    assert legend.name == "legend"
    assert classes(legend) == {"nhsuk-fieldset__legend"}
    assert text(legend) == "Your role"
    radios = find(fieldset, "div", "nhsuk-radios")
    assert attrs(radios)["data-module"] == "nhsuk-radios"
    items = find_all(radios, "div", "nhsuk-radios__item")
    assert len(items) == 3
    for index, (item, (value, label)) in enumerate(zip(items, ROLES, strict=True)):
        radio = find(item, "input")
        assert classes(radio) == {"nhsuk-radios__input"}
        assert attrs(radio)["type"] == "radio"
        assert attrs(radio)["name"] == "role"
        assert attrs(radio)["value"] == value
        assert attrs(radio)["id"] == f"id_role_{index}"
        item_label = find(item, "label")
        assert classes(item_label) == {"nhsuk-label", "nhsuk-radios__label"}
        assert attrs(item_label)["for"] == f"id_role_{index}"
        assert text(item_label) == label


def test_radios_with_an_error_describe_the_fieldset_by_hint_and_error(draw, failed_form):
    group = form_group_of(draw(failed_form), "id_role_0")

    assert "nhsuk-form-group--error" in classes(group)
    fieldset = find(group, "fieldset")
    assert attrs(fieldset)["aria-describedby"] == "id_role-hint id_role-error"
    assert classes(by_id(fieldset, "id_role-error")) == {"nhsuk-error-message"}


def test_checkboxes_render_in_a_fieldset_with_a_legend_and_nhs_checkbox_items(draw, clean_form):
    group = form_group_of(draw(clean_form), "id_topics_0")

    fieldset = find(group, "fieldset", "nhsuk-fieldset")
    assert "aria-describedby" not in attrs(fieldset)
    assert text(find(fieldset, "legend", "nhsuk-fieldset__legend")) == "Topics"
    checkboxes = find(fieldset, "div", "nhsuk-checkboxes")
    assert attrs(checkboxes)["data-module"] == "nhsuk-checkboxes"
    inputs = find_all(checkboxes, "input", "nhsuk-checkboxes__input")
    assert [attrs(box)["value"] for box in inputs] == ["falls", "sepsis", "medicines"]
    assert all(attrs(box)["type"] == "checkbox" for box in inputs)
    labels = find_all(checkboxes, "label", "nhsuk-checkboxes__label")
    assert [attrs(label)["for"] for label in labels] == [
        "id_topics_0",
        "id_topics_1",
        "id_topics_2",
    ]


def test_a_single_checkbox_is_its_own_label_and_needs_no_fieldset(draw, failed_form):
    group = form_group_of(draw(failed_form), "id_no_patient_data")

    assert find_all(group, "fieldset") == []
    assert find_all(group, "legend") == []
    box = by_id(group, "id_no_patient_data")
    assert classes(box) == {"nhsuk-checkboxes__input"}
    assert attrs(box)["type"] == "checkbox"
    assert attrs(box)["aria-describedby"] == "id_no_patient_data-error"
    label = find(group, "label")
    assert classes(label) == {"nhsuk-label", "nhsuk-checkboxes__label"}
    assert text(label) == "This learning contains no patient-identifiable information"
    assert find(group, "div", "nhsuk-checkboxes__item")


def test_an_unrequired_single_checkbox_is_not_labelled_optional(draw):
    class DigestForm(forms.Form):
        digest = forms.BooleanField(label="Send me the regional digest", required=False)

    page = draw(DigestForm())

    assert text(find(page, "label")) == "Send me the regional digest"


# --- file upload ---------------------------------------------------------------------------


def test_a_file_upload_uses_the_design_system_file_upload_markup(draw, clean_form):
    group = form_group_of(draw(clean_form), "id_evidence")

    assert classes(group) == {"nhsuk-form-group", "nhsuk-file-upload"}
    # The browser's own input: the design system's drop zone fails axe (docs/adr/0034).
    assert "data-module" not in attrs(group)
    field = by_id(group, "id_evidence")
    assert attrs(field)["type"] == "file"
    assert classes(field) == {"nhsuk-file-upload__input"}
    assert text(find(group, "label", "nhsuk-label")) == "Evidence (optional)"


def test_a_file_upload_with_an_error_marks_its_group_and_describes_the_input(draw):
    class UploadForm(forms.Form):
        evidence = forms.FileField(label="Evidence", help_text="A PDF or Word document")

    form = UploadForm(data={}, files={})
    form.is_valid()

    group = form_group_of(draw(form), "id_evidence")

    assert classes(group) == {
        "nhsuk-form-group",
        "nhsuk-form-group--error",
        "nhsuk-file-upload",
    }
    assert attrs(by_id(group, "id_evidence"))["aria-describedby"] == (
        "id_evidence-hint id_evidence-error"
    )


def test_a_crispy_form_with_a_file_upload_posts_as_multipart(clean_form):
    form_element = find(render_with_tag(clean_form), "form")

    assert attrs(form_element)["enctype"] == "multipart/form-data"


# --- date input ----------------------------------------------------------------------------


def test_a_date_input_renders_day_month_and_year_boxes_in_a_fieldset(draw, clean_form):
    group = form_group_of(draw(clean_form), "id_started")

    fieldset = find(group, "fieldset", "nhsuk-fieldset")
    assert attrs(fieldset)["role"] == "group"
    assert attrs(fieldset)["aria-describedby"] == "id_started-hint"
    assert text(find(fieldset, "legend", "nhsuk-fieldset__legend")) == (
        "When did the initiative start?"
    )
    assert text(by_id(fieldset, "id_started-hint")) == (
        "For example, 15 3 2024. From 1 1 2000 to 31 12 2030."
    )
    date_input = by_id(fieldset, "id_started")
    assert classes(date_input) == {"nhsuk-date-input"}
    items = find_all(date_input, "div", "nhsuk-date-input__item")
    assert len(items) == 3
    for item, (part, label, width) in zip(
        items, [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)], strict=True
    ):
        box = find(item, "input")
        assert attrs(box)["id"] == f"id_started-{part}"
        assert attrs(box)["name"] == f"started-{part}"
        assert attrs(box)["inputmode"] == "numeric"
        assert attrs(box)["type"] == "text"
        assert classes(box) == {
            "nhsuk-input",
            f"nhsuk-input--width-{width}",
            "nhsuk-date-input__input",
        }
        box_label = find(item, "label")
        assert classes(box_label) == {"nhsuk-label", "nhsuk-date-input__label"}
        assert attrs(box_label)["for"] == f"id_started-{part}"
        assert text(box_label) == label


def test_a_date_input_shows_a_saved_date_in_its_boxes(draw):
    form = EveryFieldForm(initial={"started": datetime.date(2024, 3, 5)})

    page = draw(form)

    assert attrs(by_id(page, "id_started-day"))["value"] == "5"
    assert attrs(by_id(page, "id_started-month"))["value"] == "3"
    assert attrs(by_id(page, "id_started-year"))["value"] == "2024"


def test_an_impossible_date_keeps_what_was_typed_and_highlights_the_day(draw, failed_form):
    page = draw(failed_form)

    group = form_group_of(page, "id_started")
    assert "nhsuk-form-group--error" in classes(group)
    assert attrs(find(group, "fieldset"))["aria-describedby"] == (
        "id_started-hint id_started-error"
    )
    assert text(by_id(group, "id_started-error")) == "Error: Enter a real date"
    day, month, year = (by_id(group, f"id_started-{part}") for part in ("day", "month", "year"))
    assert [attrs(box)["value"] for box in (day, month, year)] == ["31", "2", "2024"]
    assert "nhsuk-input--error" in classes(day)
    assert "nhsuk-input--error" not in classes(month)
    assert "nhsuk-input--error" not in classes(year)
    day_group = form_group_of(find(group, "div", "nhsuk-date-input"), "id_started-day")
    assert classes(day_group) == {"nhsuk-form-group", "nhsuk-form-group--error"}


def test_a_date_missing_its_month_highlights_only_the_month(draw):
    form = EveryFieldForm(data={"started-day": "12", "started-month": "", "started-year": "2023"})
    form.is_valid()

    page = draw(form)

    assert form.errors["started"] == ["Date must include a month"]
    assert "nhsuk-input--error" in classes(by_id(page, "id_started-month"))
    assert "nhsuk-input--error" not in classes(by_id(page, "id_started-day"))
    assert attrs(by_id(page, "id_started-day"))["value"] == "12"
    assert attrs(by_id(page, "id_started-year"))["value"] == "2023"


def test_an_empty_required_date_highlights_all_three_boxes(draw):
    form = EveryFieldForm(data={})
    form.is_valid()

    page = draw(form)

    assert form.errors["started"] == ["Enter a date"]
    for part in ("day", "month", "year"):
        assert "nhsuk-input--error" in classes(by_id(page, f"id_started-{part}"))


class DateForm(forms.Form):
    when = DateField(label="When")
    maybe = DateField(label="Maybe", required=False)


@pytest.mark.parametrize(
    ("day", "month", "year", "error"),
    [
        ("", "", "", "Enter a date"),
        ("12", "", "2023", "Date must include a month"),
        ("", "4", "", "Date must include a day and year"),
        ("12", "4", "", "Date must include a year"),
        ("31", "2", "2024", "Enter a real date"),
        ("29", "2", "2023", "Enter a real date"),
        ("1", "13", "2024", "Enter a real date"),
        ("0", "1", "2024", "Enter a real date"),
        ("one", "1", "2024", "Enter a real date"),
        ("1", "1", "twenty", "Enter a real date"),
        ("1", "1", "24", "Year must include 4 numbers"),
    ],
)
def test_a_date_field_refuses_bad_dates_with_the_design_system_messages(day, month, year, error):
    form = DateForm(data={"when-day": day, "when-month": month, "when-year": year})

    assert not form.is_valid()
    assert form.errors["when"] == [error]


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("5", "3", "2024", datetime.date(2024, 3, 5)),
        ("05", "03", "2024", datetime.date(2024, 3, 5)),
        (" 29 ", "2", "2024", datetime.date(2024, 2, 29)),
    ],
)
def test_a_date_field_reads_a_real_date_from_its_boxes(day, month, year, expected):
    form = DateForm(data={"when-day": day, "when-month": month, "when-year": year})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == expected
    assert form.cleaned_data["maybe"] is None


def test_a_date_field_messages_can_be_worded_for_the_question():
    class StartForm(forms.Form):
        started = DateField(error_messages={"required": "Enter the date the initiative started"})

    form = StartForm(data={})

    assert form.errors["started"] == ["Enter the date the initiative started"]


def test_the_date_widget_submits_an_iso_date_or_the_boxes_as_typed():
    widget = DateField().widget

    def submitted(day, month, year):
        return widget.value_from_datadict({"d-day": day, "d-month": month, "d-year": year}, {}, "d")

    assert submitted("5", "3", "2024") == "2024-03-05"
    assert submitted("31", "2", "2024") == ["31", "2", "2024"]
    assert submitted("", "", "") is None


# --- layout objects, buttons and the form element ------------------------------------------


def helper_form(data=None):
    form = EveryFieldForm(data=data)
    form.helper = FormHelper()
    form.helper.form_action = "/learning/new/"
    form.helper.layout = Layout(
        Fieldset("About you", "full_name", "email"),
        HTML("<p class='nhsuk-body'>Tell us about the initiative.</p>"),
        "summary",
        "started",
        ButtonHolder(Submit("save", "Save and continue")),
    )
    return form


def test_the_crispy_tag_draws_a_form_element_with_csrf_and_novalidate():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": helper_form(), "csrf_token": "token-for-test"})
    )

    form_element = find(parse_html(html), "form")

    assert attrs(form_element)["method"] == "post"
    assert attrs(form_element)["action"] == "/learning/new/"
    assert "novalidate" in attrs(form_element)
    csrf = find(form_element, "input", name="csrfmiddlewaretoken")
    assert attrs(csrf)["type"] == "hidden"


def test_a_crispy_fieldset_groups_its_fields_under_a_legend():
    page = render_with_tag(helper_form())

    fieldsets = [
        fieldset for fieldset in find_all(page, "fieldset") if "role" not in attrs(fieldset)
    ]
    assert len(fieldsets) == 1
    fieldset = fieldsets[0]
    assert classes(fieldset) == {"nhsuk-fieldset"}
    assert fieldset.children[0].name == "legend"
    assert classes(fieldset.children[0]) == {
        "nhsuk-fieldset__legend",
        "nhsuk-fieldset__legend--m",
    }
    assert text(fieldset.children[0]) == "About you"
    assert [attrs(field)["id"] for field in find_all(fieldset, "input")] == [
        "id_full_name",
        "id_email",
    ]


def test_a_crispy_layout_renders_only_the_fields_it_names_with_its_html():
    page = render_with_tag(helper_form())

    assert text(find(page, "p", "nhsuk-body")) == "Tell us about the initiative."
    assert find_all(page, id="id_region") == []
    assert by_id(page, "id_started-day")


def test_a_crispy_submit_renders_as_an_nhs_button():
    html = render("{% crispy form %}", form=helper_form())

    button = find(parse_html(html), "button")
    assertHTMLEqual(
        str(button),
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit" name="save"'
        ' value="Save and continue">Save and continue</button>',
    )
    assert classes(find(parse_html(html), "div", "nhsuk-button-group"))


def test_a_helper_input_with_a_css_class_keeps_it_without_crispy_defaults():
    form = EveryFieldForm()
    form.helper = FormHelper()
    form.helper.add_input(Submit("draft", "Save as draft", css_class="nhsuk-button--secondary"))

    button = find(render_with_tag(form), "button")

    assert classes(button) == {"nhsuk-button", "nhsuk-button--secondary"}
    assert attrs(button)["data-module"] == "nhsuk-button"
    assert attrs(button)["type"] == "submit"


def test_a_crispy_field_adds_its_classes_to_the_control_and_the_form_group():
    form = EveryFieldForm()
    form.helper = FormHelper()
    form.helper.layout = Layout(
        Field("full_name", css_class="nhsuk-input--width-20", wrapper_class="app-name")
    )

    page = render_with_tag(form)

    assert classes(by_id(page, "id_full_name")) == {"nhsuk-input", "nhsuk-input--width-20"}
    assert classes(form_group_of(page, "id_full_name")) == {"nhsuk-form-group", "app-name"}


def test_the_filter_draws_fields_only_and_leaves_the_form_element_to_the_page(clean_form):
    page = render_with_filter(clean_form)

    assert find_all(page, "form") == []
    assert find_all(page, "button") == []


def test_a_hidden_field_renders_as_a_plain_hidden_input(draw, clean_form):
    page = draw(clean_form)

    hidden = by_id(page, "id_next_page")
    assert attrs(hidden)["type"] == "hidden"
    assert find_all(page, "label", **{"for": "id_next_page"}) == []


def test_as_crispy_field_renders_one_field_through_the_pack(clean_form):
    page = parse_html(render("{{ form.summary|as_crispy_field }}", form=clean_form))

    assert classes(by_id(page, "id_summary")) == {"nhsuk-textarea"}
    assert find_all(page, "input") == []


# --- after a failed submission ------------------------------------------------------------


def test_a_clean_form_has_no_error_markup(draw, clean_form):
    page = draw(clean_form)

    assert find_all(page, cls="nhsuk-error-message") == []
    assert find_all(page, cls="nhsuk-form-group--error") == []
    assert not any("--error" in name for element in walk(page) for name in classes(element))


def test_what_was_typed_or_chosen_is_kept_after_failed_validation(draw):
    data = {**VALID_DATA, "full_name": "", "topics": ["sepsis"], "role": "chair"}
    form = EveryFieldForm(data=data)
    assert not form.is_valid()

    page = draw(form)

    assert attrs(by_id(page, "id_email"))["value"] == "ada@example.org"
    assert attrs(by_id(page, "id_years"))["value"] == "3"
    assert text(by_id(page, "id_summary")) == "A short summary"
    selected = [
        attrs(option)["value"]
        for option in find_all(by_id(page, "id_region"), "option")
        if "selected" in attrs(option)
    ]
    assert selected == ["lo"]
    assert "checked" in attrs(by_id(page, "id_role_2"))
    assert "checked" not in attrs(by_id(page, "id_role_0"))
    assert "checked" in attrs(by_id(page, "id_topics_1"))
    assert "checked" not in attrs(by_id(page, "id_topics_0"))
    assert "checked" in attrs(by_id(page, "id_no_patient_data"))
    assert [
        attrs(by_id(page, f"id_started-{part}"))["value"] for part in ("day", "month", "year")
    ] == ["5", "3", "2024"]


def test_a_form_with_every_field_filled_in_properly_is_valid():
    form = EveryFieldForm(data=VALID_DATA)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["started"] == datetime.date(2024, 3, 5)


# --- the error summary ---------------------------------------------------------------------


def summary_links(html):
    summary = find(parse_html(html), "div", "nhsuk-error-summary")
    return [(attrs(link)["href"], text(link)) for link in find_all(summary, "a")]


def test_the_error_summary_links_each_error_to_the_box_or_option_to_fix(failed_form):
    html = render("{% include 'nhsuk/error_summary.html' %}", form=failed_form)

    assert summary_links(html) == [
        ("#id_full_name", "This field is required."),
        ("#id_role_0", "Select a valid choice. nonsense is not one of the available choices."),
        ("#id_topics_0", "This field is required."),
        ("#id_no_patient_data", "This field is required."),
        ("#id_started-day", "Enter a real date"),
    ]


def test_every_summary_link_points_at_an_element_on_the_page(draw, failed_form):
    html = render("{% include 'nhsuk/error_summary.html' %}", form=failed_form)
    page = draw(failed_form)

    for href, _message in summary_links(html):
        assert by_id(page, href.removeprefix("#")).name in {"input", "textarea", "select"}


def test_the_error_summary_links_a_date_to_the_first_box_in_error():
    form = EveryFieldForm(data={"started-day": "4", "started-year": "2024"})
    form.is_valid()

    links = summary_links(render("{% nhsuk_error_summary form %}", form=form))

    assert ("#id_started-month", "Date must include a month") in links


def test_the_error_summary_matches_the_design_system_markup():
    class NameForm(forms.Form):
        name = forms.CharField(error_messages={"required": "Enter your name"})

    html = render("{% nhsuk_error_summary form %}", form=NameForm(data={}))

    assertHTMLEqual(
        html,
        '<div class="nhsuk-error-summary" data-module="nhsuk-error-summary">'
        '<div role="alert">'
        '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>'
        '<div class="nhsuk-error-summary__body">'
        '<ul class="nhsuk-list nhsuk-error-summary__list">'
        '<li><a href="#id_name">Enter your name</a></li>'
        "</ul></div></div></div>",
    )


def test_the_error_summary_lists_form_errors_without_a_link():
    form = EveryFieldForm(data={**VALID_DATA, "full_name": "Nobody"})
    assert not form.is_valid()

    summary = find(parse_html(render("{% nhsuk_error_summary form %}", form=form)), "ul")

    items = find_all(summary, "li")
    assert [text(item) for item in items] == ["These details do not match an invitation"]
    assert find_all(summary, "a") == []


def test_the_error_summary_lists_a_hidden_fields_error_without_a_link():
    class StepForm(forms.Form):
        step = forms.IntegerField(widget=forms.HiddenInput)

    summary = find(
        parse_html(render("{% nhsuk_error_summary form %}", form=StepForm(data={}))), "ul"
    )

    assert [text(item) for item in find_all(summary, "li")] == ["This field is required."]
    assert find_all(summary, "a") == []


def test_the_error_summary_tag_renders_nothing_for_an_unbound_or_valid_form():
    assert render("{% nhsuk_error_summary form %}", form=EveryFieldForm()).strip() == ""
    valid = EveryFieldForm(data=VALID_DATA)
    assert valid.is_valid()
    assert render("{% nhsuk_error_summary form %}", form=valid).strip() == ""


def test_the_error_summary_tag_works_for_a_form_under_another_name():
    other = DateForm(data={})

    html = render("{% nhsuk_error_summary other %}", other=other)

    assert summary_links(html) == [("#id_when-day", "Enter a date")]


def test_as_crispy_errors_draws_the_error_summary(failed_form):
    html = render("{{ form|as_crispy_errors }}", form=failed_form)

    assert ("#id_full_name", "This field is required.") in summary_links(html)


# --- the sign-in page ----------------------------------------------------------------------


def main_of(response):
    page = parse_html(response.content.decode())
    return find(page, "main")


@pytest.mark.django_db
def test_the_sign_in_page_draws_its_email_and_password_boxes_through_the_pack(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    main = main_of(response)
    email = by_id(main, "id_login")
    assert attrs(email)["type"] == "email"
    assert classes(email) == {"nhsuk-input"}
    assert text(find(form_group_of(main, "id_login"), "label", "nhsuk-label")) == "Email address"
    password = by_id(main, "id_password")
    assert attrs(password)["type"] == "password"
    assert classes(password) == {"nhsuk-input"}
    assert text(find(form_group_of(main, "id_password"), "label", "nhsuk-label")) == "Password"
    assert find_all(main, cls="nhsuk-error-summary") == []
    assert find_all(main, cls="nhsuk-hint") == []


@pytest.mark.django_db
def test_a_failed_sign_in_shows_the_error_summary_first_in_main(client):
    user = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "not-" + DEMO_PASSWORD}
    )

    assert response.status_code == 200
    assert "<title>Error: Sign in" in response.content.decode()
    main = main_of(response)
    # The summary leads the page: in the first block of main, above the h1.
    summary = find(main.children[0], "div", "nhsuk-error-summary")
    assert find_all(main.children[0], "h1") == []
    assert [text(item) for item in find_all(summary, "li")] == [
        "The email address or password is not correct."
    ]
    assert attrs(by_id(main, "id_login"))["value"] == user.email


@pytest.mark.django_db
def test_a_sign_in_without_an_email_links_the_summary_to_the_email_box(client):
    response = client.post(reverse("account_login"), {"login": "", "password": "anything"})

    main = main_of(response)
    summary = find(main, "div", "nhsuk-error-summary")
    assert [attrs(link)["href"] for link in find_all(summary, "a")] == ["#id_login"]
    email = by_id(main, "id_login")
    assert classes(email) == {"nhsuk-input", "nhsuk-input--error"}
    assert attrs(email)["aria-describedby"] == "id_login-error"
