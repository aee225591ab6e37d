from django.urls import path

from . import views, views_imports

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("delegation/<int:pk>/", views.delegation, name="delegation"),
    path(
        "delegation/<int:pk>/nominate/",
        views.delegation_nominate,
        name="delegation_nominate",
    ),
    path(
        "delegation/<int:pk>/note-verbale/",
        views.delegation_note_verbale,
        name="delegation_note_verbale",
    ),
    path(
        "delegation/<int:pk>/note-verbale/upload/",
        views.delegation_note_verbale_upload,
        name="delegation_note_verbale_upload",
    ),
    path(
        "delegation/<int:pk>/submit/", views.delegation_submit, name="delegation_submit"
    ),
    path(
        "delegation/<int:pk>/import/",
        views_imports.member_import,
        name="delegation_import",
    ),
    path(
        "delegation/<int:pk>/import/<int:log_id>/",
        views_imports.member_import_log,
        name="delegation_import_log",
    ),
    path("registration/", views.registration, name="registration"),
    path("participant/<int:pk>/", views.participant, name="participant"),
    path("participant/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path(
        "participant/<int:pk>/submit/",
        views.participant_submit,
        name="participant_submit",
    ),
    path(
        "participant/<int:pk>/withdraw/",
        views.participant_withdraw,
        name="participant_withdraw",
    ),
    path(
        "participant/<int:pk>/send-link/",
        views.participant_send_link,
        name="participant_send_link",
    ),
    path(
        "participant/<int:pk>/photo/", views.participant_photo, name="participant_photo"
    ),
    path(
        "organisation/register/",
        views.organisation_request,
        name="organisation_request",
    ),
]
