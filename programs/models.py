from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .dates import date_range_constraint, validate_date_in_range
from .querysets import CycleQuerySet, ProgramQuerySet
from .upload_rules import UploadRules


class ProgramKind(models.TextChoices):
    MENTOR = "mentor", _("Alumni professional-mentor program")
    COACHING = "coaching", _("Career-coaching program")


class GroupKind(models.TextChoices):
    MENTOR_TEAM = "mentor_team", _("Mentor team")
    ENTERPRISE = "enterprise", _("Enterprise coaching group")
    INDUSTRY = "industry", _("Industry coaching group")
    PERSONALIZED = "personalized", _("Personalized coaching group")


class GroupContacts(models.TextChoices):
    NAMES = "names", _("Names only")
    LEADERS = "leaders", _("Everyone sees the coaches' contacts; coaches see everyone's")
    EVERYONE = "everyone", _("Everyone in a group sees everyone's contacts")


class Stage(models.TextChoices):
    SETUP = "setup", _("Setup")
    SELECTION = "selection", _("Selection")
    KICK_OFF = "kick_off", _("Kick-off")
    TRACKING = "tracking", _("Process tracking")
    EVALUATION = "evaluation", _("Final evaluation")
    REWARD = "reward", _("Reward")
    CLOSED = "closed", pgettext_lazy("cycle stage", "Closed")


STAGE_ORDER = [choice.value for choice in Stage]


class Program(UploadRules):
    """A standing program and its rules; each run of it is a Cycle."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    mentor_capacity_min = models.PositiveSmallIntegerField(
        _("minimum students per mentor"), default=3
    )
    mentor_capacity_max = models.PositiveSmallIntegerField(
        _("maximum students per mentor"), default=5
    )
    preferences_count = models.PositiveSmallIntegerField(_("mentors a student may rank"), default=5)
    group_contacts = models.CharField(
        _("contact details on group pages"),
        max_length=20,
        choices=GroupContacts.choices,
        default=GroupContacts.LEADERS,
    )
    meeting_edit_days = models.PositiveSmallIntegerField(
        _("days a mentor may edit a logged meeting"),
        default=7,
        help_text=_("After that, changes to the meeting need a coordinator."),
    )
    at_risk_after_days = models.PositiveSmallIntegerField(
        _("days without a confirmed meeting before a student is at risk"), default=30
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_capacity_min__gte=1),
                name="program_capacity_min_positive",
                violation_error_message=_("A mentor must take at least one student."),
            ),
            models.CheckConstraint(
                condition=Q(mentor_capacity_max__gte=F("mentor_capacity_min")),
                name="program_capacity_bounds_ordered",
                violation_error_message=_(
                    "The maximum students per mentor cannot be below the minimum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(preferences_count__gte=1),
                name="program_preferences_positive",
                violation_error_message=_("Students must be able to rank at least one mentor."),
            ),
            models.CheckConstraint(
                condition=Q(meeting_edit_days__gte=1) & Q(at_risk_after_days__gte=1),
                name="program_day_limits_positive",
                violation_error_message=_("Day limits must be at least one day."),
            ),
            *UploadRules.Meta.constraints,
        ]

    def __str__(self):
        return self.name


class RuleQuerySet(models.QuerySet):
    def for_program(self, program):
        return self.filter(program=program)


class ProgramRule(models.Model):
    """A named item of a program's rules: default items carry a code whose
    label is translated; items a program adds use their own name."""

    DEFAULT_LABELS = {}

    program = models.ForeignKey(Program, on_delete=models.CASCADE, verbose_name=_("program"))
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = RuleQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["program", "position", "id"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        # A default item shows in the reader's language until a coordinator renames it.
        if self.DEFAULT_LABELS.get(self.code) == self.name:
            return gettext(self.name)
        return self.name


def _unique_code(model_name):
    return models.UniqueConstraint(
        fields=["program", "code"],
        name=f"{model_name}_unique_code",
        violation_error_message=_("This code is already used in the program."),
    )


class CompetenceDimension(ProgramRule):
    DEFAULT_LABELS = {
        "self_awareness": gettext_noop("Self-awareness"),
        "career_exploration": gettext_noop("Career exploration"),
        "decision_making": gettext_noop("Decision making"),
    }
    description = models.TextField(_("description"), blank=True)

    class Meta(ProgramRule.Meta):
        verbose_name = _("competence dimension")
        verbose_name_plural = _("competence dimensions")
        constraints = [_unique_code("competencedimension")]


class DeliverableKind(ProgramRule):
    DEFAULT_LABELS = {
        "career_plan": gettext_noop("Personal career plan"),
        "internship_report": gettext_noop("Internship report"),
        "communication_record": gettext_noop("Record of communication with the mentor"),
    }
    required = models.BooleanField(_("required for every student"), default=True)

    class Meta(ProgramRule.Meta):
        verbose_name = _("deliverable kind")
        verbose_name_plural = _("deliverable kinds")
        constraints = [_unique_code("deliverablekind")]


class AwardSubject(models.TextChoices):
    GROUP = "group", _("Group")
    MENTOR = "mentor", _("Mentor")
    STUDENT = "student", _("Student")


class AwardCategory(ProgramRule):
    DEFAULT_LABELS = {
        "outstanding_group": gettext_noop("Outstanding group"),
        "excellent_mentor": gettext_noop("Excellent mentor"),
        "outstanding_student": gettext_noop("Outstanding student"),
    }
    subject = models.CharField(_("awarded to"), max_length=10, choices=AwardSubject.choices)
    quota = models.PositiveSmallIntegerField(
        _("quota"),
        null=True,
        blank=True,
        help_text=_("Number of awards; empty for no limit."),
    )
    quota_percent = models.PositiveSmallIntegerField(
        _("quota as a share (%)"),
        null=True,
        blank=True,
        help_text=_("Share of those evaluated, rounded down; instead of a number."),
    )

    class Meta(ProgramRule.Meta):
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        constraints = [
            _unique_code("awardcategory"),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(quota_percent__isnull=True),
                name="awardcategory_one_kind_of_quota",
                violation_error_message=_("Give the quota as a number or as a share, not both."),
            ),
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True)
                | (Q(quota_percent__gte=1) & Q(quota_percent__lte=100)),
                name="awardcategory_share_range",
                violation_error_message=_("A share runs from 1 to 100%."),
            ),
        ]


class GroupRule(models.Model):
    """A group kind the program allows, with its size rules. No row: kind not allowed."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, verbose_name=_("program"))
    kind = models.CharField(_("group kind"), max_length=20, choices=GroupKind.choices)
    min_mentors = models.PositiveSmallIntegerField(_("minimum mentors"), default=1)
    max_mentors = models.PositiveSmallIntegerField(_("maximum mentors"), null=True, blank=True)
    max_leaders = models.PositiveSmallIntegerField(_("maximum chief or leading coaches"), default=1)
    max_students = models.PositiveSmallIntegerField(_("maximum students"), null=True, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("group rule")
        verbose_name_plural = _("group rules")
        ordering = ["program", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind"],
                name="grouprule_unique_kind",
                violation_error_message=_("This group kind already has a rule in the program."),
            ),
            models.CheckConstraint(
                condition=Q(max_mentors__isnull=True) | Q(max_mentors__gte=F("min_mentors")),
                name="grouprule_mentor_bounds_ordered",
                violation_error_message=_("The maximum mentors cannot be below the minimum."),
            ),
            models.CheckConstraint(
                condition=Q(max_leaders__gte=1),
                name="grouprule_leaders_positive",
                violation_error_message=_("A group needs room for at least one leader."),
            ),
        ]

    def __str__(self):
        return str(self.get_kind_display())


