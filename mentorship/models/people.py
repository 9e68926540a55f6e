"""People: accounts, staff roles and the mentor and student profiles."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program

from ..managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; people are deactivated, never deleted."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone or messaging ID"), max_length=60, blank=True)
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
    # Required reminders (deliverables due) are e-mailed regardless; this only
    # silences the e-mail of optional nudges, which stay in the notification centre.
    optional_nudges = models.BooleanField(
        _("optional reminders by e-mail"),
        default=True,
        help_text=_(
            "Also e-mail me optional nudges. Reminders of required deliverables are always sent."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]
        indexes = [
            # People are found by e-mail in any case (email__iexact, which
            # PostgreSQL runs as UPPER(email) = UPPER(...)): the roster
            # import, invitations, sign-in. Without it each lookup reads
            # every account (12,000 at the seeds' size).
            models.Index(Upper("email"), name="user_email_upper"),
            # The people changelist and every list of people by name read in
            # this order; without the index each page sorted all accounts.
            models.Index(fields=["full_name", "email"], name="user_name_order_idx"),
        ]

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
