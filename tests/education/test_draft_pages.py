"""A live article's draft is a whole page: its references, related articles and help lines
wait with its words until someone publishes them."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from education.models import Article, ArticleDraft, Reference
from education.services import articles_publish_due
from tests.education.factories import make_article, make_writer
from tests.education.pages import form_data, parse
from tests.screening.staff import make_editor, make_superuser, signed_in

pytestmark = pytest.mark.django_db

NEW_SOURCE = "Colvin LA, Bull F, Hales TG. Perioperative opioid analgesia. Lancet. 2019."


def change_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/change/"


def publish_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/publish/"


def the_form(client: Client, article: Article) -> dict:
    return form_data(client.get(change_url(article)).content, field="body")


def references_on(response) -> list[str]:
    """The citations a page lists under "References", in order."""
    section = parse(response.content).find("section", class_="references")
    return [item.text for item in section.find_all("li")]


def related_on(response) -> list[str]:
    return [link.text for link in parse(response.content).find("aside").find_all("a")]


def add_reference(data: dict, order: int, citation: str) -> dict:
    """The form's data with one more reference row, as the admin's "Add" link makes it."""
    index = int(data["references-TOTAL_FORMS"])
    return {
        **data,
        "references-TOTAL_FORMS": str(index + 1),
        f"references-{index}-order": str(order),
        f"references-{index}-citation": citation,
        f"references-{index}-url": "",
        f"references-{index}-accessed_on": "",
        f"references-{index}-article": data.get("references-0-article", ""),
    }


@pytest.fixture
def editor() -> Client:
    return signed_in(make_editor())


@pytest.fixture
def live() -> Article:
    return make_article(title="Sleep and pain", references=2)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an article's draft now, as its editor, and let the page cache hear of it
    (it is cleared once the change commits)."""

    def publish(client: Client, article: Article) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(publish_url(article), {"when": "now", "confirmed": "on"})
        assert response.status_code == HTTPStatus.FOUND

    return publish


def test_a_new_reference_waits_in_the_draft_and_goes_live_when_published(editor, live, publish):
    before = references_on(Client().get(live.get_absolute_url()))
    response = editor.post(change_url(live), add_reference(the_form(editor, live), 3, NEW_SOURCE))
    assert response.status_code == HTTPStatus.FOUND

    # Readers keep the live list; the preview and the form show the draft's.
    assert references_on(Client().get(live.get_absolute_url())) == before
    preview = editor.get(f"/learn/preview/{live.pk}/")
    assert references_on(preview) == [*before, NEW_SOURCE]
    assertContains(preview, "Draft of a live article")
    assert the_form(editor, live)["references-2-citation"] == NEW_SOURCE

    publish(editor, live)
    assert references_on(Client().get(live.get_absolute_url())) == [*before, NEW_SOURCE]
    assert Reference.objects.filter(article=live).count() == 3
    assert not Reference.objects.filter(in_draft=True).exists()


def test_a_removed_reference_stays_on_the_live_page_until_published(live, publish):
    # Content editors may not delete references; an administrator may.
    admin = signed_in(make_superuser())
    kept, removed = references_on(Client().get(live.get_absolute_url()))
    data = {**the_form(admin, live), "references-1-DELETE": "on"}
    assert admin.post(change_url(live), data).status_code == HTTPStatus.FOUND
    assert references_on(Client().get(live.get_absolute_url())) == [kept, removed]
    assert references_on(admin.get(f"/learn/preview/{live.pk}/")) == [kept]
    publish(admin, live)
    assert references_on(Client().get(live.get_absolute_url())) == [kept]


def test_a_reference_change_and_a_word_change_make_one_draft(editor, live):
    data = the_form(editor, live)
    data = {**data, "summary": "A new summary.", "references-0-citation": NEW_SOURCE}
    assert editor.post(change_url(live), data).status_code == HTTPStatus.FOUND
    draft = ArticleDraft.objects.get(article=live)
    assert draft.summary == "A new summary."
    assert references_on(editor.get(f"/learn/preview/{live.pk}/"))[0].startswith(NEW_SOURCE)
    assert not references_on(Client().get(live.get_absolute_url()))[0].startswith(NEW_SOURCE)
    # The draft's form opens on both, and a second change keeps the first.
    data = the_form(editor, live)
    assert (data["summary"], data["references-0-citation"]) == ("A new summary.", NEW_SOURCE)
    data = {**data, "references-1-citation": "Another source."}
    assert editor.post(change_url(live), data).status_code == HTTPStatus.FOUND
    first, second = references_on(editor.get(f"/learn/preview/{live.pk}/"))
    assert (first.startswith(NEW_SOURCE), second.startswith("Another source.")) == (True, True)


