"""The article form's tools and the history: the live preview and its endpoint, the reading
grade, labelled reference rows, word-by-word diffs, and revert after a confirmation."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertRedirects

from education.models import BODY_MAX_LENGTH, Article
from education.rendering import render_markdown
from education.word_diff import Piece, word_diff
from tests.education.factories import MAIN_ARTICLE, make_article, make_writer
from tests.education.injection import PAYLOADS, live_markup_problems
from tests.education.pages import main_text, parse
from tests.education.test_admin import (
    LINES,
    SLEEP_BODY,
    article_from_admin,
    assert_saved,
    change_url,
    edit_line,
    history_url,
    save_article,
)
from tests.screening.staff import make_clinician, make_editor, sign_in

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/education/article/preview-body/"
PLAIN = "Pain can make sleep hard. A calm, dark room helps many people sleep."
HARD = (
    "Prolonged administration of opioid analgesics precipitates neuroplastic sensitisation "
    "of nociceptive pathways, paradoxically amplifying hyperalgesic responsiveness "
    "notwithstanding escalating pharmacological exposure."
)


@pytest.fixture
def editor_client(client: Client) -> Client:
    sign_in(client, make_editor())
    return client


def preview(client: Client, body: str) -> tuple[int, dict]:
    response = client.post(PREVIEW, {"body": body})
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def version_date(record) -> str:
    return date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


# --- The preview endpoint -----------------------------------------------------------------


def test_the_preview_renders_the_body_as_the_public_page_does(editor_client):
    body = "Some words.\n\n## A heading\n\n- one\n- two\n"
    status, result = preview(editor_client, body)
    assert status == HTTPStatus.OK
    assert result["html"] == render_markdown(body).html
    assert parse(result["html"]).find("h2").attrs["id"] == "a-heading"


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_preview_never_returns_live_markup(editor_client, payload):
    status, result = preview(editor_client, f"Before.\n\n{payload}\n\nAfter.")
    if status == HTTPStatus.BAD_REQUEST:
        # What readers would not see is refused with the save's own message.
        assert result["errors"]
    else:
        assert status == HTTPStatus.OK
        assert live_markup_problems(result["html"]) == []


def test_the_preview_gives_plain_text_a_grade_within_8_and_hard_text_one_above(editor_client):
    assert "plain enough for most readers" in preview(editor_client, PLAIN)[1]["grade"]
    hard = preview(editor_client, HARD)[1]["grade"]
    assert "above grade 8" in hard
    assert "Shorter sentences" in hard


def test_the_preview_of_an_empty_body_asks_for_text(editor_client):
    status, result = preview(editor_client, "")
    assert status == HTTPStatus.OK
    assert result == {"html": "", "grade": "Reading grade: write some text to see it."}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * (BODY_MAX_LENGTH + 1), "Ensure this value has at most 100000 characters"),
        ("Broken \ufffd text.", "Some characters could not be read"),
        ("# A title\n\nText.", "makes a title"),
        ("Text with a \x00 in it.", "Null characters are not allowed"),
    ],
    ids=["too long", "unreadable", "a title", "a null character"],
)
def test_a_body_a_save_would_refuse_gets_400_and_says_why(editor_client, body, message):
    status, result = preview(editor_client, body)
    assert status == HTTPStatus.BAD_REQUEST
    assert any(message in error for error in result["errors"]), result


def test_the_preview_is_only_for_signed_in_editors(client):
    response = client.post(PREVIEW, {"body": PLAIN})
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
    sign_in(client, make_clinician())
    assert client.post(PREVIEW, {"body": PLAIN}).status_code == HTTPStatus.FORBIDDEN


def test_the_preview_needs_the_forms_csrf_token():
    client = Client(enforce_csrf_checks=True)
    sign_in(client, make_editor())
    assert client.post(PREVIEW, {"body": PLAIN}).status_code == HTTPStatus.FORBIDDEN
    page = parse(
        client.get(change_url(Article.objects.get(slug=MAIN_ARTICLE, language="en"))).content
    )
    token = page.find("input", name="csrfmiddlewaretoken").attrs["value"]
    response = client.post(PREVIEW, {"body": PLAIN}, headers={"X-CSRFToken": token})
    assert response.status_code == HTTPStatus.OK


def test_the_preview_endpoint_only_answers_post(editor_client):
    assert editor_client.get(PREVIEW).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- The form, without JavaScript ---------------------------------------------------------


def test_the_form_shows_the_preview_and_grade_of_the_saved_body_on_load(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    page = parse(editor_client.get(change_url(main)).content)
    editor = page.find("div", class_="body-editor")
    assert editor.attrs["data-preview-url"] == PREVIEW
    assert editor.find("textarea", name="body")
    shown = editor.find("div", class_="body-preview-article")
    first_paragraph = parse(main.body_html).find("p").text
    assert " ".join(first_paragraph.split()) in " ".join(shown.text.split())
    assert editor.find("p", class_="reading-grade").text.startswith("Reading grade ")


def test_title_and_summary_take_the_full_width(editor_client):
    page = parse(editor_client.get("/admin/education/article/add/").content)
    for name in ("title", "summary"):
        assert "full-width" in page.find("input", name=name).classes


def test_every_input_in_the_references_table_has_a_name_of_its_own(editor_client):
    article = make_article(references=2)
    page = parse(editor_client.get(change_url(article)).content)
    group = page.find("div", id="references-group")
    names = [
        element.attrs.get("aria-label")
        for element in group.iter()
        if element.tag in {"input", "textarea", "select"}
        and element.attrs.get("type") != "hidden"
        and "__prefix__" not in (element.attrs.get("name") or "")
    ]
    assert "Citation, row 1" in names
    assert "Link, row 2" in names
    assert None not in names
    assert len(set(names)) == len(names)


# --- Word-by-word diffs -------------------------------------------------------------------


def test_a_word_diff_marks_only_the_words_that_changed():
    old = "Poor sleep can make pain feel worse the next day."
    new = "Poor sleep can make pain feel much worse the next morning."
    assert word_diff(old, new) == [
        Piece("same", "Poor sleep can make pain feel "),
        Piece("inserted", "much "),
        Piece("same", "worse the next "),
        Piece("deleted", "day"),
        Piece("inserted", "morning"),
        Piece("same", "."),
    ]


def test_a_word_diff_cuts_long_unchanged_stretches_and_ignores_new_line_breaks():
    words = " ".join(f"word{n}" for n in range(40))
    pieces = word_diff(words + " old end.", words.replace(" ", "\n") + " new end.", context=3)
    assert pieces == [
        Piece("gap", "…"),
        Piece("same", "\nword37\nword38\nword39 "),
        Piece("deleted", "old"),
        Piece("inserted", "new"),
        Piece("same", " end."),
    ]
    assert word_diff("Same words.", "Same\nwords.") == []


def diff_marks(html: bytes) -> dict[str, list[str]]:
    """The text inside each <ins> and <del> of the page's word diffs."""
    marks: dict[str, list[str]] = {"ins": [], "del": []}
    for diff in parse(html).find_all("div", class_="word-diff"):
        for element in diff.iter():
            if element.tag in marks:
                marks[element.tag].append(" ".join(element.text.split()))
    return marks


