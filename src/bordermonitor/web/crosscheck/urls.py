"""The cross-checking pages (docs/crosscheck.md, "The review queue")."""

from django.urls import path

from bordermonitor.web.crosscheck import views

app_name = "crosscheck"

urlpatterns = [
    path("crosscheck/", views.queue_page, name="queue"),
    path("crosscheck/run/", views.run, name="run"),
    path("crosscheck/progress/", views.progress, name="progress"),
    path("crosscheck/<int:pk>/", views.pair, name="pair"),
    path("crosscheck/<int:pk>/decide/", views.decide_pair, name="decide"),
    path("crosscheck/<int:pk>/undo/", views.undo_pair, name="undo"),
]
