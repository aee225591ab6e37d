"""Bring the message catalogues in ``locale/`` in step with the code.

One fixed recipe, so that running it twice gives no diff and the test that
checks the catalogues (``tests/test_catalogues.py``) runs exactly the same:
every translated language of ``settings.LANGUAGES``, file names without line
numbers (a moved line changes nothing), no obsolete entries, then the
``.mo`` files compiled from the ``.po`` files (``msgfmt --check``), ours
and those of ``locale_vendor/`` (third-party strings, updated by hand).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import to_locale

# Folders that hold no user-facing text of ours.
IGNORED = [
    ".venv",
    "node_modules",
    "static/vendor",
    "staticfiles",
    "media",
    "private_media",
    "tests",
    "bench",
    "docs",
    "deploy",
    "var",
]


def translated_locales() -> list[str]:
    """The locales that have a catalogue (every language but the source)."""
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != "en"]


def make_messages(locales: list[str] | None = None, verbosity: int = 0) -> None:
    call_command(
        "makemessages",
        locale=locales or translated_locales(),
        ignore_patterns=IGNORED,
        add_location="file",
        no_obsolete=True,
        verbosity=verbosity,
    )


def compile_catalogue(po: Path, mo: Path) -> None:
    subprocess.run(
        ["msgfmt", "--check", "-o", str(mo), str(po)], check=True, capture_output=True
    )


def catalogue_files(locales: list[str] | None = None) -> list[Path]:
    """Every ``django.po`` of every locale path (ours and locale_vendor)."""
    wanted = locales or translated_locales()
    return [
        po
        for base in settings.LOCALE_PATHS
        for name in wanted
        if (po := Path(base) / name / "LC_MESSAGES" / "django.po").exists()
    ]


class Command(BaseCommand):
    help = (
        "Update locale/*/LC_MESSAGES/django.po from the code and compile the .mo files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale", "-l", action="append", help="Only these locales."
        )
        parser.add_argument(
            "--compile-only", action="store_true", help="Only compile the .po files."
        )

    def handle(self, *args, locale=None, compile_only=False, **options):
        if not compile_only:
            make_messages(locale, verbosity=options["verbosity"])
        for po in catalogue_files(locale):
            compile_catalogue(po, po.with_suffix(".mo"))
            self.stdout.write(f"compiled {po}")
