"""The ASGI entry point that application servers load."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oih_site.settings")

application = get_asgi_application()
