"""How much a student may still hand in, by the program's upload rules.

Submitted versions are never deleted, so the limits are checked before a
version is accepted. A day is a calendar day in the site's time zone, the
one due dates are shown in: a refusal says "tomorrow" and means it. The file
space counts the files of every version the student submitted in the cycle,
whatever the deliverable; drafts keep no file and count for nothing.
"""

from dataclasses import dataclass

from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Submission

MB = 1024 * 1024


@dataclass(frozen=True)
class Allowance:
    """What a student may still submit for one requirement."""

    versions_per_day: int
    versions_today: int
    space: int  # bytes
    space_used: int  # bytes

    @property
    def versions_left(self):
        return max(self.versions_per_day - self.versions_today, 0)

    @property
    def space_left(self):
        return max(self.space - self.space_used, 0)

    def versions_refusal(self):
        """Why no version is taken today, or None."""
        if self.versions_left:
            return None
        return ngettext(
            "You have submitted %(count)s version of this deliverable today, the most "
            "your program allows in a day. Save your work as a draft and submit it "
            "tomorrow.",
            "You have submitted %(count)s versions of this deliverable today, the most "
            "your program allows in a day. Save your work as a draft and submit it "
            "tomorrow.",
            self.versions_per_day,
        ) % {"count": self.versions_per_day}

    def space_refusal(self, size):
        """Why a file of ``size`` bytes does not fit, or None."""
        if size <= self.space_left:
            return None
        return _(
            "This file is %(size)s, but only %(left)s of your %(space)s of file space "
            "in this cycle is left. Attach a smaller file, or submit without one."
        ) % {
            "size": filesizeformat(size),
            "left": filesizeformat(self.space_left),
            "space": filesizeformat(self.space),
        }


def allowance(*, requirement, enrollment, now=None):
    """What ``enrollment``'s student may still submit for ``requirement`` at
    ``now`` (default now). ``enrollment`` is in the requirement's cycle."""
    program = requirement.cycle.program
    versions = Submission.objects.filter(enrollment=enrollment)
    today = versions.filter(
        requirement=requirement, submitted_at__date=timezone.localdate(now or timezone.now())
    )
    used = versions.aggregate(total=Sum("file_size"))["total"] or 0
    return Allowance(
        versions_per_day=program.versions_per_day,
        versions_today=today.count(),
        space=program.upload_space_mb * MB,
        space_used=used,
    )
