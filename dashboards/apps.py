from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Each person's home and the regional and national dashboards: counts of what every
    other app records, so it stands above them all."""

    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self):
        from portal.counts import watch

        # The dashboards count what these apps record, and read their own targets and rebases.
        watch("fellows", "learning", "register", "curriculum", "dashboards")
