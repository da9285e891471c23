"""The final ranking: normalised jury score and public votes combined by the contest's weights.

Arithmetic (exact, with fractions; rounded only for display):
- a juror's score for an entry = Σ weight·points/max_points over criteria ÷ Σ weights  (0…1);
  criteria the juror did not score count as 0 once he has scored any criterion of the entry;
- the entry's jury score = mean over the jurors who scored it, × 100  (0…100);
- the public score = entry's counted votes ÷ the most votes in its nomination × 100  (0…100;
  0 for everyone when the nomination has no votes);
- final = (jury_weight · jury + public_weight · public) / 100.
Places are given per nomination. Equal final scores are ordered by the contest's declared tie rule
(jury first, or votes first); entries still equal on every key share the place (1, 1, 3).
"""

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class RankedEntry:
    entry_id: int
    title: str
    nomination_id: int
    votes: int = 0
    jury: Fraction = Fraction(0)
    public: Fraction = Fraction(0)
    final: Fraction = Fraction(0)
    jurors: int = 0
    place: int = 0
    extra: dict = field(default_factory=dict)

    @staticmethod
    def show(value: Fraction) -> str:
        return f"{float(value):.2f}".replace(".", ",")


def juror_score(points: dict[int, Fraction], criteria: dict[int, tuple[int, Fraction]]) -> Fraction:
    """points: criterion id → points; criteria: id → (max_points, weight). Returns 0…1."""
    total_weight = sum((w for _, w in criteria.values()), Fraction(0))
    if not total_weight:
        return Fraction(0)
    acc = Fraction(0)
    for cid, (max_points, weight) in criteria.items():
        value = min(Fraction(points.get(cid, 0)), Fraction(max_points))
        acc += weight * value / max_points
    return acc / total_weight


def tie_key(item: RankedEntry, rule: str):
    if rule == "jury":
        return (item.final, item.jury, item.votes)
    if rule == "public":
        return (item.final, item.votes, item.jury)
    return (item.final,)


def rank(
    entries: list[RankedEntry],
    scores: dict[int, dict[int, dict[int, Fraction]]],
    criteria: dict[int, tuple[int, Fraction]],
    jury_weight: int,
    tie_rule: str,
) -> dict[int, list[RankedEntry]]:
    """entries carry votes; scores: entry → juror → criterion → points. Returns nomination → ranked list."""
    public_weight = 100 - jury_weight
    by_nomination: dict[int, list[RankedEntry]] = {}
    for item in entries:
        by_nomination.setdefault(item.nomination_id, []).append(item)
    for items in by_nomination.values():
        top_votes = max((i.votes for i in items), default=0)
        for item in items:
            per_juror = [juror_score(points, criteria) for points in scores.get(item.entry_id, {}).values()]
            item.jurors = len(per_juror)
            item.jury = (sum(per_juror, Fraction(0)) / len(per_juror) * 100) if per_juror else Fraction(0)
            item.public = Fraction(item.votes * 100, top_votes) if top_votes else Fraction(0)
            item.final = (jury_weight * item.jury + public_weight * item.public) / 100
        items.sort(key=lambda i: (tuple(-k for k in tie_key(i, tie_rule)), i.title))
        previous = None
        for position, item in enumerate(items, start=1):
            key = tie_key(item, tie_rule)
            item.place = previous[1] if previous and previous[0] == key else position
            previous = (key, item.place)
    return by_nomination


def contest_ranking(contest) -> list[tuple[object, list[RankedEntry]]]:
    """Loads everything for one contest in a handful of queries and ranks it."""
    from .models import ContestEntryPage, JuryScore
    from .voting import count_votes

    counts = count_votes(contest.pk)
    criteria = {c.pk: (c.max_points, Fraction(c.weight)) for c in contest.criteria.all()}
    entries = [
        RankedEntry(
            entry_id=e.pk,
            title=e.title,
            nomination_id=e.nomination_id,
            votes=counts.get(e.pk, 0),
            extra={"authors": e.authors, "organisation": e.organisation, "url": e.url},
        )
        for e in ContestEntryPage.objects.child_of(contest)
        .live()
        .only("pk", "title", "nomination_id", "authors", "organisation", "url_path", "path", "depth")
    ]
    scores: dict[int, dict[int, dict[int, Fraction]]] = {}
    for score in JuryScore.objects.filter(entry__in=[e.entry_id for e in entries], criterion_id__in=criteria):
        scores.setdefault(score.entry_id, {}).setdefault(score.juror_id, {})[score.criterion_id] = Fraction(
            score.points
        )
    ranked = rank(entries, scores, criteria, contest.jury_weight, contest.tie_rule)
    return [(n, ranked.get(n.pk, [])) for n in contest.nominations.all()]
