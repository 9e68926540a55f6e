"""Who an evaluation row is about: a student (their enrollment), a mentor
(their engagement) or a group, as one of three foreign keys.

Three real foreign keys rather than a generic relation, so the database keeps
them valid and joins stay plain. Constraints hold that exactly the key named by
``subject`` is set, and uniqueness is per subject kind.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorship.models import Engagement, Enrollment, Group
from programs.models import AwardSubject

SUBJECT_FIELDS = {
    AwardSubject.STUDENT: "enrollment",
    AwardSubject.MENTOR: "engagement",
    AwardSubject.GROUP: "group",
}


class SubjectRef(models.Model):
    subject = models.CharField(_("evaluates"), max_length=10, choices=AwardSubject.choices)
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("student"),
    )
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.subject_object)

    @property
    def subject_object(self):
        return getattr(self, SUBJECT_FIELDS[self.subject])

    @property
    def subject_id(self):
        return getattr(self, f"{SUBJECT_FIELDS[self.subject]}_id")


def subject_constraints(name, *scope):
    """The key named by ``subject`` set and the others empty; one row per
    subject within ``scope`` (field names)."""
    exactly_one = Q(
        *[
            Q(subject=subject, **{f"{field}__isnull": False})
            & Q(**{f"{other}__isnull": True for other in SUBJECT_FIELDS.values() if other != field})
            for subject, field in SUBJECT_FIELDS.items()
        ],
        _connector=Q.OR,
    )
    return [
        models.CheckConstraint(condition=exactly_one, name=f"{name}_one_subject"),
        *[
            models.UniqueConstraint(
                fields=[*scope, field],
                condition=Q(**{f"{field}__isnull": False}),
                name=f"{name}_unique_{field}",
            )
            for field in SUBJECT_FIELDS.values()
        ],
    ]
