"""The reader's side: article list and pages, search, and the files search engines read."""

from __future__ import annotations

import datetime
import re
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from education.models import Article
from education.views import SCHEDULE_MARKER
from tests.education.factories import MAIN_ARTICLE, SEED_SLUGS, make_article
from tests.education.pages import parse

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
# A page rendered afresh. The home page, the list and the articles then go into the shared
# cache: one read, and two writes of three statements each (Django's database cache).
MAX_QUERIES = 10


def article_links(response) -> set[str]:
    return {
        a.attrs["href"]
        for a in parse(response.content).find("main").find_all("a")
        if (a.attrs.get("href") or "").startswith("/learn/")
    }


def search(client: Client, query: str) -> list[str]:
    """The article paths a search finds, in the order shown."""
    response = client.get("/learn/search/", {"q": query})
    assert response.status_code == HTTPStatus.OK
    results = parse(response.content).find("main").find_all("h3")
    return [heading.find("a").attrs["href"] for heading in results]


def path(slug: str) -> str:
    return f"/learn/{slug}/"


# --- The list -----------------------------------------------------------------------------


def test_learn_lists_the_published_articles_and_not_drafts(client):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/learn/")
    assert response.status_code == HTTPStatus.OK
    links = article_links(response)
    assert {path(slug) for slug in SEED_SLUGS} <= links
    assert draft.get_absolute_url() not in links
    assert scheduled.get_absolute_url() not in links
    assertNotContains(response, draft.title)
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(scheduled.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_an_unknown_article_is_404(client):
    assert client.get("/learn/no-such-article/").status_code == HTTPStatus.NOT_FOUND


# --- An article page ----------------------------------------------------------------------


def test_the_table_of_contents_links_to_every_h2_and_h3_of_the_body(client):
    page = parse(client.get(path(MAIN_ARTICLE)).content)
    toc_targets = [a.attrs["href"] for a in page.find("nav", class_="toc").find_all("a")]
    headings = [h for h in page.find("div", class_="article-body").iter() if h.tag in {"h2", "h3"}]
    assert len(headings) >= 10
    assert toc_targets == [f"#{h.attrs['id']}" for h in headings]


def test_the_review_line_says_not_reviewed_and_when_the_article_was_last_updated(client):
    article = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    status = parse(client.get(path(MAIN_ARTICLE)).content).find("p", class_="review-status")
    assert "Not yet medically reviewed." in status.text
    assert f"Last updated {date_format(article.updated_at, 'DATE_FORMAT')}." in status.text


def test_a_reviewed_article_names_its_reviewer_and_the_date(client):
    article = make_article(
        reviewer_name="Dr Sam Okafor",
        reviewer_credentials="PharmD",
        reviewed_on=datetime.date(2026, 3, 4),
    )
    status = parse(client.get(article.get_absolute_url()).content).find("p", class_="review-status")
    reviewed = date_format(datetime.date(2026, 3, 4), "DATE_FORMAT")
    assert f"Medically reviewed by Dr Sam Okafor, PharmD, on {reviewed}." in status.text
    assert "Not yet" not in status.text


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_references_are_numbered_and_link_to_their_stored_address(client, slug):
    article = Article.objects.get(slug=slug, language="en")
    items = (
        parse(client.get(path(slug)).content)
        .find("section", class_="references")
        .find("ol")
        .find_all("li")
    )
    stored = list(article.references.order_by("order"))
    assert len(items) == len(stored)
    for item, reference in zip(items, stored, strict=True):
        assert item.attrs["value"] == str(reference.order)
        link = item.find("a")
        assert link.attrs["href"] == reference.url
        assert re.match(r"https?://", link.attrs["href"])
        assert set(link.attrs["rel"].split()) == {"noopener", "noreferrer"}


def test_related_pages_list_published_articles_only(client):
    draft = make_article(status=Article.Status.DRAFT, title="Unfinished draft")
    other = make_article(title="Another published article")
    article = make_article(related=[draft, other])
    aside = parse(client.get(article.get_absolute_url()).content).find("aside")
    hrefs = [a.attrs["href"] for a in aside.find_all("a")]
    assert other.get_absolute_url() in hrefs
    assert draft.get_absolute_url() not in hrefs
    assert "/check/" in hrefs


def test_the_main_article_links_to_its_companion_pages(client):
    aside = parse(client.get(path(MAIN_ARTICLE)).content).find("aside")
    hrefs = {a.attrs["href"] for a in aside.find_all("a")}
    assert {path(slug) for slug in SEED_SLUGS if slug != MAIN_ARTICLE} <= hrefs


def test_the_meta_description_is_the_article_summary_exactly(client):
    article = make_article(summary='Pain & "sleep": what <helps> most.')
    head = parse(client.get(article.get_absolute_url()).content).find("head")
    assert head.find("meta", name="description").attrs["content"] == article.summary
    assert head.find("link", rel="canonical").attrs["href"] == (
        f"http://testserver{article.get_absolute_url()}"
    )


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/", "/"),
        ("/learn/", "/learn/"),
        (path(MAIN_ARTICLE), path(MAIN_ARTICLE)),
        ("/learn/search/?q=naloxone", "/learn/search/"),
        ("/learn/search/", "/learn/search/"),
        ("/check/", "/check/"),
        ("/help/", "/help/"),
    ],
)
def test_every_page_has_a_canonical_link_and_a_meta_description(client, url, canonical):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    head = parse(response.content).find("head")
    links = head.find_all("link", rel="canonical")
    assert [link.attrs["href"] for link in links] == [f"http://testserver{canonical}"]
    descriptions = head.find_all("meta", name="description")
    assert len(descriptions) == 1
    assert len(descriptions[0].attrs["content"].strip()) > 20


