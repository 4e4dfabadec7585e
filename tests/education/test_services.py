"""Saving an article: who may publish, and when a medical review still stands."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction

from education.models import Article
from education.services import article_publish, article_save
from tests.education.factories import make_article, make_writer
from tests.races import in_a_thread, until_another_session_waits_for_a_lock
from tests.screening.staff import make_editor

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = Article.Status.DRAFT, Article.Status.PUBLISHED
REVIEW = {
    "reviewer_name": "Dr Ana Reyes",
    "reviewer_credentials": "MD, pain medicine",
    "reviewed_on": datetime.date(2026, 11, 2),
}
LONG_AGO = datetime.datetime(2025, 1, 6, tzinfo=datetime.UTC)


def review_of(article: Article) -> dict[str, object]:
    """The review that goes with the article's newest words: its draft's, if it has one."""
    pending = Article.objects.get(pk=article.pk).pending()
    return {field: getattr(pending, field) for field in REVIEW}


# --- A medical review covers the text it was made of --------------------------------------


@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_changing_the_text_without_a_new_review_clears_the_review(field):
    article = make_article(**REVIEW)
    setattr(article, field, "Words no reviewer read.")
    article_save(article=article, editor=make_editor(), changed_fields=[field])
    assert review_of(article) == {
        "reviewer_name": "",
        "reviewer_credentials": "",
        "reviewed_on": None,
    }


def test_a_review_recorded_in_the_same_save_as_the_text_stands():
    article = make_article(**REVIEW)
    article.body = "Words the reviewer read."
    article.reviewed_on = datetime.date(2026, 11, 20)
    article_save(article=article, editor=make_editor(), changed_fields=["body", "reviewed_on"])
    assert review_of(article) == {**REVIEW, "reviewed_on": datetime.date(2026, 11, 20)}


def test_retyping_the_reviewer_with_new_text_is_not_a_new_review():
    article = make_article(**REVIEW)
    article.body = "Words no reviewer read."
    article.reviewer_name = "Dr Ana Reyes "
    article_save(article=article, editor=make_editor(), changed_fields=["body", "reviewer_name"])
    assert review_of(article)["reviewed_on"] is None


def test_a_change_outside_the_text_keeps_the_review():
    article = make_article(**REVIEW)
    article.show_help_lines = True
    article_save(article=article, editor=make_editor(), changed_fields=["show_help_lines"])
    assert review_of(article) == REVIEW


def test_a_new_article_keeps_the_review_it_is_written_with():
    article = Article(
        title="Reviewed from the start",
        slug="reviewed-from-the-start",
        summary="An article written after its review.",
        body="Words the reviewer read.\n",
        **REVIEW,
    )
    article_save(article=article, editor=make_editor(), changed_fields=["title", "body"])
    assert review_of(article) == REVIEW


# --- Publishing is its own permission -----------------------------------------------------


@pytest.mark.parametrize(
    ("status_now", "old_version"),
    [
        (DRAFT, {"status": PUBLISHED, "published_at": LONG_AGO}),
        (PUBLISHED, {"status": DRAFT, "published_at": None}),
    ],
    ids=["publish", "unpublish"],
)
def test_without_the_publish_permission_status_and_date_stay_as_they_are(status_now, old_version):
    article = make_article(status=status_now)
    now = (article.status, article.published_at)
    for field, value in old_version.items():  # as a revert to an old version would hold
        setattr(article, field, value)
    article_save(article=article, editor=make_writer(), changed_fields=[])
    article.refresh_from_db()
    assert (article.status, article.published_at) == now


@pytest.mark.django_db(transaction=True)
def test_a_writer_saving_while_a_publisher_unpublishes_does_not_publish_it_again():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writes; the race needs PostgreSQL.")
    article = make_article(status=PUBLISHED)
    writer = make_writer()
    stale = Article.objects.get(pk=article.pk)  # the writer's form, opened while it was live
    stale.summary = "A writer's new summary."

    with transaction.atomic():
        unpublishing = Article.objects.select_for_update().get(pk=article.pk)
        unpublishing.status = DRAFT
        unpublishing.save()
        join = in_a_thread(
            lambda: article_save(article=stale, editor=writer, changed_fields=["summary"])
        )
        # The writer's save has reached the article and waits for the publisher to finish.
        until_another_session_waits_for_a_lock()
    join()

    article.refresh_from_db()
    assert (article.status, article.summary) == (DRAFT, "A writer's new summary.")


# --- History ------------------------------------------------------------------------------


def test_the_new_version_in_the_history_names_the_editor_outside_a_request_too():
    editor = make_editor()
    article = make_article(status=DRAFT)
    article.summary = "A new summary."
    article_save(article=article, editor=editor, changed_fields=["summary"])
    latest = article.history.latest()
    assert (latest.history_type, latest.summary, latest.history_user) == (
        "~",
        "A new summary.",
        editor,
    )


# --- Search -------------------------------------------------------------------------------


def test_a_saved_edit_is_found_by_search_at_once():
    """On PostgreSQL each save stores the article's search document again."""
    article = make_article()
    assert list(Article.objects.published().search("zanzibar")) == []
    article.body += "\n\nA word no other article has: Zanzibar.\n"
    editor = make_editor()
    article_save(article=article, editor=editor, changed_fields=["body"])
    # A draft of a live article: readers' search finds it once it is published.
    assert list(Article.objects.published().search("zanzibar")) == []
    article_publish(article=article, editor=editor, unreviewed_confirmed=True)
    assert list(Article.objects.published().search("zanzibar")) == [article]
