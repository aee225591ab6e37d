from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("list-of-participants/", views.list_html, name="list_of_participants"),
    path("list-of-participants/pdf/", views.list_pdf, name="list_of_participants_pdf"),
]
