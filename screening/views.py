"""The patient's self-check: thin views over flow.py, forms.py and services.py.

No URL names a screening or carries an answer: the check in progress and its result live
in the server-side session. Pages that show answers or results are never cached.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import NamedTuple

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from education.models import Article
from education.views import noindex
from screening import explain, fhir, flow, questionnaire, ratelimit, rulebook, services
from screening.flow import Check, Result
from screening.forms import DeleteSavedForm, QuestionForm, StartForm
from screening.questionnaire import Question
from screening.rules import RULES_VERSION, Assessment, Finding, Pattern, Urgency, assess

# A cookie that says only "a check was started in this browser", so that when the session
# has expired (30 minutes idle) the person is told why their answers are gone.
STARTED_COOKIE = "oih_started"


def _lost(request: HttpRequest) -> HttpResponse:
    """Where to go when the session holds no check in progress.

    A check still in progress leads back to it; one that has ended leads to its result (or
    its emergency page); one that the session lost by expiring leads to a page that says
    so; otherwise, the start.
    """
    check = Check.load(request.session)
    if check is not None:
        return redirect(_first_undone_url(check))
    outcome = Result.load(request.session)
    if outcome is not None:
        if outcome.assessment.urgency is Urgency.EMERGENCY:
            return redirect("screening:emergency")
        return redirect("screening:result")
    if request.COOKIES.get(STARTED_COOKIE) == "1":
        return redirect("screening:expired")
    return redirect("screening:start")


def _first_undone_url(check: Check) -> str:
    question = flow.first_undone(check.answers)
    if question is None:
        return reverse("screening:answers")
    return reverse("screening:question", args=[question.id])


def _end(request: HttpRequest, check: Check, *, save: bool) -> Result:
    """Finish the check: store it if ``save``, and keep only the result in the session."""
    if save:
        screening, assessment = services.screening_submit(
            answers=check.answers,
            submission_token=check.token,
            language=get_language() or settings.LANGUAGE_CODE,
            country=settings.OIH_COUNTRY,
            deletion_key=check.deletion_key,
        )
        result = Result(assessment, screening.reference_code, screening.pk, check.deletion_key)
    else:
        result = Result(assess(check.answers))
    result = dataclasses.replace(
        result, answers=check.answers, checked_at=timezone.now().isoformat()
    )
    result.store(request.session)
    return result


@require_http_methods(["GET", "POST"])
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """What the check is and is not, and the privacy choice.

    Template: ``screening/start.html``. Context: ``form`` (StartForm), ``in_progress``,
    ``continue_url`` (the first undone page of the check in progress), ``questions`` (how
    many there can be).
    """
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        flow.forget(request.session)
        # A new session key for the answers to come: a session cookie planted in this
        # browser before (someone else's, say) no longer opens them.
        request.session.cycle_key()
        check = Check(save=form.save_chosen)
        check.store(request.session)
        response = redirect(_first_undone_url(check))
        response.set_cookie(
            STARTED_COOKIE,
            "1",
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    in_progress = Check.load(request.session)
    context = {
        "form": form,
        "in_progress": in_progress is not None,
        "continue_url": _first_undone_url(in_progress) if in_progress else None,
        "questions": questionnaire.most_questions(),
    }
    return render(request, "screening/start.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@noindex
def question(request: HttpRequest, question_id: str) -> HttpResponse:
    """One question of the check.

    Template: ``screening/question.html``. Context: ``form`` (QuestionForm), ``question``,
    ``back_url``, ``number`` (position among the questions that apply), ``total`` (how many
    questions there can be), ``section`` (the part of the check, which the page shows),
    ``changing`` (came from the answers page), ``blank_form`` (no answer given or posted yet).
    """
    current = questionnaire.get(question_id)
    if current is None:
        raise Http404
    check = Check.load(request.session)
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        question=current,
        initial={current.id: check.answers.get(current.id)} if check else None,
    )
    posted = request.method == "POST" and form.is_valid()
    earlier = check.answers if check else {}
    # Before anything else: an emergency answer is heard on any question page, in turn or
    # not, with a check in progress or none.
    if posted and flow.ends_check(current, {**earlier, current.id: form.answer}):
        return _emergency_answer(request, check, current, form.answer)
    if check is None:
        return _lost(request)
    changing = "change" in request.GET
    before = flow.in_turn(current, check.answers)
    if before is None:
        return redirect(_first_undone_url(check))

    if posted:
        check.answer(current, form.answer)
        check.store(request.session)
        following = flow.first_undone(check.answers)
        if changing and following is None:
            return redirect("screening:answers")
        url = _first_undone_url(check)
        return redirect(f"{url}?change" if changing and following else url)

    if changing and before and not check.complete:
        # A change opened a follow-up question: the answers page would only send the person
        # on to it again, so Back goes to the question before, still changing.
        back_url = reverse("screening:question", args=[before[-1].id]) + "?change"
    elif changing:
        back_url = reverse("screening:answers")
    elif not before:
        back_url = reverse("screening:start")
    else:
        back_url = reverse("screening:question", args=[before[-1].id])
    context = {
        "form": form,
        "question": current,
        "back_url": back_url,
        "number": len(before) + 1,
        "total": questionnaire.most_questions(),
        "section": questionnaire.SECTION_OF[current.id],
        "changing": changing,
        # The same for everyone: no answer in it, so its markup may be kept (the template).
        "blank_form": not form.is_bound and current.id not in check.answers,
    }
    return render(request, "screening/question.html", context)


def _emergency_answer(
    request: HttpRequest, check: Check | None, question: Question, answer: object
) -> HttpResponse:
    """End the check at an emergency answer, then show what to do right now.

    Emergency signs win over everything else. The answer joins the check in progress, which
    is saved if the person chose that. With no check in progress, a result already in the
    session (the same answer sent twice, or a check ended in another tab) is kept, with its
    reference code, and the emergency page shows; with nothing at all (the session expired)
    the answer is the whole check, and nothing is saved. If the database fails on the way,
    ``server_error`` still shows the emergency page.
    """
    if check is None and Result.load(request.session) is not None:
        return redirect("screening:emergency")
    check = check or Check(save=False)
    check.answer(question, answer)
    # Never held back by the rate limit: past it, the page shows without saving.
    over_limit = check.save and ratelimit.submission_hit(request)
    _end(request, check, save=check.save and not over_limit)
    return redirect("screening:emergency")


@require_http_methods(["GET", "POST"])
@never_cache
@noindex
def answers(request: HttpRequest) -> HttpResponse:
    """Check your answers, then submit.

    Template: ``screening/answers.html``. Context: ``rows`` (flow.AnswerRow), ``save``.
    Past the submission limit, ``screening/too_many.html`` (``minutes``) offers to show the
    result without saving it (a POST with ``save=no``).
    """
    check = Check.load(request.session)
    if check is None:
        # A second click, or the back button after submitting: the result is already there.
        return _lost(request)
    if not check.complete:
        return redirect(_first_undone_url(check))
    if request.method == "POST":
        # Past the limit, the person may ask to see the result without saving it.
        save = check.save and request.POST.get("save") != "no"
        # Only saving is limited: it is what fills the clinicians' queue.
        retry_after = save and ratelimit.submission_hit(request)
        if retry_after:
            minutes = max(1, round(retry_after / 60))
            response = render(request, "screening/too_many.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        _end(request, check, save=save)
        return redirect("screening:result")
    return render(
        request,
        "screening/answers.html",
        {"rows": flow.answer_rows(check.answers), "save": check.save},
    )


@require_safe
@never_cache
@noindex
def result(request: HttpRequest) -> HttpResponse:
    """The result of a finished check, from the session only.

    Template: ``screening/result.html``. Context: ``result`` (flow.Result), ``assessment``,
    ``headline``, ``urgency_label`` (how soon, in words beside the colour), ``contact`` (whom
    to talk to), ``summary``, ``against_pattern`` (a no-pattern result: the answers that
    counted against it), ``explanations``, ``notes`` (the listed notes, in the order that
    matters for this person), ``note_links``
    (note code to its "read more" address), ``points`` (for the doctor), ``self_harm_recent``
    and ``sedation_episodes`` (which lead a "today" result), ``checked_at`` (when the check
    ended), ``site_address`` and ``clinical_findings`` (the findings in a clinician's
    words), which the printout names (it also lists ``result.answer_rows``); ``review`` (how
    far the articles are medically reviewed).
    """
    outcome = Result.load(request.session)
    if outcome is None:
        return _lost(request)
    assessment = outcome.assessment
    if assessment.urgency is Urgency.EMERGENCY:
        return redirect("screening:emergency")
    context = {
        "result": outcome,
        "assessment": assessment,
        "headline": explain.headline(assessment),
        "summary": explain.PATTERN_SUMMARIES[assessment.pattern],
        "explanations": explain.explanations(assessment),
        "notes": explain.ordered_notes(assessment),
        "urgency_label": explain.URGENCY_LABELS[assessment.urgency],
        "contact": explain.contact(assessment),
        "against_pattern": explain.against_pattern(explain.pattern_answers(outcome.answers))
        if assessment.pattern is Pattern.NO_PATTERN
        else [],
        "note_links": explain.note_links(assessment.notes),
        "clinical_findings": [
            explain.clinical(reason, questionnaire.QUESTIONNAIRE_VERSION).name
            for reason in assessment.findings
        ],
        "points": explain.doctor_points(assessment),
        "checked_at": parse_datetime(outcome.checked_at) if outcome.checked_at else None,
        "site_address": settings.OIH_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/"),
        "self_harm_recent": assessment.has(Finding.SELF_HARM_RECENT),
        "sedation_episodes": assessment.has(Finding.SEDATION_EPISODES),
        "review": Article.objects.review_summary(),
    }
    return render(request, "screening/result.html", context)


@require_safe
@never_cache
@noindex
def emergency(request: HttpRequest) -> HttpResponse:
    """What to do right now. Reached from an emergency answer, or directly.

    Template: ``screening/emergency.html``. Context: ``assessment`` (None when reached
    directly: then every kind of emergency is covered), ``self_harm`` and ``red_flags``
    (which help to show), ``overdose`` (breathing or drowsiness was the sign: the overdose
    steps, always shown, then come first rather than after the other help),
    ``reference_code``, ``failed`` (shown by ``server_error`` or ``csrf_failure``: the
    request failed, so the answers may not have been saved).
    """
    outcome = Result.load(request.session)
    if outcome is None or outcome.assessment.urgency is not Urgency.EMERGENCY:
        return _emergency_page(request)
    return _emergency_page(
        request,
        assessment=outcome.assessment,
        reference_code=outcome.display_reference,
        deletion_key=outcome.display_deletion_key,
    )


def _emergency_page(
    request: HttpRequest,
    *,
    assessment: Assessment | None = None,
    reference_code: str | None = None,
    deletion_key: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The emergency page for ``assessment``; every kind of emergency when it is None."""
    context = {
        "assessment": assessment,
        "overdose": assessment is None
        or assessment.has(Finding.OVERDOSE_SIGNS)
        or assessment.has(Finding.OVERSEDATED),
        "self_harm": assessment is None or assessment.has(Finding.SELF_HARM_NOW),
        "red_flags": assessment is None or assessment.has(Finding.NERVE_OR_HEART_SIGNS),
        "reference_code": reference_code,
        "deletion_key": deletion_key,
        "failed": status != 200,
    }
    response = render(request, "screening/emergency.html", context, status=status)
    # Also when shown for a failed request, which never reached a view's never_cache.
    add_never_cache_headers(response)
    return response


