"""WSGI entry point of the public site (:func:`bordermonitor.public.server.serve` runs it with waitress).

The settings module is forced, not defaulted: an environment that names the staff site's settings (as the
test suite's does) must never give this process a database.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bordermonitor.public.settings"
application = get_wsgi_application()
