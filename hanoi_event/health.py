"""Health and readiness for a load balancer and for monitoring.

* ``/health/live``: the process answers (no database, no Redis). For a
  restart policy: a web process that fails it is stuck.
* ``/health/ready``: this web process can serve: the database answers a
  query and the cache (Redis in production: sessions' rate limits, used TOTP
  codes) answers. 503 otherwise, with the failing check named. For the load
  balancer: a process that fails it gets no traffic. It also reports the
  background side (below) without failing on it: a stopped worker must not
  take the web servers out of rotation.
* ``/health/background``: the workers and beat. 503 when no worker has run
  the heartbeat task for ``HEALTH_WORKER_STALE_SECONDS``, or beat has not
  sent it for ``HEALTH_BEAT_STALE_SECONDS``. For monitoring and alerting.

The heartbeat: celery beat sends ``hanoi_event.heartbeat`` every
``HEARTBEAT_EVERY`` seconds (a schedule of this app's, in the schedules
registry); the worker that runs it writes the time and its own node name to
the cache, and whether beat sent it (django-celery-beat puts the schedule's
name in the message headers). A worker's run proves the broker, a worker
and beat are alive together. Beat's last run is also read from
django-celery-beat's ``last_run_at`` (written by beat itself, up to a few
minutes late), so beat is seen alive while every worker is down.

All answers are JSON with the checks' results and no secrets; a GET writes
nothing. This module is the bottom layer: it knows no domain app.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.checks import Error, Tags, Warning, register
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .background import BackgroundTask

logger = logging.getLogger(__name__)

HEARTBEAT_TASK = "hanoi_event.heartbeat"
HEARTBEAT_SCHEDULE = "Health: worker and beat heartbeat"
HEARTBEAT_EVERY = 30
HEARTBEAT_KEY = "hanoi_event:health:heartbeat"


@shared_task(base=BackgroundTask, name=HEARTBEAT_TASK)
def heartbeat(**kwargs) -> dict:
    """Periodic (celery beat): record that a worker ran this, which worker and
    when, and when beat last sent it. Idempotent: it overwrites one cache key.
    Takes no arguments (``**kwargs`` only so that older messages still run)."""
    request = heartbeat.request
    now = time.time()
    previous = cache.get(HEARTBEAT_KEY) or {}
    record = {
        "worker": request.hostname or "",
        "worker_at": now,
        "beat_at": previous.get("beat_at"),
    }
    # A worker flattens the message headers into the request; apply() keeps
    # them under "headers".
    headers = getattr(request, "headers", None) or {}
    if getattr(request, "periodic_task_name", None) or headers.get(
        "periodic_task_name"
    ):
        record["beat_at"] = now
    # Kept well past the staleness limits, so a stale beat is seen as stale,
    # not as "never ran".
    cache.set(HEARTBEAT_KEY, record, timeout=24 * 3600)
    return record


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is "not ready"
        logger.warning("readiness: database failed: %r", exc)
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _check_cache() -> dict:
    key = "hanoi_event:health:probe"
    try:
        cache.set(key, "1", timeout=30)
        ok = cache.get(key) == "1"
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: cache failed: %r", exc)
        return {"ok": False, "error": type(exc).__name__}
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {"ok": ok, "backend": backend}


def _check_broker() -> dict:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return {"ok": True, "broker": "none (tasks run in-process)"}
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: broker failed: %r", exc)
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def _beat_last_run_db() -> float | None:
    from django_celery_beat.models import PeriodicTask

    last = (
        PeriodicTask.objects.filter(task=HEARTBEAT_TASK)
        .values_list("last_run_at", flat=True)
        .first()
    )
    return last.timestamp() if last else None


def background_status() -> dict:
    """The workers' and beat's side: ages in seconds (None: never seen)."""
    if not getattr(settings, "CELERY_BROKER_URL", ""):
        return {"ok": True, "mode": "eager (no broker: no worker or beat to run)"}
    now = time.time()
    try:
        record = cache.get(HEARTBEAT_KEY) or {}
    except Exception:  # noqa: BLE001 - the cache check reports it
        record = {}
    try:
        beat_db = _beat_last_run_db()
    except Exception:  # noqa: BLE001 - the database check reports it
        beat_db = None
    beat_times = [t for t in (record.get("beat_at"), beat_db) if t]
    worker_age = now - record["worker_at"] if record.get("worker_at") else None
    beat_age = now - max(beat_times) if beat_times else None
    worker_limit = settings.HEALTH_WORKER_STALE_SECONDS
    beat_limit = settings.HEALTH_BEAT_STALE_SECONDS
    worker_ok = worker_age is not None and worker_age <= worker_limit
    beat_ok = beat_age is not None and beat_age <= beat_limit
    return {
        "ok": worker_ok and beat_ok,
        "worker": {
            "ok": worker_ok,
            "last_heartbeat_age_s": _round(worker_age),
            "node": record.get("worker", ""),
            "stale_after_s": worker_limit,
        },
        "beat": {
            "ok": beat_ok,
            "last_run_age_s": _round(beat_age),
            "stale_after_s": beat_limit,
        },
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _answer(body: dict, ok: bool) -> JsonResponse:
    body = {"status": "ok" if ok else "fail", **body}
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_safe
def live(request):
    return _answer({}, True)


@never_cache
@require_safe
def ready(request):
    checks = {
        "database": _check_database(),
        "cache": _check_cache(),
        "broker": _check_broker(),
    }
    ok = all(check["ok"] for check in checks.values())
    return _answer({"checks": checks, "background": background_status()}, ok)


@never_cache
@require_safe
def background(request):
    status = background_status()
    return _answer(status, status["ok"])


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """``check --deploy``: the cache must be shared by every web process (login
    rate limits and used TOTP codes live there), so not process memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [
            Warning(
                "The cache is private to each process: login rate limits and "
                "used TOTP codes would not be shared between web processes.",
                hint="Set CACHE_URL=redis://host:6379/1 (see docs/deploy.md).",
                id="hanoi_event.W001",
            )
        ]
    return []


@register(deploy=True)
def check_static_collected(app_configs, **kwargs):
    """``check --deploy``: with DEBUG off the pages take their static URLs
    from collectstatic's manifest; without it every page fails."""
    from django.contrib.staticfiles.storage import (
        ManifestFilesMixin,
        staticfiles_storage,
    )

    storage = (
        staticfiles_storage._wrapped
        if hasattr(staticfiles_storage, "_wrapped")
        else None
    )
    if storage is None or storage.__class__ is object:
        staticfiles_storage._setup()
        # A lazy object: isinstance sees the configured storage class.
    storage = staticfiles_storage
    if isinstance(storage, ManifestFilesMixin) and not storage.exists(
        storage.manifest_name
    ):
        return [
            Error(
                "The static files are not collected: with DJANGO_DEBUG=false "
                "every page fails until they are.",
                hint="Run manage.py collectstatic --noinput (a deploy step, "
                "docs/deploy.md).",
                id="hanoi_event.E001",
            )
        ]
    return []
