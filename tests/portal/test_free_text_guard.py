"""Every free-text field refuses NHS numbers: a new field without the guard fails this test."""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from portal.nhs_number import no_nhs_number

ROOT = Path(__file__).resolve().parents[2]
# Every app of this project, so a new app's models are checked without a change here.
OUR_APPS = [config.label for config in apps.get_app_configs() if Path(config.path).parent == ROOT]

# Fields that hold no free text about care: identifiers, names of organisations and places
# from reference data, and what the system itself writes.
EXEMPT = {
    # What a kept summary counts and for whom ("dashboard", "psc-4"), set by the portal alone.
    "portal.Summary.kind",
    "portal.Summary.scope",
    "accounts.User.password",
    "accounts.User.full_name",
    "accounts.Invitation.full_name",
    "accounts.Invitation.nonce",
    "accounts.SecurityEvent.email",
    "accounts.SecurityEvent.request_id",
    "accounts.SecurityEvent.path",
    "regions.RegionScheme.name",
    "regions.RegionScheme.description",
    "regions.Region.name",
    "regions.Organisation.name",
    "regions.Organisation.ods_code",
    "regions.OrganisationName.name",
    # ODS's region and ICB codes ("Y59", "QRL").
    "regions.OdsRegionMapping.nhs_england_code",
    "regions.OdsRegionMapping.icb_code",
    "taxonomy.SyllabusDomain.name",
    "taxonomy.SyllabusLevel.name",
    "taxonomy.SyllabusLevel.audience",
    "taxonomy.Theme.name",
    "taxonomy.Profession.name",
    "taxonomy.SearchSynonym.term",
    "taxonomy.SearchSynonym.meaning",
    # "2025/26" and nothing else: its own validator allows no other text.
    "curriculum.CurriculumEntry.academic_year",
    "digests.DigestDelivery.detail",
}


def free_text_fields():
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, (models.CharField, models.TextField))
                    and not isinstance(
                        field, (models.EmailField, models.SlugField, models.URLField)
                    )
                    and not field.choices
                ):
                    yield f"{app_label}.{model.__name__}.{field.name}", field


GUARDED = [(name, field) for name, field in free_text_fields() if name not in EXEMPT]


@pytest.mark.parametrize(("name", "field"), GUARDED, ids=[name for name, _ in GUARDED])
def test_every_free_text_field_refuses_nhs_numbers(name, field):
    assert no_nhs_number in field.validators, f"{name} lacks the NHS number guard"


def test_the_exemptions_name_fields_that_exist():
    assert {name for name, _ in free_text_fields()} >= EXEMPT
