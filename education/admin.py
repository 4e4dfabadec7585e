"""The editor's workspace: articles with their references, preview, history and reviews."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from education import pinned
from education.admin_editing import SAVED_AS_DRAFT, ArticleEditing, LabelledRowsFormSet
from education.models import Article, ArticleDraft, Reference, review_due_after
from education.services import (
    NOT_A_PUBLISHER,
    REVIEW_FIELDS,
    PublishRefused,
    ReferenceRow,
    article_draft_discard,
    article_publish,
    article_review_record,
    article_save,
    article_unschedule,
    may_publish,
    may_record_review,
)
from oih_site.forms import OpenedVersionForm

DUE_SOON_DAYS = 30
LINK_KINDS = {"finding": _("finding"), "note": _("note")}
# A note's words are its template: the editor sees its text, without tags.
MARKUP = re.compile(r"{%.*?%}|{{.*?}}|<[^>]+>", re.DOTALL)


def words(link: pinned.Link) -> str:
    """What the result page shows for a link, as plain text."""
    return " ".join(MARKUP.sub(" ", str(link.words)).split())


def review_words(article: Article, today: datetime.date | None = None) -> str:
    """An article's medical review in words, for the article list and the review page.

    "not reviewed" (with the date of the review a text change removed, when the queryset
    was annotated ``with_last_review``), "self-check changed since review", "review overdue
    since <date>", "review due <date>" (within DUE_SOON_DAYS), or "reviewed <date>".
    """
    today = today or timezone.localdate()
    if not article.is_reviewed:
        last = getattr(article, "last_review", None)
        if last is None:
            return str(_("not reviewed"))
        return _("not reviewed: the text changed since the review of %(date)s") % {
            "date": date_format(last)
        }
    found = []
    if article.rules_changed:
        found.append(_("self-check changed since review"))
    due = article.next_review_due
    if due is not None and due < today:
        found.append(_("review overdue since %(date)s") % {"date": date_format(due)})
    elif due is not None and due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        found.append(_("review due %(date)s") % {"date": date_format(due)})
    if not found:
        found.append(
            _("reviewed %(date)s, next due %(due)s")
            % {"date": date_format(article.reviewed_on), "due": date_format(due)}
            if due
            else _("reviewed %(date)s") % {"date": date_format(article.reviewed_on)}
        )
    return "; ".join(str(words) for words in found)


class WholeValueContextHelper(HistoricalRecordContextHelper):
    """Hands the history template whole, unescaped values: it diffs them word by word and
    escapes them once, instead of showing simple-history's shortened, pre-escaped text."""

    def stringify_delta_change_values(self, change, old, new) -> tuple[str, str]:
        return ("" if old is None else str(old)), ("" if new is None else str(new))


class ReferenceFormSet(LabelledRowsFormSet):
    """The references the article's page shows: a live article's draft's, if it has one.

    The rows are not saved by the formset: ``rows()`` hands them to ``article_save``,
    which decides where they go (a live article's draft, or the article). A reference
    added on the page starts at the next free number, not at 1.
    """

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            drafted = self.instance.pk is not None and self.instance.pending() is not self.instance
            self._queryset = super().get_queryset().filter(in_draft=drafted)
        return self._queryset

    def clean(self) -> None:
        super().clean()
        # A row names one of these references, never another article's or another copy's
        # (the draft's copy was made or published after the page was opened).
        shown = {reference.pk for reference in self.get_queryset()}
        for form in self.initial_forms:
            named = getattr(form, "cleaned_data", {}).get(self._pk_field.name)
            if named is not None and named.pk not in shown:
                raise forms.ValidationError(
                    _(
                        "The references changed after you opened this page. Reload it and "
                        "try again."
                    ),
                    code="references_changed",
                )
        numbers = [row.order for row in self.rows()]
        repeated = sorted({number for number in numbers if numbers.count(number) > 1})
        if repeated:
            raise forms.ValidationError(
                ngettext(
                    "Two references have the number %(numbers)s. Give each its own number.",
                    "Some references share a number (%(numbers)s). Give each its own number.",
                    len(repeated),
                )
                % {"numbers": ", ".join(map(str, repeated))},
                code="repeated_number",
            )

    def rows(self) -> list[ReferenceRow]:
        """The references as the editor left them: the kept rows and the new ones."""
        kept = []
        for index, form in enumerate(self.forms):
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            kept.append(ReferenceRow.of(form.instance))
        return sorted(kept, key=lambda row: row.order)

    def get_form_kwargs(self, index: int | None) -> dict[str, object]:
        kwargs = super().get_form_kwargs(index)
        if index is None or index >= self.initial_form_count():
            numbers = [reference.order for reference in self.get_queryset()]
            kwargs["initial"] = {"order": max(numbers, default=0) + 1}
        return kwargs


