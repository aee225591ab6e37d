from django.urls import path

from . import views_portal

app_name = "agenda"

urlpatterns = [
    path("agenda/", views_portal.agenda, name="agenda"),
    path("agenda/feed/", views_portal.feed, name="feed"),
    path("item/<int:pk>/register/", views_portal.register, name="register"),
    path("item/<int:pk>/cancel/", views_portal.cancel, name="cancel"),
    path("side-events/", views_portal.side_events, name="side_events"),
    path(
        "side-events/new/<int:delegation_pk>/",
        views_portal.application_new,
        name="application_new",
    ),
    path(
        "side-events/<int:pk>/edit/",
        views_portal.application_edit,
        name="application_edit",
    ),
    path(
        "side-events/speaker/<int:pk>/passport/",
        views_portal.speaker_passport,
        name="speaker_passport",
    ),
]
