from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Bringing the programme's records in from spreadsheets, checked by the same forms as
    typing. It stands at the top, beside the reports: it writes through the other apps'
    forms and services and nothing imports it."""

    name = "imports"
    verbose_name = "Imports"

    def ready(self):
        from imports import history

        history.connect()
