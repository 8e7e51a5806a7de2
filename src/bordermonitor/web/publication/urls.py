"""Publication URLs: a report's public version, its evidence chosen for publication, and the Publish page
(see ``docs/publication.md``)."""

from django.urls import path

from bordermonitor.web.publication import publishing, views

app_name = "publication"

urlpatterns = [
    path("reports/<int:pk>/public/", views.report_page, name="report"),
    path("reports/<int:pk>/public/approve/", views.approve, name="approve"),
    path("reports/<int:pk>/public/withdraw/", views.withdraw, name="withdraw"),
    path("reports/<int:pk>/public/names/", views.names, name="names"),
    path("evidence/<int:pk>/publish/", views.evidence, name="evidence"),
    path("evidence/<int:pk>/public/", views.public_copy, name="public_copy"),
    path("publication/", publishing.release_page, name="release"),
    path("publication/run/", publishing.run, name="run"),
    path("publication/progress/", publishing.progress, name="progress"),
]
