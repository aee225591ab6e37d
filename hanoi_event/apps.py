from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HanoiEventConfig(AppConfig):
    name = "hanoi_event"
    verbose_name = _("Event")
    default_auto_field = "django.db.models.BigAutoField"
