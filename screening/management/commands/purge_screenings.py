"""Delete screenings older than the retention period, and expired sessions.

Run it daily from cron or a scheduler: `python manage.py purge_screenings`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.services import screenings_purge

# A batch's primary keys go to PostgreSQL as bound values, of which a statement may carry
# at most 65,535; deleting a screening also deletes its related rows by the same keys.
MAX_BATCH = 10_000


class Command(BaseCommand):
    help = "Delete screenings older than OIH_RETENTION_DAYS (default 90), in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of OIH_RETENTION_DAYS.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help=f"1 to {MAX_BATCH:,} (default 1,000)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, days: int | None, batch_size: int, dry_run: bool, **options) -> None:
        days = settings.OIH_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("Keep at least 1 day of screenings.")
        if not 1 <= batch_size <= MAX_BATCH:
            raise CommandError(f"--batch-size must be from 1 to {MAX_BATCH:,}.")
        count = screenings_purge(older_than_days=days, batch_size=batch_size, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} screenings older than {days} days.")
