"""The editor's side: content editors write, publish, preview, review and revert articles."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from education import pinned
from education.models import Article, Reference
from screening.explain import read_more_links
from tests.education.factories import MAIN_ARTICLE, make_article, make_writer
from tests.education.injection import PAYLOADS, live_markup_problems
from tests.education.pages import form_data, main_text, parse
from tests.screening.staff import make_editor, make_superuser, sign_in, signed_in

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/education/article/"
ADD = "/admin/education/article/add/"


def change_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/change/"


def history_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/history/"


@pytest.fixture
def editor_client(client: Client) -> Client:
    sign_in(client, make_editor())
    return client


def publish_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/publish/"


def publish(client: Client, article: Article, **fields) -> object:
    """Press Publish on the article's publish page, and on the confirmation page if it asks
    (the text has no review). Returns the last response."""
    data = {"when": "now", **fields}
    response = client.post(publish_url(article), data)
    if response.status_code == HTTPStatus.OK and "publish-risk" in response.content.decode():
        response = client.post(publish_url(article), {**data, "confirmed": "on"})
    return response


def save_article(client: Client, url: str, **changes) -> object:
    """Open the admin form at ``url``, change some fields, and press Save."""
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    data = {**form_data(page.content, field="body"), **changes}
    return client.post(url, data)


def assert_saved(response) -> None:
    assert response.status_code == HTTPStatus.FOUND, errors(response)
    assert response["Location"].startswith(CHANGELIST)


def errors(response) -> str:
    document = parse(response.content)
    return " | ".join(e.text for e in document.find_all(class_="errorlist")) or "no errors"


def edit_line(article: Article, old: str, new: str) -> str:
    assert old in article.body
    return article.body.replace(old, new)


def article_from_admin(client: Client, body: str, *, published: bool = False) -> Article:
    """An article written the editor's way: through the admin add form, then published
    from its publish page if ``published``."""
    response = save_article(
        client,
        ADD,
        title="Sleep and pain",
        slug="sleep-and-pain",
        summary="How sleep and pain affect each other.",
        body=body,
    )
    assert_saved(response)
    article = Article.objects.get(slug="sleep-and-pain", language="en")
    if published:
        assert publish(client, article).status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    return article


LINES = [
    "Sleep and pain are linked.",
    "",
    "## Why sleep matters",
    "",
    "Poor sleep can make pain feel worse the next day, for many people.",
    "",
    "Pain can also make it harder to fall asleep and to stay asleep.",
    "",
    "## What can help",
    "",
    "A regular bedtime helps many people sleep better over a few weeks.",
    "",
    "Talk with your clinician about sleep, as well as about your pain.",
]
SLEEP_BODY = "\n".join(LINES) + "\n"


# --- Who may do what ----------------------------------------------------------------------


def test_an_editor_is_staff_but_not_a_superuser():
    editor = make_editor()
    assert editor.is_staff
    assert not editor.is_superuser
    assert editor.has_perm("education.publish_article")


@pytest.mark.parametrize(
    "path", [CHANGELIST, ADD, "main-change", "main-history"], ids=lambda p: p.strip("/")
)
def test_an_editor_can_open_the_article_pages(editor_client, path):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    url = {"main-change": change_url(main), "main-history": history_url(main)}.get(path, path)
    assert editor_client.get(url).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "path",
    [
        "/admin/screening/screening/",
        "/admin/screening/auditevent/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
    ],
)
def test_an_editor_gets_403_outside_the_articles(editor_client, path):
    assert editor_client.get(path).status_code == HTTPStatus.FORBIDDEN


def test_an_editor_cannot_delete_an_article(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    delete_url = f"/admin/education/article/{main.pk}/delete/"
    assert editor_client.get(delete_url).status_code == HTTPStatus.FORBIDDEN
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.filter(pk=main.pk).exists()
    # Nor in bulk, from the list.
    assertNotContains(editor_client.get(CHANGELIST), "delete_selected")


def test_the_admin_index_shows_editors_only_the_education_app(editor_client):
    response = editor_client.get("/admin/")
    assertContains(response, CHANGELIST)
    assertNotContains(response, "/admin/screening/")
    assertNotContains(response, "/admin/auth/")


# --- Writing and publishing ---------------------------------------------------------------


def test_an_editor_adds_a_draft_article_with_a_reference(editor_client):
    response = save_article(
        editor_client,
        ADD,
        title="Pain and mood",
        slug="pain-and-mood",
        summary="How long-term pain and low mood can feed each other.",
        body="Pain can affect mood.\n\n## What helps\n\nTalking helps.\n",
        status=Article.Status.DRAFT,
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-order": "1",
            "references-0-citation": "Author A. Pain and mood. Journal, 2020.",
            "references-0-url": "https://example.org/pain-and-mood",
            "references-0-accessed_on": "2024-05-02",
        },
    )
    assert_saved(response)
    article = Article.objects.get(slug="pain-and-mood", language="en")
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert 'id="what-helps"' in article.body_html
    assert article.toc == [{"id": "what-helps", "title": "What helps", "level": "2"}]
    reference = article.references.get()
    assert (reference.order, reference.url, reference.accessed_on) == (
        1,
        "https://example.org/pain-and-mood",
        datetime.date(2024, 5, 2),
    )
    assert article.history.get().history_type == "+"


def test_a_reference_link_must_be_http_or_https(editor_client):
    article = make_article(references=0)
    response = save_article(
        editor_client,
        change_url(article),
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-order": "1",
            "references-0-citation": "A bad link.",
            "references-0-url": "javascript:alert(1)",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert not Reference.objects.filter(article=article).exists()


def test_an_edit_of_a_live_article_is_a_draft_until_it_is_published(
    editor_client, django_capture_on_commit_callbacks
):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    old = "Your pain is real, and it deserves care."
    new = "Your pain is real, and it deserves good care from people who listen."
    response = save_article(editor_client, change_url(main), body=edit_line(main, old, new))
    assert_saved(response)
    assertContains(editor_client.get(response["Location"]), "saved as a draft")
    main.refresh_from_db()
    assert old in main.body_html
    assert new in main.draft.body_html
    assert old in main_text(Client().get(main.get_absolute_url()))
    # The editor's form and the preview show the draft.
    assert new in form_data(editor_client.get(change_url(main)).content, field="body")["body"]
    assert new in main_text(editor_client.get(f"/learn/preview/{main.pk}/"))

    with django_capture_on_commit_callbacks(execute=True):  # the page cache is cleared
        assert_saved_elsewhere(publish(editor_client, main))
    main.refresh_from_db()
    assert new in main.body_html
    assert not hasattr(main, "draft")
    assert new in main_text(Client().get(main.get_absolute_url()))


def assert_saved_elsewhere(response) -> None:
    """A publish page's answer: back to the article's form."""
    assert response.status_code == HTTPStatus.FOUND, errors(response)
    assert response["Location"].endswith("/change/")


def test_readers_who_had_the_page_see_a_published_draft_at_once(
    editor_client, django_capture_on_commit_callbacks
):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    old = "Your pain is real, and it deserves care."
    new = "Your pain is real, and it deserves care that starts today."
    reader = Client()
    assert old in main_text(reader.get(main.get_absolute_url()))
    assert old in main_text(reader.get(main.get_absolute_url()))  # now from the shared cache
    with django_capture_on_commit_callbacks(execute=True):  # the save commits here
        saved = save_article(editor_client, change_url(main), body=edit_line(main, old, new))
    assert_saved(saved)
    assert old in main_text(reader.get(main.get_absolute_url()))
    with django_capture_on_commit_callbacks(execute=True):
        assert_saved_elsewhere(publish(editor_client, main))
    assert new in main_text(reader.get(main.get_absolute_url()))
    assert new in main_text(editor_client.get(main.get_absolute_url()))


def test_a_newly_published_article_is_listed_at_once_for_readers_who_had_the_list(
    editor_client, django_capture_on_commit_callbacks
):
    draft = make_article(status=Article.Status.DRAFT, title="Freshly published")
    reader = Client()
    assertNotContains(reader.get("/"), "Freshly published")
    assertNotContains(reader.get("/learn/"), "Freshly published")
    with django_capture_on_commit_callbacks(execute=True):
        assert_saved_elsewhere(publish(editor_client, draft))
    assertContains(reader.get("/"), "Freshly published")
    assertContains(reader.get("/learn/"), "Freshly published")


def test_an_editor_publishes_a_draft_and_the_body_is_rendered_again(editor_client):
    draft = make_article(status=Article.Status.DRAFT, body="Old words.\n")
    before = timezone.now()
    response = save_article(
        editor_client, change_url(draft), body="New words.\n\n## A fresh heading\n"
    )
    assert_saved(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert_saved_elsewhere(publish(editor_client, draft))
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert before <= draft.published_at <= timezone.now()
    assert 'id="a-fresh-heading"' in draft.body_html
    assert "Old words" not in draft.body_html
    assert Client().get(draft.get_absolute_url()).status_code == HTTPStatus.OK


def test_saving_again_keeps_the_first_publication_date(editor_client):
    published_at = timezone.now() - datetime.timedelta(days=30)
    article = make_article(published_at=published_at)
    assert_saved(save_article(editor_client, change_url(article), summary="A new summary."))
    article.refresh_from_db()
    assert article.published_at == published_at


# --- Preview ------------------------------------------------------------------------------


def test_an_anonymous_reader_never_sees_a_draft(client):
    draft = make_article(status=Article.Status.DRAFT, title="Secret draft title")
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    response = client.get(f"/learn/preview/{draft.pk}/")
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]
    assertNotContains(response, "Secret draft title", status_code=HTTPStatus.FOUND)


def test_an_anonymous_reader_of_a_preview_is_sent_to_a_working_login_page(client):
    draft = make_article(status=Article.Status.DRAFT)
    preview = f"/learn/preview/{draft.pk}/"
    assertRedirects(
        client.get(preview), f"/admin/login/?next={preview}", fetch_redirect_response=True
    )


def test_a_logged_in_reader_who_is_not_an_editor_cannot_preview(client):
    client.force_login(User.objects.create_user("reader", password="a reader passphrase"))
    draft = make_article(status=Article.Status.DRAFT, title="Secret draft title")
    preview = f"/learn/preview/{draft.pk}/"
    response = client.get(preview)
    # Not staff, so never verified by an authenticator app: sent to the staff sign-in.
    assertRedirects(response, f"/admin/login/?next={preview}", fetch_redirect_response=False)


def test_an_editor_previews_a_draft_as_readers_will_see_it(editor_client):
    draft = make_article(status=Article.Status.DRAFT, title="Coming soon", references=2)
    response = editor_client.get(f"/learn/preview/{draft.pk}/")
    assert response.status_code == HTTPStatus.OK
    assert response["X-Robots-Tag"] == "noindex"
    page = parse(response.content)
    banner = page.find("p", role="status")
    assert "Preview for editors" in banner.text
    assert "Draft" in banner.text
    assert page.find("h1").text == "Coming soon"
    assert len(page.find("section", class_="references").find_all("li")) == 2


def test_the_change_form_links_to_the_preview(editor_client):
    draft = make_article(status=Article.Status.DRAFT)
    links = parse(editor_client.get(change_url(draft)).content).find_all(
        "a", href=f"/learn/preview/{draft.pk}/"
    )
    assert len(links) == 1


# --- Two editors at once -----------------------------------------------------------------


def test_a_save_from_a_page_opened_before_another_editors_save_is_refused():
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    ana, ben = signed_in(make_editor("ana")), signed_in(make_editor("ben"))
    anas_page = form_data(ana.get(change_url(main)).content, field="body")
    bens_page = form_data(ben.get(change_url(main)).content, field="body")
    old = "Your pain is real, and it deserves care."
    assert_saved(ana.post(change_url(main), {**anas_page, "body": edit_line(main, old, "Ana's.")}))

    response = ben.post(change_url(main), {**bens_page, "summary": "Ben's summary."})

    assert response.status_code == HTTPStatus.OK
    assert "ana saved this article at" in errors(response)
    assert "Your changes were not saved" in errors(response)
    draft = Article.objects.get(pk=main.pk).pending()
    assert "Ana's." in draft.body
    assert draft.summary != "Ben's summary."
    # Reloaded, Ben's page holds Ana's draft, and his change is saved on top of it.
    assert_saved(save_article(ben, change_url(main), summary="Ben's summary."))
    draft = Article.objects.get(pk=main.pk).pending()
    assert ("Ana's." in draft.body, draft.summary) == (True, "Ben's summary.")


def test_the_editor_is_told_when_saving_changes_a_live_article(editor_client):
    live, draft = make_article(), make_article(status=Article.Status.DRAFT)
    notice = "This article is live. When you change its words, they are kept as a draft"
    assertContains(editor_client.get(change_url(live)), notice)
    assertNotContains(editor_client.get(change_url(draft)), notice)


def test_the_editor_is_told_when_a_text_change_removes_the_review(editor_client):
    article = make_article(
        reviewer_name="Dr Ana Reyes",
        reviewer_credentials="MD",
        reviewed_on=datetime.date(2026, 11, 2),
    )
    response = save_article(
        editor_client, change_url(article), summary="Words no reviewer read.", reviewer_name="Dr A"
    )
    assert_saved(response)
    article.refresh_from_db()
    # The live words keep their review; the draft has none.
    assert article.reviewed_on == datetime.date(2026, 11, 2)
    assert article.draft.reviewed_on is None
    page = editor_client.get(response["Location"])
    assertContains(page, "the medical review was removed from the draft")
    # A change outside the text says nothing of the review.
    Article.objects.filter(pk=article.pk).update(
        reviewer_name="Dr Ana Reyes",
        reviewer_credentials="MD",
        reviewed_on=datetime.date(2026, 11, 2),
    )
    response = save_article(editor_client, change_url(article), show_help_lines="on")
    assertNotContains(editor_client.get(response["Location"]), "the medical review was removed")


NEW_REFERENCE_NUMBER = "references-__prefix__-order"  # the row "Add another" copies


def test_a_reference_added_on_the_page_starts_at_the_next_free_number(editor_client):
    article = make_article(references=3)
    page = parse(editor_client.get(change_url(article)).content)
    (added,) = [e for e in page.find_all("input") if e.attrs.get("name") == NEW_REFERENCE_NUMBER]
    assert added.attrs["value"] == "4"


# --- Links from the self-check's result page ---------------------------------------------


def test_the_result_pages_links_into_the_articles_are_all_kept_from_editing():
    for slug, anchor in read_more_links():
        assert anchor in pinned.PINNED[slug]


def test_moving_an_article_the_result_page_links_to_is_refused(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    response = save_article(editor_client, change_url(main), slug="oih")
    assert response.status_code == HTTPStatus.OK
    assert "The self-check's result page links to this article" in errors(response)
    assert Article.objects.filter(slug=MAIN_ARTICLE).exists()


def test_renaming_a_heading_the_result_page_links_to_without_its_id_is_refused(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    body = edit_line(main, "### Tolerance {#tolerance}\n", "### Getting used to a dose\n")
    response = save_article(editor_client, change_url(main), body=body)
    assert response.status_code == HTTPStatus.OK
    assert "keep each one's id at the end of its line" in errors(response)
    assert "“Tolerance” {#tolerance}" in errors(response)
    main.refresh_from_db()
    assert "### Tolerance {#tolerance}\n" in main.body


def test_rewording_a_heading_the_result_page_links_to_is_fine_if_it_keeps_its_id(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    body = edit_line(
        main, "### Tolerance {#tolerance}\n", "### Getting used to a dose {#tolerance}\n"
    )
    response = save_article(editor_client, change_url(main), body=body)
    assert response.status_code == HTTPStatus.FOUND
    assert publish(editor_client, main).status_code == HTTPStatus.FOUND
    main.refresh_from_db()
    assert {"id": "tolerance", "title": "Getting used to a dose", "level": "3"} in main.toc


def test_unpublishing_an_article_the_result_page_links_to_is_refused(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    response = save_article(editor_client, change_url(main), status=Article.Status.DRAFT)
    assert response.status_code == HTTPStatus.OK
    assert "so it stays published" in errors(response)
    main.refresh_from_db()
    assert main.status == Article.Status.PUBLISHED


def test_an_article_the_result_page_links_to_cannot_be_deleted_even_by_a_superuser():
    admin = signed_in(make_superuser())
    main, other = Article.objects.get(slug=MAIN_ARTICLE, language="en"), make_article()
    delete_url = f"/admin/education/article/{main.pk}/delete/"
    assert admin.post(delete_url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    # Nor among others chosen from the list.
    selection = {"action": "delete_selected", "_selected_action": [main.pk, other.pk]}
    admin.post(CHANGELIST, {**selection, "post": "yes"})
    assert Article.objects.filter(pk__in=[main.pk, other.pk]).count() == 2
    # An article nothing links to can be.
    admin.post(f"/admin/education/article/{other.pk}/delete/", {"post": "yes"})
    assert not Article.objects.filter(pk=other.pk).exists()


def test_other_edits_of_a_linked_article_are_saved(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    old = "Your pain is real, and it deserves care."
    assert_saved(save_article(editor_client, change_url(main), body=edit_line(main, old, "New.")))


# --- Medical review -----------------------------------------------------------------------


def test_the_overdue_filter_lists_only_articles_whose_review_is_past_due(editor_client):
    today = timezone.localdate()
    overdue = make_article(title="Overdue", next_review_due=today - datetime.timedelta(days=1))
    make_article(title="Due today", next_review_due=today)
    make_article(title="Due later", next_review_due=today + datetime.timedelta(days=90))
    make_article(title="Draft overdue", status=Article.Status.DRAFT, next_review_due=today)
    response = editor_client.get(CHANGELIST, {"review": "overdue"})
    assert response.status_code == HTTPStatus.OK
    titles = [cell.text for cell in parse(response.content).find_all("th", class_="field-title")]
    assert titles == [overdue.title]


def test_recording_a_review_changes_the_public_status_line(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    response = save_article(
        editor_client,
        change_url(main),
        reviewer_name="Dr Ana Reyes",
        reviewer_credentials="MD, pain medicine",
        reviewed_on="2026-11-02",
        next_review_due="2027-11-02",
    )
    assert_saved(response)
    status = parse(Client().get(main.get_absolute_url()).content).find("p", class_="review-status")
    reviewed_on = date_format(datetime.date(2026, 11, 2), "DATE_FORMAT")
    assert f"Medically reviewed by Dr Ana Reyes, MD, pain medicine, on {reviewed_on}." in (
        status.text
    )
    assert "Not yet medically reviewed" not in status.text


def test_a_review_date_without_a_named_reviewer_is_refused(editor_client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    response = save_article(editor_client, change_url(main), reviewed_on="2026-11-02")
    assert response.status_code == HTTPStatus.OK
    assert errors(response) == (
        "Name the clinician who reviewed this version. | "
        "Give the reviewer's credentials, such as MD."
    )
    main.refresh_from_db()
    assert main.reviewed_on is None


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"reviewed_on": "2031-01-01"}, "A review date can't be in the future."),
        (
            {"reviewed_on": "2026-11-02", "next_review_due": "2026-11-01"},
            "The next review is due after this review.",
        ),
    ],
)
def test_review_dates_in_an_impossible_order_are_refused(editor_client, dates, message):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    reviewer = {"reviewer_name": "Dr Ana Reyes", "reviewer_credentials": "MD"}
    response = save_article(editor_client, change_url(main), **reviewer, **dates)
    assert (response.status_code, errors(response)) == (HTTPStatus.OK, message)
    main.refresh_from_db()
    assert main.reviewed_on is None


# --- Nothing typed runs in a reader's browser ---------------------------------------------


# Payloads the editor's form refuses outright, as pictures readers would never see.
PICTURES = {
    PAYLOADS[name]
    for name in (
        "img onerror",
        "markdown image",
        "payload inside a heading",
    )
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_script_typed_into_the_admin_never_reaches_readers_as_live_markup(editor_client, payload):
    article = make_article()
    response = save_article(
        editor_client,
        change_url(article),
        title=f"Title {payload}"[:200],
        summary=f"Summary {payload}"[:300],
        body=f"Before.\n\n{payload}\n\nAfter.\n",
        **{"references-0-citation": f"Citation {payload}"},
    )
    if payload in PICTURES:
        # Refused before the sanitiser is needed: readers would not see a picture.
        assert "Pictures can't be shown in articles." in errors(response)
        article.refresh_from_db()
        assert payload not in article.body
        return
    assert_saved(response)
    preview = editor_client.get(f"/learn/preview/{article.pk}/")
    assert_saved_elsewhere(publish(editor_client, article))
    reader = Client()
    pages = [preview, reader.get(article.get_absolute_url())]
    for response in pages:
        assert response.status_code == HTTPStatus.OK
        page = parse(response.content)
        body = page.find("div", class_="article-body")
        assert "Before." in body.text
        assert live_markup_problems(body) == []
        # Nothing anywhere on the page: title, summary and citation are escaped.
        assert page.find_all("script") == []
        assert [a for e in page.root.iter() for a in e.attrs if a.startswith("on")] == []


# --- Publishing is its own permission -----------------------------------------------------


def test_a_writer_without_the_publish_permission_cannot_publish(client):
    sign_in(client, make_writer())
    draft = make_article(status=Article.Status.DRAFT)
    response = save_article(
        client, change_url(draft), body="Edited.", status=Article.Status.PUBLISHED
    )
    assert_saved(response)
    draft.refresh_from_db()
    assert draft.body == "Edited."
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None


def test_editing_the_text_clears_an_earlier_medical_review(editor_client, client):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    reviewed = {
        "reviewer_name": "Dr Ana Reyes",
        "reviewer_credentials": "MD, pain medicine",
        "reviewed_on": timezone.localdate().isoformat(),
    }
    assert_saved(save_article(editor_client, change_url(main), **reviewed))
    main.refresh_from_db()
    assert_saved(save_article(editor_client, change_url(main), body=main.body + "\n\nA new line."))
    main.refresh_from_db()
    assert main.draft.reviewed_on is None
    assert_saved_elsewhere(publish(editor_client, main))
    main.refresh_from_db()
    assert main.reviewed_on is None
    assertContains(Client().get(main.get_absolute_url()), "Not yet medically reviewed")