def _posted_emergency(request: HttpRequest) -> Assessment | None:
    """The emergency a failed or refused request was reporting on a question page, if any."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name != "screening:question":
        return None
    question = questionnaire.get(match.kwargs["question_id"])
    if question is None:
        return None
    form = QuestionForm(request.POST, question=question)
    if not (form.is_valid() and flow.answer_ends_check(question, form.answer)):
        return None
    return assess({question.id: form.answer})


@require_http_methods(["GET", "POST"])
@never_cache
@noindex
def delete(request: HttpRequest) -> HttpResponse:
    """Ask, then delete the stored screening (if any) and clear the result.

    Template: ``screening/delete.html``. Context: ``result``.
    """
    outcome = Result.load(request.session)
    if request.method == "POST":
        if outcome is not None and outcome.screening_id and outcome.reference_code:
            services.screening_delete(
                screening_id=outcome.screening_id,
                reference_code=outcome.reference_code,
                actor="patient",
            )
        flow.forget(request.session)
        response = redirect("screening:deleted")
        response.delete_cookie(STARTED_COOKIE, samesite="Lax")
        return response
    if outcome is None:
        return redirect("screening:start")
    return render(request, "screening/delete.html", {"result": outcome})


@require_http_methods(["GET", "POST"])
@never_cache
@noindex
def delete_saved(request: HttpRequest) -> HttpResponse:
    """Delete saved answers with their reference code and deletion key, in any browser.

    Template: ``screening/delete_saved.html``. Context: ``form`` (DeleteSavedForm). A valid
    form leads to ``delete_saved_done``, which says the same whether or not anything
    matched: the page never tells whether a code exists. Tries are limited per address;
    past the limit, ``screening/delete_saved.html`` with ``minutes`` and status 429.
    """
    form = DeleteSavedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        retry_after = ratelimit.hit(request, ratelimit.DELETIONS)
        if retry_after:
            minutes = max(1, round(retry_after / 60))
            context = {"form": DeleteSavedForm(), "minutes": minutes}
            response = render(request, "screening/delete_saved.html", context, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        code = form.cleaned_data["reference_code"]
        deleted = services.screening_delete_with_key(
            reference_code=code, deletion_key=form.cleaned_data["deletion_key"]
        )
        response = redirect("screening:delete_saved_done")
        outcome = Result.load(request.session)
        if deleted and outcome is not None and outcome.reference_code == code:
            # Deleted from the browser that saved it: its result goes too.
            flow.forget(request.session)
            response.delete_cookie(STARTED_COOKIE, samesite="Lax")
        return response
    return render(request, "screening/delete_saved.html", {"form": form})


@require_safe
@noindex
def delete_saved_done(request: HttpRequest) -> HttpResponse:
    """Says what a deletion request did, the same whatever matched.

    Template: ``screening/delete_saved_done.html``.
    """
    return render(request, "screening/delete_saved_done.html")


@require_safe
@never_cache
@noindex
def expired(request: HttpRequest) -> HttpResponse:
    """Says that answers left unattended were cleared. Template: ``screening/expired.html``.

    The session has already lost them; a check started since (in another tab) is left alone.
    """
    response = render(request, "screening/expired.html")
    response.delete_cookie(STARTED_COOKIE, samesite="Lax")
    return response


@require_safe
@noindex
def deleted(request: HttpRequest) -> HttpResponse:
    """Confirms that the answers are gone. Template: ``screening/deleted.html``."""
    return render(request, "screening/deleted.html")


@require_safe
def how_it_works(request: HttpRequest, version: str = RULES_VERSION) -> HttpResponse:
    """How the check works: each rule of ``version`` in plain words, with examples.

    Template: ``screening/how_it_works.html``. Context: ``book`` (rulebook.Rulebook),
    ``current`` (whether these are the rules in force), ``rules`` (RuleView), ``headlines``
    (each urgency's words, most urgent first; the rules in force only), ``sources``
    (numbered rulebook.Source), ``versions`` (every version, with its address and date).
    The examples' outcomes come from ``rules.assess()`` as the page renders (recorded ones
    for an earlier version), so the page cannot disagree with the code.
    """
    book = rulebook.RULEBOOKS.get(version)
    if book is None:
        raise Http404
    current = version == RULES_VERSION
    if current and request.resolver_match.url_name == "how_it_works_version":
        return redirect("screening:how_it_works")  # one address for the rules in force
    context = {
        "book": book,
        "current": current,
        "rules": [RuleView.of(rule, version) for rule in book.rules],
        "headlines": list(explain.HEADLINES.values()) if current else [],
        "sources": list(enumerate(rulebook.SOURCES, start=1)),
        "versions": [
            (other, _how_it_works_url(other), rulebook.TOOK_EFFECT[other])
            for other in rulebook.RULEBOOKS
        ],
        "fhir_url": reverse("site:fhir_questionnaire"),
    }
    return render(request, "screening/how_it_works.html", context)


def _how_it_works_url(version: str) -> str:
    if version == RULES_VERSION:
        return reverse("screening:how_it_works")
    return reverse("screening:how_it_works_version", args=[version])


class ExampleView(NamedTuple):
    quotes: list[explain.Quote]
    headline: str
    pattern: str


class RuleView(NamedTuple):
    """A rule as the page shows it: its words, its examples worked out, its sources."""

    rule: rulebook.Rule
    examples: list[ExampleView]
    sources: list[tuple[int, str]]  # (number in the list of sources, source key)

    @classmethod
    def of(cls, rule: rulebook.Rule, version: str) -> RuleView:
        examples = []
        for example in rule.examples:
            outcome = rulebook.outcome(example, version)
            if outcome.assessment is not None:
                headline = explain.headline(outcome.assessment)
            else:
                headline = explain.HEADLINES[outcome.urgency]
            examples.append(
                ExampleView(
                    quotes=explain.quotes(rulebook.given(example, version), version),
                    headline=str(headline),
                    pattern=str(rulebook.PATTERN_LINES[outcome.pattern]),
                )
            )
        sources = [(rulebook.SOURCE_NUMBER[key], key) for key in rule.sources]
        return cls(rule, examples, sorted(sources))


def _site_owner() -> dict[str, object]:
    return {
        "organisation": settings.OIH_ORGANISATION_NAME,
        "contact_email": settings.OIH_CONTACT_EMAIL,
        "contact_postal": settings.OIH_CONTACT_POSTAL,
        "retention_days": settings.OIH_RETENTION_DAYS,
    }


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    """Who runs the site and what it is for. Template: ``screening/about.html``.

    Context: ``organisation``, ``contact_email``, ``contact_postal``, ``retention_days``.
    """
    return render(request, "screening/about.html", _site_owner())


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What is stored, for how long, who sees it, how to delete it.

    Template: ``screening/privacy.html``. Context as ``about``.
    """
    return render(request, "screening/privacy.html", _site_owner())


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    """How to reach the people who run the site. Template: ``screening/contact.html``.

    Context as ``about``.
    """
    return render(request, "screening/contact.html", _site_owner())


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    """The country's emergency and help lines. Template: ``screening/help.html``."""
    return render(request, "screening/help.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its missing or foreign CSRF token (CSRF_FAILURE_VIEW).

    Template: ``403_csrf.html``. Nothing is saved. A refused emergency answer still gets the
    emergency page (help changes nothing, so the token does not guard it): a page left open
    for a long time must not stand between someone and an emergency number.
    """
    emergency = _posted_emergency(request)
    if emergency is not None:
        return _emergency_page(request, assessment=emergency, status=403)
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The failure page; it still shows the country's emergency number.

    Template: ``500.html``, or ``503.html`` when the database is out of reach (the site
    recovers by itself when the database is back). A request that was reporting an
    emergency answer gets the emergency page instead, saying that the answers may not have
    been saved: help comes first, whatever failed. Django calls this while handling the
    exception, so the exception is at hand.
    """
    status = 503 if isinstance(sys.exc_info()[1], DatabaseError) else 500
    return _failure_page(request, status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refused (handler400); Django's own page, but for a lost session.

    The session is written after the view has run. When that write fails (Django raises
    SessionInterrupted), the view's work may be done: a screening saved, with its code in
    the session that could not be kept. The patient gets the failure page, which says what
    was saved, or the emergency page for an emergency answer. A database out of reach is a
    503; a session removed meanwhile (answers deleted in another tab) a 400.
    """
    if not isinstance(exception, SessionInterrupted):
        return defaults.bad_request(request, exception)
    return _failure_page(request, 503 if _database_down(exception) else 400)


def _database_down(exception: BaseException) -> bool:
    """Whether a database error that is not about the data caused ``exception``."""
    cause = exception.__cause__ or exception.__context__
    while cause is not None:
        if isinstance(cause, OperationalError | InterfaceError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _failure_page(request: HttpRequest, status: int) -> HttpResponse:
    """The page for a request that failed with ``status``, saying what was saved.

    A screening this request saved before failing has its code in the request's session,
    even if the session could not be written: the page gives it, so the care team can find
    the answers. Context: ``saved_code`` (or None).
    """
    try:
        outcome = Result.load(request.session) if hasattr(request, "session") else None
    except DatabaseError:  # the session could not even be read
        outcome = None
    saved_code = outcome.display_reference if outcome is not None else None
    emergency = _posted_emergency(request)
    if emergency is not None:
        response = _emergency_page(
            request,
            assessment=emergency,
            reference_code=saved_code,
            deletion_key=outcome.display_deletion_key if outcome is not None else None,
            status=status,
        )
    else:
        template = "500.html" if status == 500 else "503.html"
        response = render(request, template, {"saved_code": saved_code}, status=status)
        # A failure is of its moment: no browser or proxy may keep it for the next visit.
        add_never_cache_headers(response)
    if status == 503:
        response["Retry-After"] = "60"
    return response


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 "ok" when the database answers, 503 otherwise. Nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def fhir_questionnaire(request: HttpRequest) -> HttpResponse:
    """The self-check as a FHIR R4 Questionnaire: public, no patient data.

    The current version; ``?version=1`` gives an earlier one, for reading the responses
    given under it (a response names its version: ``<url>|<version>``).
    """
    version = request.GET.get("version", questionnaire.QUESTIONNAIRE_VERSION)
    if version not in questionnaire.VERSIONS:
        raise Http404
    body = fhir.questionnaire(fhir.site_url(request), version)
    return JsonResponse(body, content_type="application/fhir+json", json_dumps_params={"indent": 2})
