"""The article editor's tools in the admin: a body box with a live preview and a reading
grade, labelled reference rows, and history (compare any two versions; revert after a
confirmation).

``ArticleEditing`` is a mixin for the article's ModelAdmin (education/admin.py); the
preview endpoint renders with the same renderer and sanitiser as the public page
(education/rendering.py).
"""

from __future__ import annotations

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from education.models import BODY_MAX_LENGTH, Article, ArticleDraft
from education.readability import TARGET_GRADE, Grade, reading_grade
from education.rendering import render_markdown
from education.services import SCHEDULED_REASON, article_save

# What a revert brings back: the words. The publication state stays as it is (publishing
# is its own permission and its own step), and so does the review, which a text change
# clears like any other (education/services.py).
REVERTED_FIELDS = ("title", "summary", "body", "show_help_lines")
# Said after any save that changed a live article's words (education.services.article_save).
SAVED_AS_DRAFT = gettext_lazy(
    "Your changes are saved as a draft. Readers see the published words until the draft "
    "is published: preview it, then publish or schedule it."
)


# --- The body box: a live preview and a reading grade ---------------------------------------


def grade_words(grade: Grade) -> str:
    """The reading grade as the editor reads it."""
    if grade.value is None:
        return gettext("Reading grade: write some text to see it.")
    if grade.within_target:
        return gettext(
            "Reading grade %(grade).1f: at or below grade %(target)d, plain enough for "
            "most readers."
        ) % {"grade": grade.value, "target": TARGET_GRADE}
    return gettext(
        "Reading grade %(grade).1f: above grade %(target)d. Shorter sentences and "
        "shorter words will help more readers."
    ) % {"grade": grade.value, "target": TARGET_GRADE}


def body_preview(body: str) -> dict[str, str]:
    """The body as readers would see it, and its reading grade in words."""
    rendered = render_markdown(body)
    return {"html": rendered.html, "grade": grade_words(reading_grade(rendered.html))}


class BodyEditor(forms.Textarea):
    """The body's text box beside a preview of it, with its reading grade.

    The preview and grade are rendered on the server with the page (of the text the page
    holds); static/js/article-editor.js updates both as the editor types.
    Template: ``admin/education/widgets/body_editor.html``.
    """

    # The project's templates, which the form renderer does not search; the box itself is
    # Django's own textarea.
    wrapper_template = "admin/education/widgets/body_editor.html"

    def __init__(self, *, preview_url: str, attrs: dict | None = None) -> None:
        super().__init__(attrs={"rows": 30, "cols": 60, **(attrs or {})})
        self.preview_url = preview_url

    def render(self, name: str, value: object, attrs: dict | None = None, renderer=None) -> str:
        box = super().render(name, value, attrs, renderer)
        context = {
            "box": box,
            "box_id": (attrs or {}).get("id", f"id_{name}"),
            "preview": body_preview(str(value or "")),
            "preview_url": self.preview_url,
        }
        return render_to_string(self.wrapper_template, context)


class BodyPreviewForm(forms.Form):
    """The body sent for a preview, checked as a save would check it."""

    body = forms.CharField(
        required=False,
        strip=False,
        max_length=BODY_MAX_LENGTH,
        validators=Article._meta.get_field("body").validators,
    )


# --- References: every input in the table has a name ----------------------------------------


class LabelledRowsFormSet(BaseInlineFormSet):
    """A tabular inline whose inputs each say what they are and which row they are in.

    The admin's table shows the column's name only in its header, which a screen reader
    does not read for an input; each input gets it as its accessible name instead.
    """

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        for field in form.fields.values():
            if field.widget.is_hidden:
                continue
            if index is None:
                name = gettext("%(field)s, new row") % {"field": field.label}
            else:
                name = gettext("%(field)s, row %(row)d") % {"field": field.label, "row": index + 1}
            field.widget.attrs["aria-label"] = name


# --- History: compare two versions, revert after a confirmation -----------------------------


def version_date(record) -> str:
    """When a version was saved, as the history pages show it."""
    return date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


