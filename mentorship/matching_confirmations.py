"""The confirmations (programs.confirmation) of committing a matching run and
of publishing its placements: how many students are placed or wait, and who
is told by e-mail. Built afresh for the page and for the final POST alike."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.confirmation import Confirmation, Consequence
from programs.models import Stage

from .matching_runs import commit_refusal
from .models import LEADER_ROLES, GroupMembership, MatchingLevel, MatchingRun, RunStatus
from .publishing import PUBLICATIONS


def commit_confirmation(run, cycle, *, back_url, check_input=True, refusal=None):
    """``check_input`` as for commit_refusal; ``refusal``: why commit_run refused."""
    refusal = refusal or commit_refusal(run, cycle, check_input=check_input)
    # The run's figures, kept with every move: its JSON (megabytes at scale) is not needed.
    placed, waiting = run.matched_count, run.unmatched_count
    group = run.level == MatchingLevel.GROUP
    others = (
        MatchingRun.objects.filter(cycle=cycle, level=run.level, status=RunStatus.PREVIEW)
        .exclude(pk=run.pk)
        .count()
    )
    if group:
        placed_text = ngettext(
            "%(count)s student is placed in a group; their enrollment becomes matched.",
            "%(count)s students are placed in groups; their enrollments become matched.",
            placed,
        )
    else:
        placed_text = ngettext(
            "%(count)s student is matched to a mentor; their enrollment becomes matched.",
            "%(count)s students are matched to mentors; their enrollments become matched.",
            placed,
        )
    consequences = [
        Consequence(placed_text % {"count": placed}),
        Consequence(
            ngettext(
                "%(count)s student without a place is put on the waiting list for a second round.",
                "%(count)s students without a place are put on the waiting list for a second "
                "round.",
                waiting,
            )
            % {"count": waiting},
            warning=bool(waiting),
        ),
        Consequence(
            _(
                "Nobody is told yet: students and mentors see their placements once you "
                "publish them. Later changes are made by hand."
            )
        ),
    ]
    if others:
        consequences.append(
            Consequence(
                ngettext(
                    "%(count)s other preview is discarded.",
                    "%(count)s other previews are discarded.",
                    others,
                )
                % {"count": others}
            )
        )
    return Confirmation(
        title=_("Commit the matching of %(cycle)s") % {"cycle": cycle},
        consequences=consequences,
        refusals=[refusal] if refusal else [],
        submit_label=_("Yes, commit"),
        back_url=back_url,
    )


def _told(unpublished, level):
    """(students, mentors) told by e-mail when ``unpublished`` are published."""
    students = unpublished.values("enrollment" if level == MatchingLevel.MENTOR else "student")
    if level == MatchingLevel.MENTOR:
        mentors = unpublished.values("engagement__mentor").distinct().count()
    else:
        mentors = (
            GroupMembership.objects.filter(
                group__in=unpublished.values("group"), role__in=LEADER_ROLES
            )
            .values("mentor")
            .distinct()
            .count()
        )
    return students.distinct().count(), mentors


def publish_confirmation(cycle, level, *, back_url):
    publication = PUBLICATIONS[level]
    placements = publication.placements(cycle)
    unpublished = placements.filter(published_at__isnull=True)
    refusals = []
    if cycle.stage == Stage.CLOSED:
        refusals.append(str(publication.closed))
    elif not placements.exists():
        refusals.append(str(publication.nothing))
    elif not unpublished.exists():
        refusals.append(_("Everything committed is published already; nobody would be mailed."))
    consequences = []
    if not refusals:
        count = unpublished.count()
        students, mentors = _told(unpublished, level)
        if level == MatchingLevel.GROUP:
            shown = ngettext(
                "%(count)s group placement is published: the student sees their group, and "
                "its members the student.",
                "%(count)s group placements are published: the students see their groups, and "
                "the groups' members the new students.",
                count,
            )
            told = ngettext(
                "%(count)s person is told by e-mail (students: %(students)s, chief or "
                "leading coaches: %(mentors)s).",
                "%(count)s people are told by e-mail (students: %(students)s, chief or "
                "leading coaches: %(mentors)s).",
                students + mentors,
            )
        else:
            shown = ngettext(
                "%(count)s match is published: the student and the mentor see each other on "
                "their home pages.",
                "%(count)s matches are published: students and mentors see each other on "
                "their home pages.",
                count,
            )
            told = ngettext(
                "%(count)s person is told by e-mail (students: %(students)s, mentors: "
                "%(mentors)s).",
                "%(count)s people are told by e-mail (students: %(students)s, mentors: "
                "%(mentors)s).",
                students + mentors,
            )
        consequences = [
            Consequence(shown % {"count": count}),
            Consequence(
                told % {"count": students + mentors, "students": students, "mentors": mentors},
                warning=True,
            ),
            Consequence(_("Placements published earlier are not mailed again.")),
        ]
    return Confirmation(
        title=_("Publish the placements of %(cycle)s") % {"cycle": cycle},
        consequences=consequences,
        refusals=refusals,
        submit_label=_("Yes, publish and send the e-mails"),
        back_url=back_url,
    )
