"""The demo network: synthetic but realistic data to show and measure the system without anyone's real story.

:mod:`bordermonitor.demo.synthetic` is pure (no Django) and makes interchange-v1 records;
:mod:`bordermonitor.demo.load` loads a whole demo network into a database through the ordinary importers.
"""

__all__: list[str] = []
