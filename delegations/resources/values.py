"""Cell values in, cell values out.

In: what people type in spreadsheets becomes a field value (names NFC
normalised with the whitespace trimmed, emails trimmed and lower-cased,
dates in the usual day-first and ISO forms, yes/no in a few languages,
choices by their code or label in any case and without accents), or a
``CellError`` saying why not.

Out: ``neutralise`` makes a cell that a spreadsheet would run as a formula
(it begins with =, +, -, @, a tab or a carriage return) plain text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from .tabular import Cell


class CellError(Exception):
    """A cell's value cannot be used; ``message`` is the reason."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


# Text ------------------------------------------------------------------------

# Characters Excel and web pages leave in cells that are not part of a name.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Cell) -> str:
    """The cell as text, as a person would read it: numbers without a
    trailing ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def clean_text(value: Cell) -> str:
    """Single-line text: NFC normalised (a Mac writes Vietnamese decomposed),
    invisible characters removed, runs of whitespace (non-breaking spaces,
    line breaks) made one space, trimmed. The apostrophe that ``neutralise``
    put before a formula character on export is taken off again."""
    text = value if type(value) is str else cell_text(value)
    if text.isascii():
        # No invisible character and nothing to compose: the common case.
        text = " ".join(text.split())
    else:
        text = " ".join(text.translate(_INVISIBLE).split())
        text = unicodedata.normalize("NFC", text)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def is_blank(value: Cell) -> bool:
    if value is None:
        return True
    if type(value) is str:
        if value.isascii():
            return not value.strip()
        return not value.strip() or not value.translate(_INVISIBLE).strip()
    return False


def fold(text: str) -> str:
    """A key to compare names and labels: no accents, case folded, curly
    quotes straight, punctuation as spaces, runs of spaces as one."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    text = text.replace("'", "")
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


def compact(text: str) -> str:
    """``fold`` without spaces: "H.E. Mr." and "HE Mr" meet as "hemr"."""
    return fold(text).replace(" ", "")


