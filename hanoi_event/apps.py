from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HanoiEventConfig(AppConfig):
    """The bottom layer. Its registries (mail kinds, schedules, roles,
    dashboard) are filled by every app's ``ready()``, this one's included."""

    name = "hanoi_event"
    verbose_name = _("Event")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import health, tasks  # noqa: F401 - registers the tasks, checks
        from .admin_navigation import SETTINGS_ORDER, register_admin_section
        from .mail import MAIL_KINDS
        from .mail_kinds import register_mail_kinds
        from .roles import EVENT_ROLE_PERMISSIONS, register_role_permissions
        from .schedules import Schedule, register_schedules

        register_mail_kinds(*MAIL_KINDS)
        register_schedules(
            Schedule(
                "Outbox sweeper: resend lost or stuck emails",
                task=tasks.email_sweep_task.name,
                every=60,
            ),
            Schedule(
                health.HEARTBEAT_SCHEDULE,
                task=health.HEARTBEAT_TASK,
                every=health.HEARTBEAT_EVERY,
            ),
        )
        register_role_permissions(EVENT_ROLE_PERMISSIONS)
        register_admin_section(
            _("Email"),
            order=50,
            models=(
                "hanoi_event.outboundemail",
                "hanoi_event.bulksend",
                "hanoi_event.emailtemplate",
            ),
        )
        register_admin_section(
            _("Settings"),
            order=SETTINGS_ORDER,
            models=("hanoi_event.event", "django_celery_beat.periodictask"),
        )
        user_logged_in.connect(
            account_language_on_sign_in, dispatch_uid="hanoi_event.account_language"
        )
        post_migrate.connect(
            shipped_rows_ensure, sender=self, dispatch_uid="hanoi_event.shipped_rows"
        )


def account_language_on_sign_in(sender, request=None, user=None, **kwargs) -> None:
    from .services.languages import account_language_sign_in

    if request is not None and user is not None:
        account_language_sign_in(request=request, user=user)


def shipped_rows_ensure(sender, using="default", **kwargs) -> None:
    """After ``migrate`` (and a test database flush): the shipped email
    templates and the beat schedules that the registries declare, where
    missing. Skipped while the tables do not exist yet (a partial migrate)."""
    from django_celery_beat.models import PeriodicTask

    from .models import EmailTemplate
    from .schedules import schedules_ensure
    from .services.templates import email_templates_ensure

    tables = set(connections[using].introspection.table_names())
    if EmailTemplate._meta.db_table in tables:
        email_templates_ensure()
    if PeriodicTask._meta.db_table in tables:
        schedules_ensure()
