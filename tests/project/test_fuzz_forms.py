"""Every form of the portal, found by requesting every URL pattern as each role (with the access
matrix's sample records), is sent impossible dates, huge numbers, huge ids, 1 MB strings, NUL
bytes and right-to-left overrides: nothing answers 500, and a refused form saves nothing.

Nothing here lists the forms by hand: a new page with a form joins the fuzzing, and a new form
class that no page shows fails `test_every_form_class_is_reached`.
"""

import copy
import importlib
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from learning.models import LearningItem
from portal.forms import DateInputWidget, PortalForm, PortalModelForm
from tests.learning.factories import LearningItemFactory
from tests.project.test_access_matrix import (
    PATTERNS,
    concrete_url,
    people_with_each_role,
    sample_records,
)
from tests.roles import sign_in

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = [c for c in apps.get_app_configs() if Path(c.path).parent == ROOT]
ROLES = ("national", "lead", "fellow", "chair", "reader")
PARTS = ("day", "month", "year")

HUGE = "99999999999999999999"
MEGABYTE = "a" * 1_000_000
BAD_DATES = {
    "year 0000": ("1", "1", "0000"),
    "31 February": ("31", "2", "2026"),
    "year 99999": ("1", "1", "99999"),
    "year 9999": ("31", "12", "9999"),
}


def _fuzzed_value(kind, field):
    """The bad value of `kind` for `field`, or None when the kind does not apply to it."""
    text = isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.PasswordInput | forms.HiddenInput
    )
    if kind == "NUL bytes":
        return "1\x00" if not text else "Safer\x00handover"
    if kind == "1 MB strings" and text:
        return ("https://example.org/" if isinstance(field, forms.URLField) else "") + MEGABYTE
    if kind == "right-to-left overrides" and text:
        return "Safer \u202egnidnah"
    if kind == "huge ids" and isinstance(field, forms.ModelChoiceField):
        return HUGE
    if kind == "huge numbers" and isinstance(
        field, forms.IntegerField | forms.DecimalField | forms.FloatField | forms.TypedChoiceField
    ):
        return HUGE
    return None


KINDS = ("huge ids", "huge numbers", "1 MB strings", "NUL bytes", "right-to-left overrides")


def payloads(form):
    """(kind, data): the form's own starting values, with every field the kind applies to
    replaced by a bad value. A kind that applies to no field of the form is left out."""
    base = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        if isinstance(bound.widget, DateInputWidget):
            day, month, year = bound.widget.decompress(value)
            base |= {
                f"{name}-{part}": v or "" for part, v in zip(PARTS, (day, month, year), strict=True)
            }
        elif isinstance(value, list | tuple):
            base[name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is not None:
            base[name] = str(getattr(value, "pk", value))
    for kind in KINDS:
        data, changed = copy.copy(base), False
        for name, field in form.fields.items():
            bad = _fuzzed_value(kind, field)
            if bad is None:
                continue
            changed = True
            if isinstance(field.widget, DateInputWidget):
                data |= {f"{name}-day": bad, f"{name}-month": bad, f"{name}-year": bad}
            elif isinstance(field, forms.MultipleChoiceField):
                data[name] = [bad]
            else:
                data[name] = bad
        if changed:
            yield kind, data
    dates = [name for name, f in form.fields.items() if isinstance(f.widget, DateInputWidget)]
    for kind, (day, month, year) in BAD_DATES.items():
        if dates:
            data = copy.copy(base)
            for name in dates:
                data |= {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}
            yield f"impossible dates ({kind})", data


def forms_in(response):
    if response.status_code != 200 or response.context is None:
        return []
    found = []
    for context in response.context:
        # A template rendered from a plain dict (the sitemap's) leaves a dict here.
        values = context.flatten() if hasattr(context, "flatten") else context
        for value in values.values():
            if isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
    return found


def fingerprint():
    """How many rows each of our models (history included) holds: a refused form changes none,
    and every tracked change of a record writes a history row."""
    return {
        model._meta.label: model._base_manager.count()
        for config in OUR_APPS
        for model in config.get_models()
        if model._meta.label != "accounts.SecurityEvent"
    }


@pytest.fixture(scope="module")
def _built_once(module_db):
    with module_db():
        people = people_with_each_role()
        samples = sample_records(people)
        # Returning learning to its author is a step from "submitted": that page needs one.
        samples["submitted"] = LearningItemFactory(
            created_by=people["fellow"], status=LearningItem.Status.SUBMITTED
        )
        return people, samples


@pytest.fixture
def people(_built_once, db, no_mfa_required):
    return copy.deepcopy(_built_once[0])


@pytest.fixture
def samples(_built_once, db):
    return copy.deepcopy(_built_once[1])


FORM_PAGES = sorted(key for key in PATTERNS if not key.startswith("admin"))


def url_of(key, samples):
    if key in ("learning:item-return", "learning:item-publish"):
        return reverse(key, args=[samples["submitted"].pk])
    return concrete_url(key, samples)


def _method(form):
    helper = getattr(form, "helper", None)
    return (getattr(helper, "form_method", None) or "post").lower()


@pytest.mark.parametrize("key", FORM_PAGES)
def test_no_form_answers_500_and_a_refused_form_saves_nothing(client, people, samples, key):
    url = url_of(key, samples)
    fuzzed = []
    for role in ("anonymous", *ROLES):
        client.logout()
        if role != "anonymous":
            sign_in(client, people[role])
        page = client.get(url)
        page_forms = forms_in(page)
        if not page_forms:
            continue
        for form in page_forms:
            for kind, data in payloads(form):
                before = fingerprint()
                if _method(form) == "get":
                    response = client.get(url, data)
                else:
                    response = client.post(url, data)
                what = f"{role} sending {kind} to {type(form).__name__} at {url}"
                assert response.status_code < 500, what
                if _method(form) == "post":
                    if isinstance(form, PortalForm | PortalModelForm):
                        assert response.status_code != 302, f"{what}: accepted"
                    assert fingerprint() == before, f"{what}: saved"
                fuzzed.append(kind)
        break  # the first role that sees the page's forms is enough
    if not fuzzed:
        pytest.skip(f"{url} shows no form to any role")


def _our_form_classes():
    classes = set()
    for config in OUR_APPS:
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                classes.add(value)
    # Bases that only others are built on are reached through them.
    return {cls for cls in classes if not any(o is not cls and issubclass(o, cls) for o in classes)}


def test_every_form_class_is_reached_and_guarded(client, people, samples):
    reached = set()
    for key in FORM_PAGES:
        url = url_of(key, samples)
        for role in ("anonymous", *ROLES):
            client.logout()
            if role != "anonymous":
                sign_in(client, people[role])
            reached |= {type(form) for form in forms_in(client.get(url))}

    ours = _our_form_classes()
    unreached = sorted(cls.__qualname__ for cls in ours - reached)
    assert not unreached, f"No page shows these forms, so nothing fuzzes them: {unreached}"
    unguarded = sorted(
        cls.__qualname__ for cls in ours if not issubclass(cls, PortalForm | PortalModelForm)
    )
    assert not unguarded, f"Build these on PortalForm or PortalModelForm: {unguarded}"
