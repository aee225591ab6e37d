from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    name = "checkin"
    verbose_name = _("Check-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the bottom layer's registries: the roles' permissions on this
        app's models."""
        from hanoi_event.roles import register_role_permissions

        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
