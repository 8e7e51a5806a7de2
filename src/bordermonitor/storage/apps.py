from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "bordermonitor.storage"
    label = "storage"
    verbose_name = "bordermonitor records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bordermonitor.storage import audit

        audit.connect()