class Cycle(models.Model):
    """One run of a program, usually a year. Moves through Stage in order."""

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="cycles",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"), validators=[validate_date_in_range])
    ends_on = models.DateField(_("ends on"), validators=[validate_date_in_range])
    preference_deadline = models.DateTimeField(
        _("preference deadline"), null=True, blank=True, validators=[validate_date_in_range]
    )
    priority_invitations_until = models.DateTimeField(
        _("priority invitations until"),
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text=_(
            "Until then only mentors rated excellent in the program's previous cycle "
            "can be invited. Empty: everyone can be invited at once."
        ),
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.SETUP,
        editable=False,
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["program", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="cycle_unique_name",
                violation_error_message=_("The program already has a cycle of this name."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="cycle_ends_after_start",
                violation_error_message=_("A cycle must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=STAGE_ORDER),
                name="cycle_stage_valid",
            ),
            date_range_constraint("starts_on", name="cycle_starts_on_in_range"),
            date_range_constraint("ends_on", name="cycle_ends_on_in_range"),
            date_range_constraint(
                "preference_deadline", name="cycle_preference_deadline_in_range", timed=True
            ),
            date_range_constraint(
                "priority_invitations_until", name="cycle_priority_until_in_range", timed=True
            ),
        ]

    def __str__(self):
        return f"{self.program} · {self.name}"

    @property
    def next_stage(self):
        index = STAGE_ORDER.index(self.stage)
        return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None

    @property
    def is_closed(self):
        return self.stage == Stage.CLOSED


class StageTransition(models.Model):
    """Who moved a cycle from one stage to the next, and when."""

    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("cycle"),
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        verbose_name=_("by"),
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["cycle", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "to_stage"], name="stagetransition_once_per_stage"
            ),
        ]

    def __str__(self):
        return f"{self.cycle}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


from .evaluation_rules import RubricCriterion, SurveyQuestion  # noqa: E402,F401
from .pending_tasks import PendingTask  # noqa: E402,F401
from .reminder_policy import ReminderPolicy  # noqa: E402,F401
