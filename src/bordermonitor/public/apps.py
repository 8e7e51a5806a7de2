from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public site's templates and static files; it has no models."""

    name = "bordermonitor.public"
    label = "bordermonitor_public"
    verbose_name = "bordermonitor public site"
    default_auto_field = "django.db.models.BigAutoField"
