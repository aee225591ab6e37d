from django.urls import path

from . import views

app_name = "protocol"

urlpatterns = [
    path("signatories/", views.signatories, name="signatories"),
    path("signatories.json", views.signatories_json, name="signatories_json"),
    path(
        "protocol/delegation/<int:pk>/signing/",
        views.portal_signing,
        name="portal_signing",
    ),
    path(
        "protocol/delegation/<int:pk>/signing/full-powers/",
        views.portal_full_powers,
        name="portal_full_powers",
    ),
    path(
        "protocol/delegation/<int:pk>/signing/full-powers/upload/",
        views.portal_full_powers_upload,
        name="portal_full_powers_upload",
    ),
    path(
        "protocol/delegation/<int:pk>/signing/withdraw/",
        views.portal_signing_withdraw,
        name="portal_signing_withdraw",
    ),
    path(
        "protocol/delegation/<int:pk>/speaking/",
        views.portal_speaking,
        name="portal_speaking",
    ),
    path("protocol/run-sheet/<int:event_id>/", views.run_sheet, name="run_sheet"),
    path(
        "protocol/run-sheet/<int:event_id>/pdf/",
        views.run_sheet_pdf,
        name="run_sheet_pdf",
    ),
    path("speakers/<int:pk>/", views.speaking_public, name="speaking_public"),
    path("speakers/<int:pk>/screen/", views.speaking_screen, name="speaking_screen"),
    path("speakers/<int:pk>/state.json", views.speaking_state, name="speaking_state"),
    path("speakers/<int:pk>/print/", views.speaking_print, name="speaking_print"),
    path("speakers/<int:pk>/chair/", views.speaking_chair, name="speaking_chair"),
    path(
        "speakers/<int:pk>/chair/move/<int:request_pk>/",
        views.speaking_chair_move,
        name="speaking_chair_move",
    ),
    path(
        "speakers/<int:pk>/chair/<slug:action>/",
        views.speaking_chair_action,
        name="speaking_chair_action",
    ),
]
