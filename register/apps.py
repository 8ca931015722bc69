from django.apps import AppConfig


class RegisterConfig(AppConfig):
    """The register: safety recommendations and gaps with their responses, and the adoption
    and spread of initiatives and learning. It stands above fellows and learning, whose
    records it links."""

    name = "register"
    verbose_name = "Register of recommendations and spread"

    def ready(self):
        from fellows import backlinks as initiative
        from learning import backlinks as learning_item
        from register import selectors

        for page in (initiative, learning_item):
            page.recommendations_answered.answer(selectors.recommendations_answered_by)
            page.spread.answer(selectors.spread_of)
        learning_item.gap_recommendations.answer(selectors.gap_recommendations_of)
        learning_item.adopted_since.answer(selectors.learning_adopted_since)
