"""What a judging page shows: one page of students, mentors or groups, each
with a few facts that help judging and, per judged criterion, what the
reader may see of the judgments. A fixed number of queries per page."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mentorship.models import LEADER_ROLES, GroupMembership, GroupRole
from programs.models import AwardSubject

from .forms_judging import comment_name, score_name
from .judging import judged_subjects
from .models import Judgment
from .models.subjects import SUBJECT_FIELDS

PER_PAGE = 50

NAME_ORDER = {
    AwardSubject.STUDENT: ("student__user__full_name", "pk"),
    AwardSubject.MENTOR: ("mentor__user__full_name", "pk"),
    AwardSubject.GROUP: ("name", "pk"),
}
SEARCH = {
    AwardSubject.STUDENT: ("student__user__full_name", "student__student_number"),
    AwardSubject.MENTOR: ("mentor__user__full_name", "mentor__organisation"),
    AwardSubject.GROUP: ("name", "focus"),
}


@dataclass
class Cell:
    criterion: object
    score: object = None  # bound fields while the reader may edit
    comment: object = None
    mine: object = None  # the reader's own judgment
    everyone: list = field(default_factory=list)  # every judge's, once finalized
    judges: int = 0  # how many judges scored, when only that may be shown


@dataclass
class Row:
    subject: object
    name: str
    facts: list  # (label, value)
    cells: list


def _group_of(person_field):
    memberships = GroupMembership.objects.filter(
        **{person_field: OuterRef(person_field)},
        group__cycle=OuterRef("cycle"),
        published_at__isnull=False,
    ).order_by("group__name")
    return Subquery(memberships.values("group__name")[:1])


def subjects(cycle, kind, *, search=""):
    """The ``kind`` subjects of ``cycle`` with what their facts need, by name."""
    queryset = judged_subjects(cycle, kind)
    if kind == AwardSubject.STUDENT:
        queryset = queryset.select_related(
            "student__user", "match__engagement__mentor__user"
        ).annotate(group_name=_group_of("student"))
    elif kind == AwardSubject.MENTOR:
        queryset = queryset.select_related("mentor__user").annotate(
            group_name=_group_of("mentor"), student_count=Count("matches")
        )
    else:
        leaders = GroupMembership.objects.filter(role__in=LEADER_ROLES).select_related(
            "mentor__user"
        )
        queryset = queryset.annotate(
            student_count=Count("memberships", filter=Q(memberships__role=GroupRole.STUDENT))
        ).prefetch_related(Prefetch("memberships", queryset=leaders, to_attr="leaders"))
    if search:
        matches = Q()
        for lookup in SEARCH[kind]:
            matches |= Q(**{f"{lookup}__icontains": search})
        queryset = queryset.filter(matches)
    return queryset.order_by(*NAME_ORDER[kind])


def left_to_score(queryset, kind, *, evaluation, judge, criteria):
    """``queryset`` narrowed to subjects ``judge`` has not scored on every one of ``criteria``."""
    if evaluation.pk is None:
        return queryset
    field_name = SUBJECT_FIELDS[kind]
    mine = (
        Judgment.objects.filter(
            evaluation=evaluation,
            judge=judge,
            criterion__in=criteria,
            **{field_name: OuterRef("pk")},
        )
        .values(field_name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        my_count=Coalesce(Subquery(mine, output_field=IntegerField()), Value(0))
    ).filter(my_count__lt=len(criteria))


def paginate(queryset, number):
    return Paginator(queryset, PER_PAGE).get_page(number)


def _name(subject, kind):
    if kind == AwardSubject.STUDENT:
        return str(subject.student.user)
    if kind == AwardSubject.MENTOR:
        return str(subject.mentor.user)
    return subject.name


def _facts(subject, kind):
    if kind == AwardSubject.STUDENT:
        match = getattr(subject, "match", None)
        return [
            (_("student number"), subject.student.student_number),
            (_("major"), subject.student.major),
            (_("mentor"), match.engagement.mentor.user if match else None),
            (_("group"), subject.group_name),
        ]
    if kind == AwardSubject.MENTOR:
        return [
            (_("organisation"), subject.mentor.organisation),
            (_("students"), subject.student_count),
            (_("group"), subject.group_name),
        ]
    return [
        (_("kind"), subject.get_kind_display()),
        (_("leaders"), ", ".join(str(m.mentor.user) for m in subject.leaders) or None),
        (_("students"), subject.student_count),
    ]


def judgments_of(evaluation, kind, subject_ids, **filters):
    """The judgments of ``evaluation`` on these ``kind`` subjects, by
    (criterion id, subject id): lists of judgments with their judges."""
    found = {}
    if evaluation.pk is None or not subject_ids:
        return found
    rows = Judgment.objects.filter(
        evaluation=evaluation, subject=kind, **{f"{SUBJECT_FIELDS[kind]}__in": subject_ids}
    ).filter(**filters)
    for judgment in rows.select_related("judge").order_by("judge__full_name", "pk"):
        found.setdefault((judgment.criterion_id, judgment.subject_id), []).append(judgment)
    return found


def judge_counts(evaluation, kind, subject_ids):
    """How many judges scored each (criterion id, subject id), and nothing else."""
    if evaluation.pk is None or not subject_ids:
        return {}
    field_name = SUBJECT_FIELDS[kind]
    rows = (
        Judgment.objects.filter(evaluation=evaluation, **{f"{field_name}__in": subject_ids})
        .values("criterion_id", field_name)
        .annotate(n=Count("judge", distinct=True))
    )
    return {(row["criterion_id"], row[field_name]): row["n"] for row in rows}


def build_rows(page_subjects, kind, criteria, *, form=None, mine=None, everyone=None, counts=None):
    """Rows for the template. ``mine``/``everyone``: lists by (criterion id,
    subject id) as judgments_of gives; ``counts`` as judge_counts gives."""
    rows = []
    for subject in page_subjects:
        cells = []
        for criterion in criteria:
            key = (criterion.pk, subject.pk)
            own = (mine or {}).get(key)
            cells.append(
                Cell(
                    criterion=criterion,
                    score=form[score_name(subject.pk, criterion.pk)] if form else None,
                    comment=form[comment_name(subject.pk, criterion.pk)] if form else None,
                    mine=own[0] if own else None,
                    everyone=(everyone or {}).get(key, []),
                    judges=(counts or {}).get(key, 0),
                )
            )
        rows.append(Row(subject, _name(subject, kind), _facts(subject, kind), cells))
    return rows
