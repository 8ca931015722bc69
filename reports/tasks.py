"""Report tasks: each takes ids and calls one service. The sweep is scheduled in
config/celery_app.py."""

from celery import shared_task

from reports import services


# A report may take minutes. The message is acknowledged only once it is made, and put back
# if the worker's process dies; the report's claim makes a second delivery harmless, and the
# sweep queues again what a dead worker left (portal/work.py).
@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=15 * 60, time_limit=16 * 60
)
def make_report(report_id):
    return services.report_make(report_id=report_id)


@shared_task
def sweep_reports():
    return services.reports_sweep()
