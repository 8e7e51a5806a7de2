"""Numbers on the public pages in this language: CLDR's, as the map script writes them."""

from bordermonitor.public.formats import number_format

DECIMAL_SEPARATOR, THOUSAND_SEPARATOR, NUMBER_GROUPING = number_format("ar")
