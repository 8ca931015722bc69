"""Backups of the portal's PostgreSQL database, and restoring one.

    python ops/backup.py backup [--to DIR] [--store]  # DATABASE_URL -> DIR/portal-<UTC time>.dump
    python ops/backup.py restore FILE --database NAME  # asks to confirm; --yes does not ask
    python ops/backup.py restore store:backups/NAME.dump --database NAME  # from the bucket

With --store the dump and its checksum are also put in the portal's bucket under backups/
(AWS_STORAGE_BUCKET_NAME and the other AWS_* variables, as the portal reads them), so a
backup outlives the machine that made it; `store:KEY` restores one from there.
    python ops/backup.py drill                         # CI: back up, restore, compare

A backup is `pg_dump --format=custom` (compressed) with a `.sha256` file beside it; restore
checks the checksum first and restores into the named database, made if missing, replacing
what is in it. The drill fills a scratch database with the demo and some edits, backs it up,
restores it into a fresh database, and compares every table's row count and a checksum of
the key tables' rows.
"""

import argparse
import datetime
import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
KEY_TABLES = [
    "accounts_user",
    "accounts_roleassignment",
    "learning_learningitem",
    "learning_investigation",
    "register_recommendation",
    "regions_region",
]


def connection(url):
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("Backups are of PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    env = {**os.environ}
    if parts.password:
        env["PGPASSWORD"] = parts.password
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    args += ["-U", parts.username or "postgres"]
    return args, env, parts.path.lstrip("/")


def with_database(url, name):
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(url, folder):
    args, env, database = connection(url)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{database}-{stamp}.dump"
    command = ["pg_dump", *args, "--format=custom", "--compress=6", "--no-owner"]
    subprocess.run([*command, "--file", str(path), database], check=True, env=env)  # noqa: S603
    Path(f"{path}.sha256").write_text(f"{sha256(path)}  {path.name}\n")
    print(f"Backed up {database} to {path} (sha256 in {path.name}.sha256)")
    return path


def bucket_client():
    """The portal's bucket and a boto3 client for it, from the variables the portal reads."""
    import boto3

    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        sys.exit("Set AWS_STORAGE_BUCKET_NAME (and the other AWS_* variables) to use the store.")
    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
    )
    return bucket, client


def to_store(path):
    """Put the dump and its checksum in the bucket under backups/; returns the dump's key."""
    bucket, client = bucket_client()
    for file in (path, Path(f"{path}.sha256")):
        client.upload_file(str(file), bucket, f"backups/{file.name}")
    print(f"Stored in bucket {bucket} as backups/{path.name} (and its .sha256)")
    return f"backups/{path.name}"


def from_store(key, folder):
    """Fetch a backup and its checksum from the bucket into `folder`; returns the dump's path."""
    bucket, client = bucket_client()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(key).name
    for suffix in ("", ".sha256"):
        client.download_file(bucket, f"{key}{suffix}", f"{path}{suffix}")
    return path


def psql(url, sql, database="postgres"):
    args, env, _ = connection(url)
    command = ["psql", *args, "-d", database, "-qAtX", "-c", sql]
    result = subprocess.run(command, check=True, env=env, capture_output=True, text=True)  # noqa: S603
    return result.stdout.strip()


def restore(url, path, database, confirmed):
    path = Path(path)
    expected = Path(f"{path}.sha256")
    if not expected.exists():
        sys.exit(f"No checksum file {expected}: refusing to restore an unchecked backup.")
    if expected.read_text().split()[0] != sha256(path):
        sys.exit(f"{path} does not match its checksum: it is damaged or not the backup made.")
    if not confirmed:
        answer = input(
            f"Replace everything in database {database!r} with {path.name}? Type its name: "
        )
        if answer.strip() != database:
            sys.exit("Not confirmed: nothing restored.")
    exists = psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{database}'")  # noqa: S608
    if not exists:
        psql(url, f'CREATE DATABASE "{database}"')
    args, env, _ = connection(url)
    command = ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
    subprocess.run([*command, "-d", database, str(path)], check=True, env=env)  # noqa: S603
    print(f"Restored {path.name} into {database}")


def tables(url, database):
    sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    return psql(url, sql, database).splitlines()


def row_counts(url, database):
    # Table names come from pg_tables, not from anyone's input.
    count = 'SELECT count(*) FROM "{}"'
    return {t: int(psql(url, count.format(t), database)) for t in tables(url, database)}


def table_checksum(url, database, table):
    sql = f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM \"{table}\" t"  # noqa: S608
    return psql(url, sql, database)


def manage(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "", "MFA_REQUIRED": "false"}
    env.pop("PORTAL_ENV", None)
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, check=True, cwd=ROOT, env=env, capture_output=True)  # noqa: S603


def drill(url):
    """Demo data and edits in a scratch database, backed up, restored into another, compared."""
    suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
    source, target = f"portal_drill_{suffix}", f"portal_drill_{suffix}_restored"
    folder = ROOT / "var" / "backups" / f"drill-{suffix}"
    source_url = with_database(url, source)
    try:
        psql(url, f'CREATE DATABASE "{source}"')
        print(f"Drill: migrating and seeding the demo into {source}")
        manage(source_url, "migrate", "--no-input")
        manage(source_url, "load_reference_data")
        manage(source_url, "seed_demo")
        manage(source_url, "backup_drill_edits")
        path = backup(source_url, folder)
        restore(url, path, target, confirmed=True)
        before, after = row_counts(url, source), row_counts(url, target)
        if before != after:
            differ = {
                t: (before.get(t), after.get(t))
                for t in set(before) | set(after)
                if before.get(t) != after.get(t)
            }
            sys.exit(f"Drill FAILED: row counts differ: {differ}")
        for table in KEY_TABLES:
            a, b = table_checksum(url, source, table), table_checksum(url, target, table)
            if a != b:
                sys.exit(f"Drill FAILED: {table} differs after the restore ({a} != {b})")
        print(
            f"Drill passed: {len(before)} tables, {sum(before.values())} rows, the same row "
            f"counts after the restore; checksums equal for {', '.join(KEY_TABLES)}"
        )
    finally:
        for database in (source, target):
            psql(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for file in folder.glob("*"):
            file.unlink()
        if folder.exists():
            folder.rmdir()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup")
    b.add_argument("--to", default=str(ROOT / "var" / "backups"))
    b.add_argument("--store", action="store_true", help="also put it in the portal's bucket")
    r = sub.add_parser("restore")
    r.add_argument("file")
    r.add_argument("--database", required=True)
    r.add_argument("--yes", action="store_true", help="do not ask to confirm")
    sub.add_parser("drill")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("Set DATABASE_URL to the postgres:// database to back up or restore into.")
    if options.command == "backup":
        path = backup(url, Path(options.to))
        if options.store:
            to_store(path)
    elif options.command == "restore":
        file = options.file
        if file.startswith("store:"):
            file = str(from_store(file.removeprefix("store:"), ROOT / "var" / "backups"))
        restore(url, file, options.database, options.yes)
    else:
        drill(url)


if __name__ == "__main__":
    main()
