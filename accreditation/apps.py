from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = _("Accreditation and badges")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the bottom layer's registries: this app's mail kinds (the
        decision mails), the roles' permissions on its models and its tasks
        (batch badge printing)."""
        from hanoi_event.mail_kinds import register_mail_kinds
        from hanoi_event.roles import register_role_permissions

        from . import tasks  # noqa: F401 - registers the tasks
        from .mail import MAIL_KINDS
        from .roles import ROLE_PERMISSIONS

        register_mail_kinds(*MAIL_KINDS)
        register_role_permissions(ROLE_PERMISSIONS)
