"""What each staff role may do on the protocol app's models (registered
from ``ProtocolConfig.ready()``; see ``hanoi_event.roles``), and the check
the protocol's own staff pages use (run sheet, chair's controls, printable
list): a staff session past two-factor with the permission."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from hanoi_event.middleware import staff_session_passed_two_factor
from hanoi_event.roles import ORGANIZER, PROTOCOL_OFFICER

MANAGE_SIGNING = "protocol.change_signingrequest"
VIEW_SIGNING = "protocol.view_signingrequest"
CHAIR_SPEAKING_LIST = "protocol.change_speakinglist"
VIEW_SPEAKING_LIST = "protocol.view_speakinglist"

_ALL = tuple(
    f"protocol.{action}_{model}"
    for model in (
        "signingceremony",
        "signingrequest",
        "speakinglist",
        "speakingrequest",
    )
    for action in ("add", "change", "delete", "view")
) + ("protocol.view_speakermove",)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ORGANIZER: _ALL,
    PROTOCOL_OFFICER: _ALL,
}


def staff_allowed(request, permission: str) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and user.is_staff
        and user.is_active
        and staff_session_passed_two_factor(request)
        and user.has_perm(permission)
    )


def staff_required(permission: str):
    """A view only for staff with ``permission`` in a two-factor session:
    anonymous visitors go to the login page, others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not staff_allowed(request, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
