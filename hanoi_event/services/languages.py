"""The language a person reads the platform in.

Anonymous visitors: the browser's language first (``LocaleMiddleware`` reads
Accept-Language), then the choice they make with the switcher (a cookie).
Signed-in people: their choice is also kept with the account
(``AccountLanguage``) and applied at every sign-in, on any device; the first
sign-in keeps the language they were reading in.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from ..models import AccountLanguage

# Set on the request by account_language_sign_in; the middleware writes the
# cookie on the way out.
LANGUAGE_ATTR = "_account_language"


def supported_language(code: str | None) -> str | None:
    """``code`` if it is one of ours (or its base language is), else None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def account_language_set(*, user, language: str) -> AccountLanguage | None:
    """Keep ``language`` for ``user``'s account (an unknown code is ignored)."""
    language = supported_language(language)
    if language is None or not getattr(user, "is_authenticated", False):
        return None
    record, _created = AccountLanguage.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return record


def account_language_sign_in(*, request, user) -> str | None:
    """At sign-in: switch to the account's language, or keep the one the
    person was reading in as the account's when they have none yet."""
    chosen = (
        AccountLanguage.objects.filter(user=user)
        .values_list("language", flat=True)
        .first()
    )
    if chosen is None:
        current = supported_language(getattr(request, "LANGUAGE_CODE", None))
        if current:
            account_language_set(user=user, language=current)
        return current
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    setattr(request, LANGUAGE_ATTR, chosen)
    return chosen


def language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
