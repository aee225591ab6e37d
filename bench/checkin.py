"""The gate rush: 2,500 approved badges scanned once each through the check-in
API (``POST /api/checkin/scans/`` with a device token), served by gunicorn
(2 workers, deploy/gunicorn.conf.py as production runs it) on loopback
against a throwaway PostgreSQL, by 16 concurrent clients; against the floor,
a bare Django view that reads one badge row by primary key
(bench/_floor_urls.py), served by the same gunicorn, settings, WSGI
application and handler (its path is under the device API's prefix) and
loaded the same way.

    .venv/bin/python bench/checkin.py [--badges 2500] [--clients 16] [--rounds 5]
        [--paced 1000] [--paced-rate 100]

Starts its own PostgreSQL and gunicorn (``DJANGO_DEBUG=false``, persistent
database connections, production's worker class and threads; workers are
not recycled during the run, which production does every 2,000 requests,
about every hour and a half at the gates) and stops them. Participants are
written in bulk, approved, and get their badges through
``badges_issue_many``; the device is created and enrolled through the
check-in services.

The load client is light, so that it leaves the server the machine's two
cores: one asyncio loop in this process (no threads) with 16 requests in
flight at any time, each on its own connection (as a load balancer that
does not keep connections to gunicorn sends them; kept-alive connections
would each stay with one worker), the requests' bytes written before the
clock starts. Each scan sends the badge's signed QR text
with a nonce as the scanner page does and must be answered 201, verdict
"valid"; each floor request 200. The floor and the scans take turns in
``--rounds`` parts (each a share of the badges), so that both meet the same
machine when other work loads it. Every scan is then checked in the
database: one valid entry per badge. The client's own CPU use is printed.

Latency is queueing, mostly: with 16 requests always in flight, the mean
latency is 16 / throughput (Little's law), so p95 <= 20 ms needs well over
800 answers a second. So the script then also sends ``--paced`` more scans
(1,000 more badges) at ``--paced-rate`` a second (100; the morning's 2,500
in an hour are under 1 a second), each timed from when it was due, and
prints their p50 and p95 (not in the RESULT line).

Last line: ``RESULT scans_per_s=<n> p95_ms=<n> floor_per_s=<n>
ratio=<ours/floor>``.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import datetime as dt
import http.client
import json
import os
import resource
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _servers  # noqa: E402
from tests.processes import free_port, wait_for  # noqa: E402

REQUEST_TIMEOUT = 10.0
PHASE_TIMEOUT = 300.0
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
FLOOR_PATH = "/api/checkin/bench-floor/"


def start_gunicorn(env: dict) -> int:
    """gunicorn with production's settings file (deploy/gunicorn.conf.py:
    its worker class and threads), 2 workers, on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "hanoi_event.wsgi:application",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_LOG_LEVEL": "warning",
        },
        stdout=subprocess.DEVNULL,  # the access log, written as in production
        start_new_session=True,
    )

    def stop():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    atexit.register(stop)

    def up():
        if process.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/checkin/keys/", headers=HEADERS)
            return conn.getresponse().status
        except OSError:
            return None

    wait_for(up, timeout=60, message="gunicorn did not answer")
    return port


def request_bytes(method: str, path: str, body: bytes = b"", headers=None) -> bytes:
    """One HTTP/1.1 request, written out (gunicorn closes the connection
    after the answer)."""
    lines = [f"{method} {path} HTTP/1.1", "Connection: close"]
    lines += [
        f"{name}: {value}" for name, value in {**HEADERS, **(headers or {})}.items()
    ]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class _Exchange(asyncio.Protocol):
    """One request on its own connection: written when connected, the answer
    gathered until gunicorn closes the connection (``Connection: close``).
    asyncio's low-level protocol: less of the client's CPU than streams."""

    def __init__(self, data: bytes, done: asyncio.Future):
        self.data, self.done, self.parts = data, done, []

    def connection_made(self, transport) -> None:
        transport.write(self.data)

    def data_received(self, chunk: bytes) -> None:
        self.parts.append(chunk)

    def connection_lost(self, exc) -> None:
        if self.done.done():
            return
        if exc is not None:
            self.done.set_exception(exc)
        else:
            self.done.set_result(b"".join(self.parts))


async def _exchange(port: int, data: bytes) -> tuple[int, bytes]:
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    async with asyncio.timeout(REQUEST_TIMEOUT):
        await loop.create_connection(lambda: _Exchange(data, done), "127.0.0.1", port)
        raw = await done
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head[9:12] or 0), body


