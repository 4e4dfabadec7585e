"""English formats that differ from Django's own: a time always names its zone.

Clinicians may work in another zone than the site's (settings.TIME_ZONE), so a time never
stands without it. Django falls back to its own English formats for everything else.
"""

TIME_FORMAT = "P T"
DATETIME_FORMAT = "N j, Y, P T"
