"""The public programme page with 200 items under gunicorn (2 workers), 16
concurrent clients on loopback, against the bare Django floor (a view that
returns a few bytes through the same settings and middleware), served the
same way.

    .venv/bin/python bench/programme.py [--requests 4000] [--clients 16]

Starts its own PostgreSQL and gunicorn, and stops them. The programme is
published as a release of 200 items (40 rooms, 5 slots on two days, half
of them side events that take registrations). ``queries`` is the number of
database queries of one page, counted in this process with the test client
(the same at 10 and at 200 items: tests/sessions/test_public.py).

Last line: ``RESULT pages_per_s=<n> p95_ms=<n> queries=<n> floor_per_s=<n>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _servers  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(items: int) -> int:
    from hanoi_event.models import Event
    from sessions.enums import ProgrammeItemKind
    from sessions.models import ProgrammeItem, Room
    from sessions.services import release_publish

    event = Event.objects.create(
        name="Signing Ceremony of the UN Convention against Cybercrime",
        short_name="Hanoi Convention",
        slug="bench",
        venue="National Convention Center",
        city="Hanoi",
        time_zone="Asia/Ho_Chi_Minh",
        start_date=dt.date(2030, 10, 25),
        end_date=dt.date(2030, 10, 26),
        contact_email="secretariat@example.org",
        is_current=True,
    )
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


def _load(port: int, path: str, total: int, clients: int) -> tuple[float, list[float]]:
    """``total`` GETs of ``path`` from ``clients`` threads;
    returns (seconds, latencies in ms)."""
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []
    per_client = total // clients
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        mine = []
        barrier.wait()
        for _ in range(per_client):
            # gunicorn's sync workers close the connection after each
            # response: one connection per request (connect time included).
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            conn.close()
            mine.append((time.perf_counter() - t0) * 1000)
            if response.status != 200 or not body:
                errors.append(f"{response.status} for {path}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, first: {errors[0]}")
    return elapsed, latencies


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()

    database_url = _servers.start_postgres()
    env = {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
        "LOG_LEVEL": "WARNING",
        "DJANGO_DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    _seed(args.items)
    client = Client()
    client.get("/programme/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/programme/")
    assert response.status_code == 200, response.status_code
    queries = len(ctx.captured_queries)
    shown = response.content.decode().count('class="programme-title"')
    if shown != args.items:
        raise SystemExit(f"the page shows {shown} items, not {args.items}")
    connection.close()

    folder = Path(tempfile.mkdtemp(prefix="hanoi-bench-programme."))
    _write_wsgi(folder)
    port = _free_port()
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
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/bench-floor/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        print(
            f"gunicorn (2 workers) on port {port}; {args.items} items, "
            f"{queries} queries a page; {args.clients} clients",
            flush=True,
        )
        # Warm both workers up.
        _load(port, "/programme/", args.clients * 4, args.clients)
        _load(port, "/bench-floor/", args.clients * 4, args.clients)

        seconds, latencies = _load(port, "/programme/", args.requests, args.clients)
        pages_per_s = len(latencies) / seconds
        p95 = _p95(latencies)
        print(
            f"programme: {len(latencies)} pages in {seconds:.2f} s, "
            f"p50 {sorted(latencies)[len(latencies) // 2]:.1f} ms, p95 {p95:.1f} ms",
            flush=True,
        )
        floor_s, floor_latencies = _load(
            port, "/bench-floor/", args.requests, args.clients
        )
        floor_per_s = len(floor_latencies) / floor_s
        print(
            f"floor: {len(floor_latencies)} in {floor_s:.2f} s, "
            f"p95 {_p95(floor_latencies):.1f} ms",
            flush=True,
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait(10)
    print(
        f"RESULT pages_per_s={pages_per_s:.0f} p95_ms={p95:.1f} "
        f"queries={queries} floor_per_s={floor_per_s:.0f}"
    )


if __name__ == "__main__":
    main()
