"""``manage.py check --deploy --fail-level WARNING`` is clean with the
production settings (DJANGO_DEBUG=false and the variables of
deploy/env.example), and says what is missing when a deploy step or a shared
cache is."""

import json
import os
import subprocess
import sys

from tests.processes import ROOT

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8#uT1vX5@pL3!mN7$wR9^bY2&cF4*hJ6(dS0)",
    "ALLOWED_HOSTS": "event.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://event.example.org",
    "SITE_URL": "https://event.example.org",
    # check does not connect to these.
    "DATABASE_URL": "postgres://hanoi@127.0.0.1:5432/hanoi",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://user:secret@127.0.0.1:587",
}


def _check_deploy(tmp_path, *, collected=True, **overrides):
    static_root = tmp_path / "static"
    static_root.mkdir(exist_ok=True)
    if collected:
        (static_root / "staticfiles.json").write_text(
            json.dumps({"paths": {}, "version": "1.1", "hash": ""})
        )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(static_root),
        **overrides,
    }
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = _check_deploy(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_fails_when_collectstatic_has_not_run(tmp_path):
    result = _check_deploy(tmp_path, collected=False)

    assert result.returncode == 1
    assert "hanoi_event.E001" in result.stderr
    assert "Run manage.py collectstatic --noinput" in result.stderr


def test_check_deploy_warns_when_the_cache_is_private_to_a_process(tmp_path):
    result = _check_deploy(tmp_path, CACHE_URL="locmemcache://")

    assert result.returncode == 1
    assert "hanoi_event.W001" in result.stderr
    assert "CACHE_URL=redis://" in result.stderr
