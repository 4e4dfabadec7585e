"""Writes to articles: everything that must happen when an editor saves one."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from education import pinned
from education.models import (
    Article,
    ArticleDraft,
    Reference,
    review_due_after,
    text_fingerprint,
)
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


NOT_A_PUBLISHER = gettext_lazy(
    "You don't have permission to publish articles. Ask an editor who does."
)


# The history's note on a version that was published at its scheduled time.
SCHEDULED_REASON = "Published at the scheduled time"


class PublishRefused(Exception):
    """A publication that may not happen: the message says why, for the editor."""


@dataclass(frozen=True)
class ReferenceRow:
    """One reference as an editor's form gives it, before it is saved."""

    order: int
    citation: str
    url: str = ""
    accessed_on: datetime.date | None = None

    @classmethod
    def of(cls, reference: Reference) -> ReferenceRow:
        return cls(reference.order, reference.citation, reference.url, reference.accessed_on)


def article_save(
    *,
    article: Article,
    editor: AbstractUser,
    changed_fields: Collection[str] = (),
    references: Sequence[ReferenceRow] | None = None,
    related: Iterable[Article] | None = None,
) -> Article:
    """Save an editor's changes to an article, new or existing, by the rules every save keeps.

    - A live article's page changes only when someone publishes it: a change to the title,
      summary, body, help lines, references or related articles of a live article, with the
      review that goes with it, is kept as its draft (``ArticleDraft``); readers keep the
      live page. The slug, language and translation change at once. ``article`` arrives
      as the form showed it: with its draft's words. ``references`` and ``related`` are
      the whole new lists, or None when the editor did not change them.
    - Publishing is its own step (``article_publish``): a save never publishes. A
      publisher (``education.publish_article``) may unpublish a live article by its
      status; no other save changes its status or publication date, whatever the form
      held. Reverting to an old version through the history is such a form.
    - A medical review covers the text it was made of: when the title, summary or body of an
      existing article changes and no new review is recorded in the same save (a new
      ``reviewed_on``), the old review is cleared, so readers never see "Medically
      reviewed" above words no reviewer read.
    - A scheduled publication is cancelled by any change to the page (words, help lines,
      references, related articles): nobody chose to publish the new page.
    - Recording a review is its own permission too (``education.record_review``): without
      it, a save keeps the review fields as they were saved (a text change still clears
      them). A review recorded without a next-review date is next due
      REVIEW_INTERVAL_MONTHS later; a text change clears the next-review date too.
    - A recorded review also covers what the self-check's result page says where it links
      into the article: the links' fingerprint is kept with the review, and a later change
      of the rules version or of those words shows the article as review due
      (``education/pinned.py``).
    - A translation records which version of its original's words it follows: when it is
      new, gets new words, is tied to another original or has a review recorded, it takes the
      original's current ``text_fingerprint``. A later change to the original's words then
      shows the translation as out of date (``Article.translation_out_of_date``).
    - The body is rendered and the search document stored.

    ``changed_fields`` names the fields the editor changed (a form's ``changed_data``). The
    new history entry names ``editor`` as the one who made this version.
    """
    existing = article.pk is not None
    changed = set(changed_fields)
    with transaction.atomic():
        current = None
        if existing:
            # Locked: a publisher's change committing meanwhile is read, not overwritten.
            current = Article.objects.select_for_update().get(pk=article.pk)
            unpublishing = (
                may_publish(editor)
                and current.status == Article.Status.PUBLISHED
                and article.status == Article.Status.DRAFT
            )
            if not unpublishing:
                article.status, article.published_at = current.status, current.published_at
            article.publish_at = None if unpublishing else current.publish_at
            article.scheduled_by_id = None if unpublishing else current.scheduled_by_id
        else:
            article.status, article.published_at, article.publish_at = (
                Article.Status.DRAFT,
                None,
                None,
            )
        if not may_record_review(editor):
            # Whatever the form held: the review stays as saved (none, for a new article);
            # for a live article with a draft, as the draft has it.
            stored = (
                ArticleDraft.objects.filter(article_id=article.pk).values(*REVIEW_FIELDS).first()
                or Article.objects.filter(pk=article.pk).values(*REVIEW_FIELDS).first()
                or {field: Article._meta.get_field(field).get_default() for field in REVIEW_FIELDS}
            )
            for field, value in stored.items():
                setattr(article, field, value)
            changed -= set(REVIEW_FIELDS)
        text_changed = bool(changed & REVIEWED_TEXT_FIELDS)
        if existing and text_changed and "reviewed_on" not in changed:
            article.reviewer_name = article.reviewer_credentials = ""
            article.reviewed_on = article.next_review_due = None
        if article.reviewed_on is not None and article.next_review_due is None:
            article.next_review_due = review_due_after(article.reviewed_on)
        if existing and (
            text_changed
            or "show_help_lines" in changed
            or references is not None
            or related is not None
        ):
            # Nobody chose to publish the page as it is now.
            article.publish_at = article.scheduled_by_id = None
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
        if current is not None and current.is_live:
            draft = _keep_page_as_draft(
                article=article,
                current=current,
                editor=editor,
                references=references,
                related=related,
            )
            if draft is not None:
                _set_references(article, references, in_draft=True)
                if related is not None:
                    draft.related.set(related)
            if draft is not None and not changed - DRAFTED_FORM_FIELDS:
                # Only the draft changed: the live row, its "last updated" date, its
                # history and the reading pages' cache stay as they are. A draft gets its
                # history entry when it is published.
                Article.objects.filter(pk=article.pk).update(
                    publish_at=article.publish_at, scheduled_by=article.scheduled_by_id
                )
                return article
        else:
            if current is not None:
                # Not live (unpublished since the draft was made): the form showed the
                # draft, and it is saved into the article itself.
                _drop_draft(article, keep_attachments=True)
            article._history_user = editor
            article.save()
            _set_references(article, references, in_draft=False)
            if related is not None:
                article.related.set(related)
            Article.objects.filter(pk=article.pk).index_for_search()
            return article
        # django-simple-history reads the author of the new version from here.
        article._history_user = editor
        article.save()
        Article.objects.filter(pk=article.pk).index_for_search()
    return article


