"""Publishing an article's draft: who may, the confirmation for text no one reviewed, and a
publication scheduled for a time that happens by itself."""

from __future__ import annotations

import datetime
import io
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from education.models import Article, ArticleDraft
from education.services import (
    PublishRefused,
    article_publish,
    article_review_record,
    articles_publish_due,
)
from education.views import SCHEDULE_MARKER
from tests.education.factories import MAIN_ARTICLE, make_article, make_writer
from tests.education.pages import form_data, main_text
from tests.screening.staff import make_editor, signed_in

pytestmark = pytest.mark.django_db

OLD = "Your pain is real, and it deserves care."
NEW = "Your pain is real, and it deserves care from people who listen."
REVIEW = {
    "reviewer_name": "Dr Ana Reyes",
    "reviewer_credentials": "MD, pain medicine",
    "reviewed_on": "2026-11-02",
}
RISK = "This text has not been medically reviewed since it last changed."


def change_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/change/"


def publish_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/publish/"


def draft_the_main_article(client: Client, **changes: str) -> Article:
    """Change a sentence of the live main article in the admin form, and press Save."""
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    data = form_data(client.get(change_url(main)).content, field="body")
    data = {**data, "body": main.body.replace(OLD, NEW), **changes}
    response = client.post(change_url(main), data)
    assert response.status_code == HTTPStatus.FOUND
    return Article.objects.get(pk=main.pk)


