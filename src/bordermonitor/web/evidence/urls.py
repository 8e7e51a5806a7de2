"""Evidence URLs: upload into a report, and its files (see ``docs/evidence.md``)."""

from django.urls import path

from bordermonitor.web.evidence import views

app_name = "evidence"

urlpatterns = [
    path("reports/<int:pk>/evidence/", views.upload, name="upload"),
    path("evidence/<int:pk>/working/", views.working, name="working"),
    path("evidence/<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("evidence/<int:pk>/original/", views.original, name="original"),
]
