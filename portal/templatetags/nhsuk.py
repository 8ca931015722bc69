"""Drawing Django form fields as NHS.UK design system components.

The crispy-forms pack in templates/nhsuk/ asks `field|nhsuk_field` for a presenter and leaves
the markup to small templates; this module only decides names, ids and classes.
"""

from functools import cached_property

from crispy_forms.utils import render_crispy_form
from django import forms, template
from django.forms.boundfield import BoundWidget
from django.utils.safestring import mark_safe

from portal.forms import (
    DATE_PART_NAMES,
    DATE_PARTS,
    DateInputWidget,
    GroupedCheckboxSelectMultiple,
)

register = template.Library()

# The component's own class on the control, and the modifier it takes when there is an error.
CONTROL_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "file": ("nhsuk-file-upload__input", ""),
    "checkbox": ("nhsuk-checkboxes__input", ""),
    "radios": ("nhsuk-radios__input", ""),
    "checkboxes": ("nhsuk-checkboxes__input", ""),
    "grouped_checkboxes": ("nhsuk-checkboxes__input", ""),
}
FIELDSET_COMPONENTS = {"radios", "checkboxes", "grouped_checkboxes", "date"}


def _spaced(*words):
    """Join the non-empty words with spaces: a class attribute or a list of ids."""
    return " ".join(word for word in words if word)


class FieldPresenter:
    """What the pack's templates need to draw one bound field."""

    def __init__(self, field):
        self.field = field

    @cached_property
    def component(self):
        widget = self.field.field.widget
        if widget.is_hidden:
            return "hidden"
        # Order matters: CheckboxSelectMultiple is a kind of RadioSelect.
        for widget_class, component in (
            (DateInputWidget, "date"),
            (GroupedCheckboxSelectMultiple, "grouped_checkboxes"),
            (forms.CheckboxSelectMultiple, "checkboxes"),
            (forms.RadioSelect, "radios"),
            (forms.CheckboxInput, "checkbox"),
            (forms.Select, "select"),
            (forms.Textarea, "textarea"),
            (forms.FileInput, "file"),
        ):
            if isinstance(widget, widget_class):
                return component
        return "input"

    @property
    def template_name(self):
        if self.component in {"radios", "checkboxes", "checkbox"}:
            return "nhsuk/components/choices.html"
        if self.component == "grouped_checkboxes":
            return "nhsuk/components/grouped_choices.html"
        if self.component == "date":
            return "nhsuk/components/date_input.html"
        # Text-like inputs, textareas, selects and file uploads share one shape.
        return "nhsuk/components/control.html"

    @property
    def id(self):
        return self.field.auto_id

    @property
    def in_fieldset(self):
        return self.component in FIELDSET_COMPONENTS

    @property
    def choice_class(self):
        """The design system's name for a set of radios or checkboxes."""
        return "nhsuk-radios" if self.component == "radios" else "nhsuk-checkboxes"

    @property
    def label(self):
        # The design system marks the few optional questions rather than the many required
        # ones. A lone checkbox is a yes or no answer, so it is never "optional"; and in a
        # filter or search form (`marks_optional = False`) every field is optional. A field
        # that is one of two ways to answer a question (`answered_either_way`) is not
        # optional, though it is not required on its own.
        form = self.field.form
        if (
            self.field.field.required
            or self.component == "checkbox"
            or not getattr(form, "marks_optional", True)
            or self.field.name in getattr(form, "answered_either_way", ())
        ):
            return self.field.label
        return f"{self.field.label} (optional)"

    @property
    def hint_id(self):
        return f"{self.id}-hint" if str(self.field.help_text).strip() else ""

    @property
    def error_id(self):
        return f"{self.id}-error" if self.field.errors else ""

    @property
    def describedby(self):
        return _spaced(self.hint_id, self.error_id)

    @property
    def group_class(self):
        return _spaced(
            "nhsuk-form-group",
            "nhsuk-form-group--error" if self.field.errors else "",
            "nhsuk-file-upload" if self.component == "file" else "",
        )

    @property
    def control(self):
        """The rendered input, textarea or select, with the component's classes."""
        own_class, error_class = CONTROL_CLASSES[self.component]
        attrs = {
            "class": _spaced(
                own_class,
                error_class if self.field.errors else "",
                self.field.field.widget.attrs.get("class"),
            )
        }
        if self.describedby and not self.in_fieldset:
            attrs["aria-describedby"] = self.describedby
        widget = self.field.field.widget
        if isinstance(widget, forms.ClearableFileInput):
            # The design system's file upload has no "currently" link or clear checkbox.
            plain = forms.FileInput()
            plain.allow_multiple_selected = widget.allow_multiple_selected
            plain.attrs = widget.attrs.copy()
            widget = plain
        return self.field.as_widget(widget=widget, attrs=attrs)

    @property
    def items(self):
        """Each radio or checkbox as {id, label, tag}."""
        if self.component == "checkbox":
            return [{"id": self.id, "label": self.label, "tag": self.control}]
        own_class = CONTROL_CLASSES[self.component][0]
        items = []
        for choice in self.field.subwidgets:
            attrs = choice.data["attrs"]
            data = {
                **choice.data,
                "attrs": {**attrs, "class": _spaced(own_class, attrs.get("class"))},
            }
            items.append(
                {
                    "id": attrs.get("id", ""),
                    "label": choice.choice_label,
                    "tag": BoundWidget(choice.parent_widget, data, choice.renderer).tag(),
                }
            )
        return items

    @property
    def groups(self):
        """Grouped checkboxes as [{label, items}], each item as in `items`."""
        widget = self.field.field.widget
        id_ = widget.attrs.get("id") or self.field.auto_id
        attrs = self.field.build_widget_attrs({"id": id_} if id_ else {})
        value = widget.format_value(self.field.value())
        own_class = CONTROL_CLASSES[self.component][0]
        groups = []
        for label, options, _index in widget.optgroups(self.field.html_name, value, attrs):
            items = []
            for option in options:
                option_attrs = option["attrs"]
                data = {
                    **option,
                    "attrs": {
                        **option_attrs,
                        "class": _spaced(own_class, option_attrs.get("class")),
                    },
                }
                items.append(
                    {
                        "id": option_attrs.get("id", ""),
                        "label": option["label"],
                        "tag": BoundWidget(widget, data, self.field.form.renderer).tag(),
                    }
                )
            groups.append({"label": label, "items": items})
        return groups

    @cached_property
    def date_error_parts(self):
        """The day, month or year boxes to highlight: those the errors name, else all three."""
        parts = set()
        for error in self.field.errors.as_data():
            named = (error.params or {}).get("parts")
            if not named:
                return DATE_PART_NAMES
            parts.update(named)
        return tuple(name for name in DATE_PART_NAMES if name in parts)

    @property
    def date_parts(self):
        """Each box of a date input as {id, label, tag, error}."""
        widget = self.field.field.widget
        values = widget.decompress(self.field.value())
        parts = []
        for (name, label, width), subwidget, value in zip(
            DATE_PARTS, widget.widgets, values, strict=True
        ):
            error = name in self.date_error_parts
            part_id = f"{self.id}-{name}"
            attrs = {
                "id": part_id,
                "class": _spaced(
                    "nhsuk-input",
                    "nhsuk-input--error" if error else "",
                    f"nhsuk-input--width-{width}",
                    "nhsuk-date-input__input",
                    subwidget.attrs.get("class"),
                ),
            }
            if error:
                attrs["aria-invalid"] = "true"
            tag = subwidget.render(
                f"{self.field.html_name}-{name}", value, attrs, self.field.form.renderer
            )
            parts.append({"id": part_id, "label": label, "tag": tag, "error": error})
        return parts

    @property
    def error_target(self):
        """The id the error summary links to: the first box or option a person should fix."""
        if self.component == "date":
            return f"{self.id}-{self.date_error_parts[0] if self.field.errors else 'day'}"
        if self.component in {"radios", "checkboxes", "grouped_checkboxes"}:
            items = self.field.subwidgets
            return items[0].id_for_label if items else self.id
        return self.field.id_for_label or self.id


