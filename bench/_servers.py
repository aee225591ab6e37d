"""Start and stop the servers a bench script needs, on loopback, the way
scripts/lib.sh does for the tests: a throwaway PostgreSQL (socket only, no
fsync), Redis (no persistence), an aiosmtpd sink (its own process) and a
Celery worker (prefork). The servers themselves are in tests/processes.py;
here they are started and stopped when the script exits.

A bench script puts the repository root on sys.path before importing this.
"""

from __future__ import annotations

import atexit
import shutil
import signal
import sys

from tests.processes import (
    CeleryWorker,
    PostgresServer,
    ProcessError,
    RedisServer,
    SmtpSinkProcess,
)

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


def _started(make, after_stop=None):
    """``make()`` a server and start it; it stops (then ``after_stop(server)``
    runs) when the script exits. A server that cannot start ends the script
    with its message."""
    try:
        server = make()

        def cleanup():
            server.stop()
            if after_stop is not None:
                after_stop(server)

        _cleanups.append(cleanup)
        server.start()
    except (ProcessError, TimeoutError) as exc:
        raise SystemExit(str(exc)) from exc
    return server


def start_postgres() -> str:
    """A throwaway PostgreSQL server; returns its DATABASE_URL."""
    return _started(lambda: PostgresServer(prefix="hanoi-bench-pg.")).url


def start_redis() -> str:
    """A throwaway Redis server; returns its URL."""
    return _started(RedisServer).url


def start_smtp_sink() -> SmtpSinkProcess:
    """An SMTP sink in its own process; ``count()`` says what it accepted."""
    return _started(SmtpSinkProcess)


def start_worker(
    *, database_url: str, broker_url: str, extra_env: dict, concurrency: int = 2
) -> CeleryWorker:
    """A Celery worker process group; ``pid`` is the worker's own PID. Its
    log folder goes when it stops."""
    return _started(
        lambda: CeleryWorker(
            database_url=database_url,
            broker_url=broker_url,
            extra_env=extra_env,
            concurrency=concurrency,
            name="bench",
        ),
        after_stop=lambda worker: shutil.rmtree(worker.log_dir, ignore_errors=True),
    )


def bench_event(*, year: int = 2025, **fields):
    """The event every bench works on (Hanoi, 25-26 October of ``year``);
    ``fields`` override or add fields (``is_current=True``). Call after
    ``django.setup()`` and ``migrate``."""
    import datetime as dt

    from hanoi_event.models import Event

    return Event.objects.create(
        **{
            "name": "Signing Ceremony of the UN Convention against Cybercrime",
            "short_name": "Hanoi Convention",
            "slug": "bench",
            "venue": "National Convention Center",
            "city": "Hanoi",
            "time_zone": "Asia/Ho_Chi_Minh",
            "start_date": dt.date(year, 10, 25),
            "end_date": dt.date(year, 10, 26),
            "contact_email": "secretariat@example.org",
            **fields,
        }
    )
