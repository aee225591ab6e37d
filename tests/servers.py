"""Fixtures that start real servers for integration tests.

* ``redis_server``: a redis-server of its own (own port, no persistence) that
  a test can restart (everything in it is lost, like a crash).
* ``smtp_sink``: an aiosmtpd SMTP server on loopback in a thread; it records
  every accepted message and can be told to answer 4xx/5xx, to hold clients at
  RCPT, or be stopped and started again.
* ``celery_worker``: a real ``celery worker -P prefork -c 2`` process on the
  fixture's Redis, with the pytest-django test database; it can be killed
  with SIGKILL (the whole process group) and started again.
* ``broker``: points this test process's Celery app at the fixture's Redis
  (tasks no longer run eagerly) and restores it afterwards.

Missing binaries make the tests fail, never skip.
"""

from __future__ import annotations

import asyncio
import collections
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.05, message: str = ""):
    """Poll ``predicate`` until it returns a truthy value; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(
                f"timed out after {timeout}s waiting for {message or predicate}"
            )
        time.sleep(interval)


# ---------------------------------------------------------------- Redis


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 10, message="redis-server to answer")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self) -> None:
        """Kill and start again: everything in Redis (the broker queue and
        unacknowledged messages) is gone."""
        self.stop()
        self.start()


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


# ---------------------------------------------------------------- SMTP


class SinkHandler:
    """aiosmtpd handler: records messages; answers as the sink is told."""

    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.sink.lock:
            self.sink.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        sink = self.sink
        if sink.hold_rcpt:
            with sink.lock:
                sink.held += 1
            try:
                while sink.hold_rcpt:
                    await asyncio.sleep(0.01)
            finally:
                with sink.lock:
                    sink.held -= 1
        if sink.rcpt_reply:
            return sink.rcpt_reply
        if address in sink.reject:
            return sink.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        if sink.data_reply:
            return sink.data_reply
        message = message_from_bytes(envelope.content)
        with sink.lock:
            for rcpt in envelope.rcpt_tos:
                sink.messages.append(
                    {
                        "to": rcpt,
                        "subject": str(message["Subject"]),
                        "message_id": str(message["Message-ID"]),
                    }
                )
        return "250 Message accepted"


class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.reject: dict[str, str] = {}  # address -> reply, e.g. "550 5.1.1 ..."
        self.rcpt_reply = ""  # answer every RCPT with this (e.g. "451 ...")
        self.data_reply = ""  # answer every DATA with this
        self.hold_rcpt = False
        self.held = 0
        self.sessions = 0  # SMTP sessions opened (EHLO received)
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(
            SinkHandler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.hold_rcpt = False
            self.controller.stop()
            self.controller = None

    @property
    def email_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def per_message_id(self) -> collections.Counter:
        with self.lock:
            return collections.Counter(m["message_id"] for m in self.messages)


@pytest.fixture
def smtp_sink():
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        pytest.fail("aiosmtpd is not installed (pip install -r requirements.txt)")
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


# ---------------------------------------------------------------- Celery


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


class CeleryWorker:
    """``celery -A hanoi_event worker -P prefork -c 2`` as a separate process
    group; ``pid`` is the worker's own PID (no shell in between)."""

    def __init__(self, broker_url: str, email_url: str, extra_env: dict | None = None):
        binary = ROOT / ".venv" / "bin" / "celery"
        if not binary.exists():
            found = shutil.which("celery")
            if found is None:
                pytest.fail("the celery command is not installed")
            binary = Path(found)
        self.binary = str(binary)
        self.env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": email_url,
            "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
            "LOG_LEVEL": "WARNING",
            **FAST_EMAIL_SETTINGS,
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.log_dir = Path(tempfile.mkdtemp(prefix="hanoi-worker-"))
        self.starts = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        log = open(self.log_path, "wb")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            [
                self.binary,
                "-A",
                "hanoi_event",
                "worker",
                "-P",
                "prefork",
                "-c",
                "2",
                "-l",
                "info",
                "-n",
                f"test{self.starts}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(self._ready, 30, 0.1, "the Celery worker to be ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the Celery worker exited:\n{self.log()}")
        return b" ready." in self.log_path.read_bytes()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes (a crash: no cleanup,
        no acknowledgements, no requeue)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        # Pool processes left behind (if any) go too.
        if self.process:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class CeleryBeat:
    """``celery -A hanoi_event beat`` with the database scheduler, as its own
    process group, with the same environment as the worker."""

    def __init__(self, worker: CeleryWorker):
        self.env = worker.env
        self.binary = worker.binary
        self.log_path = worker.log_dir / "beat.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "wb")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            [
                self.binary,
                "-A",
                "hanoi_event",
                "beat",
                "-l",
                "info",
                "--max-interval",
                "1",
                "-s",
                str(self.log_path.with_suffix(".schedule")),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def _reset_broker_pools(app) -> None:
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
    _reset_broker_pools(app)
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_server.url
    yield redis_server
    _reset_broker_pools(app)
    app.conf.update(saved)


@pytest.fixture
def celery_worker(broker, smtp_sink, transactional_db):
    worker = CeleryWorker(broker.url, smtp_sink.email_url)
    worker.start()
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
