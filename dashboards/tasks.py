"""The dashboards' task, scheduled in config/celery_app.py."""

from celery import shared_task

from dashboards import selectors


# Nothing is lost when a run is: whatever is not kept yet is counted and kept by the next run,
# or by the first page that needs it, so the task needs no record of its own (portal/work.py).
# Seconds of counting, once a night; at most a few minutes at national scale.
@shared_task(ignore_result=True, soft_time_limit=4 * 60, time_limit=5 * 60)
def keep_closed_periods():
    selectors.keep_closed_periods()
