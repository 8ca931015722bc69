from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    """Curriculum entries, training delivered and support for staff affected by incidents,
    with the Patient Safety Syllabus coverage they add up to. It stands above the register,
    whose recommendations a curriculum entry or a session carries."""

    name = "curriculum"
    verbose_name = "Curriculum and training"

    def ready(self):
        from portal.counts import watch

        # The syllabus coverage counts published learning, curriculum and training.
        watch("learning", "curriculum")
