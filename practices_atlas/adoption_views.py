"""Routes of a practice page for «Внедрили у себя» (practices_atlas/adoptions.py): the form at
<practice>/vnedrili/ and the e-mailed link <practice>/vnedrili/<token>/ (GET shows a button, POST confirms:
mail scanners open links with GET). Never stored by the page cache, and browsers are told not to keep them
(the form's human check and the link are single-use). Every POST is rate-limited per address and subnet.
"""

import os

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from core.ratelimit import limited, refilled_form, retry_after, retry_after_for, retry_message, too_many_requests
from core.tokens import HTTP_STATUS, LinkState

from .adoption_forms import AdoptionForm
from .adoptions import ADOPTION_LINK, RESULT_HTTP_STATUS, adopters, confirm_adoption, find_adoption, link_state
from .adoptions import request_adoption as create_request

ADOPT_RATE = os.environ.get("ATLAS_ADOPT_RATE", "10/h")
ADOPT_SUBNET_RATE = os.environ.get("ATLAS_ADOPT_SUBNET_RATE", "60/h")
ADOPT_MAILBOX_RATE = os.environ.get("ATLAS_ADOPT_MAILBOX_RATE", "5/h")
CONFIRM_RATE = os.environ.get("ATLAS_ADOPT_CONFIRM_RATE", "30/10m")
CONFIRM_SUBNET_RATE = os.environ.get("ATLAS_ADOPT_CONFIRM_SUBNET_RATE", "120/10m")
MAILBOX_LIMITED = (
    "На этот адрес уже отправлено много писем для подтверждения. Проверьте почту, в том числе папку «Спам»"
)
LINK_HOURS = int(ADOPTION_LINK.ttl.total_seconds() // 3600)


def _page(request, template, context, status=200):
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


def adopt(practice, request):
    context = {"page": practice, "practice": practice, "adopters": adopters(practice), "link_hours": LINK_HOURS}
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])

    def form_back(seconds, message):
        context["form"] = refilled_form(
            AdoptionForm, request, retry_message(seconds, message), request=request, practice=practice
        )
        return limited(_page(request, "practices_atlas/adopt/form.html", context), seconds)

    if request.method == "POST" and (wait := retry_after(request, "atlas-adopt", ADOPT_RATE, ADOPT_SUBNET_RATE)):
        return form_back(wait, "Слишком много сообщений с вашего адреса")
    form = AdoptionForm(request.POST or None, request=request, practice=practice)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if wait := retry_after_for("atlas-adopt-mailbox", data["email"].strip().lower(), ADOPT_MAILBOX_RATE):
                return form_back(wait, MAILBOX_LIMITED)
            consent = form.record_consent(request)
            adoption, _token = create_request(practice, data["organisation"], data["comment"], data["email"], consent)
            context.update(email=data["email"], adoption=adoption)
            return _page(request, "practices_atlas/adopt/sent.html", context)
        status = 400
    context["form"] = form
    return _page(request, "practices_atlas/adopt/form.html", context, status)


def adopt_confirm(practice, request, token):
    context = {"page": practice, "practice": practice, "link_hours": LINK_HOURS}
    if request.method == "POST":
        if wait := retry_after(request, "atlas-adopt-confirm", CONFIRM_RATE, CONFIRM_SUBNET_RATE):
            return too_many_requests(request, wait)
        result = confirm_adoption(token, practice)
        context.update(status=result.status, adoption=result.adoption)
        return _page(request, "practices_atlas/adopt/result.html", context, RESULT_HTTP_STATUS[result.status])
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    adoption = find_adoption(token, practice)
    link = link_state(adoption)
    context["adoption"] = adoption
    if link == LinkState.VALID:
        return _page(request, "practices_atlas/adopt/confirm.html", context)
    if link == LinkState.USED:
        context["status"] = "already_confirmed" if adoption.status == adoption.State.CONFIRMED else adoption.status
    else:
        context["status"] = {LinkState.EXPIRED: "expired", LinkState.INVALID: "invalid"}[link]
    return _page(request, "practices_atlas/adopt/result.html", context, HTTP_STATUS[link])
