from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _refresh_statistics(sender: AppConfig, using: str = "default", **_: Any) -> None:
    """After migrations (a new index, a rebuilt table), the query planner's figures are stale: SQLite then
    picks plans many times slower for the pages' queries until they are refreshed."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


class StorageConfig(AppConfig):
    name = "bordermonitor.storage"
    label = "storage"
    verbose_name = "bordermonitor records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bordermonitor.storage import audit

        audit.connect()
        post_migrate.connect(_refresh_statistics, sender=self, dispatch_uid="storage-analyze")
