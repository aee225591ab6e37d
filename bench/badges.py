"""2,500 badges with photos printed into one PDF, as a batch print job does
it (``accreditation.services.badge_pdf``: read the badges, shrink each photo
once, sign each QR payload, draw one card per page).

    .venv/bin/python bench/badges.py [--badges 2500] [--card-size cr80]

Starts its own PostgreSQL (throwaway, socket only) and stops it; photos and
the PDF go to a temporary folder. Each participant has an own photo file
(900 x 1,200 pixel JPEGs, as the portal stores them); names are in Latin
with Vietnamese marks, Arabic, Chinese, Cyrillic and Thai. Timings:

* cold: the first print, shrinking every photo on the way (about 10 ms a
  photo, in 4 threads);
* warm: the same print again, the small photos made once reused, as every
  print after the first is (a proof batch, a reprint, the day-1 batch).

Last line: ``RESULT seconds=<warm> badges_per_s=<warm> cold_seconds=<n>
cold_badges_per_s=<n> pages=<n> mb=<n>``.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--badges", type=int, default=2500)
    parser.add_argument("--card-size", default="cr80")
    args = parser.parse_args()
    n = args.badges

    media = Path(tempfile.mkdtemp(prefix="hanoi-bench-badges."))
    database_url = _servers.start_postgres()
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media),
            "DJANGO_SETTINGS_MODULE": "hanoi_event.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from pypdf import PdfReader

    from accreditation import services as accreditation
    from accreditation.models import Badge

    try:
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
        badges = list(Badge.objects.filter(event=event).order_by("number"))
        print(f"{len(badges)} badges with photos; printing", flush=True)

        t0 = time.perf_counter()
        data = accreditation.badge_pdf(badges=badges, card_size=args.card_size)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = accreditation.badge_pdf(badges=badges, card_size=args.card_size)
        warm = time.perf_counter() - t0
        pages = len(PdfReader(io.BytesIO(data)).pages)
        if pages != n or len(PdfReader(io.BytesIO(again)).pages) != n:
            raise SystemExit(f"the PDF has {pages} pages, not {n}")
        print(
            f"cold (photos shrunk): {cold:.2f} s; warm: {warm:.2f} s; "
            f"{pages} pages, {len(data) / 1e6:.1f} MB",
            flush=True,
        )
        print(
            f"RESULT seconds={warm:.2f} badges_per_s={n / warm:.0f} "
            f"cold_seconds={cold:.2f} cold_badges_per_s={n / cold:.0f} "
            f"pages={pages} mb={len(data) / 1e6:.1f}"
        )
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