def version_author(record) -> str:
    """Who saved a version, as the history pages name them. A version with no user was
    published at its scheduled time by the timer (before it kept the scheduler's name), or
    saved by a data migration or an account deleted since."""
    if record.history_user is not None:
        return str(record.history_user)
    if record.history_change_reason == SCHEDULED_REASON:
        return gettext("the scheduled publication")
    return gettext("unknown: a data migration or a deleted account")


class VersionChoiceField(forms.ModelChoiceField):
    """A version, named as the history list names it: when, and who saved it."""

    def label_from_instance(self, record) -> str:
        return f"{version_date(record)}, {version_author(record)}"


class CompareForm(forms.Form):
    """Two versions of one article, in either order."""

    older = VersionChoiceField(queryset=None, empty_label=None, label=gettext_lazy("Older version"))
    newer = VersionChoiceField(queryset=None, empty_label=None, label=gettext_lazy("Newer version"))

    def __init__(self, *args, versions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("older", "newer"):
            self.fields[name].queryset = versions
            self.fields[name].error_messages["invalid_choice"] = gettext_lazy(
                "Choose a version of this article from the list."
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        older, newer = cleaned.get("older"), cleaned.get("newer")
        if older and newer and older.history_date > newer.history_date:
            cleaned["older"], cleaned["newer"] = newer, older
        return cleaned


def field_changes(old, new, fields) -> list[dict[str, object]]:
    """The fields whose values differ between two versions: name, old and new value."""
    return [
        {
            "field": Article._meta.get_field(name).verbose_name,
            "old": getattr(old, name),
            "new": getattr(new, name),
        }
        for name in fields
        if getattr(old, name) != getattr(new, name)
    ]


class ArticleEditing:
    """The editing form's widgets and the history's pages, for ArticleAdmin."""

    object_history_form_template = "admin/education/article_version.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("preview-body/", view(self.preview_body), name=f"{name}_preview_body"),
            path(
                "<str:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{name}_compare",
            ),
            path(
                "<str:object_id>/history/<int:version_id>/revert/",
                view(self.revert_view),
                name=f"{name}_revert",
            ),
            *super().get_urls(),
        ]

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(
            js=["js/article-editor.js"], css={"all": ["css/admin-editing.css"]}
        )

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "body":
            url = reverse(f"{self.admin_site.name}:education_article_preview_body")
            kwargs["widget"] = BodyEditor(preview_url=url)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"title", "summary"} and field is not None:
            field.widget.attrs["class"] = "vTextField full-width"
        return field

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        # Related articles as a list of checkboxes: Django's two-box filter widget puts
        # aria-label on bare spans (prohibited ARIA) and needs a mouse to read well.
        if db_field.name == "related":
            kwargs["widget"] = forms.CheckboxSelectMultiple(attrs={"class": "related-choices"})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not getattr(request, "viewing_version", False):
            return form

        class VersionForm(form):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    field.disabled = True

        return VersionForm

    # The preview endpoint.

    @method_decorator(require_POST)
    def preview_body(self, request: HttpRequest) -> JsonResponse:
        """The posted ``body`` rendered as the public page renders it, and its grade.

        JSON: ``{"html": ..., "grade": ...}``; or 400 with ``{"errors": [...]}`` for a
        body that saving would refuse (too long, unreadable characters, what readers
        would not see).
        """
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        form = BodyPreviewForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors["body"]}, status=400)
        return JsonResponse(body_preview(form.cleaned_data["body"]))

    # History.

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        # A version's page only shows it; reverting asks first, on its own page.
        return True

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        request.viewing_version = True  # its fields shown, not for typing in (get_form)
        record = self._version(object_id, version_id)
        extra = {
            "version_date": version_date(record),
            "revert_url": self._url("revert", object_id, version_id),
            "article_opts": self.opts,
            **(extra_context or {}),
        }
        return super().history_form_view(request, object_id, version_id, extra)

    def _article(self, request: HttpRequest, object_id: str) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        return article

    def _version(self, object_id: str, version_id: int):
        try:
            return Article.history.get(id=unquote(object_id), history_id=version_id)
        except (Article.history.model.DoesNotExist, ValueError) as missing:
            raise Http404 from missing

    def _url(self, view: str, *args: object) -> str:
        return reverse(f"{self.admin_site.name}:education_article_{view}", args=args)

    def _page_context(self, request: HttpRequest, article: Article, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "article_opts": self.opts,
            "original": article,
            "history_url": self._url("history", article.pk),
            "change_url": self._url("change", article.pk),
        }

    @method_decorator(require_http_methods(["GET", "HEAD"]))
    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two versions of an article side by side, word by word.

        Query: ``older`` and ``newer``, history ids of this article (the two latest when
        neither is given). Template: ``admin/education/article_compare.html``. Context:
        the admin's, plus ``form``, ``older``, ``newer``, ``changes``.
        """
        article = self._article(request, object_id)
        if not self.has_view_history_or_change_history_permission(request, article):
            raise PermissionDenied
        versions = article.history.select_related("history_user")
        data = request.GET
        if "older" not in data and "newer" not in data:
            latest = list(versions[:2])
            data = {"newer": latest[0].pk, "older": latest[-1].pk} if latest else {}
        form = CompareForm(data, versions=versions)
        context = {
            **self._page_context(
                request, article, gettext("Compare versions: %(title)s") % {"title": article}
            ),
            "form": form,
        }
        if not form.is_valid():
            return TemplateResponse(
                request, "admin/education/article_compare.html", context, status=400
            )
        older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
        changed = {change.field for change in newer.diff_against(older).changes}
        fields = [field.name for field in Article._meta.fields if field.name in changed]
        context.update(
            older=older,
            newer=newer,
            older_date=version_date(older),
            newer_date=version_date(newer),
            changes=field_changes(older, newer, fields),
        )
        return TemplateResponse(request, "admin/education/article_compare.html", context)

    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def revert_view(self, request: HttpRequest, object_id: str, version_id: int) -> HttpResponse:
        """Ask, then revert an article's words to an earlier version.

        GET shows what reverting would change, word by word, and a button; POST reverts,
        unless someone saved the article after the page was opened. The revert is a save
        like any other (``article_save``): it keeps the publication state and, since the
        text changes, removes a medical review.

        Template: ``admin/education/article_revert.html``. Context: the admin's, plus
        ``version``, ``version_date``, ``changes``, ``opened_version``, ``errors``.
        """
        article = self._article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = self._version(object_id, version_id)
        errors: list[str] = []
        status = HTTPStatus.OK
        if request.method == "POST":
            with transaction.atomic():
                # As the page showed it: a live article with its draft's words.
                current = Article.objects.select_for_update().get(pk=article.pk).show_draft()
                if request.POST.get("opened_version") != current.saved_version:
                    status = HTTPStatus.CONFLICT
                    errors = [
                        gettext(
                            "Someone saved this article after you opened this page. Read "
                            "what reverting would change now, then revert again."
                        )
                    ]
                else:
                    errors = self._revert(request, current, version)
                    status = HTTPStatus.BAD_REQUEST if errors else status
            if not errors:
                messages.success(
                    request,
                    gettext("Reverted to the version of %(date)s.")
                    % {"date": version_date(version)},
                )
                if ArticleDraft.objects.filter(article_id=article.pk).exists():
                    messages.info(request, SAVED_AS_DRAFT)
                return HttpResponseRedirect(self._url("change", article.pk))
            article.refresh_from_db()
        title = gettext("Revert to the version of %(date)s?") % {"date": version_date(version)}
        context = {
            **self._page_context(request, article, title),
            "version": version,
            "version_date": version_date(version),
            "changes": field_changes(article, version, REVERTED_FIELDS),
            "opened_version": article.saved_version,
            "errors": errors,
        }
        template = "admin/education/article_revert.html"
        return TemplateResponse(request, template, context, status=status)

    def _revert(self, request: HttpRequest, article: Article, version) -> list[str]:
        """Put the version's words into ``article`` and save it; the problems, if any."""
        changed = [
            name for name in REVERTED_FIELDS if getattr(article, name) != getattr(version, name)
        ]
        for name in changed:
            setattr(article, name, getattr(version, name))
        try:
            article.full_clean()
        except ValidationError as error:
            return [message for messages_ in error.message_dict.values() for message in messages_]
        article_save(article=article, editor=request.user, changed_fields=changed)
        self.log_change(request, article, [{"changed": {"fields": changed}}] if changed else [])
        return []
