"""Running the same action in several threads at once, to provoke races on PostgreSQL."""

from __future__ import annotations

import threading
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
