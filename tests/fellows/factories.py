"""Factories for the fellows' initiatives."""

import factory

from fellows.models import Initiative
from regions.models import PatientSafetyCollaborative
from tests.accounts.factories import UserFactory
from tests.regions.factories import programme_region


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Safer handover project {n}")
    summary = "Standardising handover between wards using a structured tool."
    region = factory.LazyFunction(programme_region)
    host_psc = factory.LazyAttribute(
        lambda o: PatientSafetyCollaborative.objects.filter(primary_region=o.region).first()
    )
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def fellows(initiative, create, extracted, **kwargs):
        if create:
            initiative.fellows.set(extracted or [initiative.created_by])
