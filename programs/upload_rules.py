"""How much a program's students may hand in: a part of Program, kept here
to keep the model's module short. assessments.upload_limits applies it."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Sane bounds, held by the admin form and the database alike.
VERSIONS_PER_DAY_RANGE = (1, 50)
UPLOAD_SPACE_MB_RANGE = (1, 1024)


def _bounded(bounds):
    return [MinValueValidator(bounds[0]), MaxValueValidator(bounds[1])]


def _within(name, bounds):
    return Q(**{f"{name}__gte": bounds[0], f"{name}__lte": bounds[1]})


class UploadRules(models.Model):
    versions_per_day = models.PositiveSmallIntegerField(
        _("versions of a deliverable a student may submit per day"),
        default=5,
        validators=_bounded(VERSIONS_PER_DAY_RANGE),
        help_text=_("From 1 to 50; the count starts again at midnight."),
    )
    upload_space_mb = models.PositiveSmallIntegerField(
        _("file space per student per cycle (MB)"),
        default=50,
        validators=_bounded(UPLOAD_SPACE_MB_RANGE),
        help_text=_(
            "From 1 to 1024 MB, for the files of all of a student's submitted versions "
            "in a cycle together. Each file is also limited on its own by the server."
        ),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=_within("versions_per_day", VERSIONS_PER_DAY_RANGE),
                name="program_versions_per_day_range",
                violation_error_message=_("Versions per day run from 1 to 50."),
            ),
            models.CheckConstraint(
                condition=_within("upload_space_mb", UPLOAD_SPACE_MB_RANGE),
                name="program_upload_space_range",
                violation_error_message=_("The file space runs from 1 to 1024 MB."),
            ),
        ]
