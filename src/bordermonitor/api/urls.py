"""URL patterns of the private API, for ``include("bordermonitor.api.urls")`` at ``api/v1/``."""

from bordermonitor.api.private import api

urlpatterns = api.urls[0]
app_name = api.urls_namespace  # "api-v1": the namespace django-ninja reverses its own pages in
