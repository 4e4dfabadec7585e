"""Articles that teach, and the references behind them.

The Markdown an editor writes is rendered once, when the article is saved, into sanitised
HTML and a table of contents (education/rendering.py): a page view never renders Markdown.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import hashlib
import operator
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
    TrigramStrictWordSimilarity,
)
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from education import pinned
from education.rendering import unshown, without_heading_ids

# PostgreSQL's text-search configurations for each language an article may be written in:
# they know the language's stop words and how its words end ("dolores" finds "dolor").
# The "_unaccent" ones (migration 0016) drop accents first, so that a word typed without
# them is found: "informacion" finds "información". Spanish keeps its own configuration
# too, as its stemmer reads the accents of some endings ("información" and "informaciones"
# are both "inform"; "informacion" is not): an article and a search are read both ways, and
# either reading may match.
SEARCH_CONFIGS = {"en": ("english_unaccent",), "es": ("spanish", "spanish_unaccent")}


def search_document(configs: tuple[str, ...]) -> SearchVector:
    """What a search on PostgreSQL matches and ranks: the title, then the summary, then the
    body (without its heading ids), read by each text-search configuration in ``configs``."""
    return functools.reduce(
        operator.add,
        (
            SearchVector(field, weight=weight, config=config)
            for field, weight in (("title", "A"), ("summary", "B"), ("search_body", "C"))
            for config in configs
        ),
    )


def search_query(text: str, configs: tuple[str, ...]) -> SearchQuery:
    """``text`` as a web search ("quoted phrases", -word) that matches when any one of the
    ``configs``' readings of it matches."""
    return functools.reduce(
        operator.or_,
        (SearchQuery(text, search_type="websearch", config=config) for config in configs),
    )


def text_fingerprint(title: str, summary: str, body: str) -> str:
    """A digest of an article's words, to tell when a translation's original has changed.

    Only the words count: a form that trims the text's last line break, or a browser that
    sends line breaks as CR LF, changes nothing a translator would need to know about.
    """
    digest = hashlib.sha256()
    for part in (title, summary, body):
        digest.update(" ".join(part.split()).encode())
        digest.update(b"\0")
    return digest.hexdigest()


# A close search forgives one typo in a word of this length or more: shorter words share
# too few trigrams with their correct spelling to be told from other words.
CLOSE_WORD_MIN_LENGTH = 5
# At most this many words of a search are matched closely (each costs a pass over the text).
CLOSE_WORDS_MAX = 6
# A close word has pg_trgm's strict word similarity of at least 0.5 (the extension's default
# threshold, which its operator reads): "nalaxone" is 0.5 from "naloxone", "hyperalgsia"
# 0.67 from "hyperalgesia", while "pian" is 0.11 from "pain".
WORD = re.compile(r"\w+")


