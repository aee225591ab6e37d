"""The public programme page with 200 items under gunicorn (2 workers), 16
concurrent clients on loopback, against the bare Django floor (a view that
returns a few bytes through the same settings and middleware), served the
same way.

    .venv/bin/python bench/programme.py [--seconds 20] [--clients 16]

Runs the site as in production: ``DJANGO_DEBUG=false``, persistent database
connections, the cache in Redis (shared by the two workers, as
``CACHE_URL`` says for several web processes), static files collected.
Starts its own PostgreSQL, Redis and gunicorn, and stops them. The
programme is published as a release of 200 items (40 rooms, 5 slots on two
days, half of them side events that take registrations).

The load comes from ``wrk`` (Debian's package; installed here with apt-get
when missing, as root or through sudo): a small C program, so the clients
take little of the CPU the server needs on a small machine. Each of the 16
connections sends its next request when the last one is answered (gunicorn's
sync workers close each connection: one connection per request).

``queries`` is the number of database queries of one page as the load gets
it, counted in this process with the test client; the number for a page
rendered afresh (after a change) is printed above it. Both are the same at
10 and at 200 items (tests/sessions/test_public.py).

Last line: ``RESULT pages_per_s=<n> p95_ms=<n> queries=<n> floor_per_s=<n>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _servers  # noqa: E402
from tests.processes import free_port, wait_for  # noqa: E402

HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}

# wrk prints this line when the run is over (latencies in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("WRKSTATS requests=%d p50_us=%d p95_us=%d errors=%d\\n",
    summary.requests, latency:percentile(50), latency:percentile(95),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
"""


def _wrk() -> str:
    """The path of wrk, installed from Debian's packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    install = [*sudo, "apt-get", "install", "-y", "-q", "wrk"]
    print("installing wrk: " + " ".join(install), flush=True)
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-q"], stdout=subprocess.DEVNULL)
        subprocess.run(install, stdout=subprocess.DEVNULL, check=False)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: apt-get install wrk")
    return found


def _seed(items: int) -> int:
    from sessions.enums import ProgrammeItemKind
    from sessions.models import ProgrammeItem, Room
    from sessions.services import release_publish

    event = _servers.bench_event(year=2030, is_current=True)
    rooms = Room.objects.bulk_create(
        Room(event=event, name=f"Meeting Room {n + 1}", capacity=60 + n * 5)
        for n in range(40)
    )
    kinds = [ProgrammeItemKind.SIDE_EVENT, ProgrammeItemKind.PANEL]
    rows = []
    for n in range(items):
        day, slot, room = n // 100, (n % 100) // 20, n % 20 + (n // 100) * 20
        start = dt.datetime(2030, 10, 25 + day, 2, 0, tzinfo=dt.UTC) + dt.timedelta(
            minutes=90 * slot
        )
        rows.append(
            ProgrammeItem(
                event=event,
                room=rooms[room],
                kind=kinds[n % 2],
                title=f"Programme item {n + 1}: countering cybercrime together",
                description="A discussion with practitioners. " * 5,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=75),
                is_published=True,
                registration_required=n % 2 == 0,
                languages=["en", "fr"],
            )
        )
    ProgrammeItem.objects.bulk_create(rows)
    release_publish(event=event)
    return event.pk


def _write_wsgi(folder: Path) -> None:
    """A WSGI module that adds the floor view to the project's URLs."""
    (folder / "bench_floor_urls.py").write_text(
        "from django.http import HttpResponse\n"
        "from django.urls import path\n"
        "from hanoi_event.urls import urlpatterns as project\n"
        "def floor(request):\n"
        "    return HttpResponse(b'ok', content_type='text/plain')\n"
        "urlpatterns = [path('bench-floor/', floor), *project]\n"
    )
    (folder / "bench_wsgi.py").write_text(
        "import os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hanoi_event.settings')\n"
        "from django.conf import settings\n"
        "settings.ROOT_URLCONF = 'bench_floor_urls'\n"
        "from django.core.wsgi import get_wsgi_application\n"
        "application = get_wsgi_application()\n"
    )


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=HEADERS)
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response.status, body


