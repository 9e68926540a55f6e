"""Teams and coaching groups of a cycle, their members, and invited guests."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Cycle, GroupKind, GroupRule, Program

from ..querysets import GroupQuerySet
from .people import MentorProfile, StudentProfile


class Group(models.Model):
    """A mentor team or coaching group in one cycle."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="groups", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=200)
    focus = models.CharField(_("industry or discipline"), max_length=200, blank=True)
    sponsoring_organisation = models.CharField(
        _("sponsoring organisation"), max_length=200, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("student places"),
        null=True,
        blank=True,
        help_text=_("Students this group takes when students choose groups."),
    )
    guests = models.ManyToManyField(
        "Guest", blank=True, related_name="groups", verbose_name=_("guests")
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["cycle", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "name"],
                name="group_unique_name",
                violation_error_message=_("The cycle already has a group of this name."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.cycle_id and self.kind:
            allowed = GroupRule.objects.filter(program_id=self.cycle.program_id, kind=self.kind)
            if not allowed.exists():
                raise ValidationError(
                    {"kind": _("The program does not allow groups of this kind.")}
                )


class GroupRole(models.TextChoices):
    CHIEF = "chief", _("Chief coach")
    LEADING = "leading", _("Leading coach")
    COACH = "coach", _("Coach")
    STUDENT = "student", _("Student")


LEADER_ROLES = (GroupRole.CHIEF, GroupRole.LEADING)


class GroupMembership(models.Model):
    """A mentor (chief, leading coach, coach) or a student in a group."""

    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    role = models.CharField(_("role"), max_length=20, choices=GroupRole.choices)
    mentor = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("mentor"),
    )
    student = models.ForeignKey(
        StudentProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("student"),
    )
    run = models.ForeignKey(
        "MatchingRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("placed by matching run"),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # A membership added by the office is a deliberate placement and shows at
    # once; only students placed by a group run wait (None) to be published.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, default=timezone.now)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="student") & Q(student__isnull=False) & Q(mentor__isnull=True))
                | (~Q(role="student") & Q(mentor__isnull=False) & Q(student__isnull=True)),
                name="groupmembership_person_matches_role",
                violation_error_message=_(
                    "A student member needs a student; a coach member needs a mentor."
                ),
            ),
            models.UniqueConstraint(
                fields=["group", "mentor"],
                condition=Q(mentor__isnull=False),
                name="groupmembership_unique_mentor",
                violation_error_message=_("This mentor is already in the group."),
            ),
            models.UniqueConstraint(
                fields=["group", "student"],
                condition=Q(student__isnull=False),
                name="groupmembership_unique_student",
                violation_error_message=_("This student is already in the group."),
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(role="chief"),
                name="groupmembership_one_chief",
                violation_error_message=_("A group has only one chief coach."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=False)
                | (Q(role="student") & Q(run__isnull=False)),
                name="groupmembership_unpublished_only_run_placed",
                violation_error_message=_(
                    "Only students placed by a matching run wait to be published."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.mentor or self.student} · {self.get_role_display()} · {self.group}"

    @property
    def is_published(self):
        return self.published_at is not None

    def clean(self):
        super().clean()
        # Turning a waiting run placement into a coach by hand makes it the
        # office's own placement, which is visible at once.
        if self.published_at is None and not (self.role == GroupRole.STUDENT and self.run_id):
            self.published_at = timezone.now()


class Guest(models.Model):
    """An invited professional named on activities; has no login."""

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="guests",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["program", "name"]

    def __str__(self):
        return self.name
