"""Addresses of the intake form (ids only: nothing typed ever appears in an address)."""

from django.urls import path

from bordermonitor.web.intake import views

app_name = "intake"

urlpatterns = [
    path("reports/new/", views.new, name="new"),
    path("reports/<int:pk>/edit/<slug:step>/", views.step, name="step"),
    path("reports/<int:pk>/draft/", views.autosave, name="autosave"),
    path("intake/draft/<uuid:token>/", views.autosave_new, name="autosave_new"),
]
