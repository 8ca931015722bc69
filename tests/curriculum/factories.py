"""Curriculum entries, training sessions and staff support for the tests, through the
services."""

import datetime

from curriculum.services import (
    curriculum_entry_create,
    staff_support_create,
    training_session_create,
)
from regions.models import Organisation
from taxonomy.models import Profession, SyllabusTag
from tests.roles import region


def a_university(slug="test-university", name="Northgate University School of Nursing"):
    return Organisation.objects.get_or_create(
        slug=slug, defaults={"kind": Organisation.Kind.HIGHER_EDUCATION, "name": name}
    )[0]


def profession(slug="nursing"):
    return Profession.objects.get(slug=slug)


def tag(domain, level):
    return SyllabusTag.objects.get(domain__number=domain, level__number=level)


def entry(by, *, region_slug="north", tags=(), **fields):
    defaults = {
        "organisation": a_university(),
        "programme": "BSc Adult Nursing, year 2",
        "profession": profession(),
        "stage": "undergraduate",
        "change": "A half-day on human factors, with simulation.",
        "academic_year": "2026/27",
        "region": region(region_slug),
        "syllabus": [tag(*cell) for cell in tags],
    }
    defaults.update(fields)
    return curriculum_entry_create(by=by, **defaults)


def session(by, *, region_slug="north", tags=(), professions=("nursing",), **fields):
    defaults = {
        "held_on": datetime.date(2026, 10, 1),
        "title": "Escalation simulation",
        "format": "simulation",
        "people_trained": 10,
        "region": region(region_slug),
        "host": a_university(),
        "professions": [profession(slug) for slug in professions],
        "syllabus": [tag(*cell) for cell in tags],
    }
    defaults.update(fields)
    return training_session_create(by=by, **defaults)


def support(by, *, region_slug="north", **fields):
    defaults = {
        "kind": "session",
        "held_on": datetime.date(2026, 10, 1),
        "organisation": a_university(),
        "staff_reached": 8,
        "support_model": "debrief",
        "region": region(region_slug),
    }
    defaults.update(fields)
    return staff_support_create(by=by, **defaults)
