"""The patient's self-check: thin views over flow.py, forms.py and services.py.

No URL names a screening or carries an answer: the check in progress and its result live
in the server-side session. Pages that show answers or results are never cached.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from screening import explain, fhir, flow, questionnaire, ratelimit, services
from screening.flow import Check, Result
from screening.forms import QuestionForm, StartForm
from screening.questionnaire import Question
from screening.rules import Assessment, Finding, Urgency, assess

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
        )
        result = Result(assessment, screening.reference_code, screening.pk)
    else:
        result = Result(assess(check.answers))
    result.store(request.session)
    return result


@require_http_methods(["GET", "POST"])
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """What the check is and is not, and the privacy choice.

    Template: ``screening/start.html``. Context: ``form`` (StartForm), ``in_progress``.
    """
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        flow.forget(request.session)
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
    in_progress = Check.load(request.session) is not None
    return render(request, "screening/start.html", {"form": form, "in_progress": in_progress})


@require_http_methods(["GET", "POST"])
@never_cache
def question(request: HttpRequest, question_id: str) -> HttpResponse:
    """One question of the check.

    Template: ``screening/question.html``. Context: ``form`` (QuestionForm), ``question``,
    ``back_url``, ``number`` (position among the questions that apply), ``total`` (how many
    questions there can be), ``changing`` (came from the answers page), ``blank_form`` (no
    answer given or posted yet).
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

    if changing:
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
        "total": len(questionnaire.QUESTIONS),
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
    over_limit = check.save and ratelimit.hit(request, ratelimit.SUBMISSIONS)
    _end(request, check, save=check.save and not over_limit)
    return redirect("screening:emergency")


@require_http_methods(["GET", "POST"])
@never_cache
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
        retry_after = save and ratelimit.hit(request, ratelimit.SUBMISSIONS)
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
def result(request: HttpRequest) -> HttpResponse:
    """The result of a finished check, from the session only.

    Template: ``screening/result.html``. Context: ``result`` (flow.Result), ``assessment``,
    ``headline``, ``summary``, ``explanations``, ``notes`` (the listed notes), ``note_links``
    (note code to its "read more" address), ``self_harm_recent``.
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
        "notes": explain.listed_notes(assessment),
        "note_links": explain.note_links(assessment.notes),
        "self_harm_recent": assessment.has(Finding.SELF_HARM_RECENT),
    }
    return render(request, "screening/result.html", context)


@require_safe
@never_cache
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
        request, assessment=outcome.assessment, reference_code=outcome.display_reference
    )


def _emergency_page(
    request: HttpRequest,
    *,
    assessment: Assessment | None = None,
    reference_code: str | None = None,
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


@require_safe
@never_cache
def expired(request: HttpRequest) -> HttpResponse:
    """Says that answers left unattended were cleared. Template: ``screening/expired.html``.

    The session has already lost them; a check started since (in another tab) is left alone.
    """
    response = render(request, "screening/expired.html")
    response.delete_cookie(STARTED_COOKIE, samesite="Lax")
    return response


@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    """Confirms that the answers are gone. Template: ``screening/deleted.html``."""
    return render(request, "screening/deleted.html")


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

    Template: ``500.html``, or ``503.html`` when the database is out of reach (then nothing
    was saved, and the site recovers by itself when the database is back). A request that
    was reporting an emergency answer gets the emergency page instead, saying that the
    answers may not have been saved: help comes first, whatever failed. Django calls this
    while handling the exception, so the exception is at hand.
    """
    status = 503 if isinstance(sys.exc_info()[1], DatabaseError) else 500
    emergency = _posted_emergency(request)
    if emergency is not None:
        response = _emergency_page(request, assessment=emergency, status=status)
    else:
        response = render(request, f"{status}.html", status=status)
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
    """The self-check as a FHIR R4 Questionnaire: public, no patient data."""
    body = fhir.questionnaire(fhir.site_url(request))
    return JsonResponse(body, content_type="application/fhir+json", json_dumps_params={"indent": 2})