def test_history_shows_each_save_with_its_changed_words(editor_client):
    article = article_from_admin(editor_client, SLEEP_BODY)
    old, new = LINES[6], "Pain can also wake you up at night, again and again."
    assert_saved(
        save_article(editor_client, change_url(article), body=edit_line(article, old, new))
    )
    response = editor_client.get(history_url(article))
    assert response.status_code == HTTPStatus.OK
    rows = parse(response.content).find("table", id="change-history").find("tbody")
    rows = rows.find_all("tr", recursive=False)
    assert len(rows) == 2
    assert "editor" in rows[0].text
    assert diff_marks(response.content) == {
        "ins": ["added: wake you up at night, again", "added: again"],
        "del": ["removed: make it harder to fall asleep", "removed: to stay asleep"],
    }


def test_history_and_compare_pages_show_typed_markup_as_text(editor_client):
    article = article_from_admin(editor_client, SLEEP_BODY)
    payload = '<script>alert("x")</script><b onclick="go()">bold</b>'
    assert_saved(save_article(editor_client, change_url(article), body=SLEEP_BODY + "\n" + payload))
    for url in (history_url(article), f"{history_url(article)}compare/"):
        response = editor_client.get(url)
        for diff in parse(response.content).find_all("div", class_="word-diff"):
            assert live_markup_problems(diff) == []
            assert diff.find_all("b") == []
        assert diff_marks(response.content)["ins"] == [
            'added: <script>alert("x")</script><b onclick="go()">bold</b>'
        ]


