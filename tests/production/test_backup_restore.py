"""deploy/backup.sh and deploy/restore.sh against throwaway PostgreSQL
servers: a backup of a database and its private media, restored into a new,
empty database and media folder, gives the same rows and files; a damaged
backup is refused before anything is touched."""

import os
import subprocess

import pytest

from tests.processes import ROOT, PostgresServer

pytestmark = pytest.mark.integration


def _psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-At", "-d", url, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def two_databases():
    servers = [PostgresServer(prefix="hanoi-backup-pg."), PostgresServer()]
    try:
        for server in servers:
            server.start()
        yield [server.url for server in servers]
    finally:
        for server in servers:
            server.stop()


def test_a_backup_restores_into_an_empty_database_and_media_folder(
    two_databases, tmp_path
):
    source, target = two_databases
    media = tmp_path / "media"
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "p1.jpg").write_bytes(b"\xff\xd8 not really a photo")
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "PG_BIN": "/usr/lib/postgresql/15/bin",
    }
    migrate = {**env, "DATABASE_URL": source, "MEDIA_ROOT": str(media)}
    subprocess.run(
        [".venv/bin/python", "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=migrate,
        check=True,
    )
    _psql(source, "INSERT INTO auth_group (name) VALUES ('restore check')")

    backup = subprocess.run(
        ["bash", "deploy/backup.sh"],
        cwd=ROOT,
        env=migrate,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    restored_media = tmp_path / "restored-media"
    restore_env = {**env, "DATABASE_URL": target, "MEDIA_ROOT": str(restored_media)}
    restored = subprocess.run(
        ["bash", "deploy/restore.sh", backup],
        cwd=ROOT,
        env=restore_env,
        capture_output=True,
        text=True,
    )
    with open(os.path.join(backup, "db.dump"), "ab") as dump:
        dump.write(b"damage")
    refused = subprocess.run(
        ["bash", "deploy/restore.sh", backup],
        cwd=ROOT,
        env=restore_env,
        capture_output=True,
        text=True,
    )

    assert sorted(os.listdir(backup)) == ["SHA256SUMS", "db.dump", "media.tar.gz"]
    assert restored.returncode == 0, restored.stderr
    assert _psql(target, "SELECT name FROM auth_group") == "restore check"
    assert _psql(target, "SELECT count(*) FROM django_migrations") == _psql(
        source, "SELECT count(*) FROM django_migrations"
    )
    assert (restored_media / "photos" / "p1.jpg").read_bytes() == (
        b"\xff\xd8 not really a photo"
    )
    assert refused.returncode == 1
    assert "fails its checksums; nothing restored" in refused.stderr
