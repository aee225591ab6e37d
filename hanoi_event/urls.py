from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import csp, health, views
from .views import event_home

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says.
    # The static URL is looked up per request: with DEBUG off it comes from
    # collectstatic's manifest, which must not be needed to import the URLs
    # (manage.py migrate runs before collectstatic on a deploy).
    path("favicon.ico", lambda request: redirect(static("favicon.svg"))),
    path("admin/", admin.site.urls),
    # For the load balancer and monitoring (hanoi_event/health.py).
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("health/background", health.background, name="health-background"),
    path(csp.REPORT_PATH.strip("/") + "/", csp.csp_report, name="csp-report"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.language_switch, name="set_language"),
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