def test_any_two_versions_can_be_compared_in_either_order(editor_client):
    article = article_from_admin(editor_client, SLEEP_BODY)
    first = article.history.get()
    body = edit_line(article, LINES[4], "Poor sleep can make pain feel worse.")
    assert_saved(save_article(editor_client, change_url(article), body=body))
    article.refresh_from_db()
    assert_saved(save_article(editor_client, change_url(article), summary="About sleep."))
    latest = article.history.latest()
    compare = f"{history_url(article)}compare/"
    for older, newer in ((first, latest), (latest, first)):
        response = editor_client.get(compare, {"older": older.pk, "newer": newer.pk})
        assert response.status_code == HTTPStatus.OK
        assertContains(response, f"From the version of {version_date(first)}")
        marks = diff_marks(response.content)
        assert marks["ins"] == ["added: About"]
        assert marks["del"] == [
            "removed: How",
            "removed: and pain affect each other",
            "removed: the next day, for many people",
        ]
        assert [h.text for h in parse(response.content).find_all("h2")] == ["Summary", "Body"]


@pytest.mark.parametrize("older", ["999999", "not a number", ""])
def test_comparing_with_a_version_that_is_not_this_articles_says_so(editor_client, older):
    article = article_from_admin(editor_client, SLEEP_BODY)
    other = make_article()
    query = {"older": older or other.history.get().pk, "newer": article.history.get().pk}
    response = editor_client.get(f"{history_url(article)}compare/", query)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assertContains(response, "Choose a version of this article from the list.", status_code=400)


# --- Revert asks first ----------------------------------------------------------------------


def revert_url(article: Article, record) -> str:
    return f"{history_url(article)}{record.history_id}/revert/"


def confirm_revert(client: Client, url: str):
    page = parse(client.get(url).content)
    opened = page.find("input", name="opened_version").attrs["value"]
    return client.post(url, {"opened_version": opened})


def edited_sleep_article(client: Client) -> tuple[Article, object]:
    article = article_from_admin(client, SLEEP_BODY)
    first = article.history.get()
    new_body = edit_line(article, LINES[10], "Bright screens late at night are fine.")
    assert_saved(save_article(client, change_url(article), body=new_body))
    article.refresh_from_db()
    return article, first


def test_revert_first_shows_what_would_change_and_asks(editor_client):
    article, first = edited_sleep_article(editor_client)
    response = editor_client.get(revert_url(article, first))
    assert response.status_code == HTTPStatus.OK
    page = parse(response.content)
    assert page.find("h1").text == f"Revert to the version of {version_date(first)}?"
    button = page.find("input", type="submit")
    assert button.attrs["value"] == f"Yes, revert to the version of {version_date(first)}"
    assert diff_marks(response.content) == {
        "ins": ["added: A regular bedtime helps many people sleep better over a few weeks"],
        "del": ["removed: Bright screens late at night are fine"],
    }
    article.refresh_from_db()
    assert "Bright screens" in article.body


def test_confirming_a_revert_restores_the_words_and_says_which_version(editor_client):
    article, first = edited_sleep_article(editor_client)
    response = confirm_revert(editor_client, revert_url(article, first))
    assertRedirects(response, change_url(article), fetch_redirect_response=False)
    page = editor_client.get(change_url(article))
    assertContains(page, f"Reverted to the version of {version_date(first)}.")
    article.refresh_from_db()
    assert article.body == SLEEP_BODY.strip()
    # Not published (a live article's revert would be its draft): the preview shows it.
    assert LINES[10] in main_text(editor_client.get(f"/learn/preview/{article.pk}/"))
    assert article.history.count() == 3
    assert article.history.latest().history_user.username == "editor"


