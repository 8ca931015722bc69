"""`make backup BACKUP_ARGS=--store` puts the dump and its checksum in the portal's bucket, and
`make restore FILE=store:...` fetches them back, checksum and all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_a_backup_is_put_in_the_bucket_and_fetched_back_from_it(s3_server, tmp_path, monkeypatch):
    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "backups are of PostgreSQL databases"
    )
    env = {**os.environ, **s3_server.environment(), "DATABASE_URL": database_url()}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "ops/backup.py", "backup", "--to", str(tmp_path), "--store"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    [dump] = tmp_path.glob("*.dump")
    key = f"backups/{dump.name}"
    assert sorted(s3_server.object_keys()) == [key, f"{key}.sha256"]
    assert s3_server.read(key) == dump.read_bytes()
    assert s3_server.read(f"{key}.sha256") == Path(f"{dump}.sha256").read_bytes()

    # Fetched back as `restore store:KEY` does, into a folder of its own.
    from ops import backup

    for name, value in s3_server.environment().items():
        monkeypatch.setenv(name, value)
    fetched = backup.from_store(key, tmp_path / "fetched")
    assert fetched.read_bytes() == dump.read_bytes()
    assert backup.sha256(fetched) == Path(f"{fetched}.sha256").read_text().split()[0]
