"""«Проверь себя» without JavaScript: GET shows the questions, POST the same page with the score and, per
question, the answer given, whether it was right, the explanation and the memo. No session, no cookie of its
own, no personal data: each answer only adds one to its option's count.

The counts are rate limited per address and subnet (a script must not rewrite the statistics methodists
read), but a limited visitor still gets the answers checked: a class behind one school address must never
be refused its feedback, only its answers beyond the limit go uncounted."""

from django.template.response import TemplateResponse

from core.ratelimit import retry_after

from .models import QuizAnswerCount

COUNT_RATE = "60/5m"  # a class of 30 answering twice in five minutes from one NAT address
COUNT_SUBNET_RATE = "600/h"


def serve_quiz(page, request, default_serve):
    if request.method != "POST":
        return default_serve(request)
    questions = list(page.questions.select_related("material").order_by("sort_order", "pk"))
    counted = not retry_after(request, "safe-internet-quiz", COUNT_RATE, COUNT_SUBNET_RATE)
    results = []
    score = 0
    for question in questions:
        chosen = request.POST.get(f"q{question.pk}", "")
        valid = dict(question.options)
        if chosen not in valid:
            chosen = ""
        elif counted:
            QuizAnswerCount.record(question.pk, chosen)
        right = chosen == question.correct
        score += right
        results.append(
            {
                "question": question,
                "chosen": chosen,
                "chosen_text": valid.get(chosen, ""),
                "right": right,
                "correct_text": valid.get(question.correct, ""),
            }
        )
    context = page.get_context(request)
    context.update({"results": results, "score": score, "total": len(questions)})
    return TemplateResponse(request, page.get_template(request), context)
