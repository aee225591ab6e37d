from django.urls import path

from . import views

app_name = "checkin"

urlpatterns = [
    path("", views.scanner, name="scanner"),
    path("sw.js", views.service_worker, name="service_worker"),
]
