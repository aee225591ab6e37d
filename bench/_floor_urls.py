"""The floor of bench/checkin.py: a bare Django view that reads one row by
primary key and answers it as JSON, served by the same gunicorn, settings,
WSGI application and middleware as the check-in API: its path is under the
device API's prefix (checkin/wsgi.py), so it goes through the same handler.
Not part of the product's URLs."""

from django.http import Http404, JsonResponse
from django.urls import path

from accreditation.models import Badge
from hanoi_event.urls import urlpatterns as product_urlpatterns


def floor(request, pk: int):
    row = (
        Badge.objects.filter(pk=pk)
        .values("pk", "number", "version", "category_id", "revoked_at")
        .first()
    )
    if row is None:
        raise Http404
    return JsonResponse(row)


FLOOR_PATH = "api/checkin/bench-floor/"
urlpatterns = [path(f"{FLOOR_PATH}<int:pk>/", floor), *product_urlpatterns]
