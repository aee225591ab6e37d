"""Settings for bench/checkin.py only: the project's settings with a URL
configuration that adds the floor view (bench/_floor_urls.py) to the
project's URLs. Selected by DJANGO_SETTINGS_MODULE, which only the bench
sets; the product never imports this module."""

from hanoi_event.settings import *  # noqa: F403
from hanoi_event.settings import BASE_DIR

ROOT_URLCONF = "bench._floor_urls"
# The API needs no static files: no collectstatic (and no manifest) here.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = BASE_DIR / "static"
