"""«Вопрос методисту» at /vopros-metodistu/: a consultation, not an appeal under 59-ФЗ.

Every bad input re-renders the form with Russian messages, the visitor's text and status 400;
too many posts get the form back with when to retry (429). A valid question is stored, its consent
recorded with the text version, and the e-mail to the subject's methodist leaves the request
through django-tasks.
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.mail import queue_email
from core.models import SiteSettings, Subject
from core.ratelimit import limited, refilled_form, retry_after, retry_message

from .forms import QuestionForm
from .models import Question, methodist_for

RATE = "5/10m"  # per address
SUBNET_RATE = "30/h"  # per /24 (one school's network behind NAT asks often)
SESSION_KEY = "methodists_question_sent"


def _context(request, form):
    return {
        "form": form,
        "gosuslugi_url": settings.GOSUSLUGI_APPEALS_URL,
        "has_subjects": Subject.objects.exists(),
    }


def _recipient(request, methodist) -> str:
    if methodist is not None and methodist.email:
        return methodist.email
    site_settings = SiteSettings.for_request(request)
    return site_settings.email or settings.SERVER_EMAIL


@require_http_methods(["GET", "HEAD", "POST"])
def question(request):
    if request.method == "POST":
        if wait := retry_after(request, "question", RATE, SUBNET_RATE):
            # The visitor's text comes back in the form (unvalidated), with when to retry.
            message = retry_message(wait, "С вашего адреса пришло слишком много вопросов подряд")
            context = _context(request, refilled_form(QuestionForm, request, message))
            return limited(render(request, "methodists/question_form.html", context), wait)
        form = QuestionForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            subject = data["subject"]
            methodist = methodist_for(subject)
            with transaction.atomic():
                consent = form.record_consent(request)
                item = Question.objects.create(
                    subject=subject,
                    methodist=methodist,
                    name=data["name"],
                    email=data["email"],
                    text=data["question"],
                    consent=consent,
                )
                queue_email(
                    _recipient(request, methodist),
                    f"Вопрос методисту № {item.pk}: {subject.name}",
                    "methodists/emails/question.txt",
                    {"question": item, "methodist": methodist},
                    purpose="question",
                )
            request.session[SESSION_KEY] = item.pk
            return redirect("methodists:question_sent")
        return render(request, "methodists/question_form.html", _context(request, form), status=400)

    initial = {}
    wanted = request.GET.get("predmet", "")
    if wanted:
        initial["subject"] = Subject.objects.filter(slug=wanted).first()
    return render(
        request, "methodists/question_form.html", _context(request, QuestionForm(initial=initial, request=request))
    )


@require_http_methods(["GET", "HEAD"])
def question_sent(request):
    pk = request.session.get(SESSION_KEY)
    item = Question.objects.select_related("subject", "methodist").filter(pk=pk).first() if pk else None
    if item is None:
        return redirect("methodists:question")
    return render(request, "methodists/question_sent.html", {"question": item})
