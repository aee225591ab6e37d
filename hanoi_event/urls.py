from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from .views import event_home

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/programme/", include("sessions.urls_portal")),
    path("portal/", include("delegations.urls")),
    path("checkin/", include("checkin.urls")),
    path("api/checkin/", include("checkin.urls_api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("programme/", include("sessions.urls_public")),
    path("", include("protocol.urls")),
    path("reports/", include("reports.urls")),
    path("", event_home, name="home"),
]