# --- Search -------------------------------------------------------------------------------


def test_search_finds_the_articles_about_naloxone(client):
    expected = {
        article.get_absolute_url()
        for article in Article.objects.published().filter(language="en")
        if "naloxone" in f"{article.title} {article.summary} {article.body}".lower()
    }
    assert expected  # the seed content teaches about naloxone
    found = search(client, "naloxone")
    assert set(found) == expected
    assert len(found) == len(set(found))


def test_search_matches_every_word_in_any_case(client):
    unique = make_article(title="Zebrafish and pain", body="Studies of quokka nerves.")
    assert search(client, "ZEBRAFISH") == [unique.get_absolute_url()]
    assert search(client, "zebrafish quokka") == [unique.get_absolute_url()]
    assert search(client, "zebrafish naloxone") == []


def test_search_shows_articles_with_the_words_in_the_title_first(client):
    in_body = make_article(title="Aardvark notes", body="All about wombats.\n\n" * 5)
    in_summary = make_article(title="Aardvark pages", summary="Wombats and their sleep.")
    in_title = make_article(title="Wombats and pain", body="Nothing more here.")
    assert search(client, "wombats") == [
        in_title.get_absolute_url(),
        in_summary.get_absolute_url(),
        in_body.get_absolute_url(),
    ]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Close matches need PostgreSQL's pg_trgm; SQLite finds exact words only.")


@pytest.mark.parametrize(
    ("typo", "word", "first"),
    [
        ("hyperalgsia", "hyperalgesia", MAIN_ARTICLE),
        ("tolerence", "tolerance", MAIN_ARTICLE),
        ("nalaxone", "naloxone", None),  # in no title: every article that names it
    ],
)
def test_search_forgives_one_typo_in_a_word(client, postgresql, typo, word, first):
    found = search(client, typo)
    assert set(found) == set(search(client, word))
    assert first is None or found[0] == path(first)


def test_close_matches_say_so(client, postgresql):
    response = client.get("/learn/search/", {"q": "hyperalgsia"})
    assertContains(response, "These have words close to them")
    assertNotContains(client.get("/learn/search/", {"q": "hyperalgesia"}), "close to them")


def test_a_close_search_ranks_titles_first_and_needs_every_word(client, postgresql):
    in_body = make_article(title="Aardvark notes", body="About marsupials.\n")
    in_title = make_article(title="Marsupials and sleep", body="Nothing more here.\n")
    assert search(client, "marsupals") == [in_title.get_absolute_url(), in_body.get_absolute_url()]
    assert search(client, "marsupals aardvak") == [in_body.get_absolute_url()]
    assert search(client, "marsupals zanzibar") == []


def test_a_word_found_as_typed_shows_no_close_matches(client, postgresql):
    typo = make_article(title="Hyperalgsia, a common typo", body="Text.\n")
    assert search(client, "hyperalgsia") == [typo.get_absolute_url()]


