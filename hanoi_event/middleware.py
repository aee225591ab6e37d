"""Show times in the current event's time zone (they are stored in UTC)."""

from django.utils import timezone

from .selectors import current_event


class EventTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        event = current_event()
        # Read once per request: views may use it instead of asking again.
        request.current_event = event
        if event is not None:
            timezone.activate(event.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class StaffTwoFactorMiddleware:
    """Staff reach the admin only after two-factor authentication (TOTP).

    - Sign-in is allauth's: the admin's own login page never authenticates
      (``hanoi_event.admin_site``), it sends people to allauth's login page.
    - A staff member without TOTP is sent to set it up first (allauth asks
      for the password again, then shows the QR code).
    - A staff member with TOTP whose session did not pass the TOTP step (a
      session from before it was set up) is asked for a code, for the admin
      and for the two-factor pages (recovery codes, turning TOTP off), which
      allauth would otherwise open after the password alone.
    - Setting TOTP up proves the code, so it counts as the second factor for
      the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import REDIRECT_FIELD_NAME
        from django.http import HttpResponseRedirect
        from django.utils.http import urlencode

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            redirect_to = _gated_path_redirect(request)
            if redirect_to:
                return HttpResponseRedirect(
                    redirect_to
                    + "?"
                    + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
                )
        activating = (
            request.method == "POST"
            and user is not None
            and user.is_authenticated
            and request.path == _reverse("mfa_activate_totp")
            and not _has_totp(user)
        )
        response = self.get_response(request)
        # Only a TOTP created by this very request proves a code: allauth
        # also redirects a POST when TOTP exists already or the password
        # must be given again.
        if activating and response.status_code == 302 and _has_totp(user):
            record_totp_activation(request)
        return response


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _gated_path_redirect(request) -> str | None:
    """For a staff request: where it must go first, or None."""
    # request.path, like reverse(), includes the script prefix (SCRIPT_NAME).
    path = request.path
    if path.startswith(_reverse("admin:index")):
        return staff_two_factor_redirect(request)
    two_factor_pages = _reverse("mfa_index")
    if (
        path.startswith(two_factor_pages)
        and path
        not in {
            _reverse("mfa_authenticate"),
            _reverse("mfa_reauthenticate"),
            _reverse("mfa_activate_totp"),
        }
        and _has_totp(request.user)
        and not staff_session_passed_two_factor(request)
    ):
        return _reverse("mfa_reauthenticate")
    return None


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def staff_session_passed_two_factor(request) -> bool:
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def staff_two_factor_redirect(request) -> str | None:
    """Where a staff request must go before the admin, or None when it may pass."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled
    from django.urls import reverse

    if not is_mfa_enabled(request.user, [Authenticator.Type.TOTP]):
        return reverse("mfa_activate_totp")
    if not staff_session_passed_two_factor(request):
        return reverse("mfa_reauthenticate")
    return None


def record_totp_activation(request) -> None:
    """Mark the session as two-factor authenticated after TOTP activation."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is not None and not staff_session_passed_two_factor(request):
        record_authentication(
            request, request.user, "mfa", id=authenticator.pk, type="totp"
        )


class AccountLanguageMiddleware:
    """Writes the language cookie when a sign-in switched to the account's
    language (``services.languages.account_language_sign_in``), so the next
    pages, on this device, are in it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .services.languages import LANGUAGE_ATTR, language_cookie

        response = self.get_response(request)
        language = getattr(request, LANGUAGE_ATTR, None)
        if language:
            language_cookie(response, language)
        return response
