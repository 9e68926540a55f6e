"""The survey on the student and mentor homes, and the reminder to answer it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.reminders_survey import DAYS_OPEN, KIND, survey_reminders
from assessments.survey import submit_survey
from mentorship.models import EnrollmentStatus, Notification
from mentorship.reminders import sweep
from programs.models import Stage
from tests import factories as f

from .survey_helpers import EVALUATION_STARTED, full_answers, move_to, open_survey

pytestmark = pytest.mark.django_db


def answer_as_student(world, cycle):
    submit_survey(
        cycle=cycle,
        respondent=world.student,
        audience="student",
        participation=world.student.student_profile.enrollments.get(cycle=cycle),
        answers=full_answers(cycle, "student"),
    )


def home(client, user, name):
    client.force_login(user)
    return client.get(reverse(name)).content.decode()


def test_asked_while_open_then_thanked(client, world):
    survey_url = reverse("survey", args=[world.cycle.pk, "student"])
    assert "Tell us how the year went" not in home(client, world.student, "student_home")
    cycle = open_survey(world.cycle)
    page = home(client, world.student, "student_home")
    assert "Tell us how the year went" in page and survey_url in page
    answer_as_student(world, cycle)
    page = home(client, world.student, "student_home")
    assert "Thank you" in page and "Tell us how the year went" not in page
    move_to(cycle, Stage.REWARD)
    assert "Thank you" not in home(client, world.student, "student_home")


def test_mentors_are_asked_as_mentors(client, world):
    cycle = open_survey(world.cycle)
    page = home(client, world.mentor, "mentor_home")
    assert reverse("survey", args=[cycle.pk, "mentor"]) in page
    # The mentor persona's mentee answering changes nothing for the mentor.
    answer_as_student(world, cycle)
    assert "Tell us how the year went" in home(client, world.mentor, "mentor_home")


def test_not_for_people_the_survey_does_not_ask(client, world):
    open_survey(world.cycle)
    world.student.student_profile.enrollments.update(status=EnrollmentStatus.WITHDRAWN)
    assert "Tell us how the year went" not in home(client, world.student, "student_home")
    assert "Tell us how the year went" not in home(client, world.other_mentor, "mentor_home")


def test_one_query_whatever_the_number_of_cycles(world):
    from assessments.survey_home import student_surveys

    def count():
        with CaptureQueriesContext(connection) as queries:
            items = student_surveys(world.student)
        return len(queries), len(items)

    open_survey(world.cycle)
    assert count() == (1, 1)
    for i in range(3):
        cycle = open_survey(f.CycleFactory(program=world.program, name=f"extra-{i}"))
        f.EnrollmentFactory(student=world.student.student_profile, cycle=cycle)
    answer_as_student(world, world.cycle)
    assert count() == (1, 4)


# Reminders


def after(days, hours=0):
    return EVALUATION_STARTED + datetime.timedelta(days=days, hours=hours)


def test_nudged_once_days_after_the_evaluation_starts(world):
    cycle = open_survey(world.cycle)
    assert list(survey_reminders(after(DAYS_OPEN, -1))) == []
    dues = sorted(survey_reminders(after(DAYS_OPEN)), key=lambda due: due.recipient_id)
    assert {due.recipient_id for due in dues} == {world.student.pk, world.mentor.pk}
    student_due = next(due for due in dues if due.recipient_id == world.student.pk)
    assert student_due.kind == KIND
    assert student_due.subject_key == f"assessments.survey:{cycle.pk}:student"
    assert student_due.due_on == after(DAYS_OPEN).date()
    assert student_due.payload["url"] == reverse("survey", args=[cycle.pk, "student"])
    for day in range(DAYS_OPEN, DAYS_OPEN + 20):
        sweep(now=after(day))
    assert Notification.objects.filter(kind=KIND).count() == 2


def test_not_once_answered_nor_outside_the_evaluation(world):
    cycle = open_survey(world.cycle)
    answer_as_student(world, cycle)
    assert [due.recipient_id for due in survey_reminders(after(5))] == [world.mentor.pk]
    move_to(cycle, Stage.REWARD, at=after(4))
    assert list(survey_reminders(after(10))) == []


def test_reminders_in_a_fixed_number_of_queries(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            dues = list(survey_reminders(after(10)))
        return len(queries), len(dues)

    cycle = open_survey(world.cycle)
    assert count() == (2, 2)
    for _ in range(4):
        f.EnrollmentFactory(cycle=cycle)
        f.EngagementFactory(cycle=cycle)
    assert count() == (2, 10)
