from django.urls import path

from . import api

app_name = "checkin_api"

urlpatterns = [
    path("enroll/", api.EnrollView.as_view(), name="enroll"),
    path("config/", api.ConfigView.as_view(), name="config"),
    path("keys/", api.KeysView.as_view(), name="keys"),
    path("badges/", api.BadgesView.as_view(), name="badges"),
    path("revocations/", api.RevocationsView.as_view(), name="revocations"),
    path("scans/", api.ScansView.as_view(), name="scans"),
    path("scans/upload/", api.UploadView.as_view(), name="upload"),
    path("scans/<int:pk>/", api.ScanDetailView.as_view(), name="scan"),
    path("scans/<int:pk>/confirm/", api.ScanConfirmView.as_view(), name="scan_confirm"),
    path("scans/<int:pk>/photo/", api.ScanPhotoView.as_view(), name="scan_photo"),
]
