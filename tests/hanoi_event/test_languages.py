"""Seven languages: dates and numbers per locale (ICU), names sorted per
locale, the language chosen remembered for the account and the visitor, the
shipped emails in every language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hanoi_event.formatting import (
    format_date,
    format_date_range,
    format_datetime,
    format_number,
    sorted_by_name,
)
from hanoi_event.mail_kinds import sample_context, shipped_languages, templated_kinds
from hanoi_event.models import AccountLanguage, EmailTemplate
from hanoi_event.services import email_render
from hanoi_event.services.outbox import event_context
from tests.factories import EventFactory, VerifiedUserFactory

CODES = [code for code, _name in settings.LANGUAGES]
OPENING = dt.datetime(2025, 10, 25, 2, 30, tzinfo=dt.UTC)  # 09:30 in Hanoi

# What a reader of each language expects, from CLDR (ICU).
EXPECTED = {
    "en": (
        "25 October 2025",
        "25–26 October 2025",
        "Saturday, 25 October 2025",
        "2,500",
    ),
    "fr": (
        "25 octobre 2025",
        "25–26 octobre 2025",
        "samedi 25 octobre 2025",
        "2\u202f500",
    ),
    "es": (
        "25 de octubre de 2025",
        "25–26 de octubre de 2025",
        "sábado, 25 de octubre de 2025",
        "2.500",
    ),
    "ru": (
        "25 октября 2025\u202fг.",
        "25–26 октября 2025\u202fг.",
        "суббота, 25 октября 2025\u202fг.",
        "2\xa0500",
    ),
    "zh-hans": (
        "2025年10月25日",
        "2025年10月25日至26日",
        "2025年10月25日星期六",
        "2,500",
    ),
    "ar": ("25 أكتوبر 2025", "25–26 أكتوبر 2025", "السبت، 25 أكتوبر 2025", "2,500"),
    "vi": (
        "25 tháng 10, 2025",
        "25\u2009–\u200926 tháng 10, 2025",
        "Thứ Bảy, 25 tháng 10, 2025",
        "2.500",
    ),
}


def test_the_seven_languages_of_the_event():
    assert CODES == ["en", "fr", "es", "ru", "zh-hans", "ar", "vi"]
    assert set(EXPECTED) == set(CODES)


@pytest.mark.parametrize("language", CODES)
def test_dates_ranges_and_numbers_are_written_as_the_language_writes_them(language):
    day, span, weekday, number = EXPECTED[language]
    with translation.override(language):
        assert format_date(dt.date(2025, 10, 25)) == day
        assert format_date_range(dt.date(2025, 10, 25), dt.date(2025, 10, 26)) == span
        assert format_date(dt.date(2025, 10, 25), "weekday_date") == weekday
        assert format_number(2500) == number
        clock = format_datetime(OPENING, "time", tz="Asia/Ho_Chi_Minh")
    # The time is the event's (09:30 in Hanoi, 02:30 UTC; Spanish writes
    # 9:30) and names its zone.
    assert "9:30" in clock and "2:30" not in clock
    assert "+7" in clock


def test_a_date_sentence_in_a_language_has_no_english_word():
    for language in ("fr", "es", "ru", "zh-hans", "ar", "vi"):
        with translation.override(language):
            text = format_datetime(OPENING, "weekday_datetime", tz="Asia/Ho_Chi_Minh")
        assert "October" not in text and "Saturday" not in text, (language, text)
        assert "GMT+7" in text or "UTC+7" in text or "غرينتش+7" in text, (
            language,
            text,
        )


def test_names_sort_by_the_readers_collation_accents_with_their_letter():
    names = ["Brown", "Bélanger", "Zhou", "Belanger", "Ábel", "Đặng", "Dang"]
    with translation.override("fr"):
        ordered = sorted_by_name(names, lambda name: name)
    assert ordered.index("Bélanger") < ordered.index("Brown")
    assert ordered[:4] == ["Ábel", "Belanger", "Bélanger", "Brown"]
    # A byte-wise sort puts the accented names after "Zhou".
    assert sorted(names)[-3:] == ["Zhou", "Ábel", "Đặng"]


@pytest.mark.django_db
def test_delegation_page_lists_members_in_collation_order():
    from delegations.selectors import portal_delegation_members
    from tests.factories import DelegationFactory, ParticipantFactory

    delegation = DelegationFactory()
    for family in ["Brown", "Bélanger", "Abe"]:
        ParticipantFactory(
            delegation=delegation, event=delegation.event, family_name=family
        )
    with translation.override("fr"):
        members = portal_delegation_members(delegation)
    assert [p.family_name for p in members] == ["Abe", "Bélanger", "Brown"]


@pytest.mark.django_db
def test_the_browsers_language_is_the_first_guess(client):
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert '<html lang="ar" dir="rtl">' in body.content.decode()
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9")
    assert '<html lang="vi" dir="ltr">' in body.content.decode()


@pytest.mark.django_db
def test_a_visitors_choice_is_remembered_over_the_browsers_language(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr").content
    assert b'<html lang="ru" dir="ltr">' in body
    assert AccountLanguage.objects.count() == 0


@pytest.mark.django_db
def test_an_accounts_choice_follows_it_to_another_browser(client):
    user = VerifiedUserFactory(email="fp@example.org")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert AccountLanguage.objects.get(user=user).language == "zh-hans"

    from django.test import Client

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = other.post(
        reverse("account_login"),
        {"login": "fp@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert other.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    body = other.get(reverse("portal:home")).content.decode()
    assert '<html lang="zh-hans"' in body


@pytest.mark.django_db
def test_a_first_sign_in_keeps_the_language_the_person_was_reading_in(client):
    user = VerifiedUserFactory(email="dao@example.org")
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    client.post(
        reverse("account_login"),
        {"login": "dao@example.org", "password": "correct horse battery staple"},
    )
    assert AccountLanguage.objects.get(user=user).language == "vi"


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client):
    user = VerifiedUserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert not AccountLanguage.objects.filter(user=user).exists()
    assert client.get(reverse("set_language")).status_code == 405


def test_every_kind_ships_its_email_in_every_language():
    for kind in templated_kinds():
        assert shipped_languages(kind.value) == CODES, kind.value


@pytest.mark.django_db
@pytest.mark.parametrize("language", CODES)
def test_each_kind_renders_in_each_language_with_its_dates_in_that_language(language):
    """Every shipped email, rendered as the outbox renders it: no placeholder
    left, the event's dates and every date placeholder written in the
    language, no English month in another language's email, and the text not
    the English text."""
    event = EventFactory(
        start_date=dt.date(2025, 10, 25), end_date=dt.date(2025, 10, 26)
    )
    for kind in templated_kinds():
        rows = {t.language: t for t in EmailTemplate.objects.filter(kind=kind.value)}
        assert set(rows) == set(CODES), kind.value
        context = {
            **sample_context(kind.value, language),
            **event_context(event, language),
        }
        subject, text, html = email_render(rows[language], context)
        assert "{{" not in subject + text + html and "{%" not in text, (
            kind.value,
            language,
        )
        body = subject + "\n" + text
        for name in ("event_dates", "expires_on", "deadline", "day", "when", "was"):
            source = rows[language].text_body + rows[language].subject
            if re.search(r"\{\{ *" + name + r"\b", source):
                assert context[name] in body, (kind.value, language, name)
        if language != "en":
            assert "October" not in body, (kind.value, language)
            english, english_text, _html = email_render(rows["en"], context)
            assert text != english_text and subject != english, (kind.value, language)


@pytest.mark.django_db
def test_an_invitation_is_written_in_the_language_chosen_date_included():
    from delegations.services import invitation_send
    from hanoi_event.models import OutboundEmail
    from tests.factories import DelegationFactory

    delegation = DelegationFactory(event__invitation_validity_days=14)
    invitation, _token = invitation_send(
        delegation=delegation, email="pf@example.org", invited_by=None, language="fr"
    )
    row = OutboundEmail.objects.get()
    expires = invitation.expires_at.astimezone(delegation.event.tzinfo).date()
    assert row.language == "fr"
    assert format_date(expires, language="fr") in row.text_body
    assert "Dear" not in row.text_body


@pytest.mark.django_db
def test_the_admin_invites_in_the_language_chosen_per_delegation(admin_client):
    from delegations.models import Invitation
    from hanoi_event.models import OutboundEmail
    from tests.factories import DelegationFactory

    delegation = DelegationFactory()
    response = admin_client.post(
        reverse("admin:delegations_delegation_changelist"),
        {
            "action": "invite_focal_points",
            "_selected_action": [delegation.pk],
            "apply": "1",
            "invite-TOTAL_FORMS": "1",
            "invite-INITIAL_FORMS": "1",
            "invite-0-delegation_id": delegation.pk,
            "invite-0-email": "pf@example.org",
            "invite-0-language": "ar",
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "pf@example.org"
    assert OutboundEmail.objects.get().language == "ar"


@pytest.mark.django_db
def test_the_home_page_writes_the_event_days_as_one_span_per_language(client):
    EventFactory(
        is_current=True,
        start_date=dt.date(2025, 10, 25),
        end_date=dt.date(2025, 10, 26),
    )
    for language, span in [
        ("en", "25–26 October 2025"),
        ("zh-hans", "2025年10月25日至26日"),
        ("ar", "25–26 أكتوبر 2025"),
    ]:
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<p class="lead" id="event-dates">{span}</p>' in html, language
