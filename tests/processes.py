"""Real servers and processes on loopback, for the integration tests
(tests/servers.py wraps them in pytest fixtures) and the bench scripts
(bench/_servers.py stops them when the script exits). No pytest here.

* ``PostgresServer``: a throwaway PostgreSQL (socket only, no fsync), started
  as the postgres user when we are root, the way scripts/lib.sh does.
* ``RedisServer``: a redis-server of its own (own port, no persistence) that
  can be killed (SIGKILL: everything in it is lost, like a crash) and started
  again on the same port.
* ``SmtpSink``: an aiosmtpd SMTP server in a thread of this process; it
  records every accepted message (recipient, Message-ID, the time it was
  accepted) and can be told to answer 4xx/5xx, to hold clients at RCPT, to
  call a function as it accepts a message (a fault injected at that moment),
  or be stopped and started again. ``SmtpSinkProcess`` runs one in a process
  of its own (so that it does not share a GIL with the client being
  measured).
* ``CeleryWorker``: ``celery -A hanoi_event worker -P prefork`` as its own
  process group; it can be killed with SIGKILL and started again.
* ``CeleryBeat``: ``celery -A hanoi_event beat`` next to a worker.
* ``CelerySupervisor``: ``scripts/supervise.sh`` (what ``scripts/run.sh``
  runs: a worker and beat, each started again when it exits).

A server that cannot start raises ``ProcessError``; ``wait_for`` raises
``TimeoutError``. Both carry a message that says what went wrong.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class ProcessError(RuntimeError):
    """A server or process could not be found or started."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.05, message: str = ""):
    """Poll ``predicate`` until it returns a truthy value and return that;
    raise TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"timed out after {timeout}s waiting for {message or predicate}"
            )
        time.sleep(interval)


def _stop_group(process: subprocess.Popen | None, timeout: float = 10) -> None:
    """SIGTERM a process group started with start_new_session; SIGKILL it if
    it is still there after ``timeout`` seconds."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)


# ---------------------------------------------------------------- PostgreSQL


def _as_postgres_owner(command: str) -> None:
    """Run a PostgreSQL shell command as the postgres user when we are root
    (initdb refuses root)."""
    if os.geteuid() == 0:
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True)
    else:
        subprocess.run(["sh", "-c", command], check=True)


class PostgresServer:
    """A throwaway PostgreSQL 15 server in a new folder, reached through its
    socket only; ``url`` is the DATABASE_URL of its database ``hanoi``."""

    def __init__(self, prefix: str = "hanoi-pg."):
        if not (PG_BIN / "initdb").exists():
            raise ProcessError(
                f"PostgreSQL 15 not found in {PG_BIN} (apt-get install postgresql-15)"
            )
        self.prefix = prefix
        self.folder: Path | None = None
        self.url = ""

    def start(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix=self.prefix))
        folder.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        self.folder = folder
        data = folder / "data"
        opts = (
            f"-c listen_addresses='' -k {folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _as_postgres_owner(
            f"{PG_BIN / 'initdb'} -D {data} -U postgres --auth=trust -E UTF8 "
            f"--locale=C.UTF-8 >{folder}/initdb.log 2>&1"
        )
        _as_postgres_owner(
            f'{PG_BIN / "pg_ctl"} -D {data} -l {folder}/server.log -w -o "{opts}" '
            "start >/dev/null"
        )
        _as_postgres_owner(f"{PG_BIN / 'createdb'} -h {folder} -U postgres hanoi")
        self.url = f"postgres://postgres@/hanoi?host={folder}"

    def stop(self) -> None:
        if self.folder is None:
            return
        _as_postgres_owner(
            f"{PG_BIN / 'pg_ctl'} -D {self.folder / 'data'} -m immediate stop "
            ">/dev/null 2>&1 || true"
        )
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None


