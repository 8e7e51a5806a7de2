"""The private JSON API (django-ninja): see :mod:`bordermonitor.api.private` and ``docs/api.md``."""
