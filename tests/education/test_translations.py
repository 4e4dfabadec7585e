"""Articles in Spanish: the seeded translations, what a Spanish reader is shown, links that
land on the same section in either language, search, and what editors see about
translations."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import textstat
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import translation

from education.models import Article
from education.readability import readable_text
from education.services import article_save
from screening.explain import NOTE_READ_MORE, READ_MORE, note_links, read_more_url
from tests.education.factories import MAIN_ARTICLE, SEED_SLUGS, make_article, make_translation
from tests.education.never_say import REVIEWED_SENTENCES, article_never_said, where_reviewed
from tests.education.pages import form_data, main_text, parse
from tests.education.spanish import SPANISH, get_in_spanish, spanish_url
from tests.education.test_admin import publish
from tests.screening.staff import make_editor, sign_in

pytestmark = pytest.mark.django_db

MIN_FERNANDEZ_HUERTA = 70
CHANGELIST = "/admin/education/article/"


def spanish(slug: str) -> Article:
    return Article.objects.get(slug=slug, language=SPANISH)


def english(slug: str) -> Article:
    return Article.objects.get(slug=slug, language="en")


def change_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/change/"


@pytest.fixture
def editor_client(client: Client) -> Client:
    sign_in(client, make_editor())
    return client


# --- The seeded Spanish articles ------------------------------------------------------------


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_each_seed_article_has_a_published_spanish_version_at_the_same_address(slug):
    article = spanish(slug)
    assert article.translation_of == english(slug)
    assert article in Article.objects.published()
    assert article.get_absolute_url() == spanish_url("education:article", slug)


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_each_spanish_version_cites_the_same_references_as_its_original(slug):
    def cited(article: Article) -> list[tuple[int, str, str]]:
        return [(r.order, r.citation, r.url) for r in article.references.order_by("order")]

    assert cited(spanish(slug)) == cited(english(slug))
    for number, _citation, _url in cited(spanish(slug)):
        assert f"[{number}]" in spanish(slug).body


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_each_spanish_version_is_honestly_not_yet_medically_reviewed(client, slug):
    article = spanish(slug)
    assert (article.reviewed_on, article.reviewer_name, article.reviewer_credentials) == (
        None,
        "",
        "",
    )
    page = parse(get_in_spanish(client, spanish_url("education:article", slug)).content)
    assert "Medically reviewed by" not in page.find("p", class_="review-status").text


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_each_spanish_version_reads_easily_on_the_fernandez_huerta_scale(slug):
    text = readable_text(spanish(slug).body_html)
    textstat.set_lang("es")
    try:
        score = textstat.fernandez_huerta(text)
    finally:
        textstat.set_lang("en")
    print(f"{slug}: Fernández-Huerta {score:.1f}")
    assert score >= MIN_FERNANDEZ_HUERTA, f"{slug} scores {score:.1f}"


def test_the_spanish_readability_measure_tells_hard_prose_from_plain():
    hard = (
        "<p>La administración prolongada de analgésicos opioides desencadena una "
        "sensibilización neuroplástica de las vías nociceptivas, amplificando "
        "paradójicamente la respuesta hiperalgésica independientemente de la exposición "
        "farmacológica progresivamente incrementada.</p>"
    )
    textstat.set_lang("es")
    try:
        assert textstat.fernandez_huerta(readable_text(hard)) < MIN_FERNANDEZ_HUERTA
    finally:
        textstat.set_lang("en")


@pytest.mark.parametrize("country", ["US", "GB"])
@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_no_spanish_article_says_what_we_never_say(client, settings, slug, country):
    # The patterns, and the sentences they must catch or let through: test_never_say.py.
    settings.OIH_COUNTRY = country
    assert article_never_said(client, slug, language=SPANISH, country=country) == []


@pytest.mark.parametrize("sentence", REVIEWED_SENTENCES[SPANISH])
def test_each_reviewed_spanish_sentence_is_still_in_an_article_and_its_page(client, sentence):
    assert where_reviewed(client, sentence, SPANISH), f"no seeded article says {sentence!r}"


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_the_spanish_sections_share_the_english_sections_ids(slug):
    def ids(article: Article) -> list[str]:
        return [entry["id"] for entry in article.toc]

    assert ids(spanish(slug)) == ids(english(slug))


# --- The result page's "read more" links, in Spanish ----------------------------------------


@pytest.mark.parametrize(
    ("topic", "target"),
    [*READ_MORE.items(), *NOTE_READ_MORE.items()],
    ids=[f"finding-{f}" for f in READ_MORE] + [f"note-{n}" for n in NOTE_READ_MORE],
)
def test_every_read_more_link_lands_on_the_same_section_of_the_spanish_article(
    client, topic, target
):
    slug, anchor = target
    with translation.override(SPANISH):
        url = read_more_url(topic) if topic in READ_MORE else note_links([topic])[topic]
    assert url == f"{spanish_url('education:article', slug)}#{anchor}"
    response = get_in_spanish(client, url.split("#")[0])
    page = parse(response.content)
    assert page.find("h1").text == spanish(slug).title
    assert page.find("div", class_="article-body").find_all(id=anchor), anchor


def test_a_published_translation_keeps_the_headings_the_result_page_links_to(editor_client):
    article = spanish(MAIN_ARTICLE)
    page = editor_client.get(change_url(article))
    data = form_data(page.content, field="body")
    data["body"] = article.body.replace("## Señales de la HIO {#signs-of-oih}", "## Señales")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == HTTPStatus.OK
    assert "{#signs-of-oih}" in response.content.decode()
    article.refresh_from_db()
    assert "{#signs-of-oih}" in article.body


def test_a_translation_of_a_linked_article_may_be_taken_offline(editor_client):
    article = spanish(MAIN_ARTICLE)
    data = form_data(editor_client.get(change_url(article)).content, field="body")
    response = editor_client.post(change_url(article), {**data, "status": "draft"})
    assert response.status_code == HTTPStatus.FOUND
    page = get_in_spanish(Client(), spanish_url("education:article", MAIN_ARTICLE))
    assert parse(page.content).find("h1").text == english(MAIN_ARTICLE).title


# --- What a Spanish reader is shown -------------------------------------------------------


def test_the_spanish_learn_page_lists_spanish_articles_and_untranslated_ones_marked(client):
    untranslated = make_article(title="Sleep and pain")
    page = parse(get_in_spanish(client, spanish_url("education:article_list")).content)
    titles = {heading.text.strip(): heading for heading in page.find("main").find_all("h2")}
    assert {spanish(slug).title for slug in SEED_SLUGS} <= set(titles)
    assert not {english(slug).title for slug in SEED_SLUGS} & set(titles)
    link = titles["Sleep and pain"].find("a")
    assert link.attrs["lang"] == "en"
    assert link.attrs["href"] == spanish_url("education:article", untranslated.slug)
    assert "(solo en inglés)" in main_text(
        get_in_spanish(client, spanish_url("education:article_list"))
    )


def test_the_english_learn_page_lists_no_spanish_article(client):
    text = main_text(client.get("/learn/"))
    for slug in SEED_SLUGS:
        assert english(slug).title in text
        assert spanish(slug).title not in text


def test_the_spanish_home_page_leads_to_the_spanish_articles(client):
    page = parse(get_in_spanish(client, spanish_url("education:home")).content)
    links = {a.text.strip() for a in page.find("main").find_all("a")}
    assert {spanish(slug).title for slug in SEED_SLUGS} <= links


def test_an_article_with_no_translation_shows_in_english_with_a_note(client):
    article = make_article(title="Sleep and pain")
    response = get_in_spanish(client, spanish_url("education:article", article.slug))
    assert response.status_code == HTTPStatus.OK
    page = parse(response.content)
    assert page.find("h1").text == "Sleep and pain"
    assert page.find("h1").attrs["lang"] == "en"
    assert page.find("div", class_="article-body").attrs["lang"] == "en"
    assert "Por ahora, este artículo solo está en inglés." in main_text(response)


def test_a_draft_translation_is_not_shown_to_readers(client):
    original = make_article(title="Sleep and pain")
    make_translation(original, title="El sueño y el dolor", status="draft")
    response = get_in_spanish(client, spanish_url("education:article", original.slug))
    assert parse(response.content).find("h1").text == "Sleep and pain"
    listed = main_text(get_in_spanish(client, spanish_url("education:article_list")))
    assert "Sleep and pain" in listed
    assert "El sueño y el dolor" not in listed


def test_an_english_reader_never_gets_the_spanish_version(client):
    response = client.get(english(MAIN_ARTICLE).get_absolute_url())
    assert parse(response.content).find("h1").text == english(MAIN_ARTICLE).title


def test_the_sitemap_lists_each_version_at_its_own_address(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    for slug in SEED_SLUGS:
        assert f"http://testserver{english(slug).get_absolute_url()}</loc>" in sitemap
        assert f"http://testserver{spanish(slug).get_absolute_url()}</loc>" in sitemap


def test_the_spanish_article_page_runs_no_more_queries_than_the_english_one(
    django_assert_max_num_queries, client
):
    from django.core.cache import caches

    from education.views import READING_PAGES

    with django_assert_max_num_queries(100) as english_page:
        client.get(english(MAIN_ARTICLE).get_absolute_url())
    caches[READING_PAGES].clear()
    with django_assert_max_num_queries(len(english_page.captured_queries)):
        get_in_spanish(client, spanish_url("education:article", MAIN_ARTICLE))


# --- Search -------------------------------------------------------------------------------


def found(response) -> list[str]:
    return [h.find("a").text for h in parse(response.content).find("main").find_all("h3")]


def test_a_spanish_reader_finds_the_spanish_articles(client):
    response = get_in_spanish(client, spanish_url("education:search"), {"q": "naloxona"})
    assert spanish("changing-opioid-doses-safely").title in found(response)
    assert english("changing-opioid-doses-safely").title not in found(response)


def test_an_english_reader_does_not_find_spanish_articles(client):
    # On PostgreSQL the one-typo search may find the English "naloxone": never the Spanish.
    results = found(client.get("/learn/search/", {"q": "naloxona"}))
    assert not {spanish(slug).title for slug in SEED_SLUGS} & set(results)


def test_postgresql_searches_spanish_articles_with_the_spanish_configuration(client):
    if connection.vendor != "postgresql":
        pytest.skip("Full-text search with stemming needs PostgreSQL.")
    # "empeorar" is nowhere in the text; Spanish stemming finds "empeora", "empeorando".
    response = get_in_spanish(client, spanish_url("education:search"), {"q": "empeorar"})
    assert spanish(MAIN_ARTICLE).title in found(response)
    # Stop words of Spanish are no search terms: "de la" alone finds nothing.
    assert found(get_in_spanish(client, spanish_url("education:search"), {"q": "de la"})) == []
    # English articles keep the English configuration: "hurting" finds "hurt".
    assert english(MAIN_ARTICLE).title in found(client.get("/learn/search/", {"q": "hurting"}))


@pytest.mark.parametrize(
    "query",
    ["medico", "dolor cronico", "informacion", "respiracion", "médico", "información"],
)
def test_a_spanish_reader_finds_words_typed_without_their_accents(client, query):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's search counts accents (README).")
    article = make_article(
        language="es",
        title="Preguntas",
        body="Pida información a su médico sobre su dolor crónico y su respiración.\n",
    )
    response = get_in_spanish(client, spanish_url("education:search"), {"q": query})
    assert article.title in found(response)
    # Found as written, not only as a close match ("check the spelling").
    assert parse(response.content).find_all(class_="search-close") == []


def test_a_spanish_word_with_its_accent_still_finds_its_other_forms(client):
    if connection.vendor != "postgresql":
        pytest.skip("Full-text search with stemming needs PostgreSQL.")
    article = make_article(language="es", title="Preguntas", body="Más informaciones.\n")
    response = get_in_spanish(client, spanish_url("education:search"), {"q": "información"})
    assert found(response) == [article.title]


def test_a_close_search_ignores_accents(client):
    if connection.vendor != "postgresql":
        pytest.skip("Close matches need PostgreSQL's pg_trgm.")
    article = make_article(language="es", title="Preguntas", body="Vea a su farmacéutico.\n")
    response = get_in_spanish(client, spanish_url("education:search"), {"q": "farmaceutco"})
    assert article.title in found(response)


# --- Rules of translation -----------------------------------------------------------------


def test_a_translation_into_english_is_refused_by_the_database():
    original = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="x", slug="x-en", summary="x", body="x", language="en", translation_of=original
        )


def test_a_second_translation_into_the_same_language_is_refused_by_the_database():
    original = make_article()
    make_translation(original)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="y", slug="other-slug", summary="y", body="y", language="es",
            translation_of=original,
        )  # fmt: skip


ORIGINAL_SLUG = "sleep-and-pain"


@pytest.mark.parametrize(
    ("language", "slug", "message"),
    [
        ("es", "el-sueno-y-el-dolor", f"use “{ORIGINAL_SLUG}”"),
        ("en", ORIGINAL_SLUG, "A translation is in another language than its original."),
    ],
    ids=["another address", "the same language"],
)
def test_the_editor_is_told_what_a_translation_must_keep(editor_client, language, slug, message):
    original = make_article(title="Sleep and pain", slug=ORIGINAL_SLUG)
    add = "/admin/education/article/add/"
    data = {
        **form_data(editor_client.get(add).content, field="body"),
        "title": "El sueño y el dolor",
        "slug": slug,
        "summary": "Resumen.",
        "body": "Texto.",
        "language": language,
        "translation_of": str(original.pk),
    }
    response = editor_client.post(add, data)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not original.translations.exists()


# --- What editors see ---------------------------------------------------------------------


def test_the_editor_sees_which_articles_lack_a_spanish_translation(editor_client):
    lonely = make_article(title="Sleep and pain")
    listed = editor_client.get(CHANGELIST, {"translation": "missing_es"}).content.decode()
    assert "Sleep and pain" in listed
    assert "Missing: Spanish" in listed
    assert english(MAIN_ARTICLE).title not in listed
    page = editor_client.get(change_url(lonely)).content.decode()
    assert "No translation yet into: Spanish." in page


def test_a_change_to_the_english_text_flags_the_translation_out_of_date(editor_client):
    original = english("getting-help")
    translated = spanish("getting-help")
    assert not translated.translation_out_of_date
    assert (
        editor_client.get(CHANGELIST, {"translation": "out_of_date"})
        .content.decode()
        .count(translated.title)
        == 0
    )

    data = form_data(editor_client.get(change_url(original)).content, field="body")
    data["body"] = original.body + "\nA new sentence at the end.\n"
    assert editor_client.post(change_url(original), data).status_code == HTTPStatus.FOUND
    # A live article's new words wait as a draft: the translation follows the live ones.
    assert not Article.objects.get(pk=translated.pk).translation_out_of_date
    assert publish(editor_client, original).status_code == HTTPStatus.FOUND

    translated.refresh_from_db()
    assert translated.translation_out_of_date
    assert list(Article.objects.out_of_date()) == [translated]
    listed = editor_client.get(CHANGELIST, {"translation": "out_of_date"}).content.decode()
    assert translated.title in listed
    assert "Out of date" in listed
    page = editor_client.get(change_url(translated)).content.decode()
    assert "Translation out of date." in page
    assert "out of date" in editor_client.get(change_url(original)).content.decode()


def test_publishing_the_translations_new_words_marks_it_up_to_date(editor_client):
    original = english("getting-help")
    original.body += "\nA new sentence at the end.\n"
    article_save(article=original, editor=make_editor("other"), changed_fields=["body"])
    assert publish(editor_client, original).status_code == HTTPStatus.FOUND
    translated = spanish("getting-help")
    assert translated.translation_out_of_date

    data = form_data(editor_client.get(change_url(translated)).content, field="body")
    data["body"] = translated.body + "\nUna frase nueva al final.\n"
    assert editor_client.post(change_url(translated), data).status_code == HTTPStatus.FOUND
    assert publish(editor_client, translated).status_code == HTTPStatus.FOUND
    translated.refresh_from_db()
    assert "Una frase nueva al final." in translated.body
    assert not translated.translation_out_of_date


def test_a_change_that_is_not_to_the_words_leaves_the_translation_up_to_date(editor_client):
    original = english("getting-help")
    data = form_data(editor_client.get(change_url(original)).content, field="body")
    data["show_help_lines"] = ""
    assert editor_client.post(change_url(original), data).status_code == HTTPStatus.FOUND
    assert not spanish("getting-help").translation_out_of_date


def test_the_editor_previews_a_spanish_draft_as_its_spanish_readers_will_see_it(editor_client):
    original = make_article(title="Sleep and pain")
    draft = make_translation(original, title="El sueño y el dolor", status="draft")
    response = editor_client.get(f"/learn/preview/{draft.pk}/")
    page = parse(response.content)
    assert page.find("html").attrs["lang"] == SPANISH
    assert page.find("h1").text == "El sueño y el dolor"
    assert "only in English" not in main_text(response)
