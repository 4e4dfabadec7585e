"""The seed articles: present, published, referenced, readable and safe to read."""

from __future__ import annotations

import datetime
import re
from http import HTTPStatus

import pytest
import textstat
from django.contrib.auth.models import Group
from django.core.management import call_command

from education.models import Article
from education.readability import readable_text
from screening.explain import NOTE_READ_MORE, READ_MORE, note_links, read_more_url
from tests.education.factories import MAIN_ARTICLE, SEED_SLUGS
from tests.education.never_say import REVIEWED_SENTENCES, article_never_said, where_reviewed
from tests.education.pages import main_text, parse
from tests.screening.staff import CONTENT_EDITORS

pytestmark = pytest.mark.django_db

MAX_GRADE = 8

# The source article's own references, as CLINICAL.md lists them, in the order the main
# article's text cites them ([1], [2], [3]).
SOURCE_REFERENCES = [
    (1, "Science", "https://www.science.org/content/article/why-painkillers-sometimes-make-pain-worse"),
    (2, "BMJ Case Reports", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4054124/"),
    (3, "The Consultant Pharmacist", "https://pubmed.ncbi.nlm.nih.gov/21840817/"),
]  # fmt: skip

# Emergency and help-line numbers, or anything dialled like one.
PHONE_NUMBER = re.compile(
    r"\b(?:911|988|999|111|112|116[ -]?\d{3})\b"  # emergency and short crisis numbers
    r"|\b1[- ]?8\d\d[- ]?\d{3}[- ]?\d{4}\b"  # US toll-free
    r"|\b\d{3}[- .]\d{3}[- .]\d{4}\b"  # any ten-digit number
    r"|tel:"
)


def article_page(client, slug: str):
    response = client.get(f"/learn/{slug}/")
    assert response.status_code == HTTPStatus.OK
    return response


def test_the_four_seed_articles_exist_and_are_published():
    published = set(Article.objects.published().values_list("slug", flat=True))
    assert published == set(SEED_SLUGS)


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_each_seed_article_carries_complete_references(slug):
    references = list(Article.objects.get(slug=slug, language="en").references.all())
    assert references
    for reference in references:
        assert reference.citation.strip()
        assert reference.url.startswith("https://")
        assert reference.accessed_on is not None
    assert [r.order for r in references] == list(range(1, len(references) + 1))


def test_main_article_lists_the_three_source_references_with_links_and_july_2022_dates(client):
    page = parse(article_page(client, MAIN_ARTICLE).content)
    items = page.find("section", class_="references").find_all("li")
    assert len(items) == len(SOURCE_REFERENCES)
    for item, (number, journal, url) in zip(items, SOURCE_REFERENCES, strict=True):
        assert item.attrs["value"] == str(number)
        assert journal in item.text
        assert [link.attrs["href"] for link in item.find_all("a")] == [url]
        assert re.search(r"\(accessed July \d{1,2}, 2022\)", item.text), item.text


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_every_seed_article_is_honestly_not_yet_medically_reviewed(client, slug):
    status = parse(article_page(client, slug).content).find("p", class_="review-status").text
    assert "Not yet medically reviewed." in status
    assert "Medically reviewed by" not in status


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_every_seed_article_reads_at_grade_8_or_below(slug):
    article = Article.objects.published().get(slug=slug, language="en")
    grade = textstat.flesch_kincaid_grade(readable_text(article.body_html))
    assert grade <= MAX_GRADE, f"{slug} reads at grade {grade:.1f}"


def test_the_readability_measure_tells_hard_prose_from_plain():
    # The measure above must be able to fail: dense clinical prose scores far above 8.
    hard = (
        "<h2>Pathophysiological considerations</h2><p>Prolonged administration of opioid "
        "analgesics precipitates neuroplastic sensitisation of nociceptive pathways, "
        "paradoxically amplifying hyperalgesic responsiveness notwithstanding escalating "
        "pharmacological exposure.</p><ul><li>Differential diagnosis necessitates "
        "systematic exclusion of pharmacodynamic tolerance</li></ul>"
    )
    assert textstat.flesch_kincaid_grade(readable_text(hard)) > MAX_GRADE
    assert readable_text(hard).startswith("Pathophysiological considerations. Prolonged")


def help_lines(response) -> list[str]:
    section = parse(response.content).find("ul", class_="help-lines")
    return [link.text for link in section.find_all("a", class_="tel")]


def test_getting_help_shows_the_us_numbers_from_the_crisis_data(client, settings):
    settings.OIH_COUNTRY = "US"
    lines = " ".join(help_lines(article_page(client, "getting-help")))
    assert "911" in lines
    assert "988" in lines


def test_getting_help_shows_the_uk_numbers_when_the_site_is_set_up_for_the_uk(client, settings):
    settings.OIH_COUNTRY = "GB"
    response = article_page(client, "getting-help")
    lines = " ".join(help_lines(response))
    assert "999" in lines
    assert "116 123" in lines
    assert "911" not in main_text(response)
    assert "911" not in response.content.decode()


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_article_text_itself_holds_no_phone_number(slug):
    article = Article.objects.get(slug=slug, language="en")
    for text in (article.title, article.summary, article.body):
        assert not PHONE_NUMBER.search(text), PHONE_NUMBER.search(text)


def test_the_phone_number_pattern_finds_numbers():
    for text in ["call 911", "dial 988 now", "999", "116 123", "1-800-662-4357", "tel:+1"]:
        assert PHONE_NUMBER.search(text), text
    for text in ["In 2019, the FDA", "since 2023", "4 mg", "[3]"]:
        assert not PHONE_NUMBER.search(text), text


@pytest.mark.parametrize("country", ["US", "GB"])
@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_no_seed_article_says_what_we_never_say(client, settings, slug, country):
    # The patterns, and the sentences they must catch or let through: test_never_say.py.
    settings.OIH_COUNTRY = country
    assert article_never_said(client, slug, language="en", country=country) == []


@pytest.mark.parametrize("sentence", REVIEWED_SENTENCES["en"])
def test_each_reviewed_english_sentence_is_still_in_an_article_and_its_page(client, sentence):
    assert where_reviewed(client, sentence, "en"), f"no seeded article says {sentence!r}"


@pytest.mark.parametrize(
    ("topic", "target"),
    [*READ_MORE.items(), *NOTE_READ_MORE.items()],
    ids=[f"finding-{f}" for f in READ_MORE] + [f"note-{n}" for n in NOTE_READ_MORE],
)
def test_every_read_more_link_lands_on_a_heading_of_a_published_article(client, topic, target):
    slug, anchor = target
    url = read_more_url(topic) if topic in READ_MORE else note_links([topic])[topic]
    assert url == f"/learn/{slug}/#{anchor}"
    body = parse(article_page(client, slug).content).find("div", class_="article-body")
    assert body.find_all(id=anchor), f"no element with id {anchor!r} in {slug}"


def migrate_education(target: str | None = None) -> None:
    call_command("migrate", "education", *([target] if target else []), verbosity=0)


def seeded() -> set[str]:
    return set(Article.objects.filter(slug__in=SEED_SLUGS).values_list("slug", flat=True))


def seed_again() -> None:
    """The state right after migrating, whatever an earlier transactional test flushed.

    (serialized_rollback is not used: restoring its snapshot clashes with the content types
    that other transactional tests' flushes create again.)
    """
    migrate_education("0001")
    migrate_education()
    assert seeded() == set(SEED_SLUGS)


@pytest.fixture
def latest_schema_afterwards():
    """Tests after these ones insert into every column of the latest schema."""
    yield
    migrate_education()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_seed_migrations_are_reversible():
    seed_again()

    migrate_education("0001")
    assert seeded() == set()
    assert not Group.objects.filter(name=CONTENT_EDITORS).exists()

    migrate_education()
    assert seeded() == set(SEED_SLUGS)
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    assert main.status == Article.Status.PUBLISHED
    assert main.references.count() == len(SOURCE_REFERENCES)
    assert main.related.count() == 3
    editors = Group.objects.get(name=CONTENT_EDITORS)
    assert editors.permissions.count() == 8
    assert editors.permissions.filter(codename="record_review").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_reversing_the_seed_migration_removes_the_history_it_wrote():
    seed_again()
    assert Article.history.filter(slug__in=SEED_SLUGS).exists()
    migrate_education("0001")
    assert not Article.history.filter(slug__in=SEED_SLUGS).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_a_review_recorded_before_due_dates_is_next_due_twelve_months_after_it():
    seed_again()
    migrate_education("0008")
    reviewed_on = datetime.date(2024, 2, 29)
    Article.objects.filter(slug=MAIN_ARTICLE).update(
        reviewer_name="Dr Ana Reyes", reviewer_credentials="MD", reviewed_on=reviewed_on
    )
    migrate_education()
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    assert main.next_review_due == datetime.date(2025, 2, 28)
    assert (
        Article.objects.exclude(slug=MAIN_ARTICLE).filter(next_review_due__isnull=False).count()
        == 0
    )
