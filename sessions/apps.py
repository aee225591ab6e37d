from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventSessionsConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label: ours needs its own.
    name = "sessions"
    label = "event_sessions"
    verbose_name = _("Programme")
    default_auto_field = "django.db.models.BigAutoField"
