"""What the awards page of a cycle shows: per category its candidates in
rank order with their totals and decisions, and the evaluated subjects one may
add by hand. A fixed number of queries whatever the cycle's size."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.models import AwardCategory

from .awards import quota_of
from .evaluation_review import NAMES, RELATED, display_name
from .models import Award, AwardDecision, Standing
from .models.subjects import SUBJECT_FIELDS

ADD_CHOICES = 100  # best-ranked subjects offered to add, after a search if any


@dataclass
class CategoryBlock:
    category: AwardCategory
    quota_text: str
    awards: list = field(default_factory=list)
    add_form: object = None


def _standing(evaluation_ref, value):
    """Coalesce of the subject's Standing ``value``, whichever key it has."""
    return Coalesce(
        *[
            Subquery(
                Standing.objects.filter(evaluation=evaluation_ref, **{key: OuterRef(key)}).values(
                    value
                )[:1]
            )
            for key in SUBJECT_FIELDS.values()
        ]
    )


def candidates(evaluation):
    """Every award row of ``evaluation`` with ``rank``, ``total`` and ``name``,
    in category then rank order (one query)."""
    awards = (
        Award.objects.filter(evaluation=evaluation)
        .select_related("decided_by", *RELATED.values())
        .annotate(
            rank=_standing(OuterRef("evaluation"), "rank"),
            total=_standing(OuterRef("evaluation"), "total"),
        )
        .order_by("category", "rank", "pk")
    )
    rows = list(awards)
    for award in rows:
        award.name = display_name(award.subject_object)
    return rows


def evaluated_count(evaluation):
    """{subject: number of ranked subjects} (one query)."""
    rows = (
        Standing.objects.filter(evaluation=evaluation, rank__isnull=False)
        .order_by()
        .values_list("subject")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def quota_text(category, evaluated):
    quota = quota_of(category, evaluated)
    if quota is None:
        return _(
            "No quota: nobody is proposed. Set one in the program's award categories "
            "(admin → Programs), or the steering group adds recipients by hand."
        )
    if category.quota_percent is not None:
        return ngettext(
            "Quota %(percent)s%% of %(evaluated)s evaluated: %(quota)s award.",
            "Quota %(percent)s%% of %(evaluated)s evaluated: %(quota)s awards.",
            quota,
        ) % {"percent": category.quota_percent, "evaluated": evaluated, "quota": quota}
    return ngettext("Quota: %(quota)s award.", "Quota: %(quota)s awards.", quota) % {"quota": quota}


def addable(evaluation, category, search=""):
    """[(subject id, label)] of ranked subjects not yet candidates in
    ``category``, best first, at most ADD_CHOICES (one query)."""
    key = SUBJECT_FIELDS[category.subject]
    listed = Award.objects.filter(evaluation=evaluation, category=category, **{key: OuterRef(key)})
    standings = (
        Standing.objects.filter(evaluation=evaluation, subject=category.subject)
        .filter(rank__isnull=False)
        .exclude(Exists(listed))
        .select_related(RELATED[category.subject])
        .order_by("rank", "pk")
    )
    if search:
        standings = standings.filter(**{f"{NAMES[category.subject]}__icontains": search})
    return [
        (
            standing.subject_id,
            _("%(name)s (rank %(rank)s)")
            % {"name": display_name(standing.subject_object), "rank": standing.rank},
        )
        for standing in standings[:ADD_CHOICES]
    ]


def blocks(evaluation, categories):
    """One CategoryBlock per category with its candidates."""
    counts = evaluated_count(evaluation)
    by_category = {
        category.pk: CategoryBlock(category, quota_text(category, counts.get(category.subject, 0)))
        for category in categories
    }
    for award in candidates(evaluation):
        by_category[award.category_id].awards.append(award)
    return list(by_category.values())


def summary(awards):
    """(to decide, confirmed not yet published) among ``awards``."""
    pending = sum(a.decision == AwardDecision.PENDING for a in awards)
    unpublished = sum(
        a.decision == AwardDecision.CONFIRMED and a.published_at is None for a in awards
    )
    return pending, unpublished
