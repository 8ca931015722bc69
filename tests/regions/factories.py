"""Factories for the reference data: organisations and PSCs, and a programme region."""

import datetime

import factory

from regions.models import Organisation, OrganisationName, PatientSafetyCollaborative, Region


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.HEALTH_INNOVATION_NETWORK
    name = factory.Sequence(lambda n: f"Health Innovation Test Network {n}")


class PatientSafetyCollaborativeFactory(factory.django.DjangoModelFactory):
    """A PSC in the programme's first region, hosted by a new network with one former name."""

    class Meta:
        model = PatientSafetyCollaborative
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"collaborative-{n}")
    host = factory.SubFactory(OrganisationFactory)
    primary_region = factory.LazyFunction(
        lambda: Region.objects.in_programme_scheme().order_by("display_order").first()
    )

    @factory.post_generation
    def former_name(psc, create, extracted, **kwargs):
        if create:
            OrganisationName.objects.create(
                organisation=psc.host,
                name=extracted or f"{psc.host.name} AHSN",
                used_until=datetime.date(2023, 9, 30),
            )

    @factory.post_generation
    def regions(psc, create, extracted, **kwargs):
        if create:
            psc.regions.set(extracted or Region.objects.filter(scheme__slug="nhse-2019")[:2])


def programme_region(slug="north"):
    return Region.objects.in_programme_scheme().get(slug=slug)


def trust(ods_code, name, slug):
    """The NHS trust with this ODS code as the test needs it named: the one the shipped ODS
    file loads into every test database, or a new one where the code is not a real one."""
    fields = {"name": name, "kind": Organisation.Kind.NHS_TRUST}
    organisation, _created = Organisation.objects.update_or_create(
        ods_code=ods_code, defaults=fields, create_defaults={**fields, "slug": slug}
    )
    return organisation
