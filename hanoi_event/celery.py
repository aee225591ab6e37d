"""The Celery application.

Without ``CELERY_BROKER_URL`` the settings make every task run in-process
(``CELERY_TASK_ALWAYS_EAGER``), so the embedded default needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanoi_event.settings")

app = Celery("hanoi_event")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
