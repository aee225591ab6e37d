import os

from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanoi_event.settings")
application = get_wsgi_application()

# The check-in devices' API with a short middleware list (checkin/wsgi.py),
# named by its path like the apps in settings.py and urls.py.
application = import_string("checkin.wsgi.with_device_api")(application)
