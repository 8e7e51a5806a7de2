"""The border areas the monitoring matrix groups incidents by (``border-areas.geojson``), shipped with the code.

A network replaces them with its own file (``BORDERMONITOR_BORDER_AREAS``); ``core.areas`` reads either.
"""
