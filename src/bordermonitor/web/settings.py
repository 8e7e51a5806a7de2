"""Django settings, built from one :class:`bordermonitor.config.Config` read from the environment."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from bordermonitor.config import Config
from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.core.matrix import Weights
from bordermonitor.web.security.transport import plain_http

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
    "bordermonitor.web.security.middleware.SecurityHeadersMiddleware",  # every response, static files too
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
    "bordermonitor.web.security.middleware.SessionLifetimeMiddleware",  # 8 hours at most, idle timeout
    "bordermonitor.web.security.middleware.SecondFactorMiddleware",  # nothing else until it is passed
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
            " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON;"
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

# Sessions and cookies (docs/access.md, "Signing in"). A session lasts 8 hours from signing in at most, and ends
# after BORDERMONITOR_SESSION_IDLE_MINUTES without a request (web.security.middleware). Cookies are Secure and
# HSTS is sent unless the site is served over plain HTTP on purpose (web.security.transport.plain_http).
PLAIN_HTTP = plain_http(configured=CONFIG.plain_http, debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)
SESSION_COOKIE_SECURE = not PLAIN_HTTP
CSRF_COOKIE_SECURE = not PLAIN_HTTP
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"  # never sent with a request another site starts
CSRF_COOKIE_SAMESITE = "Lax"  # readable by scripts of this site (the API's X-CSRFToken header, docs/api.md)
SESSION_COOKIE_AGE = 60 * 60 * 8
SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services of the organisation's domain are not ours to decide
if CONFIG.trusted_proxy:  # the proxy terminates TLS and says so (it must overwrite the header it sends)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The tile server's origin is the only third party a page may load from (images), and only when configured.
BORDERMONITOR_TILE_ORIGIN = (
    f"{urlsplit(CONFIG.tile_url).scheme}://{urlsplit(CONFIG.tile_url).netloc}".replace("{s}", "*")
    if CONFIG.tile_url
    else None
)

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
