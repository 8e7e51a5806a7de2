"""URLs of the public site: the pages under a language prefix (/en/, /fr/, /ar/, /fa/), the API and the
release's files without one."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from bordermonitor.public import browse, files, views
from bordermonitor.public.api import api

urlpatterns = [
    path("api/public/v1/", api.urls),
    path("files/<path:name>", files.release_file, name="file"),
    *i18n_patterns(
        path("", views.home, name="home"),
        path("map/", browse.map_page, name="map"),
        path("search/", browse.search, name="search"),
        path("incidents/<str:incident_id>/", views.incident, name="incident"),
        path("downloads/", views.downloads, name="downloads"),
        path("about/", views.about, name="about"),
    ),
]
