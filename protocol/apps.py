from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = _("Protocol")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the bottom layer's registries: role permissions and the
        dashboard's figures (signatures, cleared full powers)."""
        from hanoi_event.dashboard import register_dashboard
        from hanoi_event.roles import register_role_permissions

        from .dashboard import protocol_figures
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_dashboard("protocol", protocol_figures)
