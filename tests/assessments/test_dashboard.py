"""The progress dashboard's figures, for a whole cycle and for one group."""

import datetime

import pytest
from django.utils import timezone

from assessments.dashboard import Scope, dashboard
from assessments.dashboard_charts import charts
from assessments.models import Rating, SelfAssessment
from assessments.survey_stats import TARGET
from mentorship.models import Enrollment
from programs.models import CompetenceDimension
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def cohort(world):
    """The world's team with the persona student and a teammate; a second team
    with one student; a career plan past due and an internship report due later."""
    cycle = world.cycle
    now = timezone.now()
    persona = Enrollment.objects.get(student__user=world.student, cycle=cycle)
    mate = f.EnrollmentFactory(cycle=cycle)
    f.GroupMembershipFactory(group=world.team, mentor=None, student=mate.student, role="student")
    rival_team = f.GroupFactory(cycle=cycle, name="Rival team")
    rival_coach = f.MentorProfileFactory()
    f.GroupMembershipFactory(group=rival_team, mentor=rival_coach, role="chief")
    rival = f.EnrollmentFactory(cycle=cycle)
    f.GroupMembershipFactory(group=rival_team, mentor=None, student=rival.student, role="student")
    plan = f.RequirementFactory(cycle=cycle, kind_code="career_plan", due_at=now - 3 * DAY)
    report = f.RequirementFactory(cycle=cycle, kind_code="internship_report")
    return dict(
        cycle=cycle,
        persona=persona,
        mate=mate,
        rival=rival,
        rival_team=rival_team,
        plan=plan,
        report=report,
        now=now,
    )


def test_completion_counts_handed_in_accepted_late_and_missing(world, cohort):
    accepted = f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["persona"])
    f.ReviewFactory(submission=accepted, decision="accepted")
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["mate"], late=True)
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["mate"], number=2, late=True)
    figures = dashboard(Scope(cycle=cohort["cycle"]))
    assert figures.students == 3
    plan, report = figures.completion
    assert (plan.submitted, plan.accepted, plan.late, plan.missing) == (2, 1, 1, 1)
    assert plan.past_due and not report.past_due
    assert (report.submitted, report.missing) == (0, 3)
    team, rival = sorted(figures.groups, key=lambda row: row.group.name != world.team.name)
    assert (team.students, team.submitted) == (2, [2, 0])
    assert (rival.students, rival.submitted, rival.shares) == (1, [0, 0], [0.0, 0.0])


def test_a_group_keeps_its_own_students(world, cohort):
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["rival"])
    figures = dashboard(Scope(cycle=cohort["cycle"], group=cohort["rival_team"]))
    assert figures.students == 1
    assert figures.completion[0].submitted == 1
    assert figures.groups == []
    assert [row.enrollment for row in figures.at_risk] == []


def test_meetings_per_month_count_confirmed_meetings_once(world, cohort):
    coach = world.mentor.mentor_profile
    when = timezone.make_aware(datetime.datetime(2026, 10, 15, 10))
    group_meeting = f.MeetingFactory(cycle=cohort["cycle"], author=coach, starts_at=when)
    for enrollment in (cohort["persona"], cohort["mate"]):
        f.MeetingParticipantFactory(
            meeting=group_meeting, student=enrollment.student, status="confirmed"
        )
    pending = f.MeetingFactory(cycle=cohort["cycle"], author=coach, starts_at=when)
    f.MeetingParticipantFactory(meeting=pending, student=cohort["persona"].student)
    months = dict(dashboard(Scope(cycle=cohort["cycle"])).meetings)
    assert months[datetime.date(2026, 10, 1)] == 1
    assert months[datetime.date(2026, 9, 1)] == 0
    assert len(months) == 11  # September to July
    rival_months = dict(
        dashboard(Scope(cycle=cohort["cycle"], group=cohort["rival_team"])).meetings
    )
    assert rival_months[datetime.date(2026, 10, 1)] == 0


def test_attendance_counts_invited_people_once_and_who_came(world, cohort):
    activity = f.ActivityFactory(cycle=cohort["cycle"], group=world.team)
    f.ActivityInvitationFactory(activity=activity, group=world.team)
    f.ActivityInvitationFactory(activity=activity, group=cohort["rival_team"])
    f.ActivityInvitationFactory(activity=activity, user=world.student)  # also in the team
    f.RegistrationFactory(activity=activity, user=world.student, attendance="present")
    f.RegistrationFactory(activity=activity, user=cohort["mate"].student.user, status="declined")
    f.RegistrationFactory(activity=activity, user=cohort["rival"].student.user)
    f.ActivityFactory(cycle=f.CycleFactory(program=world.program))  # another cycle's
    (row,) = dashboard(Scope(cycle=cohort["cycle"])).attendance
    # The team's chief and two students, the rival team's chief and student.
    assert (row.invited, row.said_yes, row.present) == (5, 2, 1)
    (rival_row,) = dashboard(Scope(cycle=cohort["cycle"], group=cohort["rival_team"])).attendance
    assert (rival_row.invited, rival_row.said_yes, rival_row.present) == (2, 1, 0)


