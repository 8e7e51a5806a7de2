from django.urls import path

from bordermonitor.web.lists import views

app_name = "lists"

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/export.csv", views.export_csv, name="export_csv"),
    path("reports/export.jsonl", views.export_jsonl, name="export_jsonl"),
]