# What a form may change that a live article's draft keeps (ArticleDraft), besides the
# check that nobody saved meanwhile.
DRAFTED_FORM_FIELDS = frozenset({*ArticleDraft.WORDS, "related", "opened_version"})


def _keep_page_as_draft(
    *,
    article: Article,
    current: Article,
    editor: AbstractUser,
    references: Sequence[ReferenceRow] | None,
    related: Iterable[Article] | None,
) -> ArticleDraft | None:
    """Move what a live article's save changes on its page into its draft; leave the live
    page as it is. The draft, or None when there is none to keep.

    A save that changes nothing on the page and finds no draft (a review of the live
    words, a new slug) changes the live article alone.
    """
    draft = ArticleDraft.objects.filter(article=article).first()
    if draft is None and not _page_differs(article, current, references, related):
        return None
    words = {name: getattr(article, name) for name in ArticleDraft.WORDS}
    if draft is None:
        draft = ArticleDraft.objects.create(article=article, **words, saved_by=editor)
        # A new draft starts as a copy of the live page: its references and related.
        draft.related.set(current.related.all())
        for reference in current.references.filter(in_draft=False):
            reference.pk = None
            reference.in_draft = True
            reference.save()
    else:
        for name, value in words.items():
            setattr(draft, name, value)
        draft.saved_by = editor
        draft.save()
    article.draft = draft
    for name in ArticleDraft.WORDS:
        setattr(article, name, getattr(current, name))
    # Translations follow the live words, not a draft's.
    article.text_fingerprint = current.text_fingerprint
    return draft


def _page_differs(
    article: Article,
    current: Article,
    references: Sequence[ReferenceRow] | None,
    related: Iterable[Article] | None,
) -> bool:
    """Another page than the live one: other words (not counting line endings and outer
    blank space, which the form trims), help lines, references or related articles."""

    def plain(text: str) -> str:
        return text.replace("\r\n", "\n").strip()

    return (
        any(
            plain(getattr(article, name)) != plain(getattr(current, name))
            for name in REVIEWED_TEXT_FIELDS
        )
        or article.show_help_lines != current.show_help_lines
        or (references is not None and list(references) != _rows(current, in_draft=False))
        or (
            related is not None
            and {other.pk for other in related} != set(current.related.values_list("pk", flat=True))
        )
    )


def _rows(article: Article, *, in_draft: bool) -> list[ReferenceRow]:
    return [
        ReferenceRow.of(reference)
        for reference in article.references.filter(in_draft=in_draft).order_by("order", "pk")
    ]


def _set_references(
    article: Article, rows: Sequence[ReferenceRow] | None, *, in_draft: bool
) -> None:
    """Make the article's live (or draft) references exactly ``rows``; None keeps them.

    A reference whose number, citation, link and date are all among ``rows`` is left
    alone, so the history shows only the rows that changed.
    """
    if rows is None:
        return
    wanted = list(rows)
    for reference in article.references.filter(in_draft=in_draft):
        row = ReferenceRow.of(reference)
        if row in wanted:
            wanted.remove(row)
        else:
            reference.delete()
    for row in wanted:
        Reference.objects.create(article=article, in_draft=in_draft, **asdict(row))