def test_at_risk_reuses_the_homes_mark_and_adds_overdue_deliverables(world, cohort):
    long_ago = cohort["now"] - 40 * DAY
    f.MatchFactory(
        enrollment=cohort["persona"],
        engagement=world.mentor.mentor_profile.engagements.get(cycle=cohort["cycle"]),
        published_at=long_ago,
    )
    f.MatchFactory(enrollment=cohort["rival"], published_at=cohort["now"] - DAY)
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["persona"])
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["rival"])
    rows = dashboard(Scope(cycle=cohort["cycle"])).at_risk
    by_enrollment = {row.enrollment: row for row in rows}
    assert set(by_enrollment) == {cohort["persona"], cohort["mate"]}
    persona, mate = by_enrollment[cohort["persona"]], by_enrollment[cohort["mate"]]
    assert persona.quiet and persona.overdue == [] and persona.mentor == "Max Mentor"
    assert not mate.quiet and mate.overdue == [cohort["plan"]]
    assert mate.mentor == world.team.name


def test_an_overdue_only_row_names_the_mentor_and_the_last_confirmed_meeting(world, cohort):
    """Flagged for a deliverable alone, the student still has a mentor and meetings."""
    engagement = world.mentor.mentor_profile.engagements.get(cycle=cohort["cycle"])
    f.MatchFactory(enrollment=cohort["persona"], engagement=engagement, published_at=cohort["now"])
    met = cohort["now"] - 2 * DAY
    older = f.MeetingFactory(
        cycle=cohort["cycle"], author=engagement.mentor, starts_at=met - 5 * DAY
    )
    latest = f.MeetingFactory(cycle=cohort["cycle"], author=engagement.mentor, starts_at=met)
    for meeting in (older, latest):
        f.MeetingParticipantFactory(
            meeting=meeting, student=cohort["persona"].student, status="confirmed"
        )
    rows = {row.enrollment: row for row in dashboard(Scope(cycle=cohort["cycle"])).at_risk}
    persona = rows[cohort["persona"]]
    assert not persona.quiet and persona.overdue == [cohort["plan"]]
    assert persona.mentor == "Max Mentor"
    assert persona.last_confirmed == met


def test_competence_change_compares_mean_start_and_end(world, cohort):
    dimension = CompetenceDimension.objects.filter(program=world.program).first()
    for enrollment, levels in ((cohort["persona"], (2, 4)), (cohort["mate"], (3, None))):
        for moment, level in zip(("start", "end"), levels, strict=True):
            if level is None:
                continue
            assessment = SelfAssessment.objects.create(
                enrollment=enrollment, moment=moment, submitted_at=cohort["now"]
            )
            Rating.objects.create(self_assessment=assessment, dimension=dimension, level=level)
    row = next(
        r for r in dashboard(Scope(cycle=cohort["cycle"])).competence if r.dimension == dimension
    )
    assert (row.start, row.end, row.rated_start, row.rated_end) == (2.5, 4, 2, 1)
    assert row.change == 1.5


def test_charts_carry_translated_labels_and_the_satisfaction_target(world, cohort):
    figures = dashboard(Scope(cycle=cohort["cycle"]))
    specs = charts(figures)
    assert set(specs) == {
        "completion",
        "groups",
        "meetings",
        "attendance",
        "competence",
        "satisfaction",
    }
    assert specs["completion"]["labels"] == [cohort["plan"].kind.label, cohort["report"].kind.label]
    assert specs["completion"]["datasets"][2]["data"] == [3, 3]
    assert specs["satisfaction"]["target"]["value"] == round(TARGET * 100)
    assert specs["meetings"]["labels"][0] == "September 2026"


def test_a_cycle_shows_the_groups_furthest_behind_and_the_latest_activities(
    world, cohort, monkeypatch
):
    monkeypatch.setattr("assessments.dashboard.GROUPS_SHOWN", 1)
    monkeypatch.setattr("assessments.dashboard.ACTIVITIES_SHOWN", 2)
    # The world's team handed in half its plans, the rival team none.
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["persona"])
    now = cohort["now"]
    first, second, third = (
        f.ActivityFactory(cycle=cohort["cycle"], title=title, starts_at=now + days * DAY)
        for title, days in (("First", -20), ("Second", -10), ("Third", 5))
    )
    figures = dashboard(Scope(cycle=cohort["cycle"]))
    assert [row.group for row in figures.groups] == [cohort["rival_team"]]
    assert figures.groups_total == 2
    assert [row.activity for row in figures.attendance] == [second, third]
    assert figures.activities_total == 3
    assert charts(figures)["attendance"]["labels"][0].startswith("Second")
    assert first.title not in str(charts(figures))
