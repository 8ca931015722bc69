from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search over every kind of record, so it stands above all the apps it searches."""

    name = "search"
    verbose_name = "Search"
