"""Spanish formats that differ from Django's own: a time names its zone, on a 12-hour clock.

As in English (``formats/en``), a time never stands without its zone. Spanish speakers in
the United States mostly read times on a 12-hour clock, so "2:05 p. m." rather than
"14:05". Dates keep Django's Spanish form, "6 de diciembre de 2026".
"""

TIME_FORMAT = "g:i a T"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a T"
