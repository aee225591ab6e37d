from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = _("Accreditation and badges")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the bottom layer's registries: this app's mail kinds (the
        decision mails), the roles' permissions on its models and its tasks
        (batch badge printing); and the participant category provider, through
        which the programme admits its items by badge category."""
        from hanoi_event.mail_kinds import register_mail_kinds
        from hanoi_event.participant_categories import register_category_provider
        from hanoi_event.roles import register_role_permissions

        from . import tasks  # noqa: F401 - registers the tasks
        from .mail import MAIL_KINDS
        from .roles import ROLE_PERMISSIONS
        from .selectors import CATEGORY_PROVIDER

        register_mail_kinds(*MAIL_KINDS)
        register_role_permissions(ROLE_PERMISSIONS)
        register_category_provider(CATEGORY_PROVIDER)
