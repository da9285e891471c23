"""«Проверь себя» without JavaScript: GET shows the questions, POST the same page with the score and, per
question, the answer given, whether it was right, the explanation and the memo. No session, no cookie of its
own, no personal data: each answer only adds one to its option's count."""

from django.template.response import TemplateResponse

from .models import QuizAnswerCount


def serve_quiz(page, request, default_serve):
    if request.method != "POST":
        return default_serve(request)
    questions = list(page.questions.select_related("material").order_by("sort_order", "pk"))
    results = []
    score = 0
    for question in questions:
        chosen = request.POST.get(f"q{question.pk}", "")
        valid = dict(question.options)
        if chosen not in valid:
            chosen = ""
        else:
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
