"""Import tasks: each takes an id and calls one service. The sweep is scheduled in
config/celery_app.py."""

from celery import shared_task

from imports import services
from portal.work import WorkTask


# Checking and importing a large file take minutes, on the queue for long work
# (config/settings.py), so they never hold up an email; at the time limit the import is
# failed with a message (portal/work.py).
@shared_task(
    base=WorkTask,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
    when_stopped="imports.services.import_run_stopped",
)
def run_import(import_id):
    return services.import_run(import_id=import_id)


@shared_task(
    base=WorkTask,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
    when_stopped="imports.services.import_check_stopped",
)
def check_import(import_id):
    return services.import_check(import_id=import_id)


# A few queries and the deletion of the files that expired since the last run.
@shared_task(soft_time_limit=2 * 60, time_limit=2 * 60 + 30)
def sweep_imports():
    return services.imports_sweep()
