from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self):
        from fellows import backlinks as initiative
        from learning import selectors

        initiative.learning_linked.answer(selectors.learning_for_initiative)
