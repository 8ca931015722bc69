"""Long work (reports, imports) has a queue and workers of its own, so it never holds up an
email; every task has a soft and a hard time limit, and long work names the service that
marks its record failed when its task is killed at the limit."""

import pytest
from django.utils.module_loading import import_string

from config.celery_app import app

LONG = {"reports.tasks.make_report", "imports.tasks.check_import", "imports.tasks.run_import"}


def portal_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def queue_of(name):
    return app.amqp.router.route({}, name)["queue"].name


def test_there_are_tasks_to_route():
    assert set(portal_tasks()) > LONG
    assert len(portal_tasks()) >= 12


@pytest.mark.parametrize("name", sorted(LONG))
def test_long_work_goes_to_the_long_queue(name):
    assert queue_of(name) == "long"


def test_every_other_task_goes_to_the_default_queue():
    others = set(portal_tasks()) - LONG

    assert {name: queue_of(name) for name in others} == dict.fromkeys(others, "celery")


def test_every_task_has_a_soft_limit_below_its_hard_limit():
    for name, task in portal_tasks().items():
        assert task.soft_time_limit and task.time_limit, name
        assert task.soft_time_limit < task.time_limit, name


def test_long_work_has_minutes_and_the_rest_at_most_five():
    for name, task in portal_tasks().items():
        if name in LONG:
            assert task.time_limit >= 10 * 60, name
        else:
            assert task.time_limit <= 5 * 60, name


@pytest.mark.parametrize("name", sorted(LONG))
def test_long_work_names_a_service_that_fails_it_at_the_hard_limit(name):
    task = portal_tasks()[name]

    assert callable(import_string(task.when_stopped))
    assert task.acks_late and task.reject_on_worker_lost
