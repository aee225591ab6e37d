"""The gate rush: 2,500 approved badges scanned once each through the check-in
API (``POST /api/checkin/scans/`` with a device token), served by gunicorn
(2 workers) on loopback against a throwaway PostgreSQL, by 16 concurrent
clients; against the floor, a bare Django view that reads one badge row by
primary key (bench/_floor_urls.py), served by the same gunicorn, settings
and middleware and loaded the same way.

    .venv/bin/python bench/checkin.py [--badges 2500] [--clients 16]

Starts its own PostgreSQL and gunicorn (``DJANGO_DEBUG=false``, persistent
database connections) and stops them. Participants are written in bulk,
approved, and get their badges through ``badges_issue_many``; the device is
created and enrolled through the check-in services. Each client opens a
connection per request (gunicorn's sync workers close it), sends the badge's
signed QR text with a nonce as the scanner page does, and checks the answer
(201, verdict "valid"); the floor requests check theirs (200). Every scan is
then checked in the database: one valid entry per badge.

Last line: ``RESULT scans_per_s=<n> p95_ms=<n> floor_per_s=<n>
ratio=<ours/floor>``.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import http.client
import json
import os
import queue
import signal
import subprocess
import sys
import threading
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


def start_gunicorn(env: dict) -> int:
    port = free_port()
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "hanoi_event.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
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


def load(port: int, requests: list[tuple], clients: int) -> tuple[float, list, list]:
    """Send ``requests`` (method, path, body, headers, check) from
    ``clients`` threads, each taking the next from a shared queue. Returns
    (seconds, latencies in ms, failures)."""
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for item in requests:
        todo.put(item)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + PHASE_TIMEOUT

    def client():
        mine, bad = [], []
        while time.monotonic() < deadline:
            try:
                method, path, body, headers, check = todo.get_nowait()
            except queue.Empty:
                break
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=REQUEST_TIMEOUT
                )
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                conn.close()
            except OSError as exc:
                bad.append(f"{path}: {exc}")
                continue
            mine.append((time.perf_counter() - t0) * 1000)
            problem = check(response.status, data)
            if problem:
                bad.append(problem)
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PHASE_TIMEOUT + REQUEST_TIMEOUT)
    return time.perf_counter() - t0, latencies, failures


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
    from hanoi_event.models import Event

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    event = Event.objects.create(
        name="Signing Ceremony of the UN Convention against Cybercrime",
        short_name="Hanoi Convention",
        slug="bench",
        venue="National Convention Center",
        city="Hanoi",
        time_zone="Asia/Ho_Chi_Minh",
        start_date=dt.date(2025, 10, 25),
        end_date=dt.date(2025, 10, 26),
        contact_email="secretariat@example.org",
        is_current=True,
    )
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

    event, gate, token, codes = setup(n)
    port = start_gunicorn(env)
    print(f"gunicorn (2 workers) on 127.0.0.1:{port}; {args.clients} clients")

    def floor_ok(status_code, data):
        return None if status_code == 200 else f"floor: {status_code}"

    floor_requests = [
        ("GET", f"/bench/floor/{pk}/", None, HEADERS, floor_ok) for pk, _ in codes
    ]
    # Warm both workers (imports, URL resolvers, connections) on both paths.
    load(port, floor_requests[:100], args.clients)
    floor_s, floor_lat, floor_bad = load(port, floor_requests, args.clients)
    if floor_bad or len(floor_lat) != n:
        raise SystemExit(f"floor: {len(floor_bad)} failures, e.g. {floor_bad[:3]}")
    floor = n / floor_s
    print(f"floor: {n} in {floor_s:.2f} s ({floor:.0f}/s), p95 {p95(floor_lat):.1f} ms")

    scan_headers = {
        **HEADERS,
        "Authorization": f"Device {token}",
        "Content-Type": "application/json",
    }

    def scan_ok(status_code, data):
        if status_code != 201:
            return f"scan: {status_code} {data[:200]!r}"
        verdict = json.loads(data)["verdict"]
        return None if verdict == "valid" else f"scan: {verdict}"

    scan_requests = [
        (
            "POST",
            "/api/checkin/scans/",
            json.dumps({"gate": gate.pk, "code": qr, "nonce": uuid.uuid4().hex}),
            scan_headers,
            scan_ok,
        )
        for _, qr in codes
    ]
    scan_s, scan_lat, scan_bad = load(port, scan_requests, args.clients)
    if scan_bad or len(scan_lat) != n:
        raise SystemExit(f"scans: {len(scan_bad)} failures, e.g. {scan_bad[:3]}")
    valid = Scan.objects.filter(gate=gate, verdict="valid")
    if valid.count() != n or valid.values("badge").distinct().count() != n:
        raise SystemExit("the database does not hold one valid scan per badge")
    ours = n / scan_s
    print(f"scans: {n} in {scan_s:.2f} s ({ours:.0f}/s), p95 {p95(scan_lat):.1f} ms")
    print(
        f"RESULT scans_per_s={ours:.0f} p95_ms={p95(scan_lat):.1f} "
        f"floor_per_s={floor:.0f} ratio={ours / floor:.2f}"
    )


if __name__ == "__main__":
    main()
