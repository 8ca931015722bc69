"""Logs: a JSON line per request with what an operator needs, text on a developer's machine.

That the request id reaches the logs of the tasks a request queued is shown by the production
rehearsal (`make prod-check`), where real workers log to their own output.
"""

import io
import json
import logging

import pytest

from config.env import settings_from_environment
from config.settings import BASE_DIR
from portal.structured_logs import formatter
from tests.project.test_settings import GOOD_PRODUCTION


@pytest.fixture
def json_lines():
    """What the root logger writes, drawn as production draws it, one parsed line each."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def finished_lines(lines):
    return [line for line in lines if line["event"] == "request_finished"]


@pytest.mark.django_db
def test_a_request_writes_one_json_line_with_its_id_user_path_status_and_duration(
    client, user, json_lines
):
    client.force_login(user)

    response = client.get("/regions/", HTTP_X_REQUEST_ID="rehearsal-abcdef12")

    [line] = finished_lines(json_lines())
    assert response.headers["X-Request-ID"] == "rehearsal-abcdef12"
    assert line["request_id"] == "rehearsal-abcdef12"
    assert line["user_id"] == user.pk
    assert line["path"] == "/regions/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], int | float)  # how long is for bench/, not tests
    assert line["level"] == "info"
    assert line["time"].endswith("Z")
    assert user.email not in json.dumps(line)


@pytest.mark.django_db
def test_a_request_without_an_id_gets_the_one_the_response_carries(client, json_lines):
    response = client.get("/health/live")

    [line] = finished_lines(json_lines())
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["user_id"] is None


@pytest.mark.django_db
def test_other_log_lines_of_the_request_carry_its_id(client, user, json_lines):
    client.post("/accounts/login/", {"login": user.email, "password": "not-it"})

    lines = json_lines()
    [finished] = finished_lines(lines)
    security = [line for line in lines if line["logger"] == "portal.security"]
    assert security
    assert {line["request_id"] for line in security} == {finished["request_id"]}


def test_production_logs_json_and_a_developer_machine_text():
    production = settings_from_environment(GOOD_PRODUCTION, BASE_DIR)
    local = settings_from_environment({}, BASE_DIR)

    assert production["LOG_FORMAT"] == "json"
    assert local["LOG_FORMAT"] == "text"


def test_a_log_format_that_is_neither_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        settings_from_environment({"LOG_FORMAT": "xml"}, BASE_DIR)
