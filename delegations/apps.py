from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the bottom layer's registries with this app's mail kinds,
        schedules and role permissions; register the tasks; link new
        accounts to the members nominated with their address."""
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from hanoi_event.admin_navigation import register_admin_section
        from hanoi_event.dashboard import register_dashboard
        from hanoi_event.mail_kinds import register_mail_kinds
        from hanoi_event.roles import register_role_permissions
        from hanoi_event.schedules import Schedule, register_schedules

        from . import tasks
        from .dashboard import delegations_figures
        from .mail import MAIL_KINDS
        from .roles import ROLE_PERMISSIONS
        from .signals import (
            claim_participations_on_confirm,
            claim_participations_on_login,
        )

        register_mail_kinds(*MAIL_KINDS)
        register_role_permissions(ROLE_PERMISSIONS)
        register_dashboard("delegations", delegations_figures)
        register_admin_section(
            _("Delegations and people"),
            order=10,
            models=(
                "delegations.delegation",
                "delegations.participant",
                "delegations.invitation",
                "delegations.organisation",
                "delegations.organisationrequest",
                "delegations.registrationcode",
                "delegations.transferlog",
            ),
        )
        register_schedules(
            Schedule(
                "Reminders: registration deadline (focal points)",
                task=tasks.REMINDERS_DEADLINE_TASK,
                crontab=("0", "1"),
            ),
            Schedule(
                "Reminders: missing registration data",
                task=tasks.REMINDERS_MISSING_DATA_TASK,
                crontab=("30", "1"),
            ),
        )
        user_logged_in.connect(
            claim_participations_on_login, dispatch_uid="delegations.claim_on_login"
        )
        email_confirmed.connect(
            claim_participations_on_confirm,
            dispatch_uid="delegations.claim_on_confirm",
        )
