"""Public views: the vote form, the confirmation page, counts JSON, results, the submission form.

Entry pages carry no form and no CSRF token, so the shared page cache serves them during a voting
spike; «Голосовать» is a link to /contests/vote/<id>/, a separate page with the form. Nothing here is
stored by the page cache unless it says so (core.cache.mark_public: the results without live counts);
the form and confirmation pages also tell browsers and proxies not to keep them (never_cache): their
human-check challenge and tokens are single-use.
Every POST is rate-limited per address and per subnet; bad input gets a Russian message and a 4xx.
"""

import os

from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.cache import mark_public, valid_until
from core.lowvision import COOKIE_NAME, LowVision
from core.ratelimit import (
    limited,
    refilled_form,
    retry_after,
    retry_after_for,
    retry_message,
    too_many_requests,
)
from core.tokens import HTTP_STATUS, LinkState

from .forms import SubmissionForm, VoteForm
from .models import TALLY_SECONDS, ContestEntryPage, ContestPage, ResultsVisibility
from .normalize import normalize_email
from .submissions import create_submission
from .voting import (
    cached_briefly,
    confirm_vote,
    contest_meta,
    entry_meta,
    find_vote,
    link_state,
    link_status,
    request_vote,
    vote_counts,
)

# Limits (README, «Rate limits»): a classroom behind one address votes within minutes, a script
# does not. Each can be changed through the environment (load tests raise them).
VOTE_RATE = os.environ.get("CONTESTS_VOTE_RATE", "90/5m")  # 30 pupils × 3 tries, one address
VOTE_SUBNET_RATE = os.environ.get("CONTESTS_VOTE_SUBNET_RATE", "300/5m")  # a school's /24, several classes
VOTE_MAILBOX_RATE = os.environ.get("CONTESTS_VOTE_MAILBOX_RATE", "10/h")  # confirmation letters per mailbox
CONFIRM_RATE = os.environ.get("CONTESTS_CONFIRM_RATE", "90/5m")
CONFIRM_SUBNET_RATE = os.environ.get("CONTESTS_CONFIRM_SUBNET_RATE", "300/5m")
SUBMIT_RATE = os.environ.get("CONTESTS_SUBMIT_RATE", "5/h")
SUBMIT_SUBNET_RATE = os.environ.get("CONTESTS_SUBMIT_SUBNET_RATE", "30/h")
MAILBOX_LIMITED = (
    "На этот адрес уже отправлено много писем для подтверждения. Проверьте почту, в том числе папку «Спам»"
)

CONFIRM_STATUS = {
    "confirmed": 200,
    "already_confirmed": 200,
    "duplicate": 409,
    "limit": 409,
    "expired": 410,
    "closed": 403,
    "before": 403,
    "invalid": 404,
}


def _light(request, template, context, status=200, csrf=False):
    """Renders a vote page without the site-wide context processors (no site or settings queries):
    the confirmation pages are the hot path of a voting spike."""
    context = {**context, "request": request, "low_vision": LowVision.from_cookie(request.COOKIES.get(COOKIE_NAME))}
    if csrf:
        context["csrf_token"] = get_token(request)
    return HttpResponse(render_to_string(template, context), status=status)


def _result_html(request, status, vote) -> str:
    """The page after a confirmation. It holds nothing personal (the outcome, the entry, the contest),
    so each process renders it once per outcome, entry and low-vision setting every META_SECONDS."""
    entry_id, contest_id = (vote.entry_id, vote.contest_id) if vote is not None else (None, None)
    lv = request.COOKIES.get(COOKIE_NAME, "")[:200]

    def render_page():
        context = {"status": status, "tally_seconds": TALLY_SECONDS}
        if vote is not None:
            context.update(entry=entry_meta(entry_id), contest=contest_meta(contest_id))
        context["low_vision"] = LowVision.from_cookie(lv)
        return render_to_string("contests/vote_result.html", context)

    return cached_briefly(("result", status, entry_id, contest_id, lv), render_page)