def test_a_close_search_can_read_the_trigram_index(postgresql):
    """The index (migration 0016) is of the very text the close search matches."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as with many articles
    plan = Article.objects.search_close("hyperalgsia").explain()
    assert "education_article_text_trgm" in plan, plan


def test_short_words_are_not_guessed(client, postgresql):
    assert search(client, "pian") == []


def test_a_headings_id_is_not_searched_but_its_words_are(client):
    article = make_article(body="## Wombat burrows {#quokka-xylophone}\n\nSome words.\n")
    assert search(client, "wombat burrows") == [article.get_absolute_url()]
    # Neither as typed nor (on PostgreSQL) as a close match.
    assert search(client, "quokka") == []
    assert search(client, "xylophone") == []
    assert search(client, "quokka-xylophone") == []


def test_search_never_finds_drafts(client):
    make_article(status=Article.Status.DRAFT, body="All about axolotls.")
    make_article(published_at=timezone.now() + datetime.timedelta(days=1), body="Axolotls.")
    assert search(client, "axolotls") == []


@pytest.mark.parametrize("query", ["%", "_"], ids=["percent", "underscore"])
def test_search_treats_like_wildcards_as_plain_characters(client, query):
    expected = {
        article.get_absolute_url()
        for article in Article.objects.published()
        if query in f"{article.title} {article.summary} {article.body}"
    }
    assert set(search(client, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a" * 1000,
        "nalox\x00one",
        "\x00",
        "' OR 1=1 --",
        "naloxone'; DROP TABLE education_article; --",
        '" OR ""="',
        "\\",
        "pain & | ! <-> :*",
        "😀 douleur ñ",
    ],
    ids=[
        "empty",
        "spaces",
        "1000 characters",
        "nul byte inside",
        "only a nul byte",
        "sql or",
        "sql drop",
        "quotes",
        "backslash",
        "tsquery operators",
        "non-ascii",
    ],
)
def test_odd_search_input_gives_a_page_not_an_error(client, query):
    response = client.get("/learn/search/", {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert Article.objects.filter(slug__in=SEED_SLUGS).count() == 2 * len(SEED_SLUGS)
    assert "education_article" in connection.introspection.table_names()


def test_a_very_long_search_is_refused_politely(client):
    response = client.get("/learn/search/", {"q": "pain " * 200})
    assertContains(response, "That search is too long")
    assert search(client, "pain " * 200) == []


def test_an_empty_search_shows_the_form_without_results(client):
    response = client.get("/learn/search/", {"q": ""})
    assertContains(response, 'name="q"')
    assertNotContains(response, "found")


def test_a_nul_byte_is_ignored_in_a_search(client):
    assert search(client, "nalox\x00one") == search(client, "naloxone")


# --- Files for search engines -------------------------------------------------------------


def sitemap_locations(client: Client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    return {loc.text for loc in root.findall("s:url/s:loc", namespace)}


def test_the_sitemap_lists_published_articles_and_not_drafts(client):
    draft = make_article(status=Article.Status.DRAFT)
    published = make_article()
    locations = sitemap_locations(client)
    for slug in [*SEED_SLUGS, published.slug]:
        assert f"http://testserver{path(slug)}" in locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert {"http://testserver/", "http://testserver/learn/"} <= locations


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_the_home_page_leads_to_the_check_and_to_the_articles(client):
    response = client.get("/")
    links = {a.attrs.get("href") for a in parse(response.content).find("main").find_all("a")}
    assert "/check/" in links
    assert "/learn/" in links
    assert {path(slug) for slug in SEED_SLUGS} <= links


# --- A constant number of queries ---------------------------------------------------------


def add_many_articles(count: int = 30) -> Article:
    seeds = list(Article.objects.filter(slug__in=SEED_SLUGS, language="en"))
    article = None
    for _ in range(count):
        article = make_article(references=5, related=seeds[:3])
    return article


def queries_for(assert_max_queries, url: str) -> int:
    """SQL statements one anonymous page view runs, failing above MAX_QUERIES."""
    reader = Client()
    # The look at the schedule is once a minute per server, not per view: done already.
    caches["default"].set(SCHEDULE_MARKER, True)
    with assert_max_queries(MAX_QUERIES) as context:
        response = reader.get(url)
    assert response.status_code == HTTPStatus.OK
    return sum(1 for q in context.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))


@pytest.mark.parametrize(
    "url",
    [
        "/learn/",
        path(MAIN_ARTICLE),
        "/",
        "/learn/search/?q=pain",
        "/learn/search/?q=hyperalgsia+nalaxone",
        "/sitemap.xml",
    ],
    ids=["list", "article", "home", "search", "close search", "sitemap"],
)
def test_pages_run_the_same_few_queries_however_many_articles_there_are(
    assert_max_queries, url, django_capture_on_commit_callbacks
):
    few = queries_for(assert_max_queries, url)
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache is cleared
        newest = add_many_articles()
    assert Article.objects.published().filter(language="en").count() == len(SEED_SLUGS) + 30
    many = queries_for(assert_max_queries, url)
    assert many == few
    if url == path(MAIN_ARTICLE):
        # An article with more references and related pages costs no more either.
        assert queries_for(assert_max_queries, newest.get_absolute_url()) == few


# --- HTTP methods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/learn/", path(MAIN_ARTICLE), "/sitemap.xml", "/", "/learn/search/?q=pain", "/robots.txt"],
)
def test_head_works_without_a_body(client, url):
    response = client.head(url)
    assert response.status_code == HTTPStatus.OK
    assert response.content == b""


@pytest.mark.parametrize(
    "url", ["/learn/", path(MAIN_ARTICLE), "/learn/search/", "/", "/robots.txt"]
)
def test_posting_to_a_reading_page_is_405(client, url):
    assert client.post(url, {"q": "x"}).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- What readers type or read is shown, never run ----------------------------------------


def test_a_search_for_markup_is_shown_as_text(client):
    query = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    response = client.get("/learn/search/", {"q": query})
    page = parse(response.content)
    assert page.find_all("script") == []
    assert page.find_all("img") == []
    assert [a for e in page.root.iter() for a in e.attrs if a.startswith("on")] == []
    assert page.find("input", name="q").attrs["value"] == query
    assert query in page.find("title").text


def test_the_table_of_contents_shows_headings_as_written(client):
    article = make_article(body="Intro.\n\n## Pain & sleep\n\nText.\n")
    toc = parse(client.get(article.get_absolute_url()).content).find("nav", class_="toc")
    assert [a.text for a in toc.find_all("a")] == ["Pain & sleep"]
