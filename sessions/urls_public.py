from django.urls import path

from . import views_public

app_name = "programme"

urlpatterns = [
    path("", views_public.programme, name="programme"),
    path("item/<int:pk>/", views_public.item, name="item"),
    path("now/", views_public.now_and_next, name="now"),
    path("changes/", views_public.changes, name="changes"),
    path("programme.ics", views_public.programme_ics, name="programme_ics"),
    path("agenda/<str:token>.ics", views_public.agenda_ics, name="agenda_ics"),
]