def neutralise(value):
    """``value`` made safe for a spreadsheet: text beginning with =, +, -,
    @, tab or carriage return gets a leading apostrophe, so Excel and
    LibreOffice show it as text instead of running it."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# Email -----------------------------------------------------------------------


def clean_email(value: Cell) -> str:
    email = clean_text(value).lower()
    if email.startswith("mailto:"):
        email = email[len("mailto:") :]
    if len(email) > 254:
        raise too_long(254, len(email))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise CellError(_("Not a valid email address."), code="invalid_email") from exc
    return email


def too_long(limit: int, length: int) -> CellError:
    return CellError(
        _("Too long: at most %(limit)s characters (this one has %(length)s).")
        % {"limit": limit, "length": length},
        code="too_long",
    )


def clean_limited_text(value: Cell, max_length: int | None) -> str:
    text = clean_text(value)
    if max_length is not None and len(text) > max_length:
        raise too_long(max_length, len(text))
    return text


# Dates -----------------------------------------------------------------------

MIN_YEAR, MAX_YEAR = 1900, 2100

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "janvier", "janv", "enero", "ene"),
            ("february", "feb", "fevrier", "fev", "febrero"),
            ("march", "mar", "mars", "marzo"),
            ("april", "apr", "avril", "avr", "abril", "abr"),
            ("may", "mai", "mayo"),
            ("june", "jun", "juin", "junio"),
            ("july", "jul", "juillet", "juil", "julio"),
            ("august", "aug", "aout", "agosto", "ago"),
            ("september", "sep", "sept", "septembre", "septiembre"),
            ("october", "oct", "octobre", "octubre"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "decembre", "diciembre", "dic"),
        ),
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2}) ([a-z]+) (\d{4})$")
_WORDS_US = re.compile(r"^([a-z]+) (\d{1,2}) (\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:h.](\d{2})(?::(\d{2}))?$")


def _invalid_date() -> CellError:
    return CellError(
        _("Not a date. Write it as YYYY-MM-DD or DD/MM/YYYY (day first)."),
        code="invalid_date",
    )


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise _invalid_date() from exc
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise CellError(
            _("The year must be between %(min)s and %(max)s.")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
            code="invalid_date",
        )
    return date


def _parse_date_text(text: str) -> dt.date:
    text = text.strip()
    if match := _ISO.match(text):
        year, month, day = map(int, match.groups())
        return _make_date(year, month, day)
    if match := _DAY_FIRST.match(text):
        day, month, year = map(int, match.groups())
        return _make_date(year, month, day)
    words = fold(text)
    if match := _WORDS.match(words):
        day, month_name, year = match.groups()
        if month_name in _MONTHS:
            return _make_date(int(year), _MONTHS[month_name], int(day))
    if match := _WORDS_US.match(words):
        month_name, day, year = match.groups()
        if month_name in _MONTHS:
            return _make_date(int(year), _MONTHS[month_name], int(day))
    raise _invalid_date()


def clean_date(value: Cell) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise _invalid_date()
        return _make_date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _invalid_date()
    text = clean_text(value)
    # "1980-05-17 00:00:00": a date that went through a spreadsheet as a time.
    if len(text) > 10 and text[10:].strip() in ("00:00:00", "00:00", "T00:00:00"):
        text = text[:10]
    return _parse_date_text(text)


def _invalid_datetime() -> CellError:
    return CellError(
        _(
            "Not a date and time. Write it as YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM "
            "(24-hour clock, the event's time zone)."
        ),
        code="invalid_datetime",
    )


def clean_datetime(value: Cell, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A moment; a date and time without a zone is taken in ``tz`` (the
    event's), a date alone as midnight there."""
    if isinstance(value, dt.datetime):
        _make_date(value.year, value.month, value.day)
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        date = _make_date(value.year, value.month, value.day)
        return dt.datetime.combine(date, dt.time(0, 0), tzinfo=tz)
    text = clean_text(value).replace("T", " ")
    if not text:
        raise _invalid_datetime()
    date_part, _sep, time_part = text.partition(" ")
    try:
        date = _parse_date_text(date_part)
    except CellError as exc:
        # "25 October 2025 09:00": the date has spaces in it.
        parts = text.rsplit(" ", 1)
        if len(parts) == 2 and _TIME.match(parts[1]):
            date = _parse_date_text(parts[0])
            time_part = parts[1]
        else:
            try:
                date, time_part = _parse_date_text(text), ""
            except CellError:
                raise _invalid_datetime() from exc
    time = dt.time(0, 0)
    if time_part:
        match = _TIME.match(time_part.strip())
        if not match:
            raise _invalid_datetime()
        hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            time = dt.time(hour, minute, second)
        except ValueError as exc:
            raise _invalid_datetime() from exc
    return dt.datetime.combine(date, time, tzinfo=tz)


# Yes / no, choices -------------------------------------------------------------

_TRUE = {"yes", "y", "true", "1", "x", "oui", "si", "ja", "da", "co", "✓", "✔"}
_FALSE = {"no", "n", "false", "0", "non", "nein", "net", "khong", "-"}


def clean_bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = clean_text(value)
    key = fold(text) or text
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("Write yes or no."), code="invalid_choice")


class Choices:
    """A choice field's values, found by code, by label or by a synonym, in
    any case and without accents or punctuation."""

    def __init__(self, choices: Iterable[tuple], synonyms: dict | None = None):
        self.choices = list(choices)
        self.synonyms = dict(synonyms or {})
        self._index: dict[str, object] | None = None

    @property
    def index(self) -> dict[str, object]:
        # Built on first use, from the English labels (files are English
        # whatever the page's language).
        if self._index is None:
            index: dict[str, object] = {}
            with translation.override("en"):
                for value, label in self.choices:
                    index.setdefault(compact(str(value)), value)
                    index.setdefault(compact(str(label)), value)
            for synonym, value in self.synonyms.items():
                index[compact(synonym)] = value
            self._index = index
        return self._index

    def clean(self, value: Cell):
        found = self.index.get(compact(clean_text(value)), _MISSING)
        if found is _MISSING:
            raise CellError(
                _("Not one of: %(choices)s.")
                % {"choices": ", ".join(str(label) for _v, label in self.choices)},
                code="invalid_choice",
            )
        return found

    def label(self, value) -> str:
        for code, label in self.choices:
            if code == value:
                return str(label)
        return "" if value is None else str(value)


_MISSING = object()
