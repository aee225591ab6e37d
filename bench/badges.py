"""2,500 badges with photos printed into one PDF, as a batch print job does
it (``accreditation.services.badge_pdf``: read the badges, sign each QR
payload, draw one card per page with the photo's small copy).

    .venv/bin/python bench/badges.py [--badges 2500] [--card-size cr80]

Starts its own PostgreSQL (throwaway, socket only), Redis and a Celery
worker (2 processes, as deploy/ runs them) and stops them; photos and the
PDF go to a temporary folder. Each participant has an own photo file
(900 x 1,200 pixel JPEGs, as the portal stores them); names are in Latin
with Vietnamese marks, Arabic, Chinese, Cyrillic and Thai.

The participants are approved and get their badges as in production
(``badges_issue_many``): issuing a badge hands its photo to the workers,
which make the small copy printing uses. Timings:

* copies: from the badges' commit until the worker has made every copy (in
  production this runs in the background over the days of approvals);
* first print (``seconds``, ``cold_seconds``): the first print after the
  approvals, the copies made by then, as the day-1 batch finds them;
* again (``warm_seconds``): the same print once more;
* fallback (``fallback_seconds``): a print that finds no copy at all (the
  worker was down all along) and shrinks every photo itself.

Last line: ``RESULT seconds=<first print> badges_per_s=<first print>
cold_seconds=<first print> warm_seconds=<n> fallback_seconds=<n>
copies_seconds=<n> pages=<n> mb=<n>``.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _servers  # noqa: E402
from bench.checkin import approved_event  # noqa: E402

NAMES = [
    ("Văn Đức", "Trần"),
    ("Thị Hương", "Nguyễn"),
    ("محمد", "العتيبي"),
    ("小明", "王"),
    ("Анна", "Иванова"),
    ("สมชาย", "ใจดี"),
    ("José María", "García"),
    ("Ayşe", "Yılmaz"),
]


def make_photos(folder: Path, count: int, distinct: int = 50) -> list[str]:
    """``count`` photo files under ``folder`` (names relative to it), made
    from ``distinct`` generated portraits."""
    from PIL import Image, ImageDraw

    rng = random.Random(2025)
    blobs = []
    for i in range(distinct):
        image = Image.new("RGB", (900, 1200), (rng.randrange(256), 200, 180))
        draw = ImageDraw.Draw(image)
        draw.ellipse((225, 190, 675, 750), fill=(230, 190, 160))
        draw.rectangle((110, 790, 790, 1200), fill=(30 + i, 40, 90))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=88)
        blobs.append(out.getvalue())
    (folder / "photos").mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(count):
        name = f"photos/p{i:05d}.jpg"
        (folder / name).write_bytes(blobs[i % distinct])
        names.append(name)
    return names


def _print(accreditation, badges, card_size) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    data = accreditation.badge_pdf(badges=badges, card_size=card_size)
    return time.perf_counter() - t0, data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--badges", type=int, default=2500)
    parser.add_argument("--card-size", default="cr80")
    args = parser.parse_args()
    n = args.badges

    media = Path(tempfile.mkdtemp(prefix="hanoi-bench-badges."))
    database_url = _servers.start_postgres()
    redis_url = _servers.start_redis()
    env = {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from pypdf import PdfReader

    from accreditation import services as accreditation
    from accreditation.models import Badge

    try:
        call_command("migrate", verbosity=0)
        _servers.start_worker(
            database_url=database_url,
            broker_url=redis_url,
            extra_env={"MEDIA_ROOT": str(media), "LOG_LEVEL": "WARNING"},
            concurrency=2,
        )
        photos = make_photos(media, n)
        event = approved_event(
            n,
            lambda i: {
                "given_names": NAMES[i % len(NAMES)][0],
                "family_name": NAMES[i % len(NAMES)][1],
                "honorific": "he_mr" if i % 7 == 0 else "",
                "function_title": "Ambassador, Permanent Representative"
                if i % 5 == 0
                else "Counsellor",
                "photo": photos[i],
            },
            delegations=195,
        )
        t0 = time.perf_counter()  # the badges are committed: the copies queued
        copies = media / "badge_photos"
        while not copies.is_dir() or len(list(copies.glob("*.jpg"))) < n:
            if time.perf_counter() - t0 > 600:
                raise SystemExit("the worker did not make the photo copies")
            time.sleep(0.2)
        copies_s = time.perf_counter() - t0
        print(f"photo copies made by the worker {copies_s:.2f} s after issuing")

        badges = list(Badge.objects.filter(event=event).order_by("number"))
        print(f"{len(badges)} badges with photos; printing", flush=True)
        cold, data = _print(accreditation, badges, args.card_size)
        warm, again = _print(accreditation, badges, args.card_size)
        shutil.rmtree(copies)
        fallback, without = _print(accreditation, badges, args.card_size)
        for pdf in (data, again, without):
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            if pages != n:
                raise SystemExit(f"the PDF has {pages} pages, not {n}")
        print(
            f"first print: {cold:.2f} s; again: {warm:.2f} s; without copies: "
            f"{fallback:.2f} s; {pages} pages, {len(data) / 1e6:.1f} MB",
            flush=True,
        )
        print(
            f"RESULT seconds={cold:.2f} badges_per_s={n / cold:.0f} "
            f"cold_seconds={cold:.2f} warm_seconds={warm:.2f} "
            f"fallback_seconds={fallback:.2f} copies_seconds={copies_s:.2f} "
            f"pages={pages} mb={len(data) / 1e6:.1f}"
        )
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
