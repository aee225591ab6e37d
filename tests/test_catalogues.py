"""The message catalogues: complete in every language, in step with the code,
compiled; the shipped emails in every language.

Run ``manage.py update_catalogues`` after changing a user-facing string, then
translate what it left empty (an entry with the same text as the English is
allowed only with the translator comment "Same in this language.")."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings

from hanoi_event.management.commands.update_catalogues import (
    catalogue_files,
    compile_catalogue,
    make_messages,
    translated_locales,
)

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SAME_MARK = "Same in this language."
LOCALES = translated_locales()


def catalogue(locale: str, base: Path = LOCALE_DIR) -> polib.POFile:
    return polib.pofile(str(base / locale / "LC_MESSAGES" / "django.po"))


def entry_key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_every_language_but_english_has_a_catalogue():
    assert LOCALES == ["fr", "es", "ru", "zh_Hans", "ar", "vi"]
    for locale in LOCALES:
        assert (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").exists(), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete_with_no_fuzzy_entry_and_no_english_copy(locale):
    po = catalogue(locale)
    assert not po.metadata_is_fuzzy, f"{locale}: the header is marked fuzzy"
    assert po.metadata["Language"] == locale
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    partial_plurals = [
        e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())
    ]
    copies = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and e.msgstr == e.msgid and SAME_MARK not in e.tcomment
    ]
    assert untranslated == [], f"{locale}: {len(untranslated)} untranslated"
    assert fuzzy == [], f"{locale}: fuzzy entries"
    assert partial_plurals == [], f"{locale}: plural forms missing"
    assert copies == [], f"{locale}: msgstr identical to the English msgid"
    assert len(po) > 1000


def test_makemessages_gives_no_diff(tmp_path, settings, monkeypatch):
    """The recipe of ``manage.py update_catalogues`` run over a copy of the
    sources and catalogues changes no entry: every string of the code is in
    them, none that the code no longer has, translations and flags as
    committed. (makemessages writes into the ``locale`` folder of the tree it
    walks, so it walks a copy.)"""
    source = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".*",
            "__pycache__",
            "*.sqlite3",
            "*.mo",
            "node_modules",
            "static",
            "media",
            "private_media",
            "staticfiles",
            "tests",
            "bench",
            "docs",
            "deploy",
        ),
    )
    copy = source / "locale"
    settings.LOCALE_PATHS = [copy, source / "locale_vendor"]
    monkeypatch.chdir(source)
    make_messages()
    for locale in LOCALES:
        committed = {entry_key(e): e for e in catalogue(locale)}
        fresh = {entry_key(e): e for e in catalogue(locale, copy)}
        assert sorted(fresh.keys() - committed.keys(), key=str) == [], (
            f"{locale}: strings in the code but not in the catalogue: "
            "run manage.py update_catalogues"
        )
        assert sorted(committed.keys() - fresh.keys(), key=str) == [], (
            f"{locale}: strings in the catalogue the code no longer has"
        )
        for key, entry in fresh.items():
            old = committed[key]
            assert (entry.msgstr, entry.msgstr_plural, sorted(entry.flags)) == (
                old.msgstr,
                old.msgstr_plural,
                sorted(old.flags),
            ), f"{locale}: {key[1][:60]!r} changes when makemessages runs"


@pytest.mark.parametrize(
    "po",
    catalogue_files(),
    ids=lambda po: f"{po.parent.parent.parent.name}/{po.parent.parent.name}",
)
def test_compiled_catalogue_is_compiled_from_the_committed_po(po, tmp_path):
    locale = po.parent.parent.name
    compiled = tmp_path / "django.mo"
    compile_catalogue(po, compiled)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"{locale}: django.mo is stale: run manage.py update_catalogues --compile-only"
    )


def test_vendor_catalogue_translates_allauths_strings_that_allauth_does_not():
    """allauth ships no Vietnamese: locale_vendor/vi has every allauth string
    our account pages show, all translated, each still one of allauth's (an
    allauth upgrade that drops or rewords one fails here)."""
    import allauth

    vendor = polib.pofile(
        str(Path(settings.LOCALE_PATHS[1]) / "vi/LC_MESSAGES/django.po")
    )
    allauth_fr = polib.pofile(
        str(Path(allauth.__file__).parent / "locale/fr/LC_MESSAGES/django.po")
    )
    known = {entry_key(e) for e in allauth_fr if not e.obsolete}
    assert not (Path(allauth.__file__).parent / "locale/vi").exists()
    assert len(vendor) > 250
    assert [e.msgid for e in vendor if entry_key(e) not in known] == []
    assert [e.msgid for e in vendor.untranslated_entries()] == []
    assert [e.msgid for e in vendor.fuzzy_entries()] == []
    compiled = Path(settings.LOCALE_PATHS[1]) / "vi/LC_MESSAGES/django.mo"
    assert compiled.exists()


@pytest.mark.django_db
def test_the_vietnamese_sign_in_page_is_in_vietnamese(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="vi"' in body
    for english in ("Sign In", "Forgot your password?", "Password"):
        assert english not in body, english
