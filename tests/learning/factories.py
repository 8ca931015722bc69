"""Factories for investigations and learning items, one at a time or published in bulk."""

import factory
from django.utils import timezone

from accounts.models import User
from learning.models import Investigation, LearningItem
from regions.models import Organisation
from tests.accounts.factories import UserFactory
from tests.regions.factories import programme_region


class InvestigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investigation

    source = Investigation.Source.HSSIB
    title = factory.Sequence(lambda n: f"National investigation report {n}")
    organisation = factory.LazyFunction(lambda: Organisation.objects.get(slug="hssib"))
    report_url = factory.Sequence(lambda n: f"https://www.hssib.org.uk/reports/{n}/")
    summary = "Findings and safety recommendations on recognising deterioration."
    region = factory.LazyFunction(programme_region)
    created_by = factory.SubFactory(UserFactory)


class LearningItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningItem
        skip_postgeneration_save = True

    kind = LearningItem.Kind.BEST_PRACTICE
    title = factory.Sequence(lambda n: f"Learning item {n}")
    summary = "A structured huddle after incidents helped staff recover and learn."
    body = "## What we did\n\nA short huddle within a day of the incident."
    region = factory.LazyFunction(programme_region)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def authors(item, create, extracted, **kwargs):
        if create:
            item.authors.set(extracted or [item.created_by])


def published_items(count, title="Falls prevention", region="north"):
    """`count` published items, written at once (the search trigger still fills each vector)."""
    author = User.objects.create(email=f"author.{count}.{region}@example.org")
    now = timezone.now()
    LearningItem.objects.bulk_create(
        LearningItem(
            kind=LearningItem.Kind.BEST_PRACTICE,
            title=f"{title} {number}",
            summary="What the ward changed.",
            body="A longer account of what the ward changed.",
            region=programme_region(region),
            created_by=author,
            status=LearningItem.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=number),
        )
        for number in range(count)
    )
