"""Medical reviews: recorded in one step from the review page, honest on every public page.

A review names a clinician and their credentials, is next due 12 months later unless the
reviewer says otherwise, and is removed (with its due date) when the text changes. Editors
find every article needing one on a single admin page; readers see the review on each
article and, on the home and result pages, when the articles were last reviewed.
"""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from education import pinned
from education.admin import review_words
from education.models import Article, review_due_after
from education.services import article_review_record, article_save
from tests.education.factories import MAIN_ARTICLE, make_article, make_writer
from tests.education.pages import form_data, main_text, parse
from tests.factories import POSSIBLE_OIH, submit
from tests.screening.staff import make_clinician, make_editor, signed_in

pytestmark = pytest.mark.django_db

REVIEWS = "/admin/education/article/reviews/"
CHANGELIST = "/admin/education/article/"
DAY = datetime.timedelta(days=1)
REVIEWER = {"reviewer_name": "Dr Ana Reyes", "reviewer_credentials": "MD, pain medicine"}


def record_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/review/"


def reviewed(days_ago: int = 10, **overrides) -> Article:
    """An article reviewed ``days_ago`` days ago, next due in a year."""
    on = timezone.localdate() - datetime.timedelta(days=days_ago)
    fields = {**REVIEWER, "reviewed_on": on, "next_review_due": review_due_after(on)}
    article = make_article(**{**fields, **overrides})
    article.rules_fingerprint = pinned.fingerprint(article.slug)
    article.save(update_fields=["rules_fingerprint"])
    return article


def review_form(client: Client, article: Article, **changes) -> dict:
    """The review page's form for ``article``, filled in as an editor would, plus changes."""
    page = client.get(REVIEWS)
    assert page.status_code == HTTPStatus.OK
    prefix = f"review-{article.pk}-"
    data = form_data(page.content, field=prefix + "reviewer_name")
    filled = {**REVIEWER, "confirmed": "on"}
    data.update({prefix + name: value for name, value in {**filled, **changes}.items()})
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def editor() -> Client:
    return signed_in(make_editor())


# --- The default due date ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "due"),
    [
        (datetime.date(2026, 11, 2), datetime.date(2027, 11, 2)),
        (datetime.date(2026, 12, 31), datetime.date(2027, 12, 31)),
        (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),
    ],
)
def test_a_review_is_next_due_twelve_months_later(on, due):
    assert review_due_after(on) == due


# --- The service -------------------------------------------------------------------------


def test_recording_a_review_sets_the_reviewer_and_the_next_review_a_year_on():
    article = make_article()
    on = timezone.localdate() - 3 * DAY
    article_review_record(article=article, editor=make_editor(), reviewed_on=on, **REVIEWER)
    article.refresh_from_db()
    assert (article.reviewer_name, article.reviewer_credentials) == (
        "Dr Ana Reyes",
        "MD, pain medicine",
    )
    assert (article.reviewed_on, article.next_review_due) == (on, review_due_after(on))
    assert article not in Article.objects.needing_review()


def test_a_review_keeps_a_sooner_due_date_the_reviewer_gives():
    article = make_article()
    today = timezone.localdate()
    article_review_record(
        article=article,
        editor=make_editor(),
        reviewed_on=today,
        next_review_due=today + 90 * DAY,
        **REVIEWER,
    )
    article.refresh_from_db()
    assert article.next_review_due == today + 90 * DAY


def test_a_recorded_review_is_a_history_entry_naming_who_recorded_it():
    editor = make_editor()
    article = make_article()
    article_review_record(
        article=article, editor=editor, reviewed_on=timezone.localdate(), **REVIEWER
    )
    latest = article.history.first()
    assert latest.history_user == editor
    assert latest.reviewer_name == "Dr Ana Reyes"
    assert latest.history_change_reason.startswith(
        "Medical review recorded: Dr Ana Reyes, MD, pain medicine"
    )


def test_a_review_covers_what_the_self_check_says_where_it_links():
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    assert main.rules_fingerprint == ""
    article_review_record(
        article=main, editor=make_editor(), reviewed_on=timezone.localdate(), **REVIEWER
    )
    main.refresh_from_db()
    assert main.rules_fingerprint == pinned.fingerprint(MAIN_ARTICLE)
    assert not main.rules_changed


