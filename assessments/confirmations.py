"""The confirmations (programs.confirmation) of this app's irreversible steps:
finalizing the evaluation, with the steering group's judging progress, and
publishing the awards, with who is told. Built afresh for the page and for
the final POST alike."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship.models import StaffRole, StaffRoleKind
from programs.confirmation import Confirmation, Consequence
from programs.models import AwardSubject

from . import awards_page
from .awards import _group_members, pending_count, recipient_ids
from .evaluation_finalize import finalize_refusal
from .judging import evaluation_of, judging_progress
from .models import AwardDecision


def judging_completion(cycle, evaluation):
    """(entered, expected, per judge lines) of the cycle's judgments: every
    steering member of the program is expected to score every judged subject
    on every judged criterion. A few queries per steering member."""
    evaluation = evaluation or evaluation_of(cycle)
    evaluation.cycle = cycle
    judges = (
        StaffRole.objects.filter(program=cycle.program_id, role=StaffRoleKind.STEERING)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    entered = expected = 0
    lines = []
    for role in judges:
        progress = judging_progress(evaluation, role.user)
        entered, expected = entered + progress.scored, expected + progress.to_score
        lines.append(
            _("%(judge)s: %(done)s of %(total)s")
            % {"judge": role.user, "done": progress.scored, "total": progress.to_score}
        )
    return entered, expected, tuple(lines)


def finalize_confirmation(cycle, evaluation, *, back_url):
    refusal = finalize_refusal(evaluation, cycle)
    consequences = [
        Consequence(
            _(
                "The scores, totals and ranks of students, mentors and groups can no longer "
                "be re-computed."
            )
        ),
        Consequence(
            _(
                "The steering members can no longer add, change or withdraw a judgment, and "
                "every judge's scores become visible to all who see this evaluation."
            )
        ),
        Consequence(
            _(
                "The cycle may then move on to the reward stage, where awards are proposed "
                "from these standings."
            )
        ),
    ]
    acknowledge = ""
    if not refusal:
        entered, expected, lines = judging_completion(cycle, evaluation)
        incomplete = entered < expected
        consequences.insert(
            0,
            Consequence(
                ngettext(
                    "%(entered)s of %(expected)s judgment entered by the steering group.",
                    "%(entered)s of %(expected)s judgments entered by the steering group.",
                    expected,
                )
                % {"entered": entered, "expected": expected},
                names=lines,
                warning=incomplete,
            ),
        )
        if incomplete:
            acknowledge = _(
                "Judging is incomplete (%(entered)s of %(expected)s judgments entered): "
                "finalize anyway; the missing judgments can never be added."
            ) % {"entered": entered, "expected": expected}
    intro = _("Finalizing freezes the evaluation of %(cycle)s as it was last computed.") % {
        "cycle": cycle
    }
    if evaluation is not None and evaluation.computed_at:
        intro += " " + _("Last computed %(when)s by %(by)s.") % {
            "when": formats.date_format(
                timezone.localtime(evaluation.computed_at), "DATETIME_FORMAT"
            ),
            "by": evaluation.computed_by,
        }
    return Confirmation(
        title=_("Finalize the evaluation of %(cycle)s") % {"cycle": cycle},
        intro=intro,
        consequences=consequences,
        refusals=[refusal] if refusal else [],
        acknowledge=acknowledge,
        submit_label=_("Yes, finalize"),
        back_url=back_url,
    )


def publish_confirmation(cycle, evaluation, closed, *, back_url):
    """Publishing the confirmed awards of ``cycle``'s ``evaluation`` (None:
    there is none); ``closed`` is why the awards may not change now, or None."""
    refusals = [closed] if closed else []
    awards = []
    if evaluation is not None and not closed:
        pending = pending_count(evaluation)
        if pending:
            refusals.append(
                ngettext(
                    "%(count)d candidate is still to be decided.",
                    "%(count)d candidates are still to be decided.",
                    pending,
                )
                % {"count": pending}
            )
        awards = [
            a
            for a in awards_page.candidates(evaluation)
            if a.decision == AwardDecision.CONFIRMED and not a.published_at
        ]
        if not awards and not refusals:
            refusals.append(_("Nothing new to publish."))
    members = _group_members([a.group_id for a in awards if a.subject == AwardSubject.GROUP])
    people = {user for award in awards for user in recipient_ids(award, members)}
    mentors = sum(a.subject == AwardSubject.MENTOR for a in awards)
    consequences = [
        Consequence(
            ngettext(
                "%(count)s award is published:",
                "%(count)s awards are published:",
                len(awards),
            )
            % {"count": len(awards)},
            names=tuple(f"{a.category.label}: {a.name}" for a in awards),
        ),
        Consequence(
            ngettext(
                "%(count)s person is notified and can download their certificate (a group "
                "award reaches the group's published students and its coaches).",
                "%(count)s people are notified and can download their certificates (a group "
                "award reaches the group's published students and its coaches).",
                len(people),
            )
            % {"count": len(people)},
            warning=True,
        ),
        Consequence(
            ngettext(
                "%(count)s mentor is rated excellent: priority in the program's next cycle.",
                "%(count)s mentors are rated excellent: priority in the program's next cycle.",
                mentors,
            )
            % {"count": mentors}
        ),
        Consequence(_("A published award cannot be declined.")),
    ]
    return Confirmation(
        title=_("Publish the awards of %(cycle)s") % {"cycle": cycle},
        consequences=consequences if awards else [],
        refusals=refusals,
        submit_label=_("Yes, publish"),
        back_url=back_url,
    )