class ReferenceInline(admin.TabularInline):
    model = Reference
    formset = ReferenceFormSet
    extra = 0
    fields = ["order", "citation", "url", "accessed_on"]
    ordering = ["order"]


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        # Called for each request, so this is translated into that request's language.
        due_soon = ngettext(
            "Due in the next %(days)d day", "Due in the next %(days)d days", DUE_SOON_DAYS
        ) % {"days": DUE_SOON_DAYS}
        return [
            ("needed", _("Needs review")),
            ("overdue", _("Overdue")),
            ("soon", due_soon),
            ("never", _("Never reviewed")),
            ("rules", _("Self-check changed since review")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "needed":
                return queryset.needing_review(today)
            case "overdue":
                return queryset.review_overdue(today)
            case "soon":
                return queryset.filter(
                    next_review_due__gte=today,
                    next_review_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
                )
            case "never":
                return queryset.filter(reviewed_on__isnull=True)
            case "rules":
                return queryset.rules_changed()
        return queryset


def other_languages() -> list[tuple[str, str]]:
    """The site's languages that articles are translated into (all but its own)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class TranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        found = [("out_of_date", _("Translation out of date"))]
        for code, name in other_languages():
            found.append((f"missing_{code}", _("No %(language)s translation") % {"language": name}))
        return found

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == "out_of_date":
            return queryset.out_of_date()
        if value.startswith("missing_") and value[8:] in dict(other_languages()):
            return queryset.untranslated(value[8:])
        return queryset


class ArticleForm(OpenedVersionForm):
    """The article editor, refused if someone else saved the article after it was opened."""

    class Meta:
        model = Article
        fields = "__all__"

    version_field = "updated_at"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        pending = self.instance.pending() if self.instance.pk is not None else self.instance
        if pending is not self.instance and "related" in self.fields:
            # A live article's draft keeps its own choice of related articles.
            self.initial["related"] = list(pending.related.all())

    def version_of(self, instance: Article) -> str:
        return instance.saved_version

    def changed_since(self, current: Article) -> forms.ValidationError:
        latest = current.history.first()
        who, when = latest and latest.history_user, current.updated_at
        draft = ArticleDraft.objects.filter(article=current).first()
        if draft and draft.saved_at >= when:
            who, when = draft.saved_by, draft.saved_at
        return forms.ValidationError(
            _(
                "%(who)s saved this article at %(time)s, after you opened it. Your changes "
                "were not saved: copy what you wrote, reload the page, and make your "
                "changes again."
            ),
            code="changed_since",
            params={
                "who": who or _("Someone"),
                "time": date_format(timezone.localtime(when), "TIME_FORMAT"),
            },
        )


class PublishForm(forms.Form):
    """When to publish: now, or at a date and time in the site's time zone."""

    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Now")), ("later", _("At a date and time"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    # Set by the confirmation page: the publisher read that no one reviewed this text.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        cleaned["at"] = None
        if cleaned.get("when") != "later":
            return cleaned
        day, moment = cleaned.get("date"), cleaned.get("time")
        if day is None:
            self.add_error("date", _("Give the date to publish on."))
        if moment is None:
            self.add_error("time", _("Give the time to publish at."))
        if day is None or moment is None:
            return cleaned
        at = timezone.make_aware(datetime.datetime.combine(day, moment))
        if at <= timezone.now():
            self.add_error("time", _("Choose a time in the future, or publish now."))
        cleaned["at"] = at
        return cleaned


class ReviewForm(OpenedVersionForm):
    """One article's medical review, recorded in one step from the review page.

    The model's own rules check it (``Article.clean_review``: a name, credentials, no date in
    the future, the next review after this one); it is refused if the article was saved
    after the page showed it, since the reviewer may not have read that version.
    """

    confirmed = forms.BooleanField(
        label=_("This clinician reviewed the article as it is now."),
        error_messages={
            "required": _("Tick this box to confirm the clinician reviewed this version.")
        },
    )

    class Meta:
        model = Article
        fields = ["reviewer_name", "reviewer_credentials", "reviewed_on", "next_review_due"]
        widgets = {
            "reviewed_on": forms.DateInput(attrs={"type": "date"}),
            "next_review_due": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "reviewer_name": _("The clinician who reviewed it, as readers will see the name."),
            "reviewer_credentials": _("For example: MD, pain medicine."),
            "next_review_due": _("12 months after the review, unless the reviewer said sooner."),
        }

    version_field = "updated_at"

    def version_of(self, instance: Article) -> str:
        return instance.saved_version

    def __init__(self, *args: object, **kwargs: object) -> None:
        today = timezone.localdate()
        kwargs.setdefault(
            "initial", {"reviewed_on": today, "next_review_due": review_due_after(today)}
        )
        super().__init__(*args, **kwargs)
        for name in ("reviewer_name", "reviewer_credentials", "reviewed_on"):
            self.fields[name].required = True

    def has_changed(self) -> bool:
        # Recording a review is always a change, even with every value as the page offered
        # it: the version check must run.
        return True

    def changed_since(self, current: Article) -> forms.ValidationError:
        return forms.ValidationError(
            _(
                "This article was saved at %(time)s, after this page was opened. Nothing was "
                "recorded: check that the clinician reviewed the version saved now, then "
                "record the review again."
            ),
            code="changed_since",
            params={"time": date_format(timezone.localtime(current.updated_at), "TIME_FORMAT")},
        )


@admin.register(Article)
class ArticleAdmin(ArticleEditing, SimpleHistoryAdmin):
    list_display = [
        "title",
        "publication",
        "updated_at",
        "medical_review",
        "linked_from_check",
        "language",
        "translation_column",
    ]
    list_filter = ["status", ReviewDueFilter, "language", TranslationFilter]
    list_select_related = ["translation_of", "draft"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    form = ArticleForm
    readonly_fields = [
        "preview_link",
        "publishing",
        "published_at",
        "updated_at",
        "self_check_links",
        "translation_state",
    ]
    inlines = [ReferenceInline]
    object_history_template = "admin/education/article_history.html"
    object_history_list_template = "admin/education/article_history_list.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "preview_link", "opened_version"]}),
        (
            _("Language and translations"),
            {"fields": ["language", "translation_of", "translation_state"]},
        ),
        (_("Publishing"), {"fields": ["publishing", "status", "published_at", "updated_at"]}),
        (
            _("Medical review"),
            {
                "fields": [
                    "reviewer_name",
                    "reviewer_credentials",
                    "reviewed_on",
                    "next_review_due",
                    "self_check_links",
                ],
                "description": _(
                    "Record a review only when a named clinician has really reviewed this "
                    "version. Until then readers see 'Not yet medically reviewed'."
                ),
            },
        ),
        (_("On the page"), {"fields": ["show_help_lines", "related"]}),
    ]

    def get_queryset(self, request: HttpRequest):
        # The list says when a text change removed a review (review_words), and which
        # translations each original has.
        return super().get_queryset(request).with_last_review().prefetch_related("translations")

    @admin.display(description=_("medical review"), ordering="next_review_due")
    def medical_review(self, article: Article) -> str:
        return review_words(article)

    @admin.display(description=_("translation"))
    def translation_column(self, article: Article) -> str:
        """Beside a translation, whether it follows its original's words; beside an original,
        the languages it still lacks."""
        if article.translation_of is not None:
            if article.translation_out_of_date:
                return _("Out of date")
            return _("Up to date")
        if article.language != settings.LANGUAGE_CODE:
            return "-"
        have = {translation.language for translation in article.translations.all()}
        missing = [str(name) for code, name in other_languages() if code not in have]
        if not missing:
            return _("Translated")
        return _("Missing: %(languages)s") % {"languages": ", ".join(missing)}

    @admin.display(description=_("translation status"))
    def translation_state(self, article: Article) -> str:
        """What the change page says about this article's translations."""
        if article.pk is None:
            return _("A translation names its English original above, and uses its slug.")
        original = article.translation_of
        if original is not None:
            if article.translation_out_of_date:
                return format_html(
                    '<strong>{}</strong> {} <a href="{}">{}</a>',
                    _("Translation out of date."),
                    _(
                        "The English text changed after this translation was last saved. "
                        "Compare it with the original's history, bring this text up to date, "
                        "and save: saving new words marks it up to date."
                    ),
                    reverse("admin:education_article_history", args=[original.pk]),
                    _("History of the original"),
                )
            return _("Up to date: it follows the original's current text.")
        translations = list(article.translations.all())
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}</li>',
            (
                (
                    reverse("admin:education_article_change", args=[found.pk]),
                    found.get_language_display(),
                    _("out of date") if found.translation_out_of_date else _("up to date"),
                )
                for found in translations
            ),
        )
        have = {found.language for found in translations}
        missing = [str(name) for code, name in other_languages() if code not in have]
        note = (
            _("No translation yet into: %(languages)s.") % {"languages": ", ".join(missing)}
            if missing
            else ""
        )
        return format_html("<ul>{}</ul><p>{}</p>", rows, note)

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "translation_of" and field is not None:
            # A plain choice of the original: the admin's add, change and view icons beside
            # it are links without an address until a script fills them in.
            widget = field.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_view_related = widget.can_delete_related = False
        return field

    @admin.display(description=_("linked from the self-check"))
    def linked_from_check(self, article: Article) -> str:
        return ", ".join(link.code for link in pinned.links(article.slug)) or "-"

    @admin.display(description=_("what the self-check links here"))
    def self_check_links(self, article: Article) -> str:
        """Each finding and note of the rules whose "read more" link leads to this article,
        with the heading it leads to and the words the result page shows for it."""
        found = pinned.links(article.slug)
        if not found:
            return _("Nothing: the self-check's result page does not link to this article.")
        rows = format_html_join(
            "",
            "<tr><td>#{}</td><td>{} <code>{}</code></td><td>{}</td></tr>",
            (
                (link.anchor, LINK_KINDS.get(link.kind, link.kind), link.code, words(link))
                for link in found
            ),
        )
        if pinned.rules_changed(article):
            status = _(
                "Review due: the rules or these words changed since the last review (rules "
                "version %(version)s now)."
            ) % {"version": found[0].version}
        elif article.is_reviewed:
            status = _("The last review covered these words (rules version %(version)s).") % {
                "version": found[0].version
            }
        else:
            status = _("Not yet reviewed: a review will cover these words too.")
        return format_html(
            "<p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            status,
            _("heading"),
            _("what links here"),
            _("what the result page says"),
            rows,
        )

    @admin.display(description=_("preview"))
    def preview_link(self, article: Article) -> str:
        if article.pk is None:
            return _("Save the article first, then preview it here.")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("education:preview", args=[article.pk]),
            _("Preview as readers will see it (opens a new tab)"),
        )

    @admin.display(description=_("publication"), ordering="status")
    def publication(self, article: Article) -> str:
        """In the list: live or not, a draft waiting, a time set."""
        if article.is_live:
            state = _("Live") if article.pending() is article else _("Live, draft waiting")
        else:
            state = _("Not published")
        if article.publish_at:
            state = _("%(state)s, scheduled for %(when)s") % {
                "state": state,
                "when": date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT"),
            }
        return state

    @admin.display(description=_("publishing"))
    def publishing(self, article: Article) -> str:
        """Where the article stands for readers, and the way to publish or schedule it."""
        if article.pk is None:
            return _("New articles start as drafts. Save, then publish from here.")
        pending = article.pending()
        if article.is_live and pending is article:
            state = _("Live. Readers see these words.")
        elif article.is_live:
            state = _(
                "Live, with a draft: readers see the published words until the draft is published."
            )
        else:
            state = _("Not published: readers can't see this article.")
        if article.publish_at:
            scheduled = _("Scheduled to publish on %(when)s.") % {
                "when": date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
            }
            state = f"{state} {scheduled}"
        if article.is_live and pending is article:
            return state
        return format_html(
            '{} <a href="{}">{}</a>',
            state,
            reverse("admin:education_article_publish", args=[article.pk]),
            _("Publish or schedule"),
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        """The article as its editor works on it: with its draft's words, if it has one."""
        article = super().get_object(request, object_id, from_field)
        return article and article.show_draft()

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.is_live:
            return fieldsets
        (name, options), *rest = fieldsets
        live = _(
            "This article is live. When you change its words, they are kept as a draft: "
            "readers see the published words until someone publishes the draft."
        )
        return [(name, {**options, "description": live}), *rest]

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        # The self-check's result page links to some articles (education/pinned.py).
        if obj is not None and pinned.is_pinned(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None):
        fields = list(super().get_readonly_fields(request, obj))
        # Publishing has its own page (publish_view); a publisher may unpublish here.
        # Asked of the stored row: a form's data has been put into ``obj`` by now.
        live = obj is not None and Article.objects.published().filter(pk=obj.pk).exists()
        if not live or not may_publish(request.user):
            fields.append("status")
        if not may_record_review(request.user):
            fields.extend(REVIEW_FIELDS)
        return fields

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Publish an article's pending words, now or at a time, or cancel a schedule.

        Words no reviewer has reviewed since they last changed are published only after a
        confirmation page that names the risk. Someone without the publish permission
        sees why, and nothing is published.
        """
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:education_article_change", args=[article.pk])
        pending = article.pending()
        form = PublishForm(request.POST if request.method == "POST" else None)
        confirm = False
        if request.method == "POST":
            try:
                if "discard" in request.POST:
                    article_draft_discard(article=article, editor=request.user)
                    messages.success(
                        request, _("The draft was discarded. Readers keep the live words.")
                    )
                    return redirect(change_url)
                if "unschedule" in request.POST:
                    article_unschedule(article=article, editor=request.user)
                    messages.success(request, _("The scheduled publication was cancelled."))
                    return redirect(change_url)
                if not may_publish(request.user):
                    article_publish(article=article, editor=request.user)
                if form.is_valid():
                    confirm = not pending.is_reviewed and not form.cleaned_data["confirmed"]
                    if not confirm:
                        published = article_publish(
                            article=article,
                            editor=request.user,
                            at=form.cleaned_data["at"],
                            unreviewed_confirmed=form.cleaned_data["confirmed"],
                        )
                        messages.success(request, self._published_message(published))
                        return redirect(change_url)
            except PublishRefused as refused:
                messages.error(request, str(refused))
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish “%(title)s”") % {"title": pending.title},
            "opts": self.opts,
            "original": article,
            "article": article,
            "pending": pending,
            "is_draft": pending is not article,
            "form": form,
            "confirm": confirm,
            "may_publish": may_publish(request.user),
            "not_a_publisher": NOT_A_PUBLISHER,
            "change_url": change_url,
            "time_zone": timezone.get_current_timezone_name(),
        }
        return TemplateResponse(request, "admin/education/article_publish.html", context)

    @staticmethod
    def _published_message(article: Article) -> str:
        if article.publish_at:
            return _("Scheduled: readers will see the new words from %(when)s.") % {
                "when": date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
            }
        return _("Published: readers see the new words now.")

    # --- The review page: every article needing review, each recorded in one step -------

    def summary(self, request: HttpRequest) -> str:
        """The editors' line on the staff site's first page: how many articles need a
        review, with the way to the review page. Template:
        ``admin/education/review_summary.html``."""
        count = Article.objects.needing_review().count()
        return render_to_string(
            "admin/education/review_summary.html", {"count": count}, request=request
        )

    def get_urls(self):
        return [
            path(
                "reviews/",
                self.admin_site.admin_view(self.reviews_view),
                name="education_article_reviews",
            ),
            path(
                "<int:object_id>/review/",
                self.admin_site.admin_view(self.review_record_view),
                name="education_article_review",
            ),
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="education_article_publish",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_safe)
    def reviews_view(self, request: HttpRequest) -> TemplateResponse:
        """Every article needing a medical review, published ones first, each with a form.

        Template: ``admin/education/article_reviews.html``.
        """
        return self._reviews_page(request)

    @method_decorator(require_POST)
    def review_record_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Record one article's review (needs ``education.record_review``), then go back to
        the list; with a mistake, the list again with the form and what to fix."""
        if not may_record_review(request.user):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=object_id)
        form = ReviewForm(request.POST, instance=article, prefix=f"review-{article.pk}")
        with transaction.atomic():
            if not form.is_valid():
                return self._reviews_page(request, bound=form)
            data = form.cleaned_data
            article = article_review_record(
                article=article,
                editor=request.user,
                reviewer_name=data["reviewer_name"],
                reviewer_credentials=data["reviewer_credentials"],
                reviewed_on=data["reviewed_on"],
                next_review_due=data["next_review_due"],
            )
            self.log_change(request, article, article._change_reason)
        self.message_user(
            request,
            _(
                "Recorded the medical review of “%(title)s” by %(name)s, %(credentials)s, on "
                "%(date)s. The next review is due %(due)s."
            )
            % {
                "title": article.title,
                "name": article.reviewer_name,
                "credentials": article.reviewer_credentials,
                "date": date_format(article.reviewed_on),
                "due": date_format(article.next_review_due),
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:education_article_reviews"))

    def _reviews_page(
        self, request: HttpRequest, bound: ReviewForm | None = None
    ) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        articles = list(
            Article.objects.needing_review(today)
            .with_last_review()
            .select_related("draft")
            .defer(
                "body",
                "body_html",
                "toc",
                "search_body",
                "search_document",
                "draft__body",
                "draft__body_html",
            )
            .order_by("-status", "title")
        )
        if bound is not None and bound.instance.pk not in {a.pk for a in articles}:
            # Reviewed meanwhile, but this form is about it. Read afresh: a form that did not
            # validate has put its values on its own instance.
            articles.insert(0, Article.objects.with_last_review().get(pk=bound.instance.pk))
        may_record = may_record_review(request.user)
        entries = [
            {
                "article": article,
                "words": review_words(article, today),
                "form": (
                    bound
                    if bound is not None and bound.instance.pk == article.pk
                    else ReviewForm(instance=article, prefix=f"review-{article.pk}")
                )
                if may_record
                else None,
            }
            for article in articles
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Articles needing a medical review"),
            "opts": self.opts,
            "entries": entries,
            "may_record": may_record,
            "has_errors": bound is not None,
        }
        return TemplateResponse(request, "admin/education/article_reviews.html", context)

    def get_historical_record_context_helper(self, request, historical_record):
        return WholeValueContextHelper(self.model, historical_record)

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        """Saved with its references and related articles, in one call (save_related)."""

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Save the article, its references and related articles by ``article_save``'s
        rules: on a live article, all of them into its draft."""
        obj = form.instance
        was_reviewed = form.initial.get("reviewed_on") is not None
        was_scheduled = obj.publish_at is not None
        references = next(
            (formset for formset in formsets if isinstance(formset, ReferenceFormSet)), None
        )
        for formset in formsets:
            # Not written: this fills the lists the admin's log message is made of.
            formset.save(commit=False)
        article_save(
            article=obj,
            editor=request.user,
            changed_fields=form.changed_data,
            references=(
                references.rows()
                if references is not None and (references.has_changed() or not change)
                else None
            ),
            related=form.cleaned_data["related"] if "related" in form.changed_data else None,
        )
        if was_scheduled and obj.publish_at is None:
            messages.warning(
                request, _("The page changed, so the scheduled publication was cancelled.")
            )
        saved = obj.pending()
        if saved is not obj:
            messages.info(request, SAVED_AS_DRAFT)
        if was_reviewed and saved.reviewed_on is None and "reviewed_on" not in form.changed_data:
            removed = (
                _(
                    "The text changed, so the medical review was removed from the draft: "
                    "published as it is, it would show 'Not yet medically reviewed'. When a "
                    "clinician has reviewed this version, record their review with its date."
                )
                if saved is not obj
                else _(
                    "The text changed, so the medical review was removed: readers now see "
                    "'Not yet medically reviewed'. When a clinician has reviewed this version, "
                    "record their review with its date."
                )
            )
            messages.warning(request, removed)
