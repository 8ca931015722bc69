from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    """Curriculum entries, training delivered and support for staff affected by incidents,
    with the Patient Safety Syllabus coverage they add up to. It stands above the register,
    whose recommendations a curriculum entry or a session carries."""

    name = "curriculum"
    verbose_name = "Curriculum and training"

    def ready(self):
        from curriculum import selectors
        from learning import backlinks as learning_item
        from portal.counts import watch
        from register import backlinks as recommendation

        recommendation.carried_by.answer(selectors.carried_by)
        recommendation.carrying_any.answer(selectors.carrying_any)
        learning_item.cited_since.answer(selectors.learning_cited_since)

        # The syllabus coverage counts published learning, curriculum and training.
        watch("learning", "curriculum")
