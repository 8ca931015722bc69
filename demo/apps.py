from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo that `make run` seeds: accounts for every role and sample work in every
    region. It stands above every other app and nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
