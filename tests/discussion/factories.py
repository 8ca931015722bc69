"""Factories for comments."""

import factory

from discussion.models import Comment
from tests.accounts.factories import UserFactory
from tests.learning.factories import LearningItemFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    item = factory.SubFactory(LearningItemFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"We tried this on our ward too, week {n}.")
