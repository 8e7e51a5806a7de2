"""The monitoring matrix's dashboard (see ``docs/matrix.md``)."""

from django.urls import path

from bordermonitor.web.matrix import views

app_name = "matrix"

urlpatterns = [
    path("matrix/", views.dashboard, name="dashboard"),
]
