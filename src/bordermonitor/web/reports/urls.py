from django.urls import path

from bordermonitor.web.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/history/", views.history, name="history"),
    path("reports/<int:pk>/move/", views.move, name="move"),
    path("review/", views.queue, name="queue"),
]
