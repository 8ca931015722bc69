"""Recommendations and adoptions for the register's tests, made through the services."""

import datetime

from regions.models import Organisation
from register.models import AdoptionStage, RecommendationKind
from register.services import adoption_create, recommendation_create
from tests.learning.factories import InvestigationFactory
from tests.roles import region


def a_trust(slug="test-trust", name="Test Teaching Hospitals NHS Trust"):
    return Organisation.objects.get_or_create(
        slug=slug, defaults={"kind": Organisation.Kind.NHS_TRUST, "name": name}
    )[0]


def recommendation(by, *, region_slug="north", investigation=None, **fields):
    """An HSSIB safety recommendation from a new investigation in `region_slug`, addressed
    to a test trust, made on 1 March 2026."""
    defaults = {
        "kind": RecommendationKind.SAFETY_RECOMMENDATION,
        "text": "Agree one way of escalating care for a deteriorating patient.",
        "addressed_to": a_trust(),
        "region": region(region_slug),
        "issued_on": datetime.date(2026, 3, 1),
    }
    defaults.update(fields)
    if defaults["kind"] != RecommendationKind.FELLOW and investigation is None:
        investigation = InvestigationFactory(created_by=by, region=region(region_slug))
    return recommendation_create(by=by, investigation=investigation, **defaults)


def adoption(by, *, of, region_slug="north", organisation=None, **fields):
    defaults = {
        "organisation": organisation or a_trust(),
        "region": region(region_slug),
        "stage": AdoptionStage.CONSIDERING,
        "stage_on": datetime.date(2026, 9, 1),
    }
    defaults.update(fields)
    key = "initiative" if of._meta.model_name == "initiative" else "learning_item"
    return adoption_create(by=by, **{key: of}, **defaults)