def test_related_articles_and_help_lines_wait_in_the_draft(editor, live, publish):
    other = make_article(title="Moving more with pain")
    data = {**the_form(editor, live), "related": [str(other.pk)], "show_help_lines": "on"}
    assert editor.post(change_url(live), data).status_code == HTTPStatus.FOUND

    page = Client().get(live.get_absolute_url())
    assert "Moving more with pain" not in related_on(page)
    assert "Numbers to call" not in page.text
    preview = editor.get(f"/learn/preview/{live.pk}/")
    assert "Moving more with pain" in related_on(preview)
    assertContains(preview, "Numbers to call")
    # The form shows the draft's choice, ticked.
    assert the_form(editor, live)["related"] == str(other.pk)

    publish(editor, live)
    page = Client().get(live.get_absolute_url())
    assert "Moving more with pain" in related_on(page)
    assertContains(page, "Numbers to call")


def test_discarding_a_draft_drops_its_references_and_related_articles(editor, live):
    other = make_article(title="Moving more with pain")
    data = add_reference(the_form(editor, live), 3, NEW_SOURCE)
    editor.post(change_url(live), {**data, "related": [str(other.pk)]})
    response = editor.post(publish_url(live), {"discard": "1"}, follow=True)
    assertContains(response, "The draft was discarded.")
    assert not Reference.objects.filter(in_draft=True).exists()
    assert list(live.related.all()) == []
    data = the_form(editor, live)
    assert data["references-TOTAL_FORMS"] == "2"
    assert NEW_SOURCE not in data.values()


