"""Serving the public site with waitress: ``bordermonitor serve-public`` calls :func:`serve`."""

from __future__ import annotations

import logging

__all__ = ["serve"]

log = logging.getLogger(__name__)


def serve(*, host: str, port: int) -> None:
    """Serve the public site until interrupted. The release is indexed before the first request is
    accepted (so no visitor waits for it); later releases are picked up while serving."""
    from django.conf import settings
    from waitress import serve as waitress_serve

    from bordermonitor.public.current import current_release
    from bordermonitor.public.wsgi import application  # sets the public settings first

    config = settings.BORDERMONITOR_PUBLIC
    release = current_release()
    if release is None:
        log.warning(
            "no readable release at %s yet: pages will say so until one is published", config.release_dir
        )
    options: dict[str, object] = {}
    if config.trusted_proxy:
        options = {
            "trusted_proxy": config.trusted_proxy,
            "trusted_proxy_headers": {"x-forwarded-for"},
            "clear_untrusted_proxy_headers": True,
        }
    print(f"serving the public site on http://{host}:{port}/", flush=True)
    waitress_serve(
        application,
        host=host,
        port=port,
        threads=8,
        ident="bordermonitor-public",
        max_request_body_size=64 * 1024,  # nothing is uploaded to the public site
        **options,
    )