def test_a_review_changes_only_the_review_fields_of_the_row_as_saved_now():
    article = make_article(title="Old title")
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(title="Newer title")
    article_review_record(
        article=stale, editor=make_editor(), reviewed_on=timezone.localdate(), **REVIEWER
    )
    article.refresh_from_db()
    assert article.title == "Newer title"
    assert article.is_reviewed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reviewer_name": "  "}, "reviewer_name"),
        ({"reviewer_credentials": ""}, "reviewer_credentials"),
        ({"reviewed_on": timezone.localdate() + DAY}, "reviewed_on"),
        ({"next_review_due": timezone.localdate() - DAY}, "next_review_due"),
    ],
    ids=["no-name", "no-credentials", "future", "due-before-review"],
)
def test_an_impossible_review_is_refused_and_nothing_changes(changes, field):
    article = reviewed(days_ago=400)
    before = article.history.count()
    review = {**REVIEWER, "reviewed_on": timezone.localdate(), **changes}
    with pytest.raises(ValidationError) as refused:
        article_review_record(article=article, editor=make_editor(), **review)
    assert field in refused.value.message_dict
    article.refresh_from_db()
    assert article.reviewed_on == timezone.localdate() - 400 * DAY
    assert article.history.count() == before


# --- A text change removes the review and its due date -----------------------------------


@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_a_text_change_clears_the_review_and_the_due_date(field):
    article = reviewed()
    setattr(article, field, "Words no reviewer read.")
    article_save(article=article, editor=make_editor(), changed_fields=[field])
    # A live article's new words are its draft, which carries no review.
    pending = Article.objects.get(pk=article.pk).pending()
    assert (pending.reviewed_on, pending.next_review_due, pending.reviewer_name) == (
        None,
        None,
        "",
    )


def test_a_review_saved_from_the_article_form_without_a_due_date_is_due_in_a_year():
    article = make_article()
    on = timezone.localdate()
    article.reviewer_name, article.reviewer_credentials = REVIEWER.values()
    article.reviewed_on = on
    article_save(
        article=article,
        editor=make_editor(),
        changed_fields=["reviewer_name", "reviewer_credentials", "reviewed_on"],
    )
    article.refresh_from_db()
    assert article.next_review_due == review_due_after(on)


def test_an_editor_without_the_review_permission_cannot_save_a_review():
    article = make_article()
    article.reviewer_name, article.reviewer_credentials = REVIEWER.values()
    article.reviewed_on = timezone.localdate()
    article_save(article=article, editor=make_writer(), changed_fields=["reviewed_on"])
    article.refresh_from_db()
    assert not article.is_reviewed
    # Nor remove one, other than by changing the text.
    kept = reviewed()
    kept.reviewed_on = None
    article_save(article=kept, editor=make_writer("writer-2"), changed_fields=["reviewed_on"])
    kept.refresh_from_db()
    assert kept.is_reviewed


# --- Which articles need a review ---------------------------------------------------------


def test_needing_review_lists_never_reviewed_changed_overdue_and_self_check_changed():
    today = timezone.localdate()
    editor = make_editor()
    never = make_article(title="Never")
    changed = reviewed(title="Changed", status=Article.Status.DRAFT)  # words changed in place
    changed.body = "New words."
    article_save(article=changed, editor=editor, changed_fields=["body"])
    overdue = reviewed(title="Overdue", days_ago=400, next_review_due=today - DAY)
    fine = reviewed(title="Fine")
    due_today = reviewed(title="Due today", days_ago=365, next_review_due=today)
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    article_review_record(article=main, editor=editor, reviewed_on=today, **REVIEWER)
    Article.objects.filter(pk=main.pk).update(rules_fingerprint="an older self-check")

    needing = set(Article.objects.needing_review(today))
    assert {never, changed, overdue, main} <= needing
    assert fine not in needing
    assert due_today not in needing

    words = {a.title: review_words(a, today) for a in Article.objects.with_last_review()}
    assert words["Never"] == "not reviewed"
    assert words["Changed"].startswith("not reviewed: the text changed since the review of")
    assert words["Overdue"] == f"review overdue since {date_format(today - DAY)}"
    assert words[main.title] == "self-check changed since review"
    assert words["Due today"] == f"review due {date_format(today)}"
    assert words["Fine"].startswith("reviewed ")


# --- Public pages -------------------------------------------------------------------------


def review_line(response) -> str:
    return parse(response.content).find("p", class_="review-summary").text


def test_the_home_page_says_plainly_when_no_article_is_reviewed(client):
    line = review_line(client.get("/"))
    assert line == "Our articles are not yet medically reviewed."


def test_the_home_and_result_pages_say_when_the_articles_were_last_reviewed(client):
    on = timezone.localdate() - 20 * DAY
    Article.objects.update(status=Article.Status.DRAFT, published_at=None)
    reviewed(days_ago=20)
    reviewed(days_ago=60)
    expected = f"Our articles were last medically reviewed on {date_format(on)}."
    assert review_line(client.get("/")) == expected
    assert review_line(submit(Client(), POSSIBLE_OIH)) == expected


