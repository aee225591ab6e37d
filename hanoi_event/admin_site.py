"""The admin site: unfold's, except that its login page never authenticates.

Every sign-in goes through allauth (``/accounts/login/``): its rate limits,
then the TOTP step for staff. Django's admin login form checks a password
with neither, so ``/admin/login/`` only sends people on:

- anonymous (GET or POST): to allauth's login page, with ``next``;
- signed in, staff: to ``next`` (this site only) or the admin index, where
  the staff two-factor gate (``hanoi_event.middleware``) asks for TOTP;
- signed in, not staff: 403.

The site object is unfold's (``unfold`` replaces ``admin.site`` in its
``ready()``); ``install()`` gives that very object this class, so every
ModelAdmin already registered keeps its site.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from unfold.sites import UnfoldAdminSite


class SafeAdminSite(UnfoldAdminSite):
    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Never authenticates (see the module's docstring)."""
        index = reverse("admin:index", current_app=self.name)
        wanted = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(
            REDIRECT_FIELD_NAME
        )
        if not wanted or not url_has_allowed_host_and_scheme(
            wanted,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            wanted = index
        user = request.user
        if user.is_authenticated:
            if not user.is_staff:
                raise PermissionDenied
            return HttpResponseRedirect(wanted)
        return HttpResponseRedirect(
            reverse("account_login") + "?" + urlencode({REDIRECT_FIELD_NAME: wanted})
        )


def install(site: AdminSite) -> None:
    """Make ``site`` (unfold's admin site object) a SafeAdminSite in place."""
    if not isinstance(site, UnfoldAdminSite):
        raise TypeError(f"Expected unfold's admin site, got {type(site).__name__}.")
    if not isinstance(site, SafeAdminSite):
        site.__class__ = SafeAdminSite
