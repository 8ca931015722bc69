"""Report tasks: each takes ids and calls one service. The sweep is scheduled in
config/celery_app.py."""

from celery import shared_task

from portal.work import WorkTask
from reports import services


# A report may take minutes, on the queue for long work (config/settings.py), so it never
# holds up an email. The message is acknowledged only once it is made, and put back if the
# worker's process dies; the report's claim makes a second delivery harmless, and the sweep
# queues again what a dead worker left (portal/work.py). At its time limit it is failed.
@shared_task(
    base=WorkTask,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
    when_stopped="reports.services.report_stopped",
)
def make_report(report_id):
    return services.report_make(report_id=report_id)


# A few queries and the deletion of the files that expired since the last run, every 30
# seconds: two minutes is far more than it needs.
@shared_task(soft_time_limit=2 * 60, time_limit=2 * 60 + 30)
def sweep_reports():
    return services.reports_sweep()
