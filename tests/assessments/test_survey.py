"""The end-of-cycle survey: when it is open, what an answer must hold, who may open it."""

import pytest
from django.urls import reverse

from assessments.models import SurveyAnswer, SurveyResponse
from assessments.survey import SurveyError, submit_survey, survey_open_reason
from mentorship.models import EngagementStatus, EnrollmentStatus
from programs.models import Stage
from tests import factories as f

from .survey_helpers import full_answers, move_to, open_survey, post_data, questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return open_survey(world.cycle)


@pytest.fixture
def enrollment(world, cycle):
    return world.student.student_profile.enrollments.get(cycle=cycle)


@pytest.fixture
def engagement(world, cycle):
    return world.mentor.mentor_profile.engagements.get(cycle=cycle)


def submit(world, cycle, enrollment, answers=None, **kwargs):
    return submit_survey(
        cycle=cycle,
        respondent=kwargs.get("respondent", world.student),
        audience=kwargs.get("audience", "student"),
        participation=enrollment,
        answers=full_answers(cycle, "student") if answers is None else answers,
    )


def url(cycle, audience="student"):
    return reverse("survey", args=[cycle.pk, audience])


@pytest.mark.parametrize(
    "stage, is_open",
    [
        (Stage.TRACKING, False),
        (Stage.EVALUATION, True),
        (Stage.REWARD, False),
        (Stage.CLOSED, False),
    ],
)
def test_open_only_in_the_final_evaluation(world, stage, is_open):
    assert (survey_open_reason(move_to(world.cycle, stage)) is None) == is_open


def test_a_student_answers_once_every_question(world, cycle, enrollment):
    response = submit(world, cycle, enrollment)
    assert (response.respondent, response.audience, response.enrollment) == (
        world.student,
        "student",
        enrollment,
    )
    assert response.answers.count() == len(questions(cycle, "student"))
    with pytest.raises(SurveyError, match="already answered"):
        submit(world, cycle, enrollment)
    assert SurveyResponse.objects.count() == 1


def test_a_mentor_answers_as_a_mentor(world, cycle, engagement):
    response = submit_survey(
        cycle=cycle,
        respondent=world.mentor,
        audience="mentor",
        participation=engagement,
        answers=full_answers(cycle, "mentor", value=4),
    )
    given = list(response.answers.values_list("value", "text"))
    assert sorted(given, key=str) == [(4, ""), (4, ""), (None, "Good year.")]


def test_free_text_is_optional_and_blank_text_is_not_kept(world, cycle, enrollment):
    response = submit(world, cycle, enrollment, full_answers(cycle, "student", text="  "))
    assert not response.answers.exclude(text="").exists()
    assert response.answers.count() == 3


@pytest.mark.parametrize(
    "change, message",
    [
        ({"value": 6}, "from 1 to 5"),
        ({"value": 0}, "from 1 to 5"),
        ({"value": "5"}, "from 1 to 5"),
        ({"text": 5}, "as text"),
        ({"text": "x" * 4001}, "at most 4000"),
    ],
)
def test_bad_answers_save_nothing(world, cycle, enrollment, change, message):
    with pytest.raises(SurveyError, match=message):
        submit(world, cycle, enrollment, full_answers(cycle, "student", **change))
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


def test_every_agreement_question_must_be_answered(world, cycle, enrollment):
    answers = full_answers(cycle, "student")
    answers.pop(questions(cycle, "student")[0].pk)
    with pytest.raises(SurveyError, match="from 1 to 5"):
        submit(world, cycle, enrollment, answers)


def test_questions_of_the_other_audience_are_refused(world, cycle, enrollment):
    answers = {**full_answers(cycle, "student"), **full_answers(cycle, "mentor")}
    with pytest.raises(SurveyError, match="only the questions"):
        submit(world, cycle, enrollment, answers)


def test_closed_survey_takes_nothing(world, enrollment):
    cycle = move_to(world.cycle, Stage.REWARD)
    with pytest.raises(SurveyError, match="closed"):
        submit(world, cycle, enrollment)
    assert not SurveyResponse.objects.exists()


def test_only_people_the_survey_asks(world, cycle, enrollment, engagement):
    with pytest.raises(SurveyError, match="not asked"):
        submit(world, cycle, enrollment, respondent=world.other_student)
    with pytest.raises(SurveyError, match="not asked"):
        submit(world, cycle, engagement)  # a mentor's engagement as a student
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save()
    with pytest.raises(SurveyError, match="not asked"):
        submit(world, cycle, enrollment)


# The page


def test_the_page_asks_in_the_readers_language_and_thanks_afterwards(client, world, cycle):
    client.force_login(world.student)
    page = client.get(url(cycle), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Overall, I am satisfied with the program." in page
    assert "Strongly disagree" in page and "Strongly agree" in page
    assert "final once submitted" in page
    response = client.post(url(cycle), post_data(cycle, "student", value=4, text="More salons"))
    assert response.status_code == 302 and response["Location"] == url(cycle)
    page = client.get(url(cycle)).content.decode()
    assert "Thank you" in page and "More salons" in page and "4 · Agree" in page
    assert '<form method="post" novalidate class="survey-form">' not in page


def test_the_page_in_chinese(client, world, cycle):
    world.student.preferred_language = "zh-hans"
    world.student.save()
    client.force_login(world.student)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(url(cycle)).content.decode()
    assert "总体而言，我对本项目感到满意。" in page


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, world, cycle):
    client.force_login(world.student)
    data = post_data(cycle, "student", text="Keep this comment")
    first = questions(cycle, "student")[0]
    del data[f"q{first.pk}"]
    response = client.post(url(cycle), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose an answer from 1 to 5." in page
    assert "Keep this comment" in page
    assert page.count("checked") == 2  # the other two agreement answers stay chosen
    assert not SurveyResponse.objects.exists()


def test_a_second_post_is_refused_on_the_form(client, world, cycle, enrollment):
    submit(world, cycle, enrollment)
    client.force_login(world.student)
    response = client.post(url(cycle), post_data(cycle, "student", text="Again"), follow=True)
    assert "already answered" in response.content.decode()
    assert SurveyAnswer.objects.filter(text="Again").count() == 0


def test_closed_page_says_so(client, world):
    cycle = move_to(world.cycle, Stage.CLOSED)
    client.force_login(world.student)
    page = client.get(url(cycle)).content.decode()
    assert "The survey has closed." in page and "survey-form" not in page


def test_anonymous_goes_to_login(client, cycle):
    response = client.get(url(cycle))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsiders_get_404_and_staff_403(client, world, cycle):
    outsider = f.EnrollmentFactory(cycle=world.other_cycle).student.user
    for user, audience, status in (
        (outsider, "student", 404),
        (world.other_mentor, "mentor", 404),
        (world.student, "mentor", 404),
        (world.student, "nobody", 404),
        (world.coordinator, "student", 403),
        (world.steering, "mentor", 403),
    ):
        client.force_login(user)
        assert client.get(url(cycle, audience)).status_code == status, (user, audience)
    unmatched = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.APPLIED).student.user
    declined = f.EngagementFactory(cycle=cycle, status=EngagementStatus.DECLINED).mentor.user
    client.force_login(unmatched)
    assert client.get(url(cycle)).status_code == 404
    client.force_login(declined)
    assert client.get(url(cycle, "mentor")).status_code == 404
