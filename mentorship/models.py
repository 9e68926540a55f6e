from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Cycle, GroupKind, GroupRule, Program

from .managers import UserManager
from .querysets import EngagementQuerySet, EnrollmentQuerySet, GroupQuerySet


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; people are deactivated, never deleted."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log into the admin site (coordinators and steering members)."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting a person: their history stays."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name


class StaffRoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    STEERING = "steering", _("Steering-group member")


class StaffRole(models.Model):
    """A person's office role in one program."""

    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="staff_roles",
        verbose_name=_("person"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("program"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRoleKind.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["program", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "role"],
                name="staffrole_unique",
                violation_error_message=_("This person already has this role in the program."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.program}"


class MentorKind(models.TextChoices):
    ALUMNUS = "alumnus", _("Alumnus")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    GOVERNMENT = "government", _("Government employee")
    ENTERPRISE = "enterprise", _("Enterprise professional")
    FACULTY = "faculty", _("Faculty")


class AlumniDegree(models.TextChoices):
    EMBA = "emba", _("EMBA")
    MBA = "mba", _("MBA")
    MPACC = "mpacc", _("MPAcc")
    UNDERGRADUATE = "undergraduate", _("Undergraduate")
    GRADUATE = "graduate", _("Graduate")


class MentorProfile(models.Model):
    """What students see of a mentor or coach."""

    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MentorKind.choices)
    alumni_degree = models.CharField(
        _("alumni degree"), max_length=20, choices=AlumniDegree.choices, blank=True
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    discipline = models.CharField(_("discipline"), max_length=100, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated."),
    )

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="alumnus") & ~Q(alumni_degree=""))
                | (~Q(kind="alumnus") & Q(alumni_degree="")),
                name="mentorprofile_degree_iff_alumnus",
                violation_error_message=_("An alumnus needs a degree; other kinds have none."),
            )
        ]

    def __str__(self):
        return str(self.user)


class DegreeLevel(models.TextChoices):
    UNDERGRADUATE = "undergraduate", _("Undergraduate")
    MASTER = "master", _("Master")
    DOCTORAL = "doctoral", _("Doctoral")


class StudentProfile(models.Model):
    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        related_name="student_profile",
        verbose_name=_("person"),
    )
    student_number = models.CharField(_("student number"), max_length=40, unique=True)
    degree_level = models.CharField(_("degree level"), max_length=20, choices=DegreeLevel.choices)
    major = models.CharField(_("major"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year of study"), default=1)
    interests = models.TextField(_("interests"), blank=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1) & Q(year__lte=10),
                name="studentprofile_year_range",
                violation_error_message=_("The year of study must be between 1 and 10."),
            ),
            models.CheckConstraint(
                condition=~Q(student_number=""),
                name="studentprofile_number_present",
                violation_error_message=_("A student number is required."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.student_number})"


class RosterRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    STUDENT = "student", _("Student")


class RosterEntry(models.Model):
    """A person on a program's roster, the pool cycles recruit from."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="roster",
        verbose_name=_("program"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="roster_entries",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=RosterRole.choices)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["program", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"],
                name="rosterentry_unique",
                violation_error_message=_("This person is already on the program's roster."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.program}"


class EngagementStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class Engagement(models.Model):
    """A mentor's contract for one cycle."""

    mentor = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("mentor"),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("cycle"),
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EngagementStatus.choices,
        default=EngagementStatus.INVITED,
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    priority = models.BooleanField(
        _("priority"),
        default=False,
        help_text=_("Rated excellent in the previous cycle."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["cycle", "mentor"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "cycle"],
                name="engagement_unique",
                violation_error_message=_("This mentor is already engaged in the cycle."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="engagement_capacity_positive",
                violation_error_message=_("Capacity must be at least one student."),
            ),
            models.CheckConstraint(
                condition=Q(contract_start__isnull=True)
                | Q(contract_end__isnull=True)
                | Q(contract_end__gte=F("contract_start")),
                name="engagement_contract_ordered",
                violation_error_message=_("The contract cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} · {self.cycle}"

    def clean(self):
        super().clean()
        program = self.cycle.program if self.cycle_id else None
        if program and self.capacity is not None:
            low, high = program.mentor_capacity_min, program.mentor_capacity_max
            if not low <= self.capacity <= high:
                raise ValidationError(
                    {
                        "capacity": _("The program allows %(low)s to %(high)s students per mentor.")
                        % {"low": low, "high": high}
                    }
                )


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    MATCHED = "matched", _("Matched")
    WAITLISTED = "waitlisted", _("Waitlisted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrollment(models.Model):
    """A student's participation in one cycle."""

    student = models.ForeignKey(
        StudentProfile,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("student"),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("cycle"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.APPLIED,
    )
    statement = models.TextField(_("statement"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["cycle", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "cycle"],
                name="enrollment_unique",
                violation_error_message=_("This student is already enrolled in the cycle."),
            )
        ]

    def __str__(self):
        return f"{self.student} · {self.cycle}"


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
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

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
        ]

    def __str__(self):
        return f"{self.mentor or self.student} · {self.get_role_display()} · {self.group}"


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
