"""The registry of email kinds: what each kind of message is for, what it can
say (placeholders with sample values) and the English texts it ships with.

The bottom layer knows no kind of its own but two (``account`` and ``bulk``,
whose text is written elsewhere). Every app declares its kinds in its
``mail.py`` and registers them from ``AppConfig.ready()``::

    register_mail_kinds(
        MailKind("invitation", _("Invitation to a focal point"),
                 placeholders=[...], shipped_dir=Path(__file__).parent / "emails"),
    )

The outbox, the template admin and its preview read this registry; the
``kind`` fields of the models hold the plain value, so a new kind needs no
migration here. A shipped template is three files in ``shipped_dir``:
``<kind>.subject.txt``, ``<kind>.txt`` and optionally ``<kind>.html`` (English);
its translations are the same files in ``shipped_dir/<language code>/``
(``emails/fr/invitation.txt``, ``emails/zh-hans/invitation.txt``).

Context values are JSON-friendly primitives (strings, numbers, booleans, lists
and dicts of them), so a template can be previewed with the samples. A sample
may also be a date or datetime (written in the preview's language) or a
callable (called with the preview's language active).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .formatting import format_date_range


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: Any


@dataclass(frozen=True)
class MailKind:
    """One kind of message. ``shipped_dir`` is None for kinds whose text is
    written elsewhere (allauth's account mail, an organizer's bulk text):
    they have no editable template."""

    value: str
    label: Any
    placeholders: tuple[Placeholder, ...] = field(default_factory=tuple)
    shipped_dir: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "placeholders", tuple(self.placeholders))

    @property
    def templated(self) -> bool:
        return self.shipped_dir is not None


# Added by the outbox service to every message about an event.
COMMON_PLACEHOLDERS = (
    Placeholder(
        "event_name",
        _("The event's name"),
        "Signing Ceremony of the UN Convention against Cybercrime",
    ),
    Placeholder("event_short_name", _("The event's short name"), "Hanoi Convention"),
    Placeholder(
        "event_dates",
        _("The event's dates"),
        lambda: format_date_range(dt.date(2025, 10, 25), dt.date(2025, 10, 26)),
    ),
    Placeholder("event_venue", _("The venue"), "National Convention Center"),
    Placeholder("event_city", _("The city"), "Hanoi"),
    Placeholder(
        "event_contact_email", _("The organizers' address"), "secretariat@example.org"
    ),
    Placeholder(
        "recipient_email", _("The recipient's address"), "focal.point@example.org"
    ),
)

# Sample times are shown in the zone of the event the platform was built for.
SAMPLE_TIME_ZONE = "Asia/Ho_Chi_Minh"

_KINDS: dict[str, MailKind] = {}


def register_mail_kinds(*kinds: MailKind) -> None:
    """Add ``kinds`` to the registry (from an ``AppConfig.ready()``).

    Registering the same declaration again is harmless (``ready()`` may run
    twice in tests); two different declarations of one value are an error."""
    for kind in kinds:
        existing = _KINDS.get(kind.value)
        if existing is not None and existing != kind:
            raise ImproperlyConfigured(f"Mail kind {kind.value!r} is declared twice.")
        if kind.templated:
            for suffix in ("subject.txt", "txt"):
                path = kind.shipped_dir / f"{kind.value}.{suffix}"
                if not path.exists():
                    raise ImproperlyConfigured(f"Mail kind {kind.value!r}: no {path}.")
        _KINDS[kind.value] = kind


def mail_kind(value: str) -> MailKind | None:
    return _KINDS.get(value)


def mail_kinds() -> list[MailKind]:
    """Every registered kind, by label."""
    return sorted(_KINDS.values(), key=lambda k: str(k.label))


def templated_kinds() -> list[MailKind]:
    """The kinds that have an editable template."""
    return [kind for kind in mail_kinds() if kind.templated]


def mail_kind_label(value: str) -> str:
    """The kind's label, or its raw value for a kind no app declares (a
    template or an outbox row left from a kind that was removed)."""
    kind = _KINDS.get(value)
    return str(kind.label) if kind else value


def mail_kind_choices(kinds: Iterable[MailKind] | None = None) -> list[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in (mail_kinds() if kinds is None else kinds)]


def placeholders_for(value: str) -> list[Placeholder]:
    kind = _KINDS.get(value)
    return [*(kind.placeholders if kind else ()), *COMMON_PLACEHOLDERS]


def sample_value(sample: Any, language: str = "en") -> Any:
    """A placeholder's sample as a message in ``language`` gets it: a date or
    a time written in that language (times in the event's zone), a callable
    called with the language active."""
    from django.utils import translation

    from .formatting import format_date, format_datetime

    if isinstance(sample, dt.datetime):
        return format_datetime(
            sample, "datetime", tz=SAMPLE_TIME_ZONE, language=language
        )
    if isinstance(sample, dt.date):
        return format_date(sample, language=language)
    if callable(sample):
        with translation.override(language):
            return sample()
    return sample


def sample_context(value: str, language: str = "en") -> dict[str, Any]:
    return {p.name: sample_value(p.sample, language) for p in placeholders_for(value)}


def _shipped_dir(value: str) -> Path:
    kind = _KINDS.get(value)
    if kind is None or not kind.templated:
        raise ImproperlyConfigured(f"Mail kind {value!r} ships no template.")
    return kind.shipped_dir


def shipped_languages(value: str) -> list[str]:
    """The languages kind ``value`` ships a text in: English first, then
    every language of ``settings.LANGUAGES`` that has its files."""
    from django.conf import settings

    directory = _shipped_dir(value)
    return ["en"] + [
        code
        for code, _name in settings.LANGUAGES
        if code != "en" and (directory / code / f"{value}.txt").exists()
    ]


def shipped_template(value: str, language: str = "en") -> dict[str, str]:
    """The texts shipped for kind ``value`` in ``language`` (English's when
    that language has none)."""
    directory = _shipped_dir(value)
    if language != "en" and (directory / language / f"{value}.txt").exists():
        directory = directory / language
    html = directory / f"{value}.html"
    return {
        "subject": (directory / f"{value}.subject.txt").read_text().strip(),
        "text_body": (directory / f"{value}.txt").read_text(),
        "html_body": html.read_text() if html.exists() else "",
    }
