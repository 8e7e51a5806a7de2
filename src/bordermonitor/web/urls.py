from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bordermonitor.web import views
from bordermonitor.web.security.views import SignIn, admin_sign_in

admin.site.site_header = "bordermonitor"
admin.site.site_title = "bordermonitor"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", SignIn.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST with its CSRF token only
    # the administration site signs in through the same throttled page and second factor
    path("admin/login/", admin_sign_in),
    path("account/second-factor/", include("bordermonitor.web.security.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("", include("bordermonitor.web.reports.urls")),
    path("", include("bordermonitor.web.intake.urls")),
    path("api/v1/", include("bordermonitor.api.urls")),
    path("account/tokens/", include("bordermonitor.web.tokens.urls")),
    path("", include("bordermonitor.web.evidence.urls")),
    path("", include("bordermonitor.web.lists.urls")),
    path("", include("bordermonitor.web.members.urls")),
    path("", include("bordermonitor.web.publication.urls")),
    path("", include("bordermonitor.web.reporting.urls")),
    path("", include("bordermonitor.web.stakeholders.urls")),
    path("", include("bordermonitor.web.matrix.urls")),
    path("", include("bordermonitor.web.crosscheck.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
