"""Writes to articles: everything that must happen when an editor saves one."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone

from education import pinned
from education.models import Article, review_due_after, text_fingerprint
from education.rendering import render_markdown

# The words a medical review vouches for. A new review of them has a new date: retyping the
# reviewer's name is not a review.
REVIEWED_TEXT_FIELDS = frozenset({"title", "summary", "body"})


# What a review records, which only ``education.record_review`` may change.
REVIEW_FIELDS = ("reviewer_name", "reviewer_credentials", "reviewed_on", "next_review_due")


def may_record_review(user: AbstractUser) -> bool:
    """Whether ``user`` may record a medical review (the Meta permission)."""
    return user.has_perm("education.record_review")


def may_publish(user: AbstractUser) -> bool:
    """Whether ``user`` may publish and unpublish articles (the Meta permission)."""
    return user.has_perm("education.publish_article")


def article_save(
    *, article: Article, editor: AbstractUser, changed_fields: Collection[str] = ()
) -> Article:
    """Save an editor's changes to an article, new or existing, by the rules every save keeps.

    - Publishing is its own permission: an editor without ``education.publish_article``
      never changes an existing article's status or publication date, whatever the form
      held. Reverting to an old version through the history is such a form, and must not
      publish or unpublish behind the permission's back.
    - Recording a review is its own permission too (``education.record_review``): without
      it, a save keeps the review fields as they were saved (a text change still clears
      them).
    - A medical review covers the text it was made of: when the title, summary or body of an
      existing article changes and no new review is recorded in the same save (a new
      ``reviewed_on``), the old review and its next-review date are cleared, so readers
      never see "Medically reviewed" above words no reviewer read. A review recorded without
      a next-review date is next due REVIEW_INTERVAL_MONTHS later.
    - A recorded review also covers what the self-check's result page says where it links
      into the article: the links' fingerprint is kept with the review, and a later change
      of the rules version or of those words shows the article as review due
      (``education/pinned.py``).
    - A translation records which version of its original's words it follows: when it is
      new, gets new words, is tied to another original or has a review recorded, it takes the
      original's current ``text_fingerprint``. A later change to the original's words then
      shows the translation as out of date (``Article.translation_out_of_date``).
    - The body is rendered and a first publication dated (``article_prepare``), and the
      search document stored.

    ``changed_fields`` names the fields the editor changed (a form's ``changed_data``). The
    new history entry names ``editor`` as the one who made this version.
    """
    existing = article.pk is not None
    changed = set(changed_fields)
    with transaction.atomic():
        if existing and not may_publish(editor):
            # Locked: a publisher's change committing meanwhile is read, not overwritten.
            current = (
                Article.objects.select_for_update()
                .only("status", "published_at")
                .get(pk=article.pk)
            )
            article.status, article.published_at = current.status, current.published_at
        if not may_record_review(editor):
            # Whatever the form held: the review stays as saved (none, for a new article).
            stored = Article.objects.filter(pk=article.pk).values(*REVIEW_FIELDS).first() or {
                field: Article._meta.get_field(field).get_default() for field in REVIEW_FIELDS
            }
            for field, value in stored.items():
                setattr(article, field, value)
            changed -= set(REVIEW_FIELDS)
        if existing and changed & REVIEWED_TEXT_FIELDS and "reviewed_on" not in changed:
            article.reviewer_name = article.reviewer_credentials = ""
            article.reviewed_on = article.next_review_due = None
        if article.reviewed_on is not None and article.next_review_due is None:
            article.next_review_due = review_due_after(article.reviewed_on)
        if article.reviewed_on is None:
            article.rules_fingerprint = ""
        elif "reviewed_on" in changed or not existing:
            # The review covers what the self-check now says when it links here.
            article.rules_fingerprint = pinned.fingerprint(article.slug)
        if article.translation_of is None:
            article.source_fingerprint = ""
        elif not existing or changed & (REVIEWED_TEXT_FIELDS | {"translation_of", "reviewed_on"}):
            article.source_fingerprint = article.translation_of.text_fingerprint
        article_prepare(article=article)
        # django-simple-history reads the author of the new version from here.
        article._history_user = editor
        article.save()
        Article.objects.filter(pk=article.pk).index_for_search()
    return article


def article_review_record(
    *,
    article: Article,
    editor: AbstractUser,
    reviewer_name: str,
    reviewer_credentials: str,
    reviewed_on: datetime.date,
    next_review_due: datetime.date | None = None,
) -> Article:
    """Record that a named clinician reviewed the article's text as it is now.

    The one-step way to a review (the admin's review page): only the review fields change,
    the review covers what the self-check says where it links here (its fingerprint), the
    next review is due REVIEW_INTERVAL_MONTHS later unless ``next_review_due`` says
    otherwise, and the new history entry names ``editor`` and the review. Raises
    ValidationError, changing nothing, for a review without a name or credentials, dated in
    the future, or next due on or before it.

    Needs ``education.record_review``; callers check it (the admin answers 403 without it).
    """
    with transaction.atomic():
        # The row as saved now, locked: the review changes its review fields and nothing else.
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.reviewer_name = " ".join(reviewer_name.split())
        article.reviewer_credentials = " ".join(reviewer_credentials.split())
        article.reviewed_on = reviewed_on
        article.next_review_due = next_review_due or review_due_after(reviewed_on)
        article.clean_review()
        article.rules_fingerprint = pinned.fingerprint(article.slug)
        if article.translation_of is not None:
            # A translation's review checks it against its original as it is now.
            article.source_fingerprint = article.translation_of.text_fingerprint
        article._history_user = editor
        article._change_reason = (
            f"Medical review recorded: {article.reviewer_name}, {article.reviewer_credentials}, "
            f"on {reviewed_on.isoformat()}; next due {article.next_review_due.isoformat()}"
        )
        article.save()
    return article


def article_prepare(*, article: Article) -> Article:
    """Render the body once, for every later page view, date a first publication, and
    take the fingerprint of the words that translations follow.

    Called before the article is saved; it does not save.
    """
    rendered = render_markdown(article.body)
    article.body_html = rendered.html
    article.toc = rendered.toc
    article.text_fingerprint = text_fingerprint(article.title, article.summary, article.body)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    return article
