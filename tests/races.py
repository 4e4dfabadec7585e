"""Running the same action in several threads at once, to provoke races on PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def all_at_once[T](action: Callable[[], T], times: int = 4) -> list[T]:
    """Call ``action`` in ``times`` threads released together; return what each returned.

    Each thread closes its own database connections. The first error raised in a thread
    is raised here, after all have finished.
    """
    from django.db import connections

    start = threading.Barrier(times)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(action())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def in_a_thread(action: Callable[[], object]) -> Callable[[], None]:
    """Start ``action`` in a thread with its own database connection; return its join.

    The join re-raises what ``action`` raised.
    """
    from django.db import connections

    errors: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()

    def join() -> None:
        thread.join(timeout=30)
        if errors:
            raise errors[0]

    return join


def until_another_session_waits_for_a_lock(timeout: float = 10.0) -> None:
    """Return once another session of this database waits for a row lock (PostgreSQL)."""
    from django.db import connection

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction PostgreSQL keeps its first look at pg_stat_activity.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError(f"no other session waited for a lock within {timeout} s")
