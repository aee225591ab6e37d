"""The floor of bench/checkin.py: a bare Django view that reads one row by
primary key and answers it as JSON, served by the same gunicorn, settings
and middleware as the check-in API. Not part of the product's URLs."""

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


urlpatterns = [path("bench/floor/<int:pk>/", floor), *product_urlpatterns]
