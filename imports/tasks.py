"""Import tasks: each takes an id and calls one service. The sweep is scheduled in
config/celery_app.py."""

from celery import shared_task

from imports import services


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=15 * 60, time_limit=16 * 60
)
def run_import(import_id):
    return services.import_run(import_id=import_id)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=15 * 60, time_limit=16 * 60
)
def check_import(import_id):
    return services.import_check(import_id=import_id)


@shared_task
def sweep_imports():
    return services.imports_sweep()
