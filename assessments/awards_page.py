"""What the awards page of a cycle shows: one page of candidates (PER_PAGE,
in category then rank order, narrowed by category or decision) with their
totals and decisions, grouped by category with each category's counts, and the
evaluated subjects one may add by hand. A fixed number of queries whatever the
cycle's size."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.models import AwardCategory

from .awards import quota_of
from .evaluation_review import NAMES, RELATED, display_name
from .models import Award, AwardDecision, Standing
from .models.subjects import SUBJECT_FIELDS

ADD_CHOICES = 100  # best-ranked subjects offered to add, after a search if any
PER_PAGE = 50  # candidates a page: its decisions form stays small whatever the cycle's size


@dataclass
class CategoryBlock:
    category: AwardCategory
    quota_text: str
    awards: list = field(default_factory=list)
    add_form: object = None
    total: int = 0  # candidates in the category, on every page
    pending: int = 0  # of them, still to decide


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


def ranked(evaluation):
    """The award rows of ``evaluation`` with ``rank`` and ``total``, in
    category then rank order (a queryset, to narrow and page)."""
    return (
        Award.objects.filter(evaluation=evaluation)
        .select_related("decided_by", *RELATED.values())
        .annotate(
            rank=_standing(OuterRef("evaluation"), "rank"),
            total=_standing(OuterRef("evaluation"), "total"),
        )
        .order_by("category", "rank", "pk")
    )


def named(awards):
    """``awards`` (an iterable of ``ranked``) as a list, each with its ``name``."""
    rows = list(awards)
    for award in rows:
        award.name = display_name(award.subject_object)
    return rows


def candidates(evaluation):
    """Every award row of ``evaluation`` with ``rank``, ``total`` and ``name``,
    in category then rank order (one query)."""
    return named(ranked(evaluation))


def page_of(evaluation, number, *, category=None, decision=None):
    """One page of ``ranked`` candidates, of ``category`` (an id) and with
    ``decision`` when given (two queries: the count and the page)."""
    awards = ranked(evaluation)
    if category is not None:
        awards = awards.filter(category=category)
    if decision is not None:
        awards = awards.filter(decision=decision)
    return Paginator(awards, PER_PAGE).get_page(number)


def counts(evaluation):
    """{category id: (candidates, still to decide)} (one query)."""
    rows = (
        Award.objects.filter(evaluation=evaluation)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"), pending=Count("pk", filter=Q(decision=AwardDecision.PENDING)))
    )
    return {category: (n, pending) for category, n, pending in rows}


def unpublished_count(evaluation):
    """Confirmed awards of ``evaluation`` not published yet (one query)."""
    return Award.objects.filter(
        evaluation=evaluation, decision=AwardDecision.CONFIRMED, published_at__isnull=True
    ).count()


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


def blocks(evaluation, categories, awards):
    """One CategoryBlock per category with its candidates among ``awards``
    (a page of them) and its counts over all."""
    evaluated = evaluated_count(evaluation)
    per_category = counts(evaluation)
    by_category = {
        category.pk: CategoryBlock(
            category,
            quota_text(category, evaluated.get(category.subject, 0)),
            total=per_category.get(category.pk, (0, 0))[0],
            pending=per_category.get(category.pk, (0, 0))[1],
        )
        for category in categories
    }
    for award in awards:
        by_category[award.category_id].awards.append(award)
    return list(by_category.values())
