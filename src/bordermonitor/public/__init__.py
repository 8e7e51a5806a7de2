"""The public site and public JSON API: read-only, served from the latest open-data release only.

This package has no path to the protected database: its Django settings define no database, it installs
none of the project's apps with models, and an import-linter contract forbids it from importing the storage,
web, evidence and importer layers. Everything it shows comes from one release directory
(``BORDERMONITOR_RELEASE_DIR``) written by :mod:`bordermonitor.publish`.

Run it with :func:`bordermonitor.public.server.serve`.
"""