def at(moment: datetime.datetime):
    """The site's clock, moved to ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def editor() -> Client:
    return signed_in(make_editor())


# --- Drafts --------------------------------------------------------------------------------


def test_a_draft_keeps_the_live_page_and_shows_in_the_preview(editor):
    before = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    main = draft_the_main_article(editor)
    # The live page is untouched, "last updated" date and history included.
    assert main.updated_at == before.updated_at
    assert main.history.count() == before.history.count()
    assert OLD in main_text(Client().get(main.get_absolute_url()))
    preview = editor.get(f"/learn/preview/{main.pk}/")
    assert NEW in main_text(preview)
    assertContains(preview, "Draft of a live article")
    # The form opens on the draft, so a second change builds on the first.
    assert NEW in form_data(editor.get(change_url(main)).content, field="body")["body"]


# --- Review before publishing -------------------------------------------------------------


def test_an_unreviewed_draft_asks_for_confirmation_and_names_the_risk(editor):
    main = draft_the_main_article(editor)
    page = editor.post(publish_url(main), {"when": "now"})
    assert page.status_code == HTTPStatus.OK
    assertContains(page, RISK)
    assertContains(page, "Publish without a review")
    assert ArticleDraft.objects.filter(article=main).exists()
    assert OLD in Article.objects.get(pk=main.pk).body

    response = editor.post(publish_url(main), {"when": "now", "confirmed": "on"})
    assert response.status_code == HTTPStatus.FOUND
    main.refresh_from_db()
    assert NEW in main.body
    assert not ArticleDraft.objects.filter(article=main).exists()
    assertContains(Client().get(main.get_absolute_url()), "Not yet medically reviewed")


def test_a_reviewed_draft_is_published_without_the_warning(editor):
    main = draft_the_main_article(editor, **REVIEW)
    assert main.draft.is_reviewed
    response = editor.post(publish_url(main), {"when": "now"})
    assert response.status_code == HTTPStatus.FOUND
    main.refresh_from_db()
    assert NEW in main.body
    assert main.reviewer_name == "Dr Ana Reyes"
    page = Client().get(main.get_absolute_url())
    assertContains(page, "Medically reviewed by Dr Ana Reyes")


def test_someone_without_the_publish_permission_is_told_and_nothing_is_published(editor):
    main = draft_the_main_article(editor, **REVIEW)
    writer = signed_in(make_writer())
    page = writer.get(publish_url(main))
    assertContains(page, "have permission to publish articles. Ask an editor who does.")
    for data in ({"when": "now"}, {"when": "now", "confirmed": "on"}):
        response = writer.post(publish_url(main), data, follow=True)
        assertContains(response, "have permission to publish articles. Ask an editor who does.")
    main.refresh_from_db()
    assert OLD in main.body
    assert ArticleDraft.objects.filter(article=main).exists()


def test_the_service_refuses_unreviewed_text_without_the_confirmation():
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    ArticleDraft.objects.create(article=main, title=main.title, summary="New.", body=main.body)
    with pytest.raises(PublishRefused, match="not been medically reviewed"):
        article_publish(article=main, editor=make_editor())
    assert Article.objects.get(pk=main.pk).summary != "New."


def test_a_never_published_article_goes_through_the_same_page(
    editor, django_capture_on_commit_callbacks
):
    article = make_article(status=Article.Status.DRAFT, title="Coming soon")
    assertNotContains(Client().get("/learn/"), "Coming soon")
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is cleared
        editor.post(publish_url(article), {"when": "now", "confirmed": "on"})
    article.refresh_from_db()
    assert article.is_live
    assertContains(Client().get("/learn/"), "Coming soon")


def test_the_form_cannot_publish_a_draft_by_its_status(editor):
    article = make_article(status=Article.Status.DRAFT)
    data = form_data(editor.get(change_url(article)).content, field="body")
    editor.post(change_url(article), {**data, "status": Article.Status.PUBLISHED})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


# --- Scheduling ---------------------------------------------------------------------------


def schedule(client: Client, article: Article, moment: datetime.datetime) -> object:
    local = timezone.localtime(moment)
    data = {
        "when": "later",
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "confirmed": "on",
    }
    return client.post(publish_url(article), data)


def test_a_scheduled_draft_goes_live_at_its_time_for_readers_who_had_the_page(
    editor, django_capture_on_commit_callbacks
):
    main = draft_the_main_article(editor)
    reader = Client()
    assert OLD in main_text(reader.get(main.get_absolute_url()))  # now in the page cache
    when = (timezone.now() + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    response = schedule(editor, main, when)
    assert response.status_code == HTTPStatus.FOUND
    main.refresh_from_db()
    assert main.publish_at == when

    caches["default"].delete(SCHEDULE_MARKER)
    with at(when - datetime.timedelta(minutes=1)):
        assert OLD in main_text(reader.get(main.get_absolute_url()))
    caches["default"].delete(SCHEDULE_MARKER)  # a minute later the server looks again
    with at(when + datetime.timedelta(seconds=1)), django_capture_on_commit_callbacks(execute=True):
        page = reader.get(main.get_absolute_url())
    # The first reader after the time starts the publication; the next one sees it.
    with at(when + datetime.timedelta(seconds=2)):
        page = reader.get(main.get_absolute_url())
    assert NEW in main_text(page)
    main.refresh_from_db()
    assert (main.publish_at, main.pending()) == (None, main)


def test_the_timer_command_publishes_what_is_due_and_nothing_else(editor):
    main = draft_the_main_article(editor)
    later = make_article(status=Article.Status.DRAFT)
    now = timezone.now()
    Article.objects.filter(pk=main.pk).update(publish_at=now - datetime.timedelta(minutes=1))
    Article.objects.filter(pk=later.pk).update(publish_at=now + datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    assert out.getvalue().strip() == "Published 1 scheduled articles."
    main.refresh_from_db()
    later.refresh_from_db()
    assert NEW in main.body
    assert main.publish_at is None
    assert later.status == Article.Status.DRAFT
    assert later.publish_at is not None
    # Run again (or on a second server): nothing more to do.
    assert articles_publish_due(now=timezone.now()) == 0


def test_a_scheduled_new_article_is_published_dated_at_its_time():
    article = make_article(status=Article.Status.DRAFT)
    when = timezone.now() + datetime.timedelta(days=1)
    article_publish(article=article, editor=make_editor(), at=when, unreviewed_confirmed=True)
    assert articles_publish_due(now=when - datetime.timedelta(seconds=1)) == 0
    assert articles_publish_due(now=when) == 1
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, when)


def test_a_time_in_the_past_is_refused_with_a_message(editor):
    main = draft_the_main_article(editor)
    response = schedule(editor, main, timezone.now() - datetime.timedelta(hours=1))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Choose a time in the future, or publish now.")
    main.refresh_from_db()
    assert main.publish_at is None
    assert OLD in main.body


def test_changing_the_words_cancels_the_schedule(editor):
    main = draft_the_main_article(editor)
    schedule(editor, main, timezone.now() + datetime.timedelta(hours=2))
    data = form_data(editor.get(change_url(main)).content, field="body")
    response = editor.post(change_url(main), {**data, "summary": "Another summary."}, follow=True)
    assertContains(response, "the scheduled publication was cancelled")
    main.refresh_from_db()
    assert main.publish_at is None
    assert main.draft.summary == "Another summary."


def test_a_schedule_can_be_cancelled(editor):
    main = draft_the_main_article(editor)
    schedule(editor, main, timezone.now() + datetime.timedelta(hours=2))
    editor.post(publish_url(main), {"unschedule": "1"})
    main.refresh_from_db()
    assert main.publish_at is None
    assert ArticleDraft.objects.filter(article=main).exists()


def test_a_draft_can_be_discarded_and_the_live_words_stay(editor):
    main = draft_the_main_article(editor)
    schedule(editor, main, timezone.now() + datetime.timedelta(hours=2))
    response = editor.post(publish_url(main), {"discard": "1"}, follow=True)
    assertContains(response, "The draft was discarded.")
    main.refresh_from_db()
    assert (main.publish_at, main.pending()) == (None, main)
    assert OLD in main.body
    assert OLD in form_data(editor.get(change_url(main)).content, field="body")["body"]


def test_a_draft_left_when_an_article_is_unpublished_becomes_its_words(editor):
    article = make_article(title="Sleep and pain")
    data = form_data(editor.get(change_url(article)).content, field="body")
    editor.post(change_url(article), {**data, "summary": "The draft's summary."})
    data = form_data(editor.get(change_url(article)).content, field="body")
    editor.post(change_url(article), {**data, "status": Article.Status.DRAFT})
    article.refresh_from_db()
    assert (article.status, article.draft.summary) == (Article.Status.DRAFT, "The draft's summary.")
    # Not live: the next save writes the words the form showed into the article.
    data = form_data(editor.get(change_url(article)).content, field="body")
    editor.post(change_url(article), {**data, "title": "Sleep and pain at night"})
    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.summary) == ("Sleep and pain at night", "The draft's summary.")
    assert article.pending() == article


def test_the_article_list_says_which_have_a_draft_or_a_time_in_a_fixed_number_of_queries(
    editor,
):
    main = draft_the_main_article(editor)
    schedule(editor, main, timezone.now() + datetime.timedelta(hours=2))
    make_article(status=Article.Status.DRAFT, title="Unpublished")
    page = editor.get(ARTICLE_LIST)
    assertContains(page, "Live, draft waiting, scheduled for")
    assertContains(page, "Not published")
    few = queries_for_the_list(editor)
    for _ in range(10):
        draft_of(make_article())
    assert queries_for_the_list(editor) == few


ARTICLE_LIST = "/admin/education/article/"


def queries_for_the_list(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(ARTICLE_LIST).status_code == HTTPStatus.OK
    return len(captured)


def draft_of(article: Article) -> ArticleDraft:
    return ArticleDraft.objects.create(
        article=article, title=article.title, summary="A draft.", body=article.body
    )


def test_reverting_a_live_article_makes_a_draft_of_the_old_words(editor):
    main = draft_the_main_article(editor)
    assert_published = editor.post(publish_url(main), {"when": "now", "confirmed": "on"})
    assert assert_published.status_code == HTTPStatus.FOUND
    seed = Article.objects.get(pk=main.pk).history.filter(body__contains=OLD).latest()
    revert = f"/admin/education/article/{main.pk}/history/{seed.history_id}/revert/"
    opened = Article.objects.get(pk=main.pk).saved_version
    response = editor.post(revert, {"opened_version": opened}, follow=True)
    assertContains(response, "saved as a draft")
    main.refresh_from_db()
    assert NEW in main.body
    assert OLD in main.draft.body


def test_a_review_recorded_on_the_review_page_covers_the_draft_and_goes_live_with_it(editor):
    main = draft_the_main_article(editor)
    assert main in Article.objects.needing_review()
    article_review_record(
        article=main,
        editor=make_editor("reviewer"),
        reviewer_name="Dr Ana Reyes",
        reviewer_credentials="MD",
        reviewed_on=timezone.localdate(),
    )
    main = Article.objects.get(pk=main.pk)
    assert (main.reviewed_on, main.draft.reviewer_name) == (None, "Dr Ana Reyes")
    # Reviewed: published at once, no warning page.
    assert editor.post(publish_url(main), {"when": "now"}).status_code == HTTPStatus.FOUND
    main.refresh_from_db()
    assert (NEW in main.body, main.reviewer_name) == (True, "Dr Ana Reyes")
    assert main not in Article.objects.needing_review()