async def _load(port: int, requests: list[bytes], clients: int):
    latencies: list[float] = []
    answers: list[tuple[int, bytes]] = []
    failures: list[str] = []
    todo = iter(requests)

    async def client():
        for data in todo:
            t0 = time.perf_counter()
            try:
                answer = await _exchange(port, data)
            except (OSError, TimeoutError) as exc:
                failures.append(repr(exc))
                continue
            latencies.append((time.perf_counter() - t0) * 1000)
            answers.append(answer)

    async with asyncio.timeout(PHASE_TIMEOUT):
        await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, answers, failures


def load(port: int, requests: list[bytes], clients: int, check) -> tuple:
    """Send ``requests`` (bytes) with ``clients`` connections in flight.
    Returns (seconds, latencies in ms, problems, client CPU seconds);
    ``check(status, body)`` names what is wrong with an answer, or None."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    latencies, answers, failures = asyncio.run(_load(port, requests, clients))
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime
    problems = failures + [p for p in (check(*a) for a in answers) if p]
    return seconds, latencies, problems, cpu


async def _paced(port: int, requests: list[bytes], rate: float, clients: int):
    latencies: list[float] = []
    answers: list[tuple[int, bytes]] = []
    slots = asyncio.Semaphore(clients)
    start = time.perf_counter()

    async def one(i: int, data: bytes):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        async with slots:
            answers.append(await _exchange(port, data))
        # From when it was due: waiting for a free client counts too.
        latencies.append((time.perf_counter() - due) * 1000)

    await asyncio.gather(*(one(i, data) for i, data in enumerate(requests)))
    return latencies, answers


def paced(port: int, requests: list[bytes], rate: float, clients: int, check):
    """Send ``requests`` at ``rate`` a second (at most ``clients`` in
    flight), as gates do, instead of as fast as possible. Returns
    (latencies in ms from when each request was due, problems)."""
    latencies, answers = asyncio.run(_paced(port, requests, rate, clients))
    return latencies, [p for p in (check(*a) for a in answers) if p]


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def approved_event(n: int, person=lambda i: {}, delegations: int = 50):
    """The bench event (current) with its zones and categories and ``n``
    approved participants over the first ``delegations`` States, written in
    bulk, each with a badge issued by ``badges_issue_many``. ``person(i)``
    gives fields of participant ``i`` (names, photo) over the defaults.
    Also used by bench/badges.py."""
    from django.core.management import call_command

    from accreditation import services as accreditation
    from delegations.enums import DelegationRole, ParticipantStatus
    from delegations.models import Delegation, Organisation, Participant

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    event = _servers.bench_event(is_current=True)
    accreditation.badge_categories_ensure(event=event)
    states = Organisation.objects.filter(kind="member_state").order_by("name")
    rows = Delegation.objects.bulk_create(
        [Delegation(event=event, organisation=state) for state in states[:delegations]]
    )
    now = dt.datetime.now(dt.UTC)
    Participant.objects.bulk_create(
        [
            Participant(
                **{
                    "event": event,
                    "delegation": rows[i % len(rows)],
                    "email": f"delegate{i}@bench.example.org",
                    "given_names": f"Given{i}",
                    "family_name": f"Family{i}",
                    "role": DelegationRole.DELEGATE,
                    "status": ParticipantStatus.APPROVED,
                    "decided_at": now,
                    **person(i),
                }
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    people = Participant.objects.filter(event=event).select_related(
        "delegation__organisation"
    )
    t0 = time.perf_counter()
    badges = accreditation.badges_issue_many(event=event, participants=people, by=None)
    print(f"{len(badges)} badges issued in {time.perf_counter() - t0:.2f} s")
    return event


def setup(n: int):
    """``approved_event`` with an entry gate at the venue and an enrolled
    device. Returns (event, gate, token, [(badge id, QR text)])."""
    from accreditation import services as accreditation
    from accreditation.models import Badge
    from checkin import services as checkin
    from checkin.models import Gate

    event = approved_event(n)
    gate = Gate.objects.create(
        event=event, name="North entry", zone=event.zones.get(code="venue")
    )
    device, code = checkin.device_create(event=event, name="Bench phone", by=None)
    device, token = checkin.device_enroll(setup_code=code)
    badges = Badge.objects.filter(event=event).select_related("key").order_by("pk")
    codes = [(b.pk, accreditation.badge_qr_text(b)) for b in badges]
    return event, gate, token, codes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--badges", type=int, default=2500)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--paced", type=int, default=1000)
    parser.add_argument("--paced-rate", type=float, default=100.0)
    args = parser.parse_args()
    n = args.badges

    database_url = _servers.start_postgres()
    env = {
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bench._floor_settings",
    }
    os.environ.update(env)

    import django

    django.setup()
    from checkin.models import Scan

    event, gate, token, codes = setup(n + args.paced)
    codes, paced_codes = codes[:n], codes[n:]
    port = start_gunicorn(env)
    print(
        f"gunicorn (2 workers, deploy/gunicorn.conf.py) on 127.0.0.1:{port}; "
        f"{args.clients} clients"
    )

    def floor_ok(status_code, data):
        return None if status_code == 200 else f"floor: {status_code} {data[:200]!r}"

    floor_requests = [request_bytes("GET", f"{FLOOR_PATH}{pk}/") for pk, _ in codes]
    scan_headers = {
        "Authorization": f"Device {token}",
        "Content-Type": "application/json",
    }

    def scan_ok(status_code, data):
        if status_code != 201:
            return f"scan: {status_code} {data[:200]!r}"
        verdict = json.loads(data)["verdict"]
        return None if verdict == "valid" else f"scan: {verdict}"

    def scan_request(qr: str) -> bytes:
        body = {"gate": gate.pk, "code": qr, "nonce": uuid.uuid4().hex}
        return request_bytes(
            "POST", "/api/checkin/scans/", json.dumps(body).encode(), scan_headers
        )

    scan_requests = [scan_request(qr) for _, qr in codes]
    # Warm both workers and their threads (imports, URL resolvers,
    # connections, prepared statements) on the floor and on the API.
    load(port, floor_requests[:200], args.clients, floor_ok)
    load(
        port,
        [request_bytes("GET", "/api/checkin/keys/", b"", scan_headers)] * 200,
        args.clients,
        lambda status, body: None if status == 200 else status,
    )

    # The floor and the scans take turns, in ``rounds`` parts each (floor,
    # scans, floor, scans...), so that both meet the same machine when others
    # load it too; the times of the parts add up.
    totals = {"floor": [0.0, [], [], 0.0], "scans": [0.0, [], [], 0.0]}
    parts = max(1, args.rounds)
    for part in range(parts):
        for name, requests, check in (
            ("floor", floor_requests, floor_ok),
            ("scans", scan_requests, scan_ok),
        ):
            seconds, latencies, problems, cpu = load(
                port, requests[part::parts], args.clients, check
            )
            total = totals[name]
            total[0] += seconds
            total[1] += latencies
            total[2] += problems
            total[3] += cpu
    for name, (seconds, latencies, problems, cpu) in totals.items():
        if problems or len(latencies) != n:
            raise SystemExit(f"{name}: {len(problems)} failures, e.g. {problems[:3]}")
        print(
            f"{name}: {n} in {seconds:.2f} s ({n / seconds:.0f}/s), p50 "
            f"{median(latencies):.1f} ms, p95 {p95(latencies):.1f} ms; client "
            f"CPU {100 * cpu / seconds:.0f}% of a core"
        )
    if args.paced:
        # The same scans at a pace instead of as fast as possible: the
        # morning's 2,500 in an hour are under 1 a second; this is 100 a
        # second by default. Not in the RESULT line.
        paced_lat, paced_bad = paced(
            port,
            [scan_request(qr) for _, qr in paced_codes],
            args.paced_rate,
            args.clients,
            scan_ok,
        )
        if paced_bad or len(paced_lat) != args.paced:
            raise SystemExit(f"paced: {len(paced_bad)} failures: {paced_bad[:3]}")
        print(
            f"paced: {args.paced} scans at {args.paced_rate:.0f}/s, p50 "
            f"{median(paced_lat):.1f} ms, p95 {p95(paced_lat):.1f} ms"
        )
    total = n + args.paced
    valid = Scan.objects.filter(gate=gate, verdict="valid")
    if valid.count() != total or valid.values("badge").distinct().count() != total:
        raise SystemExit("the database does not hold one valid scan per badge")
    floor = n / totals["floor"][0]
    ours = n / totals["scans"][0]
    scan_p95 = p95(totals["scans"][1])
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"RESULT scans_per_s={ours:.0f} p95_ms={scan_p95:.1f} "
        f"floor_per_s={floor:.0f} ratio={ours / floor:.2f}"
    )


if __name__ == "__main__":
    main()
