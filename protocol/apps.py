from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = _("Protocol")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the bottom layer's registries: role permissions and the
        dashboard's figures (signatures, cleared full powers)."""
        from django.urls import reverse

        from delegations.portal_links import DelegationLink, register_delegation_link
        from hanoi_event.dashboard import register_dashboard
        from hanoi_event.roles import register_role_permissions

        from .dashboard import protocol_figures
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_dashboard("protocol", protocol_figures)
        register_delegation_link(
            DelegationLink(
                key="signing",
                label=_("Signing the Convention"),
                order=10,
                url=lambda d: reverse("protocol:portal_signing", args=[d.pk]),
                applies=lambda d: d.organisation.is_state,
            )
        )
        register_delegation_link(
            DelegationLink(
                key="speaking",
                label=_("Speaking list"),
                order=20,
                url=lambda d: reverse("protocol:portal_speaking", args=[d.pk]),
            )
        )