# ---------------------------------------------------------------- Redis


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise ProcessError(
                "redis-server is not installed (apt-get install redis-server)"
            )
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
        """SIGKILL (a crash: no save, clients see their connections reset);
        ``start()`` brings a new, empty server up on the same port."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    kill = stop

    def restart(self) -> None:
        """Kill and start again: everything in Redis (the broker queue and
        unacknowledged messages) is gone."""
        self.stop()
        self.start()

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)

    def broker_state(self, queue: str = "celery") -> tuple[int, set[bytes]]:
        """(messages waiting in ``queue``, delivery tags of the messages handed
        to a consumer and not acknowledged yet): kombu's Redis transport keeps
        the latter in the ``unacked`` hash until the task's (late)
        acknowledgement, or until its visibility timeout if the consumer died."""
        client = self.client()
        try:
            return client.llen(queue), set(client.hkeys("unacked"))
        finally:
            client.close()


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
        accepted_at = time.time()
        with sink.lock:
            # Parsed when asked for (``messages``): receiving stays cheap.
            sink.received.extend(
                (rcpt, envelope.content, accepted_at) for rcpt in envelope.rcpt_tos
            )
            number = len(sink.received)
        if sink.on_accept is not None:
            # Runs before the client reads "250": whatever it does (kill the
            # worker, kill Redis) happens with the message accepted here and
            # not yet known as accepted by the sender.
            sink.on_accept(number, envelope.content)
        return "250 Message accepted"


class SmtpSink:
    """Records every message it accepts, once per recipient: ``messages``
    (recipient, subject, Message-ID, accepted_at as ``time.time()``),
    ``per_message_id()`` (copies of each Message-ID), ``count()``.

    ``on_accept(number, content)``, when set, is called in the server's
    thread as the ``number``-th message (1-based) is accepted, before the
    client gets the "250" answer."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.lock = threading.Lock()
        # (recipient, message, accepted at)
        self.received: list[tuple[str, bytes, float]] = []
        self.on_accept = None
        self.reject: dict[str, str] = {}  # address -> reply, e.g. "550 5.1.1 ..."
        self.rcpt_reply = ""  # answer every RCPT with this (e.g. "451 ...")
        self.data_reply = ""  # answer every DATA with this
        self.hold_rcpt = False
        self.held = 0
        self.sessions = 0  # SMTP sessions opened (EHLO received)
        self.controller = None

    def start(self) -> None:
        try:
            from aiosmtpd.controller import Controller
        except ImportError as exc:
            raise ProcessError(
                "aiosmtpd is not installed (pip install -r requirements.txt)"
            ) from exc

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

    @property
    def messages(self) -> list[dict]:
        """Every message accepted, once per recipient, in order."""
        with self.lock:
            received = list(self.received)
        parse = BytesHeaderParser().parsebytes
        messages = []
        for rcpt, content, accepted_at in received:
            headers = parse(content)
            messages.append(
                {
                    "to": rcpt,
                    "subject": str(headers["Subject"]),
                    "message_id": str(headers["Message-ID"]),
                    "accepted_at": accepted_at,
                }
            )
        return messages

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def per_message_id(self) -> collections.Counter:
        return collections.Counter(m["message_id"] for m in self.messages)


def message_id_of(content: bytes) -> str:
    return str(BytesHeaderParser().parsebytes(content)["Message-ID"])


def serve_smtp_sink(port: int) -> None:
    """An SmtpSink in this process, answering on stdin/stdout: prints "ready",
    then the count for every "count" line and the copies of each Message-ID
    (one JSON object) for every "ids" line; stops at the end of stdin."""
    sink = SmtpSink(port)
    sink.start()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "count":
            print(sink.count(), flush=True)
        elif line.strip() == "ids":
            print(json.dumps(sink.per_message_id()), flush=True)
    sink.stop()


