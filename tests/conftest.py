"""Fixtures shared by the whole suite."""

import os
import shutil
from collections.abc import Iterator

# Playwright's sync API keeps an event loop running in the test thread; without this,
# Django refuses database access from it (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest):
    """Django's live server, serving static files the way production does.

    pytest-django's own fixture serves static files from the app folders by their plain
    names, which the hashed names in our pages never match. Here no static handler is put
    in front, so WhiteNoise serves the collected, hashed, compressed files (`make test`
    runs collectstatic first).
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Drive Debian's Chromium: Playwright cannot download a browser of its own here."""
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("OIH_REQUIRE_BROWSER"):
            pytest.fail("OIH_REQUIRE_BROWSER is set but chromium is not installed.")
        pytest.skip("chromium is not installed (make test installs it with apt).")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Tests sign staff in hundreds of times; a slow hash proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_in_the_test_thread() -> Iterator[None]:
    """Each test starts in the site's own language. The test client runs requests in the
    test's thread, and LocaleMiddleware leaves a Spanish page's language active there after
    the response: a later test would then read its labels in Spanish."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture
def assert_max_queries():
    """Fail when a block runs more than ``limit`` SQL statements.

    Transaction control (BEGIN, COMMIT, savepoints) is not counted: it is not a query, and
    whether it shows up at all depends on whether the test itself runs in a transaction.
    """
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def check(limit: int):
        with CaptureQueriesContext(connection) as context:
            yield context
        statements = [
            q["sql"]
            for q in context.captured_queries
            if not q["sql"].startswith(TRANSACTION_CONTROL)
        ]
        assert len(statements) <= limit, f"{len(statements)} queries:\n" + "\n".join(statements)

    return check


@pytest.fixture(autouse=True)
def fresh_caches(request: pytest.FixtureRequest, django_db_blocker) -> None:
    """Each test starts with empty caches: a test's data is rolled back without a signal,
    and a test may change what a cached page or fragment would show.

    The reading pages' cache is a table in the test database. A test inside a transaction
    leaves nothing in it; a transactional test (which commits) clears it first.
    """
    from django.core.cache import cache, caches

    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        request.getfixturevalue("django_db_setup")  # the test database, never the real one
        with django_db_blocker.unblock():
            caches["pages"].clear()


@pytest.fixture
def seed_content(transactional_db) -> None:
    """The seed articles and the two staff groups, which come from data migrations.

    For transactional tests (browser tests, races, real transactions).

    A transactional test may start from a database an earlier one flushed, and
    serialized_rollback cannot bring them back here: once Playwright's event loop runs in
    this thread, asgiref hands Django a fresh connection object that lacks the snapshot
    (``_test_serialized_contents``) taken at set-up, so the restore is silently skipped.
    Running the apps' data migrations again restores exactly what they create.
    """
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from education.models import Article

    reruns = {
        "education": ("0001", "Content editors"),
        "screening": ("0002", "Clinicians"),
    }
    seeded = Article.objects.filter(slug="opioid-induced-hyperalgesia").exists()
    for app, (before_data, group) in reruns.items():
        if not Group.objects.filter(name=group).exists() or (app == "education" and not seeded):
            call_command("migrate", app, before_data, verbosity=0)
            call_command("migrate", app, verbosity=0)
    # Content types may have been flushed and created again with other ids; the admin's
    # log entries must not use ids cached by earlier tests.
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The translation catalogues compiled where a .po is newer than its .mo, as
    ``make compilemessages`` does, so that a plain ``pytest`` shows the Spanish of today."""
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    stale = [
        po
        for folder in settings.LOCALE_PATHS
        for po in Path(folder).glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale and shutil.which("msgfmt"):
        ignore = [".venv", "staticfiles", "staticfiles-manifest", "htmlcov"]
        call_command("compilemessages", ignore_patterns=ignore, verbosity=0)


@pytest.fixture
def pseudo_spanish(monkeypatch) -> None:
    """Spanish pages in pseudo-Spanish: each catalogue string with its vowels accented
    (tests/languages.py), whatever the catalogue holds. A word with a plain vowel on such
    a page never went through the translation machinery."""
    from django.utils.translation import trans_real

    from tests.languages import pseudo_translated

    spanish = trans_real.translation("es")

    def gettext(message: str) -> str:
        # pgettext asks for "context\x04message"; an answer without the separator is taken
        # as translated.
        return pseudo_translated(message.rsplit("\x04", 1)[-1])

    def ngettext(singular: str, plural: str, number: int) -> str:
        return pseudo_translated(singular if number == 1 else plural)

    monkeypatch.setattr(spanish, "gettext", gettext)
    monkeypatch.setattr(spanish, "ngettext", ngettext)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that commit (browser journeys, live servers, real transactions) run after all
    the others. They end by emptying the database, which takes the data migrations' groups
    and articles with it; a test in a rolled-back transaction that ran after them would
    find none. pytest-django sorts this way too, but another plugin's reordering ran after
    it and mixed the two (issue 18's merge put screening's tests after the browser's)."""

    def commits(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        by_marker = bool(
            marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
        )
        fixtures = getattr(item, "fixturenames", ())
        return by_marker or "transactional_db" in fixtures or "live_server" in fixtures

    items.sort(key=commits)
