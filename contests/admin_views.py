"""Admin views for organisers and the jury: scoring, vote audit and anomalies, annulment, exports.

Permissions (groups are set up in migration 0002):
- contests.score_entries      — «Жюри»: scores entries by the contest's criteria;
- contests.view_vote_audit    — «Организаторы конкурсов»: audit trail and anomalies;
- contests.annul_vote         — «Организаторы конкурсов»: annul votes with a reason;
- contests.export_contest     — «Организаторы конкурсов»: CSV/XLSX exports and the results file.

The screens are views on Wagtail's generic base and its components (core/admin_ui.py): header with
breadcrumbs, tables, panels, dropdown buttons, Wagtail's form template and `{% formattedfield %}`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.db.models.functions import TruncHour
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, ButtonWithDropdown, ListingButton

from core.admin_ui import AdminPageView, LocalDateTimeColumn, table
from core.cache import invalidate_all
from core.exports import table_response

from .admin_forms import AnnulmentForm, JuryScoreForm
from .models import ContestEntryPage, ContestPage, JuryScore, JuryVisibility, Vote, VoteAnnulment
from .results import EXPORTS, publish_results_file
from .voting import FAST_CONFIRMATION, annul_votes, annullable_votes

DASHBOARD_TITLE = "Конкурсы: жюри и голоса"


def _require(request, *perms):
    if not any(request.user.has_perm(f"contests.{p}") for p in perms):
        raise PermissionDenied


def is_juror(user) -> bool:
    return user.has_perm("contests.score_entries")


def _dashboard_crumb():
    return [{"url": reverse("contests_admin_dashboard"), "label": DASHBOARD_TITLE}]


def _hour(value) -> str:
    return date_format(timezone.localtime(value), "d.m.Y H:00") if value else "—"


class ContestColumn(ButtonsColumnMixin, TitleColumn):
    """The contest's title with what this user may do with it underneath, as in Wagtail's listings."""

    def __init__(self, name, user, **kwargs):
        super().__init__(name, **kwargs)
        self.user = user

    def get_buttons(self, contest, parent_context):
        user = self.user
        buttons = [
            ListingButton(
                "Оценить работы" if is_juror(user) else "Оценки жюри",
                url=reverse("contests_admin_jury_contest", args=[contest.pk]),
                icon_name="form",
                priority=10,
            )
        ]
        if user.has_perm("contests.view_vote_audit") and contest.has_voting():
            buttons.append(
                ListingButton(
                    "Аудит и аннулирование",
                    url=reverse("contests_admin_audit", args=[contest.pk]),
                    icon_name="search",
                    priority=20,
                )
            )
        if user.has_perm("contests.export_contest"):
            downloads = [
                Button(
                    f"{label}: {fmt.upper()}",
                    url=reverse("contests_admin_export", args=[contest.pk, kind, fmt]),
                    icon_name="download",
                    priority=number,
                )
                for number, (kind, (label, _)) in enumerate(EXPORTS.items())
                for fmt in ("csv", "xlsx")
            ]
            if contest.voting_state() == "closed":
                # A POST: the button submits the form beside the table (results_file_forms).
                downloads.append(
                    Button(
                        "Сформировать новую версию файла итогов",
                        icon_name="resubmit",
                        attrs={"type": "submit", "form": f"results-file-{contest.pk}"},
                        priority=100,
                    )
                )
            buttons.append(
                ButtonWithDropdown(
                    "Выгрузки",
                    buttons=downloads,
                    icon_name="arrow-down",
                    classname="button button-small button-secondary",
                    priority=30,
                )
            )
        return buttons


class DashboardView(AdminPageView):
    template_name = "contests/admin/dashboard.html"
    page_title = DASHBOARD_TITLE
    header_icon = "trophy"

    def dispatch(self, request, *args, **kwargs):
        _require(request, "score_entries", "view_vote_audit", "annul_vote", "export_contest")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contests = list(ContestPage.objects.all().order_by("-voting_closes_at", "title"))
        context["contests"] = table(
            [
                ContestColumn("title", self.request.user, label="Конкурс"),
                Column("phase_label", label="Этап"),
                Column(
                    "voting",
                    label="Голосование",
                    accessor=lambda c: (
                        f"{date_format(timezone.localtime(c.voting_opens_at), 'd.m.Y H:i')} — "
                        f"{date_format(timezone.localtime(c.voting_closes_at), 'd.m.Y H:i')}"
                        if c.has_voting()
                        else "нет"
                    ),
                ),
            ],
            contests,
            caption=DASHBOARD_TITLE,
        )
        can_export = self.request.user.has_perm("contests.export_contest")
        context["results_file_forms"] = [c for c in contests if can_export and c.voting_state() == "closed"]
        return context


dashboard = DashboardView.as_view()


# -- jury --------------------------------------------------------------------------------------


def _my_progress(contest, user):
    criteria_ids = list(contest.criteria.values_list("pk", flat=True))
    done = (
        JuryScore.objects.filter(entry__in=ContestEntryPage.objects.child_of(contest), juror=user)
        .values("entry_id")
        .annotate(n=Count("id"))
    )
    return {row["entry_id"]: row["n"] >= len(criteria_ids) for row in done}, criteria_ids


class JuryContestView(AdminPageView):
    template_name = "contests/admin/jury_contest.html"
    page_title = "Жюри"
    header_icon = "trophy"

    def dispatch(self, request, *args, contest_id, **kwargs):
        _require(request, "score_entries", "view_juryscore")
        self.contest = get_object_or_404(ContestPage, pk=contest_id)
        return super().dispatch(request, *args, contest_id=contest_id, **kwargs)

    def get_page_subtitle(self):
        return self.contest.title

    def parent_breadcrumbs(self):
        return _dashboard_crumb()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contest = self.contest
        progress, criteria_ids = _my_progress(contest, self.request.user)
        entries = (
            ContestEntryPage.objects.child_of(contest)
            .select_related("nomination")
            .order_by("nomination__sort_order", "title")
        )
        can_score = is_juror(self.request.user)
        columns = [
            TitleColumn(
                "title",
                label="Работа",
                get_url=lambda e: reverse("contests_admin_jury_entry", args=[e.pk]) if can_score else None,
            ),
            Column("nomination", label="Номинация"),
        ]
        if not contest.blind_review:
            columns.append(
                Column(
                    "authors", label="Авторы", accessor=lambda e: ", ".join(p for p in (e.authors, e.organisation) if p)
                )
            )
        columns.append(
            Column("done", label="Моя оценка", accessor=lambda e: "выставлена" if progress.get(e.pk) else "нет")
        )
        context.update(
            contest=contest,
            criteria_count=len(criteria_ids),
            entries=table(columns, entries, caption=f"Работы конкурса «{contest.title}»"),
        )
        return context


jury_contest = JuryContestView.as_view()


def others_visible(contest, user_scored_all: bool) -> bool:
    if contest.jury_visibility == JuryVisibility.ALWAYS:
        return True
    if contest.jury_visibility == JuryVisibility.AFTER_SCORING:
        return user_scored_all
    return False


class JuryEntryView(WagtailAdminTemplateMixin, FormView):
    """A juror's scores for one entry, in Wagtail's form template (footer action bar, unsaved-changes
    warning, `{% formattedfield %}`)."""

    template_name = "contests/admin/jury_entry.html"
    header_icon = "trophy"

    def dispatch(self, request, *args, entry_id, **kwargs):
        _require(request, "score_entries")
        self.entry = get_object_or_404(ContestEntryPage.objects.select_related("nomination"), pk=entry_id)
        self.contest = self.entry.contest
        return super().dispatch(request, *args, entry_id=entry_id, **kwargs)

    page_title = "Оценка работы"

    def get_page_subtitle(self):
        return self.entry.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            *_dashboard_crumb(),
            {"url": reverse("contests_admin_jury_contest", args=[self.contest.pk]), "label": self.contest.title},
            {"url": "", "label": self.entry.title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "entry": self.entry, "juror": self.request.user}

    def get_form_class(self):
        return JuryScoreForm

    def post(self, request, *args, **kwargs):
        if self.contest.results_published:
            messages.error(request, "Итоги уже опубликованы: оценки изменить нельзя.")
            return redirect("contests_admin_jury_entry", entry_id=self.entry.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, f"Оценки работы «{self.entry.title}» сохранены.")
        return redirect("contests_admin_jury_contest", contest_id=self.contest.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Оценки не сохранены: исправьте ошибки в полях.")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contest, entry = self.contest, self.entry
        others = []
        if others_visible(contest, context["form"].scored_all):
            others = (
                JuryScore.objects.filter(entry=entry)
                .exclude(juror=self.request.user)
                .select_related("juror", "criterion")
                .order_by("juror__last_name", "criterion__sort_order")
            )
        context.update(
            entry=entry,
            contest=contest,
            blind=contest.blind_review,
            documents=entry.documents.select_related("document"),
            others_rule=contest.get_jury_visibility_display(),
            others=table(
                [
                    Column(
                        "juror", label="Член жюри", accessor=lambda s: s.juror.get_full_name() or s.juror.get_username()
                    ),
                    Column("criterion", label="Критерий", accessor="criterion.title"),
                    Column("points", label="Баллы"),
                    Column("comment", label="Комментарий"),
                ],
                others,
                caption="Оценки других членов жюри",
            ),
            action_url=self.request.path,
            submit_button_label="Сохранить оценки",
            submit_button_active_label="Сохранение…",
        )
        return context


jury_entry = JuryEntryView.as_view()


# -- audit and annulment -------------------------------------------------------------------------


class AuditView(AdminPageView):
    template_name = "contests/admin/audit.html"
    page_title = "Аудит голосования"
    header_icon = "trophy"

    annul_form = None  # an invalid annulment form sent back with its errors (annul())

    def dispatch(self, request, *args, contest_id, **kwargs):
        self.prepare(request, contest_id)
        return super().dispatch(request, *args, contest_id=contest_id, **kwargs)

    def prepare(self, request, contest_id):
        _require(request, "view_vote_audit")
        self.contest = get_object_or_404(ContestPage, pk=contest_id)

    def get_page_subtitle(self):
        return self.contest.title

    def parent_breadcrumbs(self):
        return _dashboard_crumb()

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        form = context["annul_form"]
        return self.render_to_response(context, status=400 if form is not None and form.errors else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contest, request = self.contest, self.request
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
        can_annul = request.user.has_perm("contests.annul_vote")
        annul_form = self.annul_form
        if can_annul and annul_form is None:
            annul_form = _annul_form(contest)
        fast_seconds = int(FAST_CONFIRMATION.total_seconds())
        context.update(
            contest=contest,
            fast_seconds=fast_seconds,
            preview=annullable_votes(contest, request.GET).count() if request.GET.get("preview") else None,
            annul_form=annul_form if can_annul else None,
            outcomes=table(
                [Column("label", label="Состояние"), Column("n", label="Голосов")],
                [{"label": Vote.Outcome(o["outcome"]).label, "n": o["n"]} for o in outcomes],
                caption="Голоса по состояниям",
            ),
            per_hour=table(
                [
                    Column("hour", label="Час", accessor=lambda row: _hour(row["hour"])),
                    Column("entry__title", label="Работа"),
                    Column("n", label="Подтверждено"),
                ],
                per_hour,
                caption="Голоса по часам и работам",
            ),
            top_subnets=table(
                [
                    Column("subnet", label="Хеш подсети", accessor=lambda row: row["subnet_hash"][:16]),
                    Column("n", label="Голосов"),
                ],
                top_subnets,
                caption="Подсети с наибольшим числом голосов",
            ),
            top_uas=table(
                [
                    Column("ua", label="Хеш User-Agent", accessor=lambda row: row["ua_hash"][:16]),
                    Column("n", label="Голосов"),
                ],
                top_uas,
                caption="Браузеры с наибольшим числом голосов",
            ),
            fast=table(
                [
                    Column("pk", label="Голос №"),
                    Column("entry", label="Работа", accessor="entry.title"),
                    LocalDateTimeColumn("created_at", label="Запрошен", seconds=True),
                    Column("confirmation_delay", label="Задержка"),
                ],
                fast,
                caption=f"Подтверждения быстрее {fast_seconds} секунд",
            ),
            annulments=table(
                [
                    Column("vote_id", label="Голос №"),
                    Column("entry", label="Работа", accessor="vote.entry.title"),
                    LocalDateTimeColumn("annulled_at", label="Когда"),
                    Column(
                        "annulled_by",
                        label="Кем",
                        accessor=lambda a: (
                            (a.annulled_by.get_full_name() or a.annulled_by.get_username()) if a.annulled_by else "—"
                        ),
                    ),
                    Column("reason", label="Причина"),
                ],
                VoteAnnulment.objects.filter(vote__contest=contest).select_related("vote__entry", "annulled_by")[:200],
                caption="Журнал аннулирования",
            ),
            recent=table(
                [
                    Column("pk", label="№"),
                    Column("entry", label="Работа", accessor="entry.title"),
                    LocalDateTimeColumn("created_at", label="Запрошен", seconds=True),
                    Column(
                        "outcome",
                        label="Состояние",
                        accessor=lambda v: v.get_outcome_display() + (" (аннулирован)" if _annulled(v) else ""),
                    ),
                    Column(
                        "delay",
                        label="Задержка подтверждения",
                        accessor=lambda v: v.confirmation_delay if v.confirmation_delay is not None else "—",
                    ),
                    Column("subnet", label="Подсеть", accessor=lambda v: v.subnet_hash[:10]),
                    Column("ua", label="UA", accessor=lambda v: v.ua_hash[:10]),
                ],
                recent,
                caption="Последние голоса (журнал)",
            ),
        )
        return context


def _annulled(vote) -> bool:
    try:
        return vote.annulment is not None
    except VoteAnnulment.DoesNotExist:
        return False


audit = AuditView.as_view()


def audit_with_errors(request, contest_id, form):
    """The audit page (status 400) with the annulment form as sent, its errors and everything typed."""
    view = AuditView(annul_form=form)
    view.setup(request, contest_id=contest_id)
    view.prepare(request, contest_id)
    return view.get(request, contest_id=contest_id)


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
        return audit_with_errors(request, contest.pk, form)
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
        raise Http404("Такой выгрузки нет.")
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
