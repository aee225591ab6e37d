from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventSessionsConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label: ours needs its own.
    name = "sessions"
    label = "event_sessions"
    verbose_name = _("Programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the bottom layer's registries with the programme's mail
        kinds, schedules and role permissions; register the tasks."""
        from hanoi_event.admin_navigation import register_admin_section
        from hanoi_event.mail_kinds import register_mail_kinds
        from hanoi_event.roles import register_role_permissions
        from hanoi_event.schedules import Schedule, register_schedules

        from . import resources, tasks
        from .mail import MAIL_KINDS
        from .roles import ROLE_PERMISSIONS

        register_mail_kinds(*MAIL_KINDS)
        register_role_permissions(ROLE_PERMISSIONS)
        resources.register()  # programme items: import and export
        register_admin_section(
            _("Programme"),
            order=30,
            models=("event_sessions.programmeitem", "event_sessions.room"),
        )
        register_schedules(
            Schedule(
                "Reminders: tomorrow's agenda",
                task=tasks.REMINDERS_DAY_BEFORE_TASK,
                crontab=("0", "11"),
            ),
            Schedule(
                "Reminders: sessions starting in 30 minutes",
                task=tasks.REMINDERS_STARTING_SOON_TASK,
                every=300,
            ),
        )