def _entry_or_404(entry_id):
    entry = ContestEntryPage.objects.live().public().filter(pk=entry_id).select_related("nomination", "cover").first()
    if entry is None:
        raise Http404("Работа не найдена")
    return entry


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request, entry_id):
    entry = _entry_or_404(entry_id)
    contest = entry.contest
    wait = request.method == "POST" and retry_after(request, "contests-vote", VOTE_RATE, VOTE_SUBNET_RATE)
    state = contest.voting_state() if entry.nomination_id else "none"
    context = {"entry": entry, "contest": contest, "page": entry, "state": state, "tally_seconds": TALLY_SECONDS}
    if state != "open":
        status = 403 if request.method == "POST" else 200
        return render(request, "contests/vote_unavailable.html", context, status=status)

    def form_back(seconds, message):
        context["form"] = refilled_form(VoteForm, request, retry_message(seconds, message), request=request)
        return limited(render(request, "contests/vote.html", context), seconds)

    if wait:
        return form_back(wait, "Слишком много попыток с вашего адреса")
    form = VoteForm(request.POST or None, request=request)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"]
            if wait := retry_after_for("contests-vote-mailbox", normalize_email(email), VOTE_MAILBOX_RATE):
                return form_back(wait, MAILBOX_LIMITED)
            consent = form.record_consent(request)
            vote_obj, _token = request_vote(request, entry, contest, email, consent)
            context.update(email=email, vote=vote_obj)
            return render(request, "contests/vote_sent.html", context)
        status = 400
    context["form"] = form
    return render(request, "contests/vote.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    if request.method == "POST":
        if wait := retry_after(request, "contests-confirm", CONFIRM_RATE, CONFIRM_SUBNET_RATE):
            return too_many_requests(request, wait)
        result = confirm_vote(token, request)
        html = _result_html(request, result.status, result.vote)
        return HttpResponse(html, status=CONFIRM_STATUS[result.status])

    vote_obj = find_vote(token)
    link = link_state(vote_obj)
    if link == LinkState.INVALID:
        return _light(request, "contests/vote_result.html", {"status": "invalid"}, status=HTTP_STATUS[link])
    context = {
        "vote": vote_obj,
        "entry": entry_meta(vote_obj.entry_id),
        "contest": contest_meta(vote_obj.contest_id),
        "tally_seconds": TALLY_SECONDS,
    }
    if link != LinkState.VALID:
        context["status"] = link_status(vote_obj, link)
        return _light(request, "contests/vote_result.html", context, status=HTTP_STATUS[link])
    return _light(request, "contests/vote_confirm.html", context, csrf=True)


@require_GET
def counts(request, contest_id):
    contest = ContestPage.objects.live().public().filter(pk=contest_id).first()
    if contest is None:
        raise Http404("Конкурс не найден")
    data = {"visible": contest.counts_visible(), "refresh_seconds": TALLY_SECONDS}
    if data["visible"]:
        data["counts"] = {str(k): v for k, v in vote_counts(contest.pk).items()}
    response = JsonResponse(data)
    # Browsers and nginx may keep the counts a few seconds; the page cache, which stores only what
    # says s-maxage (core.cache), never does.
    response["Cache-Control"] = f"public, max-age={TALLY_SECONDS}"
    return response


# ------------------------------------------------------------------------------------------------
# Routes of ContestPage
# ------------------------------------------------------------------------------------------------


def contest_results(request, contest):
    from .ranking import contest_ranking
    from .results import publish_results_file
    from .voting import annulment_reasons, protocol_rows

    state = contest.voting_state()
    valid_until(request, *contest.window_moments())
    context = {"page": contest, "contest": contest, "state": state, "tally_seconds": TALLY_SECONDS}
    live_counts = contest.counts_visible() and state == "open"
    if contest.counts_visible():
        entries = list(contest.entries())
        counts = vote_counts(contest.pk)
        context["live_counts"] = [
            (n, [(e, counts.get(e.pk, 0)) for e in entries if e.nomination_id == n.pk])
            for n in contest.nominations.all()
        ]
    if state == "closed" and contest.results_visibility != ResultsVisibility.JURY_ONLY:
        protocol = protocol_rows(contest.pk)
        reasons = annulment_reasons(contest.pk)
        context["protocol"] = [
            (
                e,
                protocol.get(e.pk, {"submitted": 0, "confirmed": 0, "annulled": 0, "counted": 0}),
                reasons.get(e.pk, []),
            )
            for e in contest.entries()
        ]
        context["snapshot"] = publish_results_file(contest)
    if contest.results_published and state in ("closed", "none"):
        context["ranking"] = contest_ranking(contest)
        context["show_votes"] = contest.results_visibility != ResultsVisibility.JURY_ONLY
    response = render(request, "contests/contest_results.html", context)
    return response if live_counts else mark_public(request, response)  # live counts: never stored


def contest_results_file(request, contest):
    from .results import publish_results_file

    if contest.voting_state() != "closed":
        raise Http404("Файл итогов публикуется после окончания голосования")
    snapshot = publish_results_file(contest)
    response = JsonResponse(snapshot.content, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'inline; filename="itogi-{contest.slug}.json"'
    return response


@never_cache
def contest_submission(request, contest):
    context = {"page": contest, "contest": contest}
    wait = request.method == "POST" and retry_after(request, "contests-submit", SUBMIT_RATE, SUBMIT_SUBNET_RATE)
    if not contest.submission_open():
        context["not_yet"] = bool(contest.submission_opens_at and timezone.now() < contest.submission_opens_at)
        status = 403 if request.method == "POST" else 200
        return render(request, "contests/submission_closed.html", context, status=status)
    if request.method not in ("GET", "POST"):
        return render(request, "contests/submission_closed.html", context, status=405)
    if wait:  # the text comes back; files cannot, the visitor chooses them again
        message = retry_message(wait, "Слишком много заявок с вашего адреса") + " Файлы выберите заново."
        context["form"] = refilled_form(SubmissionForm, request, message, request=request, contest=contest)
        return limited(render(request, "contests/submission.html", context), wait)

    form = SubmissionForm(request.POST or None, request.FILES or None, request=request, contest=contest)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            entry = create_submission(request, contest, form)
            context["entry"] = entry
            return render(request, "contests/submission_sent.html", context)
        status = 400
    context["form"] = form
    return render(request, "contests/submission.html", context, status=status)