def _start_gunicorn(folder: Path, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bench_wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            f"{folder},{ROOT}",
            "--log-level",
            "warning",
            "--backlog",
            "256",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
        start_new_session=True,
    )

    def up():
        if server.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            return _get(port, "/bench-floor/")[0] == 200
        except OSError:
            return False

    wait_for(up, timeout=60, message="gunicorn did not answer")
    return server, port


def _load(wrk: str, script: Path, port: int, path: str, seconds: int, clients: int):
    """wrk on ``path`` for ``seconds``; returns (pages/s, p50 ms, p95 ms)."""
    result = subprocess.run(
        [
            wrk,
            "--threads",
            "1",
            "--connections",
            str(clients),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--script",
            str(script),
            *(f"--header={name}: {value}" for name, value in HEADERS.items()),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = re.search(
        r"WRKSTATS requests=(\d+) p50_us=(\d+) p95_us=(\d+) errors=(\d+)",
        result.stdout,
    )
    if stats is None:
        raise SystemExit(f"wrk said: {result.stdout} {result.stderr}")
    requests, p50, p95, errors = (int(v) for v in stats.groups())
    if errors or "Non-2xx" in result.stdout:
        raise SystemExit(f"{path}: failed requests\n{result.stdout}")
    return requests / seconds, p50 / 1000, p95 / 1000


def _count_queries(items: int) -> tuple[int, int]:
    """(queries of a page served from the cache, of a page rendered afresh),
    with the test client in this process; checks the page lists ``items``."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"host": "127.0.0.1"})

    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/programme/", secure=True)
        assert response.status_code == 200, response.status_code
        shown = response.content.decode().count('class="programme-title"')
        if shown != items:
            raise SystemExit(f"the page shows {shown} items, not {items}")
        return len(ctx.captured_queries)

    cache.clear()
    fresh = measure()
    cached = measure()
    cache.clear()
    return cached, fresh


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()
    wrk = _wrk()

    folder = Path(tempfile.mkdtemp(prefix="hanoi-bench-programme."))
    env = {
        "DATABASE_URL": _servers.start_postgres(),
        "DATABASE_CONN_MAX_AGE": "60",
        "CACHE_URL": _servers.start_redis().rsplit("/", 1)[0] + "/1",
        "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    _seed(args.items)
    cached_queries, fresh_queries = _count_queries(args.items)
    connection.close()

    _write_wsgi(folder)
    script = folder / "stats.lua"
    script.write_text(WRK_SCRIPT)
    server, port = _start_gunicorn(folder, env)
    try:
        status, body = _get(port, "/programme/")
        shown = body.count('class="programme-title"')
        if status != 200 or shown != args.items:
            raise SystemExit(f"/programme/: {status}, {shown} items shown")
        print(
            f"gunicorn (2 workers) on port {port}; {args.items} items; "
            f"{fresh_queries} queries for a page rendered afresh, "
            f"{cached_queries} from the cache; {args.clients} clients (wrk)",
            flush=True,
        )
        # Warm both workers up (imports, connections, the cached page).
        _load(wrk, script, port, "/programme/", 2, args.clients)
        _load(wrk, script, port, "/bench-floor/", 2, args.clients)

        pages_per_s, p50, p95 = _load(
            wrk, script, port, "/programme/", args.seconds, args.clients
        )
        print(
            f"programme: {pages_per_s:.0f} pages/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms",
            flush=True,
        )
        floor_per_s, floor_p50, floor_p95 = _load(
            wrk, script, port, "/bench-floor/", args.seconds, args.clients
        )
        print(
            f"floor: {floor_per_s:.0f}/s, p50 {floor_p50:.1f} ms, "
            f"p95 {floor_p95:.1f} ms",
            flush=True,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"RESULT pages_per_s={pages_per_s:.0f} p95_ms={p95:.1f} "
        f"queries={cached_queries} floor_per_s={floor_per_s:.0f}"
    )


if __name__ == "__main__":
    main()
