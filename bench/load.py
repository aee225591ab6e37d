"""Load test (locust, headless, bounded, loopback only) of the two peaks:

* the registration deadline rush: a delegate signs up, confirms the address
  (the link's key), fills in the registration form with a photo and submits
  it (about 9 requests; each new delegate is a member nominated beforehand);
* the gate rush: badge scans through the check-in API
  (``POST /api/checkin/scans/`` with a device token), 2,500 badges.

against gunicorn (deploy/gunicorn.conf.py: 2 x cores + 1 processes, 4
threads each; DJANGO_DEBUG=false, static files collected), a Celery worker
(the confirmation emails, to the console), PostgreSQL and Redis (cache and
broker), all started here on loopback and stopped at the end.

    .venv/bin/python bench/load.py [--step-seconds 15] [--max-users 64]

Each rush runs in steps of concurrent users (1, 2, 4, ... up to
``--max-users``), each user sending its next request as soon as the last
answered; per step: requests per second, errors, p50/p95/p99. The knee is
the first step whose p95 passes 500 ms. Bounded: a step lasts
``--step-seconds``, the whole run stops after ``--max-seconds``.

Last line: ``RESULT rush_rps=<n> p95_ms=<n> errors=<n> knee_rps=<n>``: the gate
rush's requests per second and p95 at the last step under 500 ms, the errors
over both rushes, and the requests per second at the knee (the largest rate
measured, marked ``+``-less, if no step passed 500 ms).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import gevent

# locust patches the standard library for gevent: import it first.
from locust import HttpUser, between, events, task  # noqa: I001
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _servers  # noqa: E402
from tests.processes import free_port, wait_for  # noqa: E402

PASSWORD = "Delegate-pass-2025!"
STATIC_CACHE = Path("/tmp/hanoi-prod-like-static")  # shared with prod_like.sh


# ---------------------------------------------------------------- setup


def setup(registrations: int, badges: int) -> dict:
    """bench/checkin.py's gate rush set-up (an event with ``badges`` approved
    participants with badges over 50 State delegations, an entry gate, an
    enrolled device), and ``registrations`` members nominated on those
    delegations with addresses nobody has signed up with yet."""
    from bench.checkin import setup as gate_rush_setup
    from delegations.enums import DelegationRole
    from delegations.models import Delegation, Participant

    event, gate, token, codes = gate_rush_setup(badges)
    delegations = list(Delegation.objects.filter(event=event).order_by("pk"))
    members = Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                delegation=delegations[i % len(delegations)],
                email=f"delegate{i}@load.example.org",
                given_names=f"Given{i}",
                family_name=f"Member{i}",
                role=DelegationRole.DELEGATE,
            )
            for i in range(registrations)
        ],
        batch_size=1000,
    )
    return {
        "gate": gate.pk,
        "token": token,
        "codes": [qr for _pk, qr in codes],
        "members": [
            (m.email, m.pk, delegations[i % len(delegations)].organisation_id)
            for i, m in enumerate(members)
        ],
    }


def collect_static(env: dict) -> None:
    if (STATIC_CACHE / "staticfiles.json").exists():
        return
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_gunicorn(env: dict) -> str:
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        + ["hanoi_event.wsgi"],
        cwd=ROOT,
        env={**os.environ, **env, "PORT": str(port), "GUNICORN_ACCESS_LOG": ""},
        start_new_session=True,
    )

    def stop():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)

    _servers._cleanups.append(stop)
    url = f"http://127.0.0.1:{port}"

    def live():
        import urllib.request

        try:
            with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    wait_for(live, 90, 0.3, "gunicorn to be ready")
    return url


def photo_bytes() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (600, 800))
    image.putdata(
        [(x % 256, (x * y) % 256, y % 256) for y in range(800) for x in range(600)]
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# ---------------------------------------------------------------- users

DATA: dict = {}
CLIENTS = itertools.count(1)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _confirmation_key(email: str) -> str:
    """The key of the link in the confirmation email (allauth's HMAC key of
    the address's row). A short blocking query: the load is the server's."""
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    return EmailConfirmationHMAC(EmailAddress.objects.get(email=email)).key


# The production cookies are Secure; this loopback run is plain HTTP (TLS
# ends at the load balancer in production): this client sends them anyway.
# (requests copies the cookie jar into a default one per request, so a policy
# on the session's jar is not enough.)
http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


class Registrant(HttpUser):
    """A delegate's browser behind the load balancer: its own address in
    X-Forwarded-For (TRUSTED_PROXY_COUNT=1), as in production."""

    wait_time = between(0, 0)

    def on_start(self):
        n = next(CLIENTS)
        self.client.headers["X-Forwarded-For"] = (
            f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        )

    @task
    def register(self):
        try:
            email, pk, nationality = next(DATA["members"])
        except StopIteration:
            self.environment.runner.quit()
            return
        c = self.client
        c.cookies.clear()
        form = c.get("/accounts/signup/", name="signup form").text
        with c.post(
            "/accounts/signup/",
            {
                "csrfmiddlewaretoken": _csrf(form),
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            name="signup",
            catch_response=True,
        ) as r:
            if "/accounts/confirm-email/" not in r.url:
                r.failure(f"signup: {r.status_code} {r.url}")
                return
        key = _confirmation_key(email)
        page = c.get(f"/accounts/confirm-email/{key}/", name="confirm form").text
        with c.post(
            f"/accounts/confirm-email/{key}/",
            {"csrfmiddlewaretoken": _csrf(page)},
            name="confirm",
            catch_response=True,
        ) as r:
            if "/portal/" not in r.url:
                r.failure(f"confirm: {r.status_code} {r.url}")
                return
        page = c.get(f"/portal/participant/{pk}/edit/", name="form").text
        with c.post(
            f"/portal/participant/{pk}/edit/",
            {
                "csrfmiddlewaretoken": _csrf(page),
                "given_names": "Mai",
                "family_name": "Tran",
                "gender": "female",
                "function_title": "Counsellor",
                "nationality": str(nationality),
                "date_of_birth": "1985-03-04",
                "phone": "+84 24 3825 0000",
                "passport_number": "B7654321",
                "passport_expiry": "2031-01-01",
                "preferred_language": "en",
                "consent_list_of_participants": "on",
            },
            files={"photo": ("photo.jpg", DATA["photo"], "image/jpeg")},
            name="fill in",
            catch_response=True,
        ) as r:
            if not r.url.endswith(f"/portal/participant/{pk}/"):
                r.failure(f"fill in: {r.status_code} {r.text[-300:]!r}")
                return
            page = r.text
        with c.post(
            f"/portal/participant/{pk}/submit/",
            {"csrfmiddlewaretoken": _csrf(page)},
            name="submit",
            catch_response=True,
        ) as r:
            if "Submitted for accreditation." not in r.text:
                r.failure(f"submit: {r.status_code}")


class Gate(HttpUser):
    wait_time = between(0, 0)

    @task
    def scan(self):
        code = next(DATA["codes"])
        body = {"gate": DATA["gate"], "code": code, "nonce": uuid.uuid4().hex}
        with self.client.post(
            "/api/checkin/scans/",
            data=json.dumps(body),
            headers={
                "Authorization": f"Device {DATA['token']}",
                "Content-Type": "application/json",
            },
            name="scan",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"scan: {r.status_code} {r.text[:200]}")


# ---------------------------------------------------------------- steps


def run_steps(
    user_class, host: str, users: list[int], seconds: float, deadline, *, knee=True
):
    """One locust run per step; returns [(users, rps, errors, p50, p95, p99,
    completed)] (completed: registrations submitted). With ``knee``, stops
    after the first step whose p95 passes 500 ms."""
    results = []
    for n in users:
        if time.monotonic() + seconds > deadline:
            break
        env = Environment(user_classes=[user_class], host=host, events=events)
        runner = env.create_local_runner()
        runner.start(n, spawn_rate=n)
        started = time.monotonic()
        while time.monotonic() - started < seconds and runner.state != "stopped":
            gevent.sleep(0.2)
        elapsed = time.monotonic() - started
        exhausted = runner.state == "stopped"  # no more new delegates
        runner.quit()
        total = env.stats.total
        row = (
            n,
            total.num_requests / elapsed,
            total.num_failures,
            total.get_response_time_percentile(0.5) or 0,
            total.get_response_time_percentile(0.95) or 0,
            total.get_response_time_percentile(0.99) or 0,
            env.stats.get("submit", "POST").num_requests
            - env.stats.get("submit", "POST").num_failures,
        )
        errors = [f"{e.name}: {e.error}" for e in env.stats.errors.values()][:3]
        print(
            f"  {user_class.__name__} users={n:3d} rps={row[1]:7.1f} "
            f"errors={row[2]} p50={row[3]:.0f} p95={row[4]:.0f} p99={row[5]:.0f} ms"
            + (f" submitted={row[6]}" if row[6] else "")
            + (f"  e.g. {errors}" if errors else ""),
            flush=True,
        )
        results.append(row)
        if (knee and row[4] > 500) or exhausted:
            break
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--step-seconds", type=float, default=15)
    parser.add_argument("--max-users", type=int, default=64)
    parser.add_argument("--max-seconds", type=float, default=420)
    parser.add_argument("--registrations", type=int, default=600)
    parser.add_argument("--badges", type=int, default=2500)
    args = parser.parse_args()
    deadline = time.monotonic() + args.max_seconds

    database_url = _servers.start_postgres()
    redis_url = _servers.start_redis()
    base = redis_url.rsplit("/", 1)[0]
    env = {
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "CACHE_URL": f"{base}/1",
        "CELERY_BROKER_URL": f"{base}/0",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "load-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(STATIC_CACHE),
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    data = setup(args.registrations, args.badges)
    collect_static(env)
    _servers.start_worker(
        database_url=database_url,
        broker_url=env["CELERY_BROKER_URL"],
        extra_env={**env, "EMAIL_URL": "consolemail://"},
    )
    host = start_gunicorn(env)
    DATA.update(
        gate=data["gate"],
        token=data["token"],
        codes=itertools.cycle(data["codes"]),
        members=iter(data["members"]),
        photo=photo_bytes(),
    )
    cores = os.cpu_count()
    print(
        f"gunicorn on {host} ({settings_workers()}), one worker, PostgreSQL and "
        f"Redis on loopback; {cores} cores, shared with whatever else runs",
        flush=True,
    )
    steps = [n for n in (1, 2, 4, 8, 16, 32, 64, 128) if n <= args.max_users]
    print("registration rush (sign up, confirm, fill in, submit):", flush=True)
    reg = run_steps(
        Registrant,
        host,
        [n for n in steps if n <= 16],
        args.step_seconds,
        deadline,
        knee=False,
    )
    print("gate rush (scans with a device token):", flush=True)
    gate = run_steps(Gate, host, steps, args.step_seconds, deadline)

    under = [row for row in gate if row[4] <= 500] or gate[:1]
    best = max(under, key=lambda row: row[1])
    over = [row for row in gate if row[4] > 500]
    knee = over[0][1] if over else max(row[1] for row in gate)
    reg_best = max(reg, key=lambda row: row[6]) if reg else (0,) * 7
    errors = sum(row[2] for row in reg + gate)
    print(
        f"registration: best {reg_best[6]} submitted in {args.step_seconds:.0f} s "
        f"at {reg_best[0]} users ({reg_best[1]:.1f} requests/s, p95 "
        f"{reg_best[4]:.0f} ms): about "
        f"{reg_best[6] / args.step_seconds * 3600:.0f} registrations an hour"
    )
    print(
        f"RESULT rush_rps={best[1]:.0f} p95_ms={best[4]:.0f} errors={errors} "
        f"knee_rps={knee:.0f}"
    )


def settings_workers() -> str:
    workers = os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1
    threads = os.environ.get("GUNICORN_THREADS") or 4
    return f"{workers} processes x {threads} threads"


if __name__ == "__main__":
    main()
