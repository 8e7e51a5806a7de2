"""Django settings, built from one :class:`bordermonitor.config.Config` read from the environment."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from bordermonitor.config import Config
from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.core.matrix import Weights

CONFIG = Config.from_env()
BASE_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = BASE_DIR.parent

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_scopes",
    "django_htmx",
    "ninja",
    "bordermonitor.storage",
    "bordermonitor.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bordermonitor.web.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bordermonitor.web.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bordermonitor.web.middleware.AuditActorMiddleware",
]

ROOT_URLCONF = "bordermonitor.web.urls"
WSGI_APPLICATION = "bordermonitor.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bordermonitor.web.context.access",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "storage.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic")), ("fa", _("Persian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CONFIG.data_dir / "static"
STATIC_ROOT.mkdir(
    parents=True, exist_ok=True
)  # WhiteNoise serves from the app directories (finders) until collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Leaflet's files come from the django-leaflet package; the app itself is not installed (its form widgets need
# GeoDjango and GDAL, which the map picker does not use).
STATICFILES_DIRS = [
    Path(next(iter(importlib.util.find_spec("leaflet").submodule_search_locations or ()))) / "static",  # type: ignore[union-attr]
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

BORDERMONITOR = CONFIG
# The open-data release: where `bordermonitor publish` switches it on, and the policy it applies (METHODOLOGY §7).
BORDERMONITOR_RELEASE_DIR = CONFIG.public_release_dir
BORDERMONITOR_PUBLICATION_POLICY = PublicationPolicy.from_mapping(dict(CONFIG.publication))
BORDERMONITOR_PUBLISH_LICENCE = CONFIG.publish_licence
BORDERMONITOR_PUBLISH_ATTRIBUTION = CONFIG.publish_attribution
BORDERMONITOR_PUBLIC_URL = os.environ.get("BORDERMONITOR_PUBLIC_URL") or None  # linked from the Publish page
# The monitoring matrix (METHODOLOGY §6): border areas and the weights of its criteria, checked at start-up.
BORDERMONITOR_BORDER_AREAS = CONFIG.border_areas
BORDERMONITOR_MATRIX_WEIGHTS = Weights.parse(CONFIG.matrix_weights)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"bordermonitor": {"level": "INFO"}},
}
