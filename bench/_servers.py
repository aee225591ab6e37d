"""Start and stop the servers a bench script needs, on loopback, the way
scripts/lib.sh does for the tests: a throwaway PostgreSQL (socket only, no
fsync), Redis (no persistence), an aiosmtpd sink (its own process) and a
Celery worker (prefork). Everything stops when the script exits.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = ROOT / ".venv" / "bin"

_cleanups: list = []


def _cleanup_all() -> None:
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - stop the rest anyway
            print(f"cleanup: {exc}", file=sys.stderr)


atexit.register(_cleanup_all)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(interval)
    return value


def _as_owner(cmd: list[str]) -> None:
    """Run a PostgreSQL command as the postgres user when we are root."""
    if os.geteuid() == 0:
        subprocess.run(
            ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)], check=True
        )
    else:
        subprocess.run(cmd, check=True)


def start_postgres() -> str:
    """A throwaway PostgreSQL server; returns its DATABASE_URL."""
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(
            f"PostgreSQL 15 not found in {PG_BIN} (apt-get install postgresql-15)"
        )
    folder = Path(tempfile.mkdtemp(prefix="hanoi-bench-pg."))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    _as_owner(
        [
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            f">{folder}/initdb.log",
            "2>&1",
        ]
    )
    opts = (
        f"-c listen_addresses='' -k {folder} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    _as_owner(
        [
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            f"{folder}/server.log",
            "-w",
            "-o",
            f'"{opts}"',
            "start",
            ">/dev/null",
        ]
    )

    def stop():
        _as_owner(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "stop",
                ">/dev/null",
                "2>&1",
                "||",
                "true",
            ]
        )
        shutil.rmtree(folder, ignore_errors=True)

    _cleanups.append(stop)
    _as_owner([str(PG_BIN / "createdb"), "-h", str(folder), "-U", "postgres", "hanoi"])
    return f"postgres://postgres@/hanoi?host={folder}"


def start_redis() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
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
    _cleanups.append(lambda: (proc.kill(), proc.wait()))
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    def ping():
        try:
            return redis.Redis.from_url(url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    wait_for(ping, 10, "redis-server")
    return url


SINK_SCRIPT = r"""
import asyncio, signal, sys, threading
from aiosmtpd.controller import Controller

count = 0
lock = threading.Lock()

class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        with lock:
            count += len(envelope.rcpt_tos)
        return "250 Message accepted"

c = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "count":
        with lock:
            print(count, flush=True)
c.stop()
"""


class SmtpSink:
    """An aiosmtpd server in its own process (so that it does not share a GIL
    with the client being measured); ``count()`` asks it how many messages it
    accepted."""

    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "python"), "-c", SINK_SCRIPT, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        _cleanups.append(self.stop)
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP sink did not start")

    def count(self) -> int:
        self.proc.stdin.write("count\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(10)


class Worker:
    """A Celery worker process group; ``pid`` is the worker's own PID."""

    def __init__(self, env: dict, concurrency: int = 2):
        self.log = Path(
            tempfile.mkstemp(prefix="hanoi-bench-worker.", suffix=".log")[1]
        )
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    str(VENV_BIN / "celery"),
                    "-A",
                    "hanoi_event",
                    "worker",
                    "-P",
                    "prefork",
                    "-c",
                    str(concurrency),
                    "-l",
                    "info",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid = self.proc.pid
        _cleanups.append(self.stop)
        wait_for(self._ready, 30, "the Celery worker")

    def _ready(self) -> bool:
        if self.proc.poll() is not None:
            raise SystemExit(f"the worker exited:\n{self.log.read_text()[-3000:]}")
        return b" ready." in self.log.read_bytes()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.unlink(missing_ok=True)
