"""Fixtures that start real servers for integration tests (the servers
themselves are in tests/processes.py).

* ``redis_server``: a redis-server of its own (own port, no persistence) that
  a test can kill and start again on the same port (everything in it is lost,
  like a crash).
* ``smtp_sink``: an aiosmtpd SMTP server on loopback in a thread; it records
  every accepted message with its Message-ID (``per_message_id()``) and can be
  told to answer 4xx/5xx, to hold clients at RCPT, to call a function as it
  accepts a message, or be stopped and started again.
* ``celery_worker``: a real ``celery worker -P prefork -c 2`` process on the
  fixture's Redis, with the pytest-django test database; it can be killed
  with SIGKILL (the whole process group) and started again.
* ``broker``: points this test process's Celery app at the fixture's Redis
  (tasks no longer run eagerly) and restores it afterwards.
* ``celery_supervisor``: ``scripts/supervise.sh`` (a worker and beat, each
  started again when it exits, as ``scripts/run.sh`` runs them) on the same
  database, Redis and SMTP sink, not started yet.

Missing binaries make the tests fail, never skip.
"""

from __future__ import annotations

import contextlib
import os

import pytest

from tests import processes
from tests.processes import (
    CeleryBeat,
    CelerySupervisor,
    CeleryWorker,
    RedisServer,
    SmtpSink,
)


@contextlib.contextmanager
def _fail_when_not_started():
    """A server that cannot start (or a wait that times out) fails the test."""
    try:
        yield
    except (processes.ProcessError, TimeoutError) as exc:
        pytest.fail(str(exc))


def wait_for(predicate, timeout: float, interval: float = 0.05, message: str = ""):
    """Poll ``predicate`` until it returns a truthy value; fail after ``timeout``."""
    with _fail_when_not_started():
        return processes.wait_for(predicate, timeout, interval, message)


def _started(make):
    with _fail_when_not_started():
        server = make()
        server.start()
    return server


@pytest.fixture
def redis_server():
    server = _started(RedisServer)
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    sink = _started(SmtpSink)
    yield sink
    sink.stop()


def _test_database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("integration tests need PostgreSQL: run them with scripts/test.sh")
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or ""
    port = db.get("PORT") or ""
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{db['NAME']}?host={host}"
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


# Short times so that the tests run in seconds; the worker and this process
# must agree on them (the sweeper runs here, the deliveries there).
FAST_EMAIL_SETTINGS = {
    "EMAIL_TIMEOUT": "2",
    "EMAIL_SENDING_LEASE_SECONDS": "3",
    "EMAIL_REQUEUE_AFTER_SECONDS": "1",
    "EMAIL_RETRY_BACKOFF_SECONDS": "0.5",
    "EMAIL_RETRY_BACKOFF_MAX": "2",
    "EMAIL_MAX_ATTEMPTS": "30",
}


def reset_broker_pools(app) -> None:
    """Drop every broker connection pool, so the next publish (eager mode
    too acquires a producer) opens a fresh one on the current broker URL.
    kombu keeps pools in a global registry keyed by the URL: closing a pool
    without clearing the registry would leave a closed pool to be reused."""
    from kombu import pools

    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def broker(redis_server, settings):
    """This process sends tasks to the fixture's Redis instead of running
    them eagerly; the short email times match the worker's."""
    from hanoi_event.celery import app

    saved = {
        "task_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
    }
    settings.CELERY_BROKER_URL = redis_server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    for name, value in FAST_EMAIL_SETTINGS.items():
        setattr(settings, name, float(value) if "." in value else int(value))
    reset_broker_pools(app)
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_server.url
    yield redis_server
    reset_broker_pools(app)
    app.conf.update(saved)


@pytest.fixture
def celery_worker(broker, smtp_sink, transactional_db):
    worker = _started(
        lambda: CeleryWorker(
            database_url=_test_database_url(),
            broker_url=broker.url,
            extra_env={
                "EMAIL_URL": smtp_sink.email_url,
                "LOG_LEVEL": "WARNING",
                **FAST_EMAIL_SETTINGS,
            },
            name="test",
        )
    )
    yield worker
    worker.stop()
    # Shown by pytest when the test failed.
    print(f"--- worker log {worker.log_path} ---\n{worker.log()}")


@pytest.fixture
def celery_beat(celery_worker):
    """celery beat next to the worker; the test creates the schedules it
    needs first (the database is emptied between transactional tests)."""
    beat = CeleryBeat(celery_worker)
    yield beat
    beat.stop()
    print(f"--- beat log ---\n{beat.log()}")


@pytest.fixture
def celery_supervisor(broker, smtp_sink, transactional_db):
    """``scripts/supervise.sh`` with the worker's environment; the test starts
    it. Stopped (and anything left of it killed) afterwards."""
    supervisor = CelerySupervisor(
        env={
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker.url,
            "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
            "EMAIL_URL": smtp_sink.email_url,
            "LOG_LEVEL": "WARNING",
            "CELERY_LOG_LEVEL": "info",
            **FAST_EMAIL_SETTINGS,
        }
    )
    yield supervisor
    supervisor.stop()
    print(f"--- supervise.sh log {supervisor.log_path} ---\n{supervisor.log()[-8000:]}")
