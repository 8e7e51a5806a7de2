"""The Reports page: the network's monthly and annual reports (see ``docs/reports.md``)."""

from django.urls import path

from bordermonitor.reporting import FORMATS
from bordermonitor.web.reporting import views

app_name = "reporting"

urlpatterns = [
    path("reporting/", views.page, name="page"),
    path("reporting/start/", views.start, name="start"),
    path("reporting/progress/", views.progress, name="progress"),
    path("reporting/cases/", views.cases, name="cases"),
    # one route per format: a file is asked for by the stem of its name, never by a path
    *(
        path(f"reporting/files/<slug:stem>.{fmt}", views.download, {"fmt": fmt}, name=f"download_{fmt}")
        for fmt in FORMATS
    ),
]