@register.filter
def nhsuk_field(field):
    """`{% with f=field|nhsuk_field %}`: a presenter for one bound field."""
    return FieldPresenter(field)


@register.filter
def nhsuk_button_class(button):
    """The classes of a crispy Submit or Button: the design system's, plus any css_class given.

    crispy-forms starts every button's classes with its own defaults ("btn btn-primary"),
    which mean nothing here, so only what the layout added is kept.
    """
    added = button.field_classes.removeprefix(type(button).field_classes)
    return _spaced("nhsuk-button", added.strip())


@register.inclusion_tag("nhsuk/error_summary.html")
def nhsuk_error_summary(form):
    """`{% nhsuk_error_summary some_form %}` for a page whose form is not called `form`.

    base.html already shows the summary for the context's `form`.
    """
    return {"form": form}


@register.inclusion_tag("includes/breadcrumbs.html")
def nhsuk_breadcrumbs(*labels_and_urls):
    """The breadcrumb trail above a page: `{% nhsuk_breadcrumbs "Home" home_url "People" url %}`.

    Takes label and URL pairs, from the top down to the page's parent; on small screens the
    design system shows only a back link to the last of them.
    """
    if len(labels_and_urls) % 2:
        raise template.TemplateSyntaxError("nhsuk_breadcrumbs takes label and URL pairs.")
    items = list(zip(labels_and_urls[::2], labels_and_urls[1::2], strict=True))
    return {"items": items, "parent": items[-1] if items else None}


# Filter forms' markup, drawn once for the same form, data and choices in each process, since
# the widgets are drawn template by template, option by option: a fifth of a list page's time
# (bench/profile_pages.py). The key holds everything the markup is made from, so nothing has to
# be emptied when a choice changes; a release restarts the processes. A few hundred forms are
# kept, then the kept ones are forgotten together.
DRAWN_FILTER_FORMS = {}
DRAWN_FILTER_FORMS_KEPT = 500


@register.simple_tag
def filter_form(form):
    """`{% crispy form %}` for a list's filter form (portal.forms.FilterForm)."""
    key = form.drawn_key()
    if key is None:
        return render_crispy_form(form, form.helper)
    drawn = DRAWN_FILTER_FORMS.get(key)
    if drawn is None:
        if len(DRAWN_FILTER_FORMS) >= DRAWN_FILTER_FORMS_KEPT:
            DRAWN_FILTER_FORMS.clear()
        drawn = DRAWN_FILTER_FORMS[key] = render_crispy_form(form, form.helper)
    return mark_safe(drawn)  # noqa: S308 - drawn by the template pack, which escapes
