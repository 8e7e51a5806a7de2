"""Stakeholder URLs: the register and each stakeholder's page and engagement log, action plans with their
targets and measures, and the charter (see ``docs/stakeholders.md``). Coordinators and site administrators
only; anyone else gets 404."""

from django.urls import path

from bordermonitor.web.stakeholders import charter, plans, views

app_name = "stakeholders"

urlpatterns = [
    path("stakeholders/", views.register, name="list"),
    path("stakeholders/new/", views.new, name="new"),
    path("stakeholders/<int:pk>/", views.detail, name="detail"),
    path("stakeholders/<int:pk>/edit/", views.edit, name="edit"),
    path("stakeholders/<int:pk>/engagement/", views.log, name="log"),
    path("stakeholders/engagement/<int:pk>/", views.event, name="event"),
    path("stakeholders/engagement/<int:pk>/remove/", views.event_remove, name="event_remove"),
    path("stakeholders/<int:pk>/plans/new/", plans.new, name="plan_new"),
    path("stakeholders/plans/<int:pk>/", plans.detail, name="plan"),
    path("stakeholders/plans/<int:pk>/edit/", plans.edit, name="plan_edit"),
    path("stakeholders/plans/<int:pk>/targets/", plans.target_add, name="target_add"),
    path("stakeholders/targets/<int:pk>/remove/", plans.target_remove, name="target_remove"),
    path("stakeholders/plans/<int:pk>/measures/", plans.measure_add, name="measure_add"),
    path("stakeholders/measures/<int:pk>/", plans.measure, name="measure"),
    path("stakeholders/measures/<int:pk>/remove/", plans.measure_remove, name="measure_remove"),
    path("charter/", charter.charter, name="charter"),
    path("charter/new/", charter.new, name="charter_new"),
    path("charter/<int:pk>/", charter.version, name="charter_version"),
    path("charter/<int:pk>/edit/", charter.edit, name="charter_edit"),
    path("charter/<int:pk>/sign/", charter.sign, name="sign"),
    path("charter/signatures/<int:pk>/remove/", charter.signature_remove, name="signature_remove"),
]
