from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Quarterly reports for PSC boards, regions and the nation: the dashboard's figures and
    the records behind them, as files. It stands above the dashboards, whose figures it
    reuses."""

    name = "reports"
    verbose_name = "Quarterly reports"