class TitleVector(models.Func):
    """The title's part of the stored search document (its weight A)."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


class Unaccented(models.Func):
    """The text without its accents ("médico" is "medico"), on PostgreSQL.

    ``search_unaccent`` (migration 0016) is the ``unaccent`` extension's function with its
    dictionary named, which makes it immutable, as an index expression must be.
    """

    function = "search_unaccent"
    output_field = models.TextField()


class ArticleText(models.Func):
    """The title, summary and body (without its heading ids) as one text without accents,
    for trigram matching.

    Written with ``||`` (immutable, unlike ``concat``) so that PostgreSQL can index it:
    migration 0016 keeps a GIN trigram index of exactly this expression.
    """

    template = "search_unaccent(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = models.TextField()

    def __init__(self) -> None:
        super().__init__(models.F("title"), models.F("summary"), models.F("search_body"))


class ArticleQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime) -> ArticleQuerySet:
        """Articles whose scheduled publication time has come (``publish_at``)."""
        return self.filter(publish_at__lte=now)

    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def listed(self, language: str | None = None) -> ArticleQuerySet:
        """The published articles for a reader of ``language`` (the active language if
        None), with only what a list of them shows."""
        return self.published().for_language(language).only("slug", "title", "summary", "language")

    def for_language(self, language: str | None = None) -> ArticleQuerySet:
        """The articles a reader of ``language`` (the active language if None) is shown:
        those written in it, and the originals that have no published translation into it.

        Readers of the site's own language see only articles written in it.
        """
        language = reader_language(language)
        if language == settings.LANGUAGE_CODE:
            return self.filter(language=language)
        translated = Article.objects.published().filter(
            translation_of=models.OuterRef("pk"), language=language
        )
        return self.filter(
            models.Q(language=language)
            | models.Q(language=settings.LANGUAGE_CODE, translation_of=None)
            & ~models.Exists(translated)
        )

    def find(self, slug: str, language: str | None = None) -> Article:
        """The article at ``slug`` for a reader of ``language``: in that language if there
        is one, else the original. Raises ``Article.DoesNotExist``."""
        language = reader_language(language)
        found = (
            self.filter(slug=slug, language__in={language, settings.LANGUAGE_CODE})
            .order_by(models.Case(models.When(language=language, then=0), default=1))
            .first()
        )
        if found is None:
            raise Article.DoesNotExist(f"No article at {slug!r}.")
        return found

    def out_of_date(self) -> ArticleQuerySet:
        """Translations whose original's words changed after the translation was saved."""
        return self.filter(translation_of__isnull=False).exclude(
            source_fingerprint=models.F("translation_of__text_fingerprint")
        )

    def untranslated(self, language: str) -> ArticleQuerySet:
        """Originals with no translation into ``language``, published or not."""
        return self.filter(language=settings.LANGUAGE_CODE, translation_of=None).exclude(
            translations__language=language
        )

    def review_overdue(self, today: datetime.date | None = None) -> ArticleQuerySet:
        return self.filter(next_review_due__lt=today or timezone.localdate())

    def needing_review(self, today: datetime.date | None = None) -> ArticleQuerySet:
        """Articles a clinician should review now: never reviewed (or the text changed since,
        which removed the review), past their review date, or the self-check changed since."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(reviewed_on__isnull=True)
            | models.Q(draft__isnull=False, draft__reviewed_on__isnull=True)
            | models.Q(next_review_due__lt=today)
            | models.Q(pk__in=self.rules_changed().values("pk"))
        )

    def with_last_review(self) -> ArticleQuerySet:
        """Annotate ``last_review``: the latest review date any saved version recorded.

        On an article without a review now, a date there means its text changed since that
        review (``article_save`` removed it); none means it was never reviewed.
        """
        recorded = (
            Article.history.filter(id=models.OuterRef("pk"), reviewed_on__isnull=False)
            .order_by("-reviewed_on")
            .values("reviewed_on")[:1]
        )
        return self.annotate(last_review=models.Subquery(recorded))

    def review_summary(self) -> ReviewSummary:
        """How far the published articles are medically reviewed, in one query."""
        counts = self.published().aggregate(
            articles=models.Count("pk"),
            reviewed=models.Count("reviewed_on"),
            latest=models.Max("reviewed_on"),
        )
        return ReviewSummary(**counts)

    def rules_changed(self) -> ArticleQuerySet:
        """Reviewed articles that the self-check's links into have changed since the review:
        another rules version, or other words for a finding or note (education/pinned.py)."""
        changed = models.Q(pk__in=[])
        for slug in list(pinned.LINKS):
            current = pinned.fingerprint(slug)
            changed |= models.Q(slug=slug) & ~models.Q(rules_fingerprint=current)
        return self.filter(changed, reviewed_on__isnull=False)

    def search(self, text: str) -> ArticleQuerySet:
        """These articles, narrowed to those matching every word of ``text``, best first.

        It searches whatever it is given: start from ``published()`` for readers. Articles
        whose title matches come first. PostgreSQL matches with its full-text search over
        each article's stored ``search_document`` (word stems, so "tolerance" also finds
        "tolerant"; accents do not count, so "informacion" finds "información"), ranked by
        where and how often the words appear. Other databases fall back to a plain
        case-insensitive match of every word, titles first, then summaries (accents count
        there: README). Heading ids (``{#signs-of-oih}``) are never matched.
        """
        if connections[self.db].vendor == "postgresql":
            # Each article is matched and ranked in its own language's configurations.
            matches, titles, ranks = models.Q(pk__in=[]), [], []
            for language, configs in SEARCH_CONFIGS.items():
                query = search_query(text, configs)
                # Match with @@ (ts_rank alone gives non-matches a tiny positive rank).
                matches |= models.Q(language=language, search_document=query)
                title = SearchVectorExact(TitleVector("search_document"), query)
                titles.append(models.When(language=language, then=title))
                rank = SearchRank(models.F("search_document"), query)
                ranks.append(models.When(language=language, then=rank))
            return (
                self.filter(matches)
                .annotate(
                    title_match=models.Case(*titles, output_field=models.BooleanField()),
                    rank=models.Case(*ranks, output_field=models.FloatField()),
                )
                .order_by("-title_match", "-rank", "title")
            )
        words = text.split()
        matches = models.Q()
        for word in words:
            matches &= (
                models.Q(title__icontains=word)
                | models.Q(summary__icontains=word)
                | models.Q(search_body__icontains=word)
            )
        if not words:
            return self.filter(matches)
        title_words = sum(self._contains("title", word) for word in words)
        summary_words = sum(self._contains("summary", word) for word in words)
        return (
            self.filter(matches)
            .annotate(title_words=title_words, summary_words=summary_words)
            .order_by("-title_words", "-summary_words", "title")
        )

    @staticmethod
    def _contains(field: str, word: str) -> models.Case:
        return models.Case(
            models.When(**{f"{field}__icontains": word}, then=1),
            default=0,
            output_field=models.IntegerField(),
        )

    def search_close(self, text: str) -> ArticleQuerySet:
        """These articles, narrowed to those with a word close to each longer word of
        ``text`` (one typo: "hyperalgsia" finds "hyperalgesia"), best first. Accents do not
        count ("farmaceutco" finds "farmacéutico").

        For when ``search`` finds nothing. PostgreSQL only (pg_trgm's strict word
        similarity, helped by a trigram index); elsewhere it finds nothing. Words shorter
        than ``CLOSE_WORD_MIN_LENGTH`` are left out; with no longer word, nothing is found.
        """
        words = [w for w in WORD.findall(text.lower()) if len(w) >= CLOSE_WORD_MIN_LENGTH]
        words = list(dict.fromkeys(words))[:CLOSE_WORDS_MAX]
        if connections[self.db].vendor != "postgresql" or not words:
            return self.none()
        found = self.alias(text=ArticleText())
        for word in words:
            # The operator form (>= the threshold) is the one the trigram index serves.
            found = found.filter(text__trigram_strict_word_similar=Unaccented(models.Value(word)))
        title_score = sum(
            TrigramStrictWordSimilarity(Unaccented(models.Value(word)), Unaccented("title"))
            for word in words
        )
        text_score = sum(
            TrigramStrictWordSimilarity(Unaccented(models.Value(word)), ArticleText())
            for word in words
        )
        return found.annotate(title_score=title_score, text_score=text_score).order_by(
            "-title_score", "-text_score", "title"
        )

    def index_for_search(self) -> int:
        """Store what search reads of these articles: the body without its heading ids,
        and on PostgreSQL the search document. Returns how many articles.

        Built once per save rather than for every article on every search, which took
        most of a search page's time (docs/performance.md).
        """
        bodies = self.values_list("pk", "body")
        for pk, body in bodies:
            Article.objects.using(self.db).filter(pk=pk).update(
                search_body=without_heading_ids(body)
            )
        if connections[self.db].vendor != "postgresql":
            return len(bodies)
        return sum(
            self.filter(language=language).update(search_document=search_document(configs))
            for language, configs in SEARCH_CONFIGS.items()
        )


def reader_language(language: str | None = None) -> str:
    """``language``, or the active one, as one of the site's languages (else its own)."""
    try:
        return translation.get_supported_language_variant(
            language or translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return settings.LANGUAGE_CODE


# How long a medical review stands unless the reviewer says otherwise.
REVIEW_INTERVAL_MONTHS = 12


def review_due_after(reviewed_on: datetime.date) -> datetime.date:
    """The default next review: REVIEW_INTERVAL_MONTHS after ``reviewed_on``, on the last day
    of that month when it is shorter (a review on 29 February is next due on the 28th)."""
    months = reviewed_on.month - 1 + REVIEW_INTERVAL_MONTHS
    year, month = reviewed_on.year + months // 12, months % 12 + 1
    return datetime.date(year, month, min(reviewed_on.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ReviewSummary:
    """The published articles' medical review, as the home and result pages tell it."""

    articles: int
    reviewed: int
    latest: datetime.date | None

    @property
    def all_reviewed(self) -> bool:
        return self.articles > 0 and self.reviewed == self.articles


# About ten times the longest article we have; a page longer than this is a mistake.
BODY_MAX_LENGTH = 100_000


def validate_readable(value: str) -> None:
    """Refuse text that arrived as bytes which are not UTF-8.

    Django reads such bytes as the replacement character (U+FFFD); saving them would put
    its question-mark boxes into a page patients read.
    """
    if "\ufffd" in value:
        raise ValidationError(
            _("Some characters could not be read. Paste the text again from its source."),
            code="unreadable",
        )


def validate_shown(value: str) -> None:
    """Refuse Markdown that the page would drop without a word (education/rendering.py)."""
    problems = unshown(value)
    if problems:
        raise ValidationError(problems, code="unshown")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        limit_choices_to={"language": "en", "translation_of": None},
        help_text=_(
            "The English article this one translates. A translation has the same address "
            "(slug) as its original, under the language's own part of the site."
        ),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_readable])
    slug = models.SlugField(_("slug"), max_length=100)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        validators=[validate_readable],
        help_text=_("One or two plain sentences. Used as the page's description in search."),
    )
    body = models.TextField(
        _("body"),
        max_length=BODY_MAX_LENGTH,
        validators=[validate_readable, validate_shown],
        help_text=_("Markdown. Use ## and ### for headings."),
    )
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    # Filled by ArticleQuerySet.index_for_search when an article is saved: the body as search
    # reads it, and on PostgreSQL the search document.
    search_body = models.TextField(editable=False, default="")
    search_document = SearchVectorField(null=True, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When the pending words go live by themselves: the draft of a live article, or the
    # article itself if it was never published (services.articles_publish_due).
    publish_at = models.DateTimeField(_("scheduled for"), null=True, blank=True, db_index=True)
    # Who set that time: the version it publishes is theirs in the history.
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("scheduled by"),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    show_help_lines = models.BooleanField(
        _("show the country's help lines"),
        default=False,
        help_text=_("Lists the emergency and help-line numbers for the site's country."),
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=False)

    reviewer_name = models.CharField(_("medical reviewer"), max_length=200, blank=True)
    reviewer_credentials = models.CharField(_("credentials"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    # What the self-check linked into this article when it was reviewed (pinned.fingerprint).
    rules_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The digest of this article's own words (text_fingerprint), and on a translation, the
    # digest its original had when the translation was last saved with new words.
    text_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)
    source_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "toc",
            "search_body",
            "search_document",
            "updated_at",
            "rules_fingerprint",
            "text_fingerprint",
            "source_fingerprint",
            "publish_at",
            "scheduled_by",
        ]
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [
            ("publish_article", "Can publish and unpublish articles"),
            ("record_review", "Can record a medical review"),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="article_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]), name="article_status_valid"
            ),
            models.UniqueConstraint(
                fields=["slug", "language"],
                name="article_slug_unique",
                violation_error_message=_(
                    "Another article in this language has this slug. Choose another."
                ),
            ),
            # One translation per language of each original, and never into English, the
            # language of the originals.
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="article_one_translation_each"
            ),
            models.CheckConstraint(
                condition=models.Q(translation_of__isnull=True) | ~models.Q(language="en"),
                name="article_translation_not_english",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_on__isnull=True)
                | (~models.Q(reviewer_name="") & ~models.Q(reviewer_credentials="")),
                name="article_review_names_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The article's address in its own language's part of the site."""
        with translation.override(self.language):
            return reverse("education:article", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        self.clean_review()
        self._clean_translation()
        pinned.check(self)

    def _clean_translation(self) -> None:
        """A translation is of an English original, into another language, at its address."""
        original = self.translation_of
        if original is None:
            if self.language != settings.LANGUAGE_CODE and (
                Article.objects.filter(slug=self.slug, language=settings.LANGUAGE_CODE)
                .exclude(pk=self.pk)
                .exists()
            ):
                raise ValidationError(
                    {
                        "translation_of": _(
                            "An English article has this address. If this is its "
                            "translation, choose it here."
                        )
                    },
                    code="translation_unlinked",
                )
            return
        errors = {}
        if original.pk == self.pk or original.translation_of_id is not None:
            errors["translation_of"] = _("Choose an English original, not a translation.")
        elif self.language == original.language:
            errors["language"] = _("A translation is in another language than its original.")
        elif self.slug != original.slug:
            errors["slug"] = _("A translation keeps its original's address: use “%(slug)s”.") % {
                "slug": original.slug
            }
        if errors:
            raise ValidationError(errors, code="translation")

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    @property
    def translation_out_of_date(self) -> bool:
        """The original's words changed since this translation was last saved with new words."""
        return (
            self.translation_of is not None
            and self.source_fingerprint != self.translation_of.text_fingerprint
        )

    def clean_review(self) -> None:
        """A recorded review names who made it, and its dates are in a possible order."""
        errors = {}
        if self.reviewed_on and not self.reviewer_name:
            errors["reviewer_name"] = _("Name the clinician who reviewed this version.")
        if self.reviewed_on and not self.reviewer_credentials:
            errors["reviewer_credentials"] = _("Give the reviewer's credentials, such as MD.")
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            errors["reviewed_on"] = _("A review date can't be in the future.")
        if self.reviewed_on and self.next_review_due and self.next_review_due <= self.reviewed_on:
            errors["next_review_due"] = _("The next review is due after this review.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None

    @property
    def is_live(self) -> bool:
        """Readers see this article now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def pending(self) -> Article | ArticleDraft:
        """The words that would go live if this article were published now: its draft if it
        has one, else the article itself."""
        try:
            return self.draft
        except ArticleDraft.DoesNotExist:
            return self

    @property
    def saved_version(self) -> str:
        """This article's last save and its draft's, as one token: saving a draft leaves
        the live row alone, so a page opened before it must see it too (the editing form's
        and the revert page's check that nobody saved meanwhile)."""
        pending = self.pending()  # no query when the draft was selected with the article
        saved = pending.saved_at.isoformat() if pending is not self else ""
        stamp = self.updated_at.isoformat() if self.updated_at else ""
        return f"{stamp}|{saved}"

    def shown_references(self) -> models.QuerySet[Reference]:
        """The references its page shows: the live ones, or a draft's when ``show_draft``
        put the draft in place. One query, like each of the page's lists."""
        return self.references.filter(in_draft=self._showing_draft).order_by("order", "pk")

    def shown_related(self) -> models.QuerySet[Article]:
        """The related articles its page lists, published ones only: the live choice, or a
        draft's when ``show_draft`` put the draft in place."""
        chosen = self.draft.related if self._showing_draft else self.related
        return chosen.published().only("slug", "title", "language")

    _showing_draft = False

    def show_draft(self) -> Article:
        """Put this article's draft words and review in place of the live ones, in memory
        only: for the preview and the editor's form. Never saved like this."""
        pending = self.pending()
        for name in ArticleDraft.WORDS:
            setattr(self, name, getattr(pending, name))
        self._showing_draft = pending is not self
        return self

    @property
    def review_overdue(self) -> bool:
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    @property
    def rules_changed(self) -> bool:
        """The self-check's links into this article changed since its review."""
        return pinned.rules_changed(self)


def _same_as_article(name: str) -> models.Field:
    """The article's own field of that name, so a draft keeps the same rules."""
    return Article._meta.get_field(name).clone()


class ArticleDraft(models.Model):
    """Changes to what a live article's page shows, kept apart until someone publishes them.

    Readers keep the live page meanwhile. A draft is a whole copy of the page: its words,
    whether it lists the help lines, its references (``Reference.in_draft``) and its
    related articles. It carries its own medical review too: the review covers the words
    it was made of, and goes live with them.
    """

    # Everything here that replaces the article's own value when the draft is published.
    WORDS = (
        "title",
        "summary",
        "body",
        "body_html",
        "toc",
        "show_help_lines",
        "reviewer_name",
        "reviewer_credentials",
        "reviewed_on",
        "next_review_due",
        "rules_fingerprint",
    )

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="draft"
    )
    title = _same_as_article("title")
    summary = _same_as_article("summary")
    body = _same_as_article("body")
    body_html = _same_as_article("body_html")
    toc = _same_as_article("toc")
    show_help_lines = _same_as_article("show_help_lines")
    related = models.ManyToManyField(Article, blank=True, related_name="+")
    reviewer_name = _same_as_article("reviewer_name")
    reviewer_credentials = _same_as_article("reviewer_credentials")
    reviewed_on = _same_as_article("reviewed_on")
    next_review_due = _same_as_article("next_review_due")
    rules_fingerprint = _same_as_article("rules_fingerprint")
    saved_at = models.DateTimeField(_("saved"), auto_now=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )

    class Meta:
        verbose_name = _("draft")

    def __str__(self) -> str:
        return self.title

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveSmallIntegerField(_("number"), default=1)
    citation = models.TextField(_("citation"), max_length=2000, validators=[validate_readable])
    url = models.URLField(
        _("link"), max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    # Part of the article's draft (ArticleDraft), not of its live page.
    in_draft = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "in_draft", "order"], name="reference_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.order}] {self.citation[:60]}"
