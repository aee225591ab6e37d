"""allauth's admins (email addresses, two-factor authenticators) on the safe
base classes, and the account fields no one filters by.

allauth registers plain Django admins; they are registered again here so
that every admin page of the site has the guarantees of
``hanoi_event.admin_safety``. An authenticator's ``data`` (the TOTP secret,
the recovery codes' seed) is never shown: the admin lists authenticators and
may delete one (a lost phone), nothing else.
"""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model

from .admin_safety import SafeModelAdmin, unfilterable_fields

unfilterable_fields(get_user_model(), ["password"])
unfilterable_fields(Authenticator, ["data"])

for model in (EmailAddress, Authenticator):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(EmailAddress)
class EmailAddressAdmin(BaseEmailAddressAdmin, SafeModelAdmin):
    pass


@admin.register(Authenticator)
class AuthenticatorAdmin(BaseAuthenticatorAdmin, SafeModelAdmin):
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
