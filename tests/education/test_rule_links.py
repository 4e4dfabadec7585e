"""Articles and rules reviewed on one cycle: editors see what the self-check links into each
article, and a change of the rules version or of those words makes the review due again."""

from __future__ import annotations

import dataclasses
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import translation

from education import pinned
from education.models import Article
from screening.explain import FINDING_SENTENCES, NOTE_READ_MORE, READ_MORE
from screening.rules import RULES_VERSION, Finding
from tests.education.factories import MAIN_ARTICLE, make_article
from tests.education.pages import form_data, parse
from tests.screening.staff import make_editor, sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/education/article/"
TAPER_ARTICLE = "changing-opioid-doses-safely"
A_REVIEW = {
    "reviewer_name": "Dr Ana Reyes",
    "reviewer_credentials": "MD, pain medicine",
    "reviewed_on": "2026-12-01",
    "next_review_due": "2027-12-01",
}


def change_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/change/"


@pytest.fixture
def editor_client(client: Client) -> Client:
    sign_in(client, make_editor())
    return client


def review(client: Client, article: Article) -> Article:
    page = client.get(change_url(article))
    response = client.post(
        change_url(article), {**form_data(page.content, field="body"), **A_REVIEW}
    )
    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    return article


@pytest.fixture
def reworded(monkeypatch):
    """Give the worse-after-increase finding other words, as a rules change would."""

    def change(finding: Finding = Finding.WORSE_AFTER_INCREASE, **fields: str) -> None:
        slug, _anchor = READ_MORE[finding]
        links = [
            dataclasses.replace(link, **fields)
            if (link.kind, link.code) == ("finding", finding.value)
            else link
            for link in pinned.LINKS[slug]
        ]
        monkeypatch.setitem(pinned.LINKS, slug, links)

    return change


def test_every_finding_and_note_that_links_to_an_article_is_registered_with_its_words():
    for finding, (slug, anchor) in READ_MORE.items():
        (link,) = [
            link
            for link in pinned.links(slug)
            if link.kind == "finding" and link.code == finding.value
        ]
        assert (link.anchor, link.kind, link.version) == (anchor, "finding", RULES_VERSION)
        assert link.words == FINDING_SENTENCES[finding]
    for note, (slug, anchor) in NOTE_READ_MORE.items():
        (link,) = [
            link for link in pinned.links(slug) if link.kind == "note" and link.code == note.value
        ]
        assert link.anchor == anchor
        assert "{% blocktranslate" in str(link.words)  # the note's own template


def test_the_editor_sees_beside_the_article_each_finding_that_links_to_it(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    page = parse(editor_client.get(change_url(main)).content)
    links = page.find(class_="field-self_check_links").text
    for finding, (slug, anchor) in READ_MORE.items():
        if slug == MAIN_ARTICLE:
            assert f"#{anchor}" in links
            assert finding.value in links
            assert str(FINDING_SENTENCES[finding]) in links
    assert "Not yet reviewed: a review will cover these words too." in links
    listed = editor_client.get(CHANGELIST).content.decode()
    assert "worse_after_increase" in listed


def test_a_notes_words_show_without_template_tags(editor_client):
    article = Article.objects.get(slug=TAPER_ARTICLE, language="en")
    links = parse(editor_client.get(change_url(article)).content).find(
        class_="field-self_check_links"
    )
    assert "When a lower dose makes you feel much worse" in links.text
    assert "blocktranslate" not in links.text


def test_an_article_the_check_does_not_link_to_says_so_and_is_never_due_for_rules():
    article = make_article(reviewer_name="Dr A", reviewer_credentials="MD")
    assert pinned.fingerprint(article.slug) == ""
    assert not article.rules_changed


def test_a_review_records_what_the_check_says_and_is_then_not_due(editor_client):
    main = review(editor_client, Article.objects.get(slug=MAIN_ARTICLE, language="en"))
    assert main.rules_fingerprint == pinned.fingerprint(MAIN_ARTICLE) != ""
    assert not main.rules_changed
    assert main not in Article.objects.rules_changed()
    links = parse(editor_client.get(change_url(main)).content).find(class_="field-self_check_links")
    assert f"The last review covered these words (rules version {RULES_VERSION})." in links.text


def test_new_words_for_a_linked_finding_make_the_review_due(editor_client, reworded):
    main = review(editor_client, Article.objects.get(slug=MAIN_ARTICLE, language="en"))
    other = review(editor_client, Article.objects.get(slug=TAPER_ARTICLE, language="en"))

    reworded(words="You said a higher dose made your pain worse.")

    main.refresh_from_db()
    assert main.rules_changed
    assert list(Article.objects.rules_changed()) == [main]
    assert not Article.objects.get(pk=other.pk).rules_changed
    response = editor_client.get(CHANGELIST, {"review": "rules"})
    assert [row.text for row in parse(response.content).find_all("th", class_="field-title")] == [
        main.title
    ]
    links = parse(editor_client.get(change_url(main)).content).find(class_="field-self_check_links")
    assert "Review due: the rules or these words changed since the last review" in links.text


def test_a_new_rules_version_makes_the_review_due(editor_client, reworded):
    main = review(editor_client, Article.objects.get(slug=MAIN_ARTICLE, language="en"))
    reworded(version="3")
    main.refresh_from_db()
    assert main.rules_changed


def test_a_new_review_clears_the_flag(editor_client, reworded):
    main = review(editor_client, Article.objects.get(slug=MAIN_ARTICLE, language="en"))
    reworded(words="You said a higher dose made your pain worse.")
    assert Article.objects.get(pk=main.pk).rules_changed
    page = editor_client.get(change_url(main))
    data = {**form_data(page.content, field="body"), **A_REVIEW, "reviewed_on": "2026-12-05"}
    assert editor_client.post(change_url(main), data).status_code == HTTPStatus.FOUND
    assert not Article.objects.get(pk=main.pk).rules_changed


def test_a_text_change_that_removes_the_review_removes_its_fingerprint(editor_client):
    main = review(editor_client, Article.objects.get(slug=MAIN_ARTICLE, language="en"))
    page = editor_client.get(change_url(main))
    data = form_data(page.content, field="body")
    data["summary"] = data["summary"] + " Updated."
    assert editor_client.post(change_url(main), data).status_code == HTTPStatus.FOUND
    draft = Article.objects.get(pk=main.pk).pending()  # a live article's change is a draft
    assert (draft.reviewed_on, draft.rules_fingerprint) == (None, "")


def test_the_fingerprint_does_not_depend_on_the_readers_language():
    english = pinned.fingerprint(MAIN_ARTICLE)
    with translation.override("es"):
        assert pinned.fingerprint(MAIN_ARTICLE) == english


def test_a_translation_shows_the_same_links_and_its_own_review_covers_them(editor_client, reworded):
    spanish = Article.objects.get(slug=MAIN_ARTICLE, language="es")
    links = parse(editor_client.get(change_url(spanish)).content).find(
        class_="field-self_check_links"
    )
    assert "#tolerance" in links.text
    assert Finding.TOLERANCE.value in links.text

    spanish = review(editor_client, spanish)
    assert spanish.rules_fingerprint == pinned.fingerprint(MAIN_ARTICLE)
    assert not spanish.rules_changed
    reworded(version="3")
    assert Article.objects.get(pk=spanish.pk).rules_changed
