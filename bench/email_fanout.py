"""2,500 invitations through the outbox, Redis and a 2-process Celery worker to
a loopback SMTP server, against a plain smtplib loop over one connection.

    .venv/bin/python bench/email_fanout.py [--count 2500]

Starts its own PostgreSQL, Redis, aiosmtpd sink (own process) and worker, and
stops them. Timings:

* queue: email_queue_many() for all invitations in one transaction (the
  template rendered for each, the outbox rows written in bulk);
* ours: from that commit (delivery is enqueued on commit) until the last row
  is marked sent in the database;
* end to end: queue plus delivery, from the first render to the last row sent;
* raw: the same messages (subject, text, HTML) built with the standard
  library and sent by smtplib over one connection, one after the other.

Last line: ``RESULT emails_per_s=<ours> raw_smtplib_per_s=<raw> ratio=<ours/raw>
queue_per_s=<n> end_to_end_per_s=<n> end_to_end_ratio=<end to end/raw>``.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import sys
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _servers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2500)
    args = parser.parse_args()
    n = args.count

    database_url = _servers.start_postgres()
    redis_url = _servers.start_redis()
    sink = _servers.start_smtp_sink()
    env = {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_URL": sink.email_url,
        "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command

    from hanoi_event.enums import EmailStatus
    from hanoi_event.models import OutboundEmail
    from tests.outbox_load import queue_invitations

    call_command("migrate", verbosity=0)
    event = _servers.bench_event()
    worker = _servers.start_worker(
        database_url=database_url,
        broker_url=redis_url,
        extra_env={"EMAIL_URL": sink.email_url, "LOG_LEVEL": "WARNING"},
        concurrency=2,
    )
    print(f"servers up; worker pid {worker.pid}; sending {n} invitations", flush=True)

    # --- ours
    t0 = t0_queue = time.perf_counter()
    queue_invitations(n, event=event, key_prefix="bench-invitation")
    t_committed = time.perf_counter()
    sent = OutboundEmail.objects.filter(status=EmailStatus.SENT)
    while sent.count() < n:
        if time.perf_counter() - t_committed > 600:
            raise SystemExit(f"only {sent.count()} of {n} sent after 600 s")
        time.sleep(0.02)
    t_done = time.perf_counter()
    received = sink.count()
    failed = OutboundEmail.objects.exclude(status=EmailStatus.SENT).count()
    if received != n or failed:
        raise SystemExit(f"sink received {received} of {n}; {failed} not sent")
    # Each message exactly once, by identity (Message-ID), not only in number.
    per_id = sink.per_message_id()
    expected = set(OutboundEmail.objects.values_list("message_id", flat=True))
    if set(per_id) != expected or set(per_id.values()) != {1}:
        raise SystemExit("the sink did not get each message exactly once")
    queue_s, deliver_s = t_committed - t0, t_done - t_committed
    ours = n / deliver_s
    print(
        f"ours: queue {n} in {queue_s:.2f} s ({n / queue_s:.0f}/s); "
        f"deliver in {deliver_s:.2f} s ({ours:.0f}/s); "
        f"end to end {n / (t_done - t0):.0f}/s",
        flush=True,
    )

    # --- raw smtplib loop, same messages
    from django.conf import settings

    rows = list(
        OutboundEmail.objects.order_by("pk").values_list(
            "to_email", "subject", "text_body", "html_body"
        )
    )
    before = sink.count()
    t0 = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        for i, (to, subject, text, html) in enumerate(rows):
            msg = EmailMessage()
            msg["Subject"] = subject
            msg["From"] = settings.DEFAULT_FROM_EMAIL
            msg["To"] = to
            msg["Message-ID"] = f"<raw.{i}@bench>"
            msg.set_content(text)
            if html:
                msg.add_alternative(html, subtype="html")
            smtp.send_message(msg)
    raw_s = time.perf_counter() - t0
    if sink.count() - before != n:
        raise SystemExit("the raw loop lost messages")
    raw = n / raw_s
    print(f"raw smtplib: {n} in {raw_s:.2f} s", flush=True)
    end_to_end = n / (t_done - t0_queue)
    print(
        f"RESULT emails_per_s={ours:.0f} raw_smtplib_per_s={raw:.0f} "
        f"ratio={ours / raw:.2f} queue_per_s={n / queue_s:.0f} "
        f"end_to_end_per_s={end_to_end:.0f} end_to_end_ratio={end_to_end / raw:.2f}"
    )


if __name__ == "__main__":
    main()
