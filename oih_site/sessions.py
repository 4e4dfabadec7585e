"""Django's database sessions, read with one plain query instead of the ORM."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    """A session row is read on every page a patient sees during a check.

    Building the ORM's query took about twice as long as running it (docs/performance.md),
    so the read is written out. Saving, expiry, key changes and the table are Django's own.
    """

    def load(self) -> dict:
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table}"  # noqa: S608 (a table name)
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
