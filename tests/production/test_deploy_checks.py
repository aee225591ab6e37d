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


def _check_deploy(tmp_path):
    static_root = tmp_path / "static"
    static_root.mkdir(exist_ok=True)
    (static_root / "staticfiles.json").write_text(
        json.dumps({"paths": {}, "version": "1.1", "hash": ""})
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(static_root),
    }
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


def test_check_deploy_fails_when_collectstatic_has_not_run(tmp_path, settings):
    from hanoi_event.health import check_static_collected

    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "hanoi_event.static_storage.StaticFilesStorage"},
    }
    # Changing STATIC_ROOT and STORAGES resets staticfiles_storage (Django's
    # setting_changed receivers).
    missing = check_static_collected(None)
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    collected = check_static_collected(None)

    assert [(m.id, m.level) for m in missing] == [("hanoi_event.E001", 40)]
    assert "Run manage.py collectstatic --noinput" in missing[0].hint
    assert collected == []


def test_check_deploy_warns_when_the_cache_is_private_to_a_process(settings):
    from hanoi_event.health import check_shared_cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    private = check_shared_cache(None)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    shared = check_shared_cache(None)

    assert [m.id for m in private] == ["hanoi_event.W001"]
    assert "CACHE_URL=redis://" in private[0].hint
    assert shared == []
