"""Django settings of the public site: no database, no accounts, no sessions, nothing that writes.

``DATABASES`` is empty, so any use of the ORM raises ``ImproperlyConfigured``; no app with models is
installed (not auth, sessions, admin, nor the storage app), so the protected models cannot even be imported
into this process. Pages and the API read only the release directory (``bordermonitor.public.release``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from bordermonitor.public.config import PublicConfig

CONFIG = PublicConfig.from_env()
BASE_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = BASE_DIR.parent

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # number formatting in the reader's language (no models)
    "ninja",  # its templates and the Swagger UI files it ships
    "bordermonitor.public",
]

MIDDLEWARE = [
    "bordermonitor.public.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "bordermonitor.public.middleware.TextGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bordermonitor.public.middleware.PublicApiMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bordermonitor.public.urls"
WSGI_APPLICATION = "bordermonitor.public.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "bordermonitor.public.context.site",
            ],
        },
    },
]

DATABASES: dict[str, dict[str, object]] = {}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic")), ("fa", _("Persian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Numbers as CLDR writes them in Latin digits, grouped, the same as the map script's Intl.NumberFormat
# (Django's Arabic format groups nothing): see bordermonitor.public.formats.
FORMAT_MODULE_PATH = ["bordermonitor.public.formats"]
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = None  # served from the package directories by WhiteNoise's finders
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600
STATICFILES_DIRS = [
    # Leaflet from the django-leaflet package (the app itself is not installed: it needs GeoDjango).
    Path(next(iter(importlib.util.find_spec("leaflet").submodule_search_locations or ()))) / "static",  # type: ignore[union-attr]
    # The offline base map, shared with the staff site's map picker rather than copied.
    ("public/map", PACKAGE_DIR / "web" / "static" / "bordermonitor" / "map"),
]

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
APPEND_SLASH = True

BORDERMONITOR_PUBLIC = CONFIG
# The tile server's origin is the only third party a page may load from, and only when configured.
BORDERMONITOR_TILE_ORIGIN = (
    f"{urlsplit(CONFIG.tile_url).scheme}://{urlsplit(CONFIG.tile_url).netloc}".replace("{s}", "*")
    if CONFIG.tile_url
    else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"bordermonitor": {"level": "INFO"}},
}
