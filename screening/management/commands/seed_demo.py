"""Fill a development database with fake screenings and two demo staff accounts.

Refuses to run unless DEBUG is on, so it can never touch production data.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.demo import demo_staff_create, screenings_create_demo


class Command(BaseCommand):
    help = "Create fake screenings across all outcomes, plus a demo clinician and editor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--screenings", type=int, default=200, help="How many (default 200).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, to repeat a run.")
        parser.add_argument("--no-staff", action="store_true", help="Skip the demo accounts.")

    def handle(self, *args, screenings: int, seed: int | None, no_staff: bool, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DJANGO_DEBUG=1: it makes fake data.")
        if screenings < 0:
            raise CommandError("--screenings must be 0 or more.")
        made = screenings_create_demo(count=screenings, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"Created {made} fake screenings."))
        if not no_staff:
            for username, password in demo_staff_create().items():
                self.stdout.write(f"{username}  password: {password}  (shown once)")
            self.stdout.write(
                "Sign in at /admin/ with the password and no code: the site then sets up an "
                "authenticator app, whose code every later sign-in needs."
            )
