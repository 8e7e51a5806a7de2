"""The public process has no path to the protected database: its settings define none, so any ORM query
raises, the storage models cannot even be imported, and serving every page loads none of the protected
layers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.public.factory import point_link

PROBE = r"""
import json, sys
import django
django.setup()
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
out = {}
try:
    connection.cursor().execute("SELECT 1")
    out["query"] = "ran"
except ImproperlyConfigured as exc:
    out["query"] = "refused"
from django.test import Client
client = Client()
out["pages"] = [client.get(p).status_code for p in
    ("/en/", "/ar/map/", "/fa/search/?q=police", "/en/downloads/", "/en/about/", "/api/public/v1/incidents",
     "/api/public/v1/facets", "/api/public/v1/clusters?zoom=4", "/api/public/v1/release", "/api/public/v1/docs")]
out["loaded"] = sorted(m for m in sys.modules if m.split(".")[:2] in (
    ["bordermonitor", "storage"], ["bordermonitor", "web"], ["bordermonitor", "evidence"],
    ["bordermonitor", "importers"], ["bordermonitor", "api"]))
out["loaded_after_query"] = sorted(m for m in sys.modules if m.startswith("bordermonitor.storage"))
try:
    import bordermonitor.storage.models  # noqa: F401
    out["models"] = "imported"
except Exception as exc:
    out["models"] = type(exc).__name__
out["apps"] = sorted(a for a in __import__("django.conf").conf.settings.INSTALLED_APPS)
print(json.dumps(out))
"""


def test_the_public_settings_give_no_database_and_load_no_protected_layer(
    tmp_path: Path, release_dir: Path
) -> None:
    link = tmp_path / "current"
    point_link(link, release_dir)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="bordermonitor.public.settings",
        BORDERMONITOR_RELEASE_DIR=str(link),
        BORDERMONITOR_ALLOWED_HOSTS="testserver",
        PYTHONPATH=str(ROOT / "src"),
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["query"] == "refused"
    assert out["models"] == "RuntimeError"  # not an installed app: the models refuse to load
    assert out["pages"] == [200] * 10
    assert out["loaded"] == [] and out["loaded_after_query"] == []
    assert not {
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.admin",
        "bordermonitor.storage",
    } & set(out["apps"])
