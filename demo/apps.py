from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data and ``manage.py load_demo``. No models: the top layer,
    which may import every app."""

    name = "demo"
    label = "demo"
    verbose_name = _("Demo data")