def test_the_first_edit_of_a_seed_article_can_be_reverted(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    seed_body, seed = main.body, main.history.latest()
    old = "Your pain is real, and it deserves care."
    assert_saved(save_article(editor_client, change_url(main), body=edit_line(main, old, "New.")))
    assertRedirects(confirm_revert(editor_client, revert_url(main, seed)), change_url(main))
    main.refresh_from_db()
    assert main.body == seed_body
    assert old in main_text(Client().get(main.get_absolute_url()))


def test_a_revert_confirmed_after_someone_else_saved_is_refused(editor_client):
    article, first = edited_sleep_article(editor_client)
    url = revert_url(article, first)
    opened = parse(editor_client.get(url).content).find("input", name="opened_version")
    assert_saved(save_article(editor_client, change_url(article), summary="Another summary."))

    response = editor_client.post(url, {"opened_version": opened.attrs["value"]})
    assert response.status_code == HTTPStatus.CONFLICT
    assertContains(
        response, "Someone saved this article after you opened this page", status_code=409
    )
    article.refresh_from_db()
    assert "Bright screens" in article.body
    assert article.summary == "Another summary."


def test_a_revert_to_words_a_save_would_now_refuse_says_why_and_changes_nothing(editor_client):
    article, first = edited_sleep_article(editor_client)
    article.history.filter(pk=first.pk).update(body="# A title line\n\nText.")
    response = confirm_revert(editor_client, revert_url(article, first))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assertContains(response, "makes a title", status_code=400)
    article.refresh_from_db()
    assert "Bright screens" in article.body


def test_reverting_keeps_the_publication_state_even_for_a_writer(editor_client):
    article = article_from_admin(editor_client, SLEEP_BODY, published=True)
    published_version = article.history.get(status=Article.Status.PUBLISHED)
    unpublished = {"status": Article.Status.DRAFT, "body": "Being rewritten."}
    assert_saved(save_article(editor_client, change_url(article), **unpublished))
    writer = Client()
    sign_in(writer, make_writer())
    assertRedirects(
        confirm_revert(writer, revert_url(article, published_version)), change_url(article)
    )
    article.refresh_from_db()
    assert (article.body, article.status) == (SLEEP_BODY.strip(), Article.Status.DRAFT)


def test_a_version_with_the_same_words_has_nothing_to_revert(editor_client):
    article = article_from_admin(editor_client, SLEEP_BODY)
    first = article.history.get()
    assert_saved(save_article(editor_client, change_url(article), status=Article.Status.DRAFT))
    response = editor_client.get(revert_url(article, first))
    assertContains(response, "there is nothing to revert")
    assert parse(response.content).find_all("input", type="submit") == []


def test_a_versions_page_only_shows_it_and_links_to_the_revert_page(editor_client):
    article, first = edited_sleep_article(editor_client)
    url = f"{history_url(article)}{first.history_id}/"
    page = parse(editor_client.get(url).content)
    links = [a.attrs["href"] for a in page.find_all("a")]
    assert revert_url(article, first) in links
    assert page.find_all("input", type="submit") == []
    assert "disabled" in page.find("textarea", name="body").attrs
    assert "disabled" in page.find("input", name="title").attrs
    assert editor_client.post(url, {"body": "Replaced."}).status_code == 405
    article.refresh_from_db()
    assert "Bright screens" in article.body


def test_the_compare_page_names_each_version_by_date_and_editor_in_a_fixed_number_of_queries(
    editor_client, django_assert_max_num_queries
):
    article = article_from_admin(editor_client, SLEEP_BODY)
    url = f"{history_url(article)}compare/"
    editor_client.get(url)  # sessions and permissions cached as for any later page
    for n in range(2):
        assert_saved(save_article(editor_client, change_url(article), summary=f"Summary {n}."))
    with django_assert_max_num_queries(20) as few:
        editor_client.get(url)
    queries = len(few.captured_queries)
    for n in range(10):
        assert_saved(save_article(editor_client, change_url(article), summary=f"Again {n}."))
    with django_assert_max_num_queries(queries):
        response = editor_client.get(url)
    options = parse(response.content).find("select", name="older").find_all("option")
    assert len(options) == 13
    assert options[0].text == f"{version_date(article.history.latest())}, editor"
