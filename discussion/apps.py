from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """Comments on learning items, who is told of them and how each person wants to be told.
    It stands above learning, whose item page it answers (learning/backlinks.py), and below
    digests, which carries the comments of those who want them in their digest."""

    name = "discussion"
    verbose_name = "Discussion on learning"

    def ready(self):
        from discussion import selectors
        from learning import backlinks as learning_item

        learning_item.discussion.answer(selectors.discussion_of)
        learning_item.commented_since.answer(selectors.learning_commented_since)
