"""What a stage move changes in deliverables, the survey and judging, for
the confirmation page (programs.stages), and the one choice it offers: a
deliverable not yet due either closes with the move or stays open until its
due date. Registered from AssessmentsConfig.ready(): programs cannot import
this app.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentorship.models import Enrollment, StaffRole, StaffRoleKind
from programs.confirmation import Consequence, Option
from programs.evaluation_rules import Audience
from programs.models import Stage, SurveyQuestion
from programs.stages import register_consequences, register_effect

from .models import Requirement, Review, ReviewDecision, Submission
from .reminders_survey import DAYS_OPEN
from .survey import surveyed_participations

KEEP_OPEN = "early_deliverables"
KEEP, CLOSE = "keep", "close"
KEEP_OPEN_OPTION = Option(
    name=KEEP_OPEN,
    label=gettext_lazy("Deliverables not yet due"),
    choices=(
        (
            KEEP,
            gettext_lazy(
                "Keep them open until their due dates: students can still hand them in "
                "during the final evaluation, and are reminded as before"
            ),
        ),
        (CLOSE, gettext_lazy("Close them now, with the move")),
    ),
)


def requirements_with_missing(cycle):
    """The cycle's requirements, each with ``missing``: active students who have
    not handed in a version, and ``enrolled``. Two queries."""
    enrolled = Enrollment.objects.active().filter(cycle=cycle).count()
    requirements = list(
        Requirement.objects.filter(cycle=cycle)
        .select_related("kind")
        .annotate(
            handed_in=Count(
                "submissions__enrollment",
                distinct=True,
                filter=~Q(submissions__enrollment__status="withdrawn"),
            )
        )
    )
    for requirement in requirements:
        requirement.enrolled = enrolled
        requirement.missing = enrolled - requirement.handed_in
    return requirements


def _line(requirement):
    return _(
        "%(deliverable)s, due %(due)s: %(missing)s of %(enrolled)s students have not handed it in."
    ) % {
        "deliverable": requirement.kind.label,
        "due": formats.date_format(timezone.localtime(requirement.due_at), "DATE_FORMAT"),
        "missing": requirement.missing,
        "enrolled": requirement.enrolled,
    }


def _closing(cycle, now):
    requirements = requirements_with_missing(cycle)
    early = [r for r in requirements if r.due_at > now]
    past = [r for r in requirements if r.due_at <= now]
    if early:
        yield Consequence(
            ngettext(
                "%(count)s deliverable is not due yet and closes before its due date:",
                "%(count)s deliverables are not due yet and close before their due dates:",
                len(early),
            )
            % {"count": len(early)},
            names=tuple(_line(r) for r in early),
            warning=True,
            option=KEEP_OPEN_OPTION,
        )
    if past:
        missing = sum(r.missing for r in past)
        yield Consequence(
            ngettext(
                "Submissions close for %(count)s deliverable past its due date; its "
                "reminders stop (%(missing)s hand-ins missing):",
                "Submissions close for %(count)s deliverables past their due dates; their "
                "reminders stop (%(missing)s hand-ins missing):",
                len(past),
            )
            % {"count": len(past), "missing": missing},
            names=tuple(_line(r) for r in past),
        )


def _survey_opens(cycle):
    audiences = set(
        SurveyQuestion.objects.filter(program=cycle.program_id).values_list("audience", flat=True)
    )
    asked = {a: surveyed_participations(cycle, a).count() for a in Audience if a in audiences}
    if not asked:
        return
    yield Consequence(
        _(
            "The end-of-cycle survey opens (students asked: %(students)s, mentors asked: "
            "%(mentors)s); those who have not answered after %(days)s days are reminded by "
            "e-mail, once."
        )
        % {
            "students": asked.get(Audience.STUDENT, 0),
            "mentors": asked.get(Audience.MENTOR, 0),
            "days": DAYS_OPEN,
        }
    )


def _judging_opens(cycle):
    judges = StaffRole.objects.filter(program=cycle.program_id, role=StaffRoleKind.STEERING).count()
    yield Consequence(
        ngettext(
            "Judging opens to the %(count)s steering-group member.",
            "Judging opens to the %(count)s steering-group members.",
            judges,
        )
        % {"count": judges}
    )


def _kept_open_close(cycle):
    kept = Requirement.objects.filter(cycle=cycle, open_until_due=True).count()
    if kept:
        yield Consequence(
            ngettext(
                "%(count)s deliverable kept open until its due date closes now.",
                "%(count)s deliverables kept open until their due dates close now.",
                kept,
            )
            % {"count": kept},
            warning=True,
        )


def _reviews_stop(cycle):
    decided = Review.objects.filter(
        submission=OuterRef("pk"), decision__in=[ReviewDecision.ACCEPTED, ReviewDecision.RETURNED]
    )
    waiting = (
        Submission.objects.filter(requirement__cycle=cycle)
        .exclude(Exists(decided))
        .order_by()
        .values("requirement", "enrollment")
        .distinct()
        .count()
    )
    if waiting:
        yield Consequence(
            ngettext(
                "Mentors can no longer review deliverables: %(count)s hand-in has no decision yet.",
                "Mentors can no longer review deliverables: %(count)s hand-ins have no "
                "decision yet.",
                waiting,
            )
            % {"count": waiting},
            warning=True,
        )


@register_consequences
def deliverable_and_evaluation_consequences(cycle, to_stage):
    now = timezone.now()
    if to_stage == Stage.EVALUATION:
        yield from _closing(cycle, now)
        yield from _survey_opens(cycle)
        yield from _judging_opens(cycle)
    elif to_stage == Stage.REWARD:
        yield from _kept_open_close(cycle)
        yield Consequence(_("The survey closes; its figures stop changing."))
    elif to_stage == Stage.CLOSED:
        yield from _reviews_stop(cycle)


@register_effect(Stage.EVALUATION)
def keep_early_deliverables_open(*, cycle, by, choices):
    """Keep the deliverables not yet due open when the coordinator chose so;
    otherwise they close with the move, as before. The note names them."""
    early = Requirement.objects.filter(cycle=cycle, due_at__gt=timezone.now())
    names = ", ".join(str(r.kind.label) for r in early.select_related("kind"))
    if not names:
        return None
    if choices.get(KEEP_OPEN) == KEEP:
        early.update(open_until_due=True)
        return _("Kept open until due: %(names)s.") % {"names": names}
    return _("Closed before due: %(names)s.") % {"names": names}