def test_with_some_articles_unreviewed_the_pages_say_so(client):
    reviewed(days_ago=5)  # beside the four seed articles, none reviewed
    line = review_line(client.get("/"))
    latest = date_format(timezone.localdate() - 5 * DAY)
    assert line.startswith(f"Our articles were last medically reviewed on {latest}.")
    assert "Some are not yet medically reviewed" in line
    assert "Some are not yet medically reviewed" in review_line(submit(client, POSSIBLE_OIH))


def test_an_article_page_names_the_reviewer_and_the_next_review(client):
    article = reviewed(days_ago=10)
    status = parse(client.get(article.get_absolute_url()).content).find("p", class_="review-status")
    assert "Medically reviewed by Dr Ana Reyes, MD, pain medicine, on" in status.text
    assert f"Next review due {date_format(article.next_review_due)}." in status.text


def test_an_article_past_its_review_date_says_a_new_review_was_due(client):
    due = timezone.localdate() - DAY
    article = reviewed(days_ago=400, next_review_due=due)
    text = main_text(client.get(article.get_absolute_url()))
    assert f"A new review was due on {date_format(due)}." in text
    assert "Next review due" not in text


def test_recording_a_review_refreshes_the_cached_home_and_article_pages(
    editor, django_capture_on_commit_callbacks
):
    reader = Client()
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    assertContains(reader.get(main.get_absolute_url()), "Not yet medically reviewed.")
    assert review_line(reader.get("/")) == "Our articles are not yet medically reviewed."
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(record_url(main), review_form(editor, main))
    assert response.status_code == HTTPStatus.FOUND
    assertContains(reader.get(main.get_absolute_url()), "Medically reviewed by Dr Ana Reyes")
    assert review_line(reader.get("/")).startswith("Our articles were last medically reviewed")


# --- The review page ----------------------------------------------------------------------


def test_the_review_page_lists_every_article_needing_review_and_no_other(editor):
    fine = reviewed(title="Reviewed lately")
    overdue = reviewed(title="Long ago", days_ago=400, next_review_due=timezone.localdate() - DAY)
    page = editor.get(REVIEWS)
    headings = [h.text for h in parse(page.content).find_all("h2")]
    assert overdue.title in headings
    assert fine.title not in headings
    for slug in ["opioid-induced-hyperalgesia", "getting-help"]:
        assert Article.objects.get(slug=slug, language="en").title in headings
    assertContains(page, "Review overdue since")


def test_an_editor_records_a_review_in_one_step(editor):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    today = timezone.localdate()
    data = review_form(editor, main)
    # The page offers today and a year from today.
    prefix = f"review-{main.pk}-"
    assert data[prefix + "reviewed_on"] == today.isoformat()
    assert data[prefix + "next_review_due"] == review_due_after(today).isoformat()
    response = editor.post(record_url(main), data)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == REVIEWS
    main.refresh_from_db()
    assert (main.reviewer_name, main.reviewed_on, main.next_review_due) == (
        "Dr Ana Reyes",
        today,
        review_due_after(today),
    )
    after = editor.get(REVIEWS)
    assertContains(after, f"Recorded the medical review of “{main.title}” by Dr Ana Reyes")
    assert main.title not in [h.text for h in parse(after.content).find_all("h2")]
    assert LogEntry.objects.filter(object_id=str(main.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reviewer_name": ""}, "This field is required."),
        ({"reviewed_on": "2999-01-01"}, "A review date can't be in the future."),
        ({"reviewed_on": "not a date"}, "Enter a valid date."),
        ({"next_review_due": "2020-01-01"}, "The next review is due after this review."),
        ({"confirmed": None}, "Tick this box to confirm the clinician reviewed this version."),
    ],
    ids=["no-name", "future", "not-a-date", "due-before", "not-confirmed"],
)
def test_a_bad_review_is_shown_again_with_what_to_fix_and_nothing_recorded(
    editor, changes, message
):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    data = review_form(editor, main)
    prefix = f"review-{main.pk}-"
    for name, value in changes.items():
        if value is None:
            data.pop(prefix + name, None)
        else:
            data[prefix + name] = value
    before = main.history.count()
    response = editor.post(record_url(main), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "The review was not recorded.")
    assertContains(response, escape(message))
    main.refresh_from_db()
    assert not main.is_reviewed
    assert main.history.count() == before


def test_a_review_of_an_article_saved_since_the_page_opened_is_refused(editor):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    data = review_form(editor, main)
    main.summary = "A summary changed while the reviewer was reading."
    article_save(article=main, editor=make_editor("other"), changed_fields=["summary"])
    response = editor.post(record_url(main), data)
    assertContains(response, "after this page was opened. Nothing was recorded")
    main.refresh_from_db()
    assert not main.is_reviewed