def article_publish(
    *,
    article: Article,
    editor: AbstractUser,
    at: datetime.datetime | None = None,
    unreviewed_confirmed: bool = False,
) -> Article:
    """Publish an article's pending words (its draft, or itself if never published) now,
    or schedule them for ``at``.

    Only a publisher (``education.publish_article``) may. Words no reviewer has reviewed
    since they last changed go out only when the publisher has confirmed that risk
    (``unreviewed_confirmed``). A scheduled time goes live by itself
    (``articles_publish_due``): the first page a reader asks for after it, or the
    ``publish_scheduled`` command, whichever comes first.
    """
    if not may_publish(editor):
        raise PublishRefused(NOT_A_PUBLISHER)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        pending = article.pending()
        if article.is_live and pending is article:
            raise PublishRefused(_("There is nothing new to publish: readers see these words."))
        if not pending.is_reviewed and not unreviewed_confirmed:
            raise PublishRefused(
                _("This text has not been medically reviewed since it last changed.")
            )
        now = timezone.now()
        if at is not None and at > now:
            Article.objects.filter(pk=article.pk).update(publish_at=at, scheduled_by=editor)
            article.publish_at, article.scheduled_by = at, editor
            return article
        return _publish_pending(article=article, by=editor, now=now)


def article_unschedule(*, article: Article, editor: AbstractUser) -> None:
    """Cancel a scheduled publication; the words stay as they are."""
    if not may_publish(editor):
        raise PublishRefused(NOT_A_PUBLISHER)
    Article.objects.filter(pk=article.pk).update(publish_at=None, scheduled_by=None)


def article_draft_discard(*, article: Article, editor: AbstractUser) -> None:
    """Throw away a live article's draft and any schedule for it; the live page stays."""
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).update(
            publish_at=None, scheduled_by=None
        )
        _drop_draft(article, keep_attachments=False)


def articles_publish_due(*, now: datetime.datetime) -> int:
    """Publish every article whose scheduled time has come; return how many.

    Safe to run from several app servers at once: each article is locked while it is
    published, and one whose time another has already handled is skipped.
    """
    published = 0
    for pk in Article.objects.due(now).values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=pk).due(now).first()
            if article is None:
                continue
            # The version is the work of whoever set the time.
            article._change_reason = SCHEDULED_REASON
            _publish_pending(article=article, by=article.scheduled_by, now=article.publish_at)
            published += 1
    return published


def _drop_draft(article: Article, *, keep_attachments: bool) -> None:
    """Delete the article's draft, if it has one, with its references.

    ``keep_attachments``: the draft's references and related articles become the
    article's own first (its words are the caller's to move).
    """
    draft = ArticleDraft.objects.filter(article=article).first()
    if draft is not None:
        if keep_attachments:
            article.related.set(draft.related.all())
            for reference in article.references.filter(in_draft=False):
                reference.delete()
            for reference in article.references.filter(in_draft=True):
                reference.in_draft = False
                reference.save()
        else:
            for reference in article.references.filter(in_draft=True):
                reference.delete()
        draft.delete()
    # The article must not answer from a copy of the draft it kept in memory.
    if Article.draft.related.is_cached(article):
        Article.draft.related.delete_cached_value(article)


def _publish_pending(
    *, article: Article, by: AbstractUser | None, now: datetime.datetime
) -> Article:
    """Put the pending words live (inside the caller's transaction, the row locked)."""
    pending = article.pending()
    if pending is not article:
        for name in ArticleDraft.WORDS:
            setattr(article, name, getattr(pending, name))
        _drop_draft(article, keep_attachments=True)
        # The new live words are what translations follow, and what a translation follows.
        article.text_fingerprint = text_fingerprint(article.title, article.summary, article.body)
        if article.translation_of is not None:
            article.source_fingerprint = article.translation_of.text_fingerprint
    article.status = Article.Status.PUBLISHED
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    article.publish_at = article.scheduled_by = None
    article._history_user = by
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
        draft = ArticleDraft.objects.filter(article=article).first()
        if draft is not None:
            # A live article's newest words are its draft's: the review covers those, and
            # goes live with them.
            for field in (*REVIEW_FIELDS, "rules_fingerprint"):
                setattr(draft, field, getattr(article, field))
            draft.save()
            article._change_reason = f"{article._change_reason} (of the draft)"
            return article
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
