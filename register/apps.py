from django.apps import AppConfig


class RegisterConfig(AppConfig):
    """The register: safety recommendations and gaps with their responses, and the adoption
    and spread of initiatives and learning. It stands above fellows and learning, whose
    records it links."""

    name = "register"
    verbose_name = "Register of recommendations and spread"
