"""An organisation's accounts, for its admins."""

from django.urls import path

from bordermonitor.web.members import views

app_name = "members"

urlpatterns = [
    path("organisations/<int:pk>/members/", views.members, name="list"),
    path("organisations/<int:pk>/members/remove/", views.remove, name="remove"),
    path("organisations/<int:pk>/sharing/", views.sharing, name="sharing"),
]
