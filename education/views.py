"""Pages for reading: the home page, the articles, search and the files robots read."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.cache import caches
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_otp.decorators import otp_required

from education.models import Article
from education.services import articles_publish_due

SEARCH_MAX_LENGTH = 100
SEARCH_LIMIT = 20

# The cache every app server shares (settings.CACHES): the rendered reading pages.
READING_PAGES = "pages"


# How often each app server looks for a scheduled publication whose time has come.
SCHEDULE_LOOK_SECONDS = 60
SCHEDULE_MARKER = "education:schedule-looked"


def publishes_due_articles(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Before the view (and before the page cache), publish what was scheduled for now.

    Each app server looks at most once a minute (a marker in its own memory, the default
    cache), so a page read from the shared cache costs no extra query; the
    ``publish_scheduled`` command does the same from a timer (docs/deploy.md). Whichever
    comes first publishes, and the page cache is cleared as on any save.
    """

    @wraps(view)
    def looked_first(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if caches["default"].add(SCHEDULE_MARKER, True, SCHEDULE_LOOK_SECONDS):
            articles_publish_due(now=timezone.now())
        return view(request, *args, **kwargs)

    return looked_first


def reading_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the view's pages in the shared cache: they are the same for every visitor.

    Only for pages that show nothing from a session and no CSRF token (tested). Browsers
    are told to check back every time (``max-age=0``: ``cache_page`` keeps the lower of its
    timeout and the view's), so that an editor's change, which clears the cache, shows at
    once.
    """
    timeout = settings.CACHES[READING_PAGES]["TIMEOUT"]
    cached = cache_page(timeout, cache=READING_PAGES)(cache_control(max_age=0)(view))
    return publishes_due_articles(cached)


def noindex(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ask search engines not to list the view's pages (``X-Robots-Tag: noindex``).

    For pages nobody should land on from a search engine: a check half done, a result,
    search results, a preview. robots.txt keeps crawlers off /check/; this also covers a
    page a crawler reaches another way, and crawlers that ignore robots.txt.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


def forget_reading_pages(**kwargs: object) -> None:
    """Signal receiver: an article, a reference or a link between articles changed.

    The cache is cleared once the change is committed: cleared before, a request in between
    would keep the old page again. A draft's references are on no reading page.
    """
    if getattr(kwargs.get("instance"), "in_draft", False):
        return
    transaction.on_commit(caches[READING_PAGES].clear)


@reading_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front door: the self-check and what to read.

    Template: ``education/home.html``. Context: ``articles`` (published, title order),
    ``review`` (how far they are medically reviewed).
    """
    context = {"articles": Article.objects.listed(), "review": Article.objects.review_summary()}
    return render(request, "education/home.html", context)


class ArticleListView(ListView):
    """Every published article. Template: ``education/article_list.html``."""

    http_method_names = ["get", "head"]
    template_name = "education/article_list.html"
    context_object_name = "articles"

    def get_queryset(self) -> QuerySet[Article]:
        return Article.objects.listed()


class ArticleDetailView(DetailView):
    """One published article; drafts are 404. Template: ``education/article_detail.html``."""

    http_method_names = ["get", "head"]
    template_name = "education/article_detail.html"
    context_object_name = "article"

    def get_queryset(self) -> QuerySet[Article]:
        # Search's own copies of the words are not shown.
        return Article.objects.published().defer("search_body", "search_document")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        # The same lists the preview shows, here the live ones.
        return super().get_context_data(
            references=self.object.shown_references(),
            related=self.object.shown_related(),
            **kwargs,
        )

    def get_object(self, queryset: QuerySet[Article] | None = None) -> Article:
        """The article in the reader's language, or its original if it has none."""
        try:
            return (queryset or self.get_queryset()).find(self.kwargs["slug"])
        except Article.DoesNotExist as error:
            raise Http404(_("No article at this address.")) from error


@require_safe
@noindex
@otp_required
@permission_required("education.change_article", raise_exception=True)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """An article exactly as the public would see it, drafts included, for editors.

    A live article with a draft shows the draft: its words, review, references and related
    articles, as readers will see them once it is published.

    Like the admin, it needs both sign-in steps (the password and the app's code).

    Template: ``education/article_detail.html``. Context: ``article``, ``references``,
    ``related``, ``preview``, ``draft``.
    """
    article = get_object_or_404(Article.objects.select_related("draft"), pk=pk).show_draft()
    context = {
        "article": article,
        "references": article.shown_references(),
        "related": article.shown_related(),
        "preview": True,
        "draft": article.pending() is not article,
    }
    # In the article's own language, as its readers get it.
    with translation.override(article.language):
        return render(request, "education/article_detail.html", context)


@require_safe
@noindex
@publishes_due_articles
def search(request: HttpRequest) -> HttpResponse:
    """Search the published articles, best first; if no article has the words, the
    articles with words close to them (one typo forgiven, on PostgreSQL).

    At most two queries: the close search runs only when the exact one found nothing.

    Template: ``education/search.html``. Context: ``query``, ``results`` (None when no
    query was given), ``close`` (the results are close matches), ``too_long``.
    """
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())
    too_long = len(query) > SEARCH_MAX_LENGTH
    results = None
    close = False
    if query and not too_long:
        articles = Article.objects.listed()
        results = list(articles.search(query)[:SEARCH_LIMIT])
        if not results:
            results = list(articles.search_close(query)[:SEARCH_LIMIT])
            close = bool(results)
    context = {"query": query, "results": results, "close": close, "too_long": too_long}
    return render(request, "education/search.html", context)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Let search engines read the articles and how the check works, not the check or the
    admin."""
    lines = ["User-agent: *"]
    # The same rules for the pages of each language: /check/ and /es/check/.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            check = reverse("screening:start")
        lines += [f"Allow: {check}$", f"Allow: {check}how-it-works/", f"Disallow: {check}"]
    lines += [
        f"Disallow: {reverse('admin:index')}",
        f"Sitemap: {request.build_absolute_uri(reverse('site:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
