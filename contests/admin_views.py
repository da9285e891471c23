"""Admin views for organisers and the jury: scoring, vote audit and anomalies, annulment, exports.

Permissions (groups are set up in migration 0002):
- contests.score_entries      — «Жюри»: scores entries by the contest's criteria;
- contests.view_vote_audit    — «Организаторы конкурсов»: audit trail and anomalies;
- contests.annul_vote         — «Организаторы конкурсов»: annul votes with a reason;
- contests.export_contest     — «Организаторы конкурсов»: CSV/XLSX exports and the results file.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.db.models.functions import TruncHour
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.cache import invalidate_all
from core.exports import table_response

from .admin_forms import AnnulmentForm, JuryScoreForm
from .models import ContestEntryPage, ContestPage, JuryScore, JuryVisibility, Vote, VoteAnnulment
from .results import EXPORTS, publish_results_file
from .voting import FAST_CONFIRMATION, annul_votes, annullable_votes


def _require(request, *perms):
    if not any(request.user.has_perm(f"contests.{p}") for p in perms):
        raise PermissionDenied


def is_juror(user) -> bool:
    return user.has_perm("contests.score_entries")


def dashboard(request):
    _require(request, "score_entries", "view_vote_audit", "annul_vote", "export_contest")
    contests = ContestPage.objects.all().order_by("-voting_closes_at", "title")
    return render(
        request,
        "contests/admin/dashboard.html",
        {
            "contests": contests,
            "exports": EXPORTS,
            "can_score": is_juror(request.user),
            "can_audit": request.user.has_perm("contests.view_vote_audit"),
            "can_export": request.user.has_perm("contests.export_contest"),
        },
    )


# -- jury --------------------------------------------------------------------------------------


def _my_progress(contest, user):
    criteria_ids = list(contest.criteria.values_list("pk", flat=True))
    done = (
        JuryScore.objects.filter(entry__in=ContestEntryPage.objects.child_of(contest), juror=user)
        .values("entry_id")
        .annotate(n=Count("id"))
    )
    return {row["entry_id"]: row["n"] >= len(criteria_ids) for row in done}, criteria_ids


def jury_contest(request, contest_id):
    _require(request, "score_entries", "view_juryscore")
    contest = get_object_or_404(ContestPage, pk=contest_id)
    progress, criteria_ids = _my_progress(contest, request.user)
    entries = (
        ContestEntryPage.objects.child_of(contest)
        .select_related("nomination")
        .order_by("nomination__sort_order", "title")
    )
    rows = [(e, progress.get(e.pk, False)) for e in entries]
    return render(
        request,
        "contests/admin/jury_contest.html",
        {"contest": contest, "rows": rows, "criteria_count": len(criteria_ids), "can_score": is_juror(request.user)},
    )


def others_visible(contest, user_scored_all: bool) -> bool:
    if contest.jury_visibility == JuryVisibility.ALWAYS:
        return True
    if contest.jury_visibility == JuryVisibility.AFTER_SCORING:
        return user_scored_all
    return False


def jury_entry(request, entry_id):
    _require(request, "score_entries")
    entry = get_object_or_404(ContestEntryPage.objects.select_related("nomination"), pk=entry_id)
    contest = entry.contest
    form = JuryScoreForm(request.POST or None, entry=entry, juror=request.user)
    if request.method == "POST":
        if contest.results_published:
            messages.error(request, "Итоги уже опубликованы: оценки изменить нельзя.")
            return redirect("contests_admin_jury_entry", entry_id=entry.pk)
        if form.is_valid():
            form.save()
            messages.success(request, f"Оценки работы «{entry.title}» сохранены.")
            return redirect("contests_admin_jury_contest", contest_id=contest.pk)
        messages.error(request, "Оценки не сохранены: исправьте ошибки в полях.")
    others = []
    if others_visible(contest, form.scored_all):
        others = (
            JuryScore.objects.filter(entry=entry)
            .exclude(juror=request.user)
            .select_related("juror", "criterion")
            .order_by("juror__last_name", "criterion__sort_order")
        )
    return render(
        request,
        "contests/admin/jury_entry.html",
        {
            "entry": entry,
            "contest": contest,
            "form": form,
            "others": others,
            "others_rule": contest.get_jury_visibility_display(),
            "blind": contest.blind_review,
            "documents": entry.documents.select_related("document"),
        },
        status=400 if form.errors else 200,
    )


# -- audit and annulment -------------------------------------------------------------------------


def audit(request, contest_id, annul_form=None):
    _require(request, "view_vote_audit")
    contest = get_object_or_404(ContestPage, pk=contest_id)
    votes = Vote.objects.filter(contest=contest)
    confirmed = votes.filter(outcome=Vote.Outcome.CONFIRMED)
    per_hour = (
        confirmed.annotate(hour=TruncHour("completed_at"))
        .values("hour", "entry__title")
        .annotate(n=Count("id"))
        .order_by("-hour", "-n")[:200]
    )
    top_subnets = confirmed.values("subnet_hash").annotate(n=Count("id")).order_by("-n")[:15]
    top_uas = confirmed.values("ua_hash").annotate(n=Count("id")).order_by("-n")[:15]
    fast = (
        confirmed.filter(completed_at__lt=F("created_at") + FAST_CONFIRMATION)
        .select_related("entry")
        .order_by("-completed_at")[:100]
    )
    outcomes = votes.values("outcome").annotate(n=Count("id")).order_by("outcome")
    recent = votes.select_related("entry", "annulment").order_by("-created_at")[:100]
    preview = None
    if request.GET.get("preview"):
        preview = annullable_votes(contest, request.GET).count()
    can_annul = request.user.has_perm("contests.annul_vote")
    if can_annul and annul_form is None:
        annul_form = _annul_form(contest)
    return render(
        request,
        "contests/admin/audit.html",
        {
            "contest": contest,
            "per_hour": per_hour,
            "top_subnets": top_subnets,
            "top_uas": top_uas,
            "fast": fast,
            "fast_seconds": int(FAST_CONFIRMATION.total_seconds()),
            "outcomes": [(Vote.Outcome(o["outcome"]).label, o["n"]) for o in outcomes],
            "recent": recent,
            "preview": preview,
            "params": request.GET,
            "can_annul": can_annul,
            "annul_form": annul_form if can_annul else None,
            "annulments": VoteAnnulment.objects.filter(vote__contest=contest).select_related(
                "vote__entry", "annulled_by"
            )[:200],
        },
        status=400 if annul_form is not None and annul_form.errors else 200,
    )


def _annul_form(contest, data=None):
    return AnnulmentForm(data, contest=contest, fast_seconds=int(FAST_CONFIRMATION.total_seconds()))


@require_POST
def annul(request, contest_id):
    """Invalid input comes back on the audit page with Wagtail's field errors and everything typed kept."""
    _require(request, "annul_vote")
    contest = get_object_or_404(ContestPage, pk=contest_id)
    form = _annul_form(contest, request.POST)
    if not form.is_valid():
        messages.error(request, "Голоса не аннулированы: исправьте ошибки в форме.")
        return audit(request, contest.pk, annul_form=form)
    reason = form.cleaned_data["reason"]
    if form.cleaned_data.get("vote_id") is not None:
        votes = annullable_votes(contest, {}).filter(pk=form.cleaned_data["vote_id"])
    else:
        votes = annullable_votes(contest, form.conditions())
    count = annul_votes(contest, votes, reason, request.user)
    if count:
        messages.success(request, f"Аннулировано голосов: {count}. Они остаются в журнале и войдут в протокол.")
    else:
        messages.warning(request, "Подходящих засчитанных голосов не найдено, ничего не аннулировано.")
    return redirect("contests_admin_audit", contest_id=contest.pk)


# -- exports -----------------------------------------------------------------------------------


def export(request, contest_id, kind, fmt):
    _require(request, "export_contest")
    contest = get_object_or_404(ContestPage, pk=contest_id)
    if kind not in EXPORTS:
        return render(request, "contests/admin/dashboard.html", {"contests": []}, status=404)
    name, headers, rows = EXPORTS[kind][1](contest)
    return table_response(f"{contest.slug}-{name}", headers, rows, fmt=fmt)


@require_POST
def regenerate_results_file(request, contest_id):
    _require(request, "export_contest")
    contest = get_object_or_404(ContestPage, pk=contest_id)
    if contest.voting_state() != "closed":
        messages.error(request, "Файл итогов формируется после окончания голосования.")
    else:
        snapshot = publish_results_file(contest, force=True)
        invalidate_all()
        messages.success(request, f"Новая версия файла итогов сформирована, SHA-256 таблицы: {snapshot.table_sha256}")
    return redirect("contests_admin_dashboard")
