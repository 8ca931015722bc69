import os

import pytest
import redis

from tests.conftest import require_service
from tests.processes import SETUP, run_python


def test_live_answers_without_signing_in(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_reports_the_database_when_redis_is_not_configured(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_ready_checks_a_configured_redis(client, settings):
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        up = redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        up = False
    require_service("Redis", up, f"nothing answers at {url}")
    settings.REDIS_URL = url
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_ready_answers_503_naming_redis_when_it_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]


@pytest.mark.slow
def test_ready_answers_503_naming_the_database_when_it_is_down():
    code = SETUP + (
        "from django.test import Client;"
        "r = Client().get('/health/ready', HTTP_HOST='127.0.0.1');"
        "print(r.status_code, r.json()['down'])"
    )
    result = run_python({"DATABASE_URL": "postgres://x@127.0.0.1:1/x"}, code)
    assert result.stdout.split() == ["503", "['database']"], result.stderr


def test_health_pages_refuse_anything_but_get(client):
    assert client.post("/health/live").status_code == 405