class SmtpSinkProcess:
    """An SmtpSink in a process of its own; ``count()`` asks it how many
    messages it accepted."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def email_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from tests.processes import serve_smtp_sink; "
                "serve_smtp_sink(int(sys.argv[1]))",
                str(self.port),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise ProcessError("the SMTP sink did not start")

    def count(self) -> int:
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def per_message_id(self) -> collections.Counter:
        self.process.stdin.write("ids\n")
        self.process.stdin.flush()
        return collections.Counter(json.loads(self.process.stdout.readline()))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(10)


# ---------------------------------------------------------------- Celery


def _celery_binary() -> str:
    binary = VENV_BIN / "celery"
    if binary.exists():
        return str(binary)
    found = shutil.which("celery")
    if found is None:
        raise ProcessError("the celery command is not installed")
    return found


class _CeleryProcess:
    """A ``celery -A hanoi_event ...`` command as its own process group (no
    shell in between: ``pid`` is celery's own PID), logging to a file."""

    def __init__(self, env: dict, log_dir: Path, binary: str | None = None):
        self.binary = binary or _celery_binary()
        self.env = env
        self.log_dir = log_dir
        self.log_path = log_dir / "celery.log"
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def _spawn(self, args: list[str]) -> None:
        log = open(self.log_path, "wb")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            [self.binary, "-A", "hanoi_event", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def log(self, tail: int | None = 5000) -> str:
        text = self.log_path.read_text(errors="replace")
        return text if tail is None else text[-tail:]

    def stop(self) -> None:
        _stop_group(self.process)


class CeleryWorker(_CeleryProcess):
    """``celery -A hanoi_event worker -P prefork -c <concurrency>`` on the
    database and broker given; ``extra_env`` adds to (or overrides) the
    environment. Each start logs to a new file in ``log_dir`` and has its
    own node name (``<name><n>@host``)."""

    def __init__(
        self,
        *,
        database_url: str,
        broker_url: str,
        extra_env: dict | None = None,
        concurrency: int = 2,
        name: str = "worker",
    ):
        super().__init__(
            env={
                **os.environ,
                "DATABASE_URL": database_url,
                "CELERY_BROKER_URL": broker_url,
                "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
                **(extra_env or {}),
            },
            log_dir=Path(tempfile.mkdtemp(prefix="hanoi-worker-")),
        )
        self.concurrency = concurrency
        self.name = name
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        self._spawn(
            [
                "worker",
                "-P",
                "prefork",
                "-c",
                str(self.concurrency),
                "-l",
                "info",
                "-n",
                f"{self.name}{self.starts}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        )
        wait_for(self._ready, 30, 0.1, "the Celery worker to be ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise ProcessError(f"the Celery worker exited:\n{self.log()}")
        return b" ready." in self.log_path.read_bytes()

    def kill(self, *, wait: bool = True) -> None:
        """SIGKILL the worker and its pool processes (a crash: no cleanup,
        no acknowledgements, no requeue). ``wait=False`` does not reap it
        (for a caller that must not block, such as the SMTP sink's thread)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            if wait:
                self.process.wait(10)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        super().stop()
        # Pool processes left behind (if any) go too.
        if self.process:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class CeleryBeat(_CeleryProcess):
    """``celery -A hanoi_event beat`` with the database scheduler, as its own
    process group, with the same environment as the worker."""

    def __init__(self, worker: CeleryWorker):
        super().__init__(env=worker.env, log_dir=worker.log_dir, binary=worker.binary)
        self.log_path = self.log_dir / "beat.log"

    def start(self) -> None:
        self._spawn(
            [
                "beat",
                "-l",
                "info",
                "--max-interval",
                "1",
                "-s",
                str(self.log_path.with_suffix(".schedule")),
            ]
        )


class CelerySupervisor:
    """``bash scripts/supervise.sh``, what ``scripts/run.sh`` starts when
    ``CELERY_BROKER_URL`` is set: a Celery worker and celery beat, each
    started again when it exits. Runs as its own process group with the
    environment given, logging to a file. ``started("worker")`` lists the
    PIDs of the workers it started, in order (from its "supervise: worker
    started (pid N)" lines)."""

    def __init__(self, env: dict):
        self.env = env
        self.log_dir = Path(tempfile.mkdtemp(prefix="hanoi-supervise-"))
        self.log_path = self.log_dir / "supervise.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "wb")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "supervise.sh")],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def started(self, name: str) -> list[int]:
        pattern = rf"^supervise: {re.escape(name)} started \(pid (\d+)\)$"
        return [int(pid) for pid in re.findall(pattern, self.log(), re.MULTILINE)]

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM the script (it stops worker and beat, then exits), wait up
        to ``timeout`` seconds, then SIGKILL whatever is left of its process
        group. Returns the script's exit status (negative: killed)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)
        return self.process.returncode


def children_of(pid: int) -> list[int]:
    """The PIDs of the direct children of ``pid`` (Linux /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def kill_process_tree(pid: int) -> list[int]:
    """SIGKILL ``pid`` and its children (a Celery worker and its pool: a
    crash). Returns the PIDs killed."""
    pids = [pid, *children_of(pid)]
    for each in pids:
        try:
            os.kill(each, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return pids