def test_two_references_with_one_number_get_a_message_and_change_nothing(editor, live):
    data = add_reference(the_form(editor, live), 2, NEW_SOURCE)
    response = editor.post(change_url(live), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Two references have the number 2. Give each its own number.")
    assert not ArticleDraft.objects.filter(article=live).exists()
    assert not Reference.objects.filter(citation=NEW_SOURCE).exists()


def test_two_references_can_swap_numbers(editor):
    article = make_article(title="Sleep and pain", references=2, status=Article.Status.DRAFT)
    first, second = article.references.order_by("order")
    data = {**the_form(editor, article), "references-0-order": "2", "references-1-order": "1"}
    assert editor.post(change_url(article), data).status_code == HTTPStatus.FOUND
    citations = list(article.references.order_by("order").values_list("citation", flat=True))
    assert citations == [second.citation, first.citation]


def test_an_unpublished_article_keeps_the_references_its_draft_had(editor, live):
    editor.post(change_url(live), add_reference(the_form(editor, live), 3, NEW_SOURCE))
    data = {**the_form(editor, live), "status": Article.Status.DRAFT}
    assert editor.post(change_url(live), data).status_code == HTTPStatus.FOUND
    # Not live now: the next save, of anything, keeps the page the form showed.
    data = {**the_form(editor, live), "title": "Sleep and pain at night"}
    assert editor.post(change_url(live), data).status_code == HTTPStatus.FOUND
    live = Article.objects.get(pk=live.pk)
    assert live.pending() == live
    assert NEW_SOURCE in live.references.values_list("citation", flat=True)
    assert not Reference.objects.filter(in_draft=True).exists()


def test_a_version_published_at_its_time_names_who_scheduled_it(editor, live):
    scheduler = make_editor("scheduler")
    client = signed_in(scheduler)
    client.post(change_url(live), {**the_form(client, live), "summary": "A new summary."})
    when = timezone.now() + datetime.timedelta(hours=1)
    local = timezone.localtime(when)
    client.post(
        publish_url(live),
        {
            "when": "later",
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "confirmed": "on",
        },
    )
    assert articles_publish_due(now=when + datetime.timedelta(minutes=1)) == 1
    latest = Article.objects.get(pk=live.pk).history.first()
    assert latest.summary == "A new summary."
    assert latest.history_user == scheduler
    assert latest.history_change_reason == "Published at the scheduled time"
    history = editor.get(f"/admin/education/article/{live.pk}/history/")
    assertContains(history, "scheduler")


def test_the_revert_page_refuses_when_a_draft_was_saved_after_it_was_opened(editor, live, publish):
    first = live.history.earliest()
    editor.post(change_url(live), {**the_form(editor, live), "summary": "A second summary."})
    publish(editor, live)
    revert = f"/admin/education/article/{live.pk}/history/{first.history_id}/revert/"
    opened = parse(editor.get(revert).content).find("input", name="opened_version")
    # Someone saves a draft meanwhile.
    signed_in(make_editor("colleague")).post(
        change_url(live), {**the_form(editor, live), "summary": "A colleague's summary."}
    )
    response = editor.post(revert, {"opened_version": opened.attrs["value"]})
    assert response.status_code == HTTPStatus.CONFLICT
    assertContains(
        response, "Someone saved this article after you opened this page", status_code=409
    )
    assert ArticleDraft.objects.get(article=live).summary == "A colleague's summary."


def test_a_change_to_the_references_cancels_a_schedule(editor, live):
    """Nobody chose to publish the page as it is after the change."""
    editor.post(change_url(live), {**the_form(editor, live), "summary": "A new summary."})
    when = timezone.localtime(timezone.now() + datetime.timedelta(hours=2))
    editor.post(
        publish_url(live),
        {
            "when": "later",
            "date": when.date().isoformat(),
            "time": when.strftime("%H:%M"),
            "confirmed": "on",
        },
    )
    assert Article.objects.get(pk=live.pk).publish_at is not None
    colleague = signed_in(make_writer())
    data = add_reference(the_form(colleague, live), 3, NEW_SOURCE)
    response = colleague.post(change_url(live), data, follow=True)
    assertContains(response, "The page changed, so the scheduled publication was cancelled.")
    live = Article.objects.get(pk=live.pk)
    assert (live.publish_at, live.scheduled_by) == (None, None)
    assert articles_publish_due(now=when + datetime.timedelta(minutes=1)) == 0
    assert NEW_SOURCE not in live.references.filter(in_draft=False).values_list(
        "citation", flat=True
    )


def test_one_changed_reference_leaves_the_others_as_they_were(editor, live):
    data = {**the_form(editor, live), "references-1-citation": NEW_SOURCE}
    assert editor.post(change_url(live), data).status_code == HTTPStatus.FOUND
    first = live.references.filter(in_draft=True).order_by("order").first()
    # The unchanged row keeps its identity and history; only the changed one is new.
    data = the_form(editor, live)
    assert data["references-0-id"] == str(first.pk)
    editor.post(change_url(live), {**data, "references-1-url": "https://example.org/new"})
    kept, changed = live.references.filter(in_draft=True).order_by("order")
    assert kept.pk == first.pk
    assert (changed.citation, changed.url) == (NEW_SOURCE, "https://example.org/new")
    assert kept.history.count() == 1


def test_reverting_a_draft_without_review_permission_removes_the_drafts_review(live):
    """The live words were reviewed by one clinician and the draft's by another. Reverting
    the draft to the live words leaves no review on them that was made of other words."""
    lead = signed_in(make_editor())
    live.reviewer_name, live.reviewer_credentials = "Dr One", "MD"
    live.reviewed_on = timezone.localdate() - datetime.timedelta(days=30)
    live.save()
    old = live.history.latest()
    data = {
        **the_form(lead, live),
        "summary": "The draft's summary.",
        "reviewer_name": "Dr Two",
        "reviewer_credentials": "MD",
        "reviewed_on": timezone.localdate().isoformat(),
    }
    assert lead.post(change_url(live), data).status_code == HTTPStatus.FOUND
    assert ArticleDraft.objects.get(article=live).reviewer_name == "Dr Two"

    writer = signed_in(make_writer())
    revert = f"/admin/education/article/{live.pk}/history/{old.history_id}/revert/"
    page = writer.get(revert)
    opened = parse(page.content).find("input", name="opened_version").attrs["value"]
    response = writer.post(revert, {"opened_version": opened})
    assert response.status_code == HTTPStatus.FOUND
    draft = ArticleDraft.objects.get(article=live)
    assert draft.summary == old.summary
    assert (draft.reviewer_name, draft.reviewed_on) == ("", None)
    # The live page keeps its words and its own review.
    live = Article.objects.get(pk=live.pk)
    assert (live.summary, live.reviewer_name) == (old.summary, "Dr One")


def test_a_time_set_before_schedules_kept_a_name_is_shown_as_the_scheduled_publication(
    editor, live
):
    editor.post(change_url(live), {**the_form(editor, live), "summary": "A new summary."})
    moment = timezone.now() - datetime.timedelta(minutes=1)
    Article.objects.filter(pk=live.pk).update(publish_at=moment)  # no scheduled_by
    assert articles_publish_due(now=timezone.now()) == 1
    history = editor.get(f"/admin/education/article/{live.pk}/history/")
    assertContains(history, "<td>the scheduled publication</td>", html=True)
    # A version saved by no one known says so, rather than guessing.
    assertContains(history, "unknown: a data migration or a deleted account")
