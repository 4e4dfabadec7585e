"""Publish the articles whose scheduled time has come.

Run it every minute from a timer (docs/deploy.md): `python manage.py publish_scheduled`.
Reading pages also publish what is due, at most a minute late, so readers get the new words
on time even if the timer stops; the timer keeps the admin, the sitemap and a quiet site
right. Running it twice, or on two servers at once, publishes each article once.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from education.services import articles_publish_due


class Command(BaseCommand):
    help = "Publish the articles whose scheduled publication time has come."

    def handle(self, *args, **options) -> None:
        count = articles_publish_due(now=timezone.now())
        self.stdout.write(f"Published {count} scheduled articles.")
