"""A generated 10,000-row participant file imported into PostgreSQL: the
check (preview, dry run) and then the import, as the admin, the portal and
the command line do them; against the same rows written by a plain
``bulk_create``.

    .venv/bin/python bench/import_participants.py [--rows 10000] [--format csv|xlsx]

Starts its own PostgreSQL (throwaway, socket only) and stops it. The file has
every column of the layout filled (names with accents in NFD as a Mac writes
them, Arabic and Chinese names, countries as codes, UN names and variants,
day-first dates, yes/no), one row per person, spread over all the States'
delegations.

* ours: ``import_file(dry_run=True)`` (read, match the columns, check every
  row, report) then ``import_file()`` (lock, check again, write in bulk with
  the history records, recompute the delegations' status), rows per second
  of the two together;
* bulk_create: the same participants, already parsed, written by
  ``Participant.objects.bulk_create(batch_size=1000)`` (no check, no history).

Last line: ``RESULT rows_per_s=<n> bulk_create_rows_per_s=<n>
ratio=<ours/bulk>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _servers  # noqa: E402

GIVEN = ["Văn An", "Thị Bình", "Minh Đức", "Ayşe", "José María", "محمد", "小明", "Анна"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Yılmaz", "García", "العتيبي", "王", "Иванова"]
ROLES = ["Delegate", "Adviser", "Alternate", "Press", "delegate"]
RANKS = ["Official", "Senior official", "Ambassador", "Minister"]
HEADER = [
    "Email",
    "Delegation",
    "Given names",
    "Family name",
    "Honorific",
    "Gender",
    "Function / title",
    "Role",
    "Protocol rank",
    "Nationality",
    "Date of birth",
    "Passport number",
    "Passport expiry",
    "Phone",
    "Arrival",
    "Departure",
    "Hotel",
    "Visa support letter",
    "Dietary needs",
    "Preferred language",
    "Consent to List of Participants",
]


def make_rows(n: int, states: list[tuple[str, str, str]]) -> list[list[str]]:
    rng = random.Random(2025)
    rows = [HEADER]
    for i in range(n):
        name, iso2, iso3 = states[i % len(states)]
        country = (name, iso2, iso3, iso3.lower())[i % 4]
        given = unicodedata.normalize("NFD", rng.choice(GIVEN))
        rows.append(
            [
                f"delegate{i}@mission{i % len(states)}.example.org",
                country,
                given,
                rng.choice(FAMILY),
                rng.choice(["Mr.", "Ms.", "H.E. Mr.", "Dr."]),
                rng.choice(["Female", "Male", "F", "M"]),
                "Counsellor, Ministry of Foreign Affairs",
                rng.choice(ROLES),
                rng.choice(RANKS),
                iso3,
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2000)}",
                f"P{rng.randint(1000000, 9999999)}",
                f"20{rng.randint(27, 35)}-0{rng.randint(1, 9)}-15",
                f"+84 24 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                "2025-10-24 14:30",
                "2025-10-27 09:00",
                "National Convention Center Hotel",
                rng.choice(["yes", "no"]),
                rng.choice(["", "Vegetarian", "Halal"]),
                rng.choice(["English", "French", "Vietnamese", "Arabic"]),
                "yes",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    n = args.rows

    database_url = _servers.start_postgres()
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
            "LOG_LEVEL": "WARNING",
            "CELERY_BROKER_URL": "",
        }
    )

    import django

    django.setup()
    import io

    from django.core.management import call_command
    from django.db import connection

    from delegations.enums import STATE_KINDS, ParticipantStatus
    from delegations.models import Delegation, Organisation, Participant
    from delegations.resources.columns import render_rows
    from delegations.services.imports import import_file
    from hanoi_event.models import Event

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())

    def make_event(slug: str) -> Event:
        event = Event.objects.create(
            name="Signing Ceremony of the UN Convention against Cybercrime",
            short_name="Hanoi Convention",
            slug=slug,
            venue="National Convention Center",
            city="Hanoi",
            time_zone="Asia/Ho_Chi_Minh",
            start_date=dt.date(2025, 10, 25),
            end_date=dt.date(2025, 10, 26),
            contact_email="secretariat@example.org",
        )
        Delegation.objects.bulk_create(
            Delegation(event=event, organisation=org) for org in states_qs
        )
        return event

    states_qs = list(
        Organisation.objects.filter(kind__in=[k.value for k in STATE_KINDS]).order_by(
            "name"
        )
    )
    states = [(o.name, o.iso2, o.iso3) for o in states_qs]
    rows = make_rows(n, states)
    data = render_rows(rows, args.format)
    event = make_event("bench-ours")
    print(
        f"PostgreSQL up; {n} rows, {len(data) / 1e6:.1f} MB {args.format}, "
        f"{len(states)} delegations",
        flush=True,
    )

    # --- ours: preview (dry run), then import
    t0 = time.perf_counter()
    _log, preview = import_file(
        kind="participants",
        data=data,
        file_name=f"bench.{args.format}",
        event=event,
        dry_run=True,
    )
    t1 = time.perf_counter()
    if not preview.ok or preview.created != n:
        first = preview.fatal or (preview.problems[:3] if preview.problems else None)
        raise SystemExit(f"the preview refused the file: {first}")
    _log, report = import_file(
        kind="participants", data=data, file_name=f"bench.{args.format}", event=event
    )
    t2 = time.perf_counter()
    written = Participant.objects.filter(event=event).count()
    if not report.ok or written != n:
        raise SystemExit(f"imported {written} of {n}")
    preview_s, import_s = t1 - t0, t2 - t1
    ours = n / (t2 - t0)
    print(
        f"ours: preview {preview_s:.2f} s ({n / preview_s:.0f}/s), import "
        f"{import_s:.2f} s ({n / import_s:.0f}/s), together {ours:.0f} rows/s",
        flush=True,
    )

    # --- plain bulk_create of the same people (already parsed) into a fresh event
    stored = list(
        Participant.objects.filter(event=event).values(
            "email",
            "delegation__organisation_id",
            "given_names",
            "family_name",
            "honorific",
            "gender",
            "function_title",
            "role",
            "protocol_rank",
            "nationality_id",
            "date_of_birth",
            "passport_number",
            "passport_expiry",
            "phone",
            "arrival_at",
            "departure_at",
            "hotel",
            "needs_visa_letter",
            "dietary_needs",
            "preferred_language",
            "consent_list_of_participants",
        )
    )
    plain = make_event("bench-plain")
    delegation_of = dict(
        Delegation.objects.filter(event=plain).values_list("organisation_id", "pk")
    )
    objects = []
    for values in stored:
        values = dict(values)
        org = values.pop("delegation__organisation_id")
        objects.append(
            Participant(
                event=plain,
                delegation_id=delegation_of[org],
                status=ParticipantStatus.NOMINATED,
                **values,
            )
        )
    connection.ensure_connection()
    t0 = time.perf_counter()
    Participant.objects.bulk_create(objects, batch_size=1000)
    bulk_s = time.perf_counter() - t0
    if Participant.objects.filter(event=plain).count() != n:
        raise SystemExit("bulk_create lost rows")
    bulk = n / bulk_s
    print(f"bulk_create: {n} in {bulk_s:.2f} s", flush=True)
    print(
        f"RESULT rows_per_s={ours:.0f} bulk_create_rows_per_s={bulk:.0f} "
        f"ratio={ours / bulk:.2f}"
    )


if __name__ == "__main__":
    main()