def test_only_those_with_the_review_permission_may_record_a_review():
    writer = signed_in(make_writer())
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    page = writer.get(REVIEWS)
    assert page.status_code == HTTPStatus.OK
    assertNotContains(page, "Record this review")
    assertContains(page, "Can record a medical review")
    data = review_form(signed_in(make_editor()), main)
    response = writer.post(record_url(main), data)
    assert response.status_code == HTTPStatus.FORBIDDEN
    main.refresh_from_db()
    assert not main.is_reviewed
    # Nor through the article's own form: its review fields are read-only to them.
    form = writer.get(f"/admin/education/article/{main.pk}/change/")
    assert not parse(form.content).find_all("input", name="reviewed_on")


def test_a_clinician_without_the_articles_cannot_open_the_review_page():
    clinician = signed_in(make_clinician())
    assert clinician.get(REVIEWS).status_code == HTTPStatus.FORBIDDEN


def test_the_review_page_needs_both_sign_in_steps(client):
    response = client.get(REVIEWS)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/admin/login/")


def test_the_record_address_takes_only_a_post_for_an_article_that_exists(editor):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    assert editor.get(record_url(main)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert editor.post("/admin/education/article/999999/review/").status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert editor.post(REVIEWS).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_review_page_runs_the_same_queries_however_many_articles_need_review(
    editor, assert_max_queries
):
    def count() -> int:
        with assert_max_queries(12) as context:
            assert editor.get(REVIEWS).status_code == HTTPStatus.OK
        return len(context.captured_queries)

    count()  # the first page of a session also saves the session
    few = count()
    for _ in range(20):
        make_article()
    assert count() == few


# --- The article list in words -----------------------------------------------------------


def test_the_article_list_shows_the_review_in_words_not_icons(editor):
    today = timezone.localdate()
    reviewed(title="Overdue one", days_ago=400, next_review_due=today - DAY)
    reviewed(title="Due soon one", days_ago=350, next_review_due=today + 10 * DAY)
    # Not live: a change of its words is made to the article itself, not to a draft.
    changed = reviewed(title="Changed one", days_ago=30, status=Article.Status.DRAFT)
    changed.body = "New words."
    article_save(article=changed, editor=make_editor("other"), changed_fields=["body"])
    page = editor.get(CHANGELIST)
    cells = {
        row.find("th").text: row.find("td", class_="field-medical_review").text
        for row in parse(page.content).find("table", id="result_list").find("tbody").find_all("tr")
    }
    assert cells["Overdue one"] == f"review overdue since {date_format(today - DAY)}"
    assert cells["Due soon one"] == f"review due {date_format(today + 10 * DAY)}"
    assert cells[Article.objects.get(slug=MAIN_ARTICLE, language="en").title] == "not reviewed"
    assert cells["Changed one"] == (
        f"not reviewed: the text changed since the review of {date_format(today - 30 * DAY)}"
    )
    assertNotContains(page, "icon-no.svg")
    assertNotContains(page, "icon-yes.svg")
    assertContains(page, f'href="{REVIEWS}"')


def test_the_needs_review_filter_matches_the_review_page(editor):
    fine = reviewed(title="Reviewed lately")
    page = editor.get(CHANGELIST, {"review": "needed"})
    titles = [row.find("th").text for row in parse(page.content).find("tbody").find_all("tr")]
    assert fine.title not in titles
    assert sorted(titles) == sorted(a.title for a in Article.objects.needing_review())


def test_the_staff_home_page_tells_an_editor_how_many_articles_need_review(editor):
    page = editor.get("/admin/")
    count = Article.objects.needing_review().count()
    assert count == 8  # the seed articles and their Spanish versions, none reviewed
    assertContains(page, "8 articles need a medical review.")
    assertContains(page, f'href="{REVIEWS}"')
    assertNotContains(signed_in(make_clinician()).get("/admin/"), "need a medical review")


def test_a_refused_new_review_of_a_reviewed_article_shows_the_review_it_has(editor):
    article = reviewed(days_ago=10)
    prefix = f"review-{article.pk}-"
    data = {
        prefix + "reviewer_name": "Dr Someone Else",
        prefix + "reviewer_credentials": "MD",
        prefix + "reviewed_on": timezone.localdate().isoformat(),
        prefix + "opened_version": article.updated_at.isoformat(),
    }  # not confirmed
    response = editor.post(record_url(article), data)
    assertContains(response, "Tick this box to confirm")
    entry = parse(response.content).find("section", id=f"article-{article.pk}")
    on = date_format(article.reviewed_on)
    assert entry.find("p", class_="review-reason").text.startswith(f"Reviewed {on}")
    article.refresh_from_db()
    assert article.reviewer_name == "Dr Ana Reyes"
