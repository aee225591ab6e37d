"""Dates, times, numbers and names written the way each language writes them.

Django translates month and day names but keeps one word order for every
language ("j F Y" gives "25 十月 2025" in Chinese). ICU (CLDR) knows each
language's own patterns, so here a date is asked for by what it shows
(a *style*: day, month and year; with the weekday; with the time...) and ICU
writes it for the active language: "25 October 2025", "25 octobre 2025",
"2025年10月25日", "25 أكتوبر 2025", "25 tháng 10, 2025".

Times are converted to the time zone given (the event's: every page and
email shows event times in Asia/Ho_Chi_Minh) and the styles that show a time
of day also show the zone ("14:30 GMT+7"), so nobody reads a local time for
UTC or the other way round.

Sorting names: ``collation_key`` gives ICU's collation for the active
language, so "Bélanger" sorts with "Belanger" (not after "Brown") and each
script sorts as its readers expect.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu
from django.utils import timezone, translation

# What each style shows, as an ICU skeleton (the order of the fields in the
# result is the language's own, from CLDR). ``z`` is the zone ("GMT+7").
STYLES = {
    "date": "yMMMMd",  # 25 October 2025
    "weekday_date": "yMMMMEEEEd",  # Saturday 25 October 2025
    "weekday_day": "MMMMEEEEd",  # Saturday 25 October
    "short_day": "MMMEd",  # Sat 25 Oct
    "numeric_date": "yMMdd",  # 25/10/2025
    "datetime": "yMMMMdHHmmz",  # 25 October 2025, 14:30 GMT+7
    "weekday_datetime": "yMMMMEEEEdHHmmz",  # Saturday 25 October 2025, 14:30 GMT+7
    "weekday_date_clock": "yMMMMEEEEdHHmm",  # Saturday 25 October 2025, 14:30
    "short_datetime": "MMMEdHHmmz",  # Sat 25 Oct, 14:30 GMT+7
    "short_day_clock": "MMMEdHHmm",  # Sat 25 Oct, 14:30
    "time": "HHmmz",  # 14:30 GMT+7
    "time_seconds": "HHmmssz",  # 14:30:05 GMT+7
    "clock": "HHmm",  # 14:30 (where the zone is shown once nearby)
}

# The ICU locale for each of our language codes. English as the UN writes it
# (day before month: "25 October 2025").
_ICU_LOCALES = {"en": "en_GB", "zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}

T = TypeVar("T")


def icu_locale(language: str | None = None) -> icu.Locale:
    code = (language or translation.get_language() or "en").lower()
    return icu.Locale(_ICU_LOCALES.get(code, code.replace("-", "_")))


@lru_cache(maxsize=256)
def _pattern(locale_id: str, skeleton: str) -> str:
    generator = icu.DateTimePatternGenerator.createInstance(icu.Locale(locale_id))
    return generator.getBestPattern(skeleton)


@lru_cache(maxsize=64)
def _icu_zone(name: str) -> icu.TimeZone:
    return icu.TimeZone.createTimeZone(name)


def _zone_name(tz: dt.tzinfo | str | None) -> str:
    if tz is None:
        return timezone.get_current_timezone_name()
    if isinstance(tz, str):
        return tz
    return getattr(tz, "key", None) or str(tz)


def format_datetime(
    value: dt.datetime | dt.date | None,
    style: str = "datetime",
    *,
    tz: dt.tzinfo | str | None = None,
    language: str | None = None,
) -> str:
    """``value`` in the active (or given) language, in ``style`` (a key of
    STYLES). An aware datetime is shown in ``tz`` (a zone or its name; by
    default the current one); a date is shown as that calendar day."""
    if value is None:
        return ""
    skeleton = STYLES[style]
    locale = icu_locale(language)
    fmt = icu.SimpleDateFormat(_pattern(locale.getName(), skeleton), locale)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        fmt.setTimeZone(_icu_zone(_zone_name(tz)))
        return fmt.format(value.timestamp())
    # A calendar day: noon UTC written in UTC is that day everywhere.
    fmt.setTimeZone(_icu_zone("UTC"))
    noon = dt.datetime(value.year, value.month, value.day, 12, tzinfo=dt.UTC)
    return fmt.format(noon.timestamp())


def format_date(value: dt.date | None, style: str = "date", **kwargs) -> str:
    return format_datetime(value, style, **kwargs)


def format_date_range(
    start: dt.date, end: dt.date, *, language: str | None = None
) -> str:
    """Two calendar days as one span: "25–26 October 2025",
    "2025年10月25日至26日"; one day when they are the same."""
    locale = icu_locale(language)
    interval = icu.DateIntervalFormat.createInstance(STYLES["date"], locale)
    noon = [
        dt.datetime(d.year, d.month, d.day, 12, tzinfo=dt.UTC).timestamp()
        for d in (start, end)
    ]
    # DateIntervalFormat writes in ICU's default zone; noon UTC is the same
    # calendar day in every zone from UTC-11 to UTC+11.
    return interval.format(icu.DateInterval(*noon))


def format_number(value: int | float, *, language: str | None = None) -> str:
    """2,500 / 2 500 / 2.500 as the language groups digits."""
    return icu.NumberFormat.createInstance(icu_locale(language)).format(value)


@lru_cache(maxsize=16)
def _collator(locale_id: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale_id))


def collation_key(language: str | None = None) -> Callable[[str], bytes]:
    """A sort key for strings in the active (or given) language's order."""
    collator = _collator(icu_locale(language).getName())
    return lambda text: collator.getSortKey(text or "")


def sorted_by_name(
    items: Iterable[T], *names: Callable[[T], str], language: str | None = None
) -> list[T]:
    """``items`` sorted by the strings ``names`` give (family name, then
    given name...) in the language's collation."""
    key = collation_key(language)
    return sorted(items, key=lambda item: tuple(key(name(item)) for name in names))


def event_zone(event) -> zoneinfo.ZoneInfo | None:
    return event.tzinfo if event is not None else None
