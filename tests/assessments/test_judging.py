"""Steering members score on their own: save, validate, withdraw, and
refusals outside the final evaluation and once the evaluation is finalized."""

import pytest

from assessments.judging import (
    JudgingError,
    JudgmentRow,
    evaluation_of,
    judging_progress,
    save_judgments,
)
from assessments.models import Evaluation, Judgment
from programs.models import Cycle, Stage
from tests import factories as f

from .judging_setup import finalize, judge_url, judging_world, judgment, overview_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def jw(world):
    return judging_world(world)


def student_field(jw, name):
    return f"{name}-{jw.enrollment.pk}-{jw.student_judged.pk}"


def test_the_service_creates_the_evaluation_and_saves_only_the_judges_rows(world, jw):
    other = judgment(world, jw.second, jw.student_judged, 3, enrollment=jw.enrollment)
    evaluation = evaluation_of(world.cycle)
    rows = [
        JudgmentRow(jw.student_judged, jw.enrollment.pk, 8, "Steady work"),
        JudgmentRow(jw.group_judged, world.team.pk, 6),
    ]
    assert save_judgments(evaluation=evaluation, judge=world.steering, rows=rows) == (2, 0)
    mine = Judgment.objects.filter(judge=world.steering)
    assert sorted(j.score for j in mine) == [6, 8]
    other.refresh_from_db()
    assert other.score == 3
    # Saving again updates; an empty score withdraws.
    rows = [
        JudgmentRow(jw.student_judged, jw.enrollment.pk, 9, "Better"),
        JudgmentRow(jw.group_judged, world.team.pk, None),
    ]
    assert save_judgments(evaluation=evaluation, judge=world.steering, rows=rows) == (1, 1)
    assert list(mine.values_list("score", "comment")) == [(9, "Better")]
    assert Evaluation.objects.get(cycle=world.cycle).status == "new"


@pytest.mark.parametrize(
    "problem",
    ["coordinator", "stage", "finalized", "foreign_subject", "other_criterion", "range"],
)
def test_the_service_refuses_what_must_not_hold(world, jw, problem):
    judge, subject_id, score, crit = world.steering, jw.enrollment.pk, 7, jw.student_judged
    if problem == "coordinator":
        judge = world.coordinator
    elif problem == "stage":
        Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.REWARD)
    elif problem == "finalized":
        judgment(world, world.steering, jw.student_judged, 5, enrollment=jw.enrollment)
        finalize(world)
    elif problem == "foreign_subject":
        subject_id = f.EnrollmentFactory(cycle=world.other_cycle).pk
    elif problem == "other_criterion":
        crit = f.ProgramFactory().rubriccriterion_set.get(code="student_judged")
    else:
        score = 11
    before = list(Judgment.objects.values_list("pk", "score"))
    with pytest.raises(JudgingError):
        save_judgments(
            evaluation=evaluation_of(world.cycle),
            judge=judge,
            rows=[JudgmentRow(crit, subject_id, score)],
        )
    assert list(Judgment.objects.values_list("pk", "score")) == before


def test_progress_counts_what_the_judge_gave_out_of_all(world, jw):
    # One student, one mentor, one group, one judged criterion each.
    assert judging_progress(evaluation_of(world.cycle), world.steering).to_score == 3
    judgment(world, world.steering, jw.mentor_judged, 7, engagement=jw.engagement)
    judgment(world, jw.second, jw.group_judged, 7, group=world.team)
    progress = judging_progress(evaluation_of(world.cycle), world.steering)
    assert (progress.scored, progress.to_score, progress.remaining) == (1, 3, 2)


def test_a_judge_saves_scores_typed_on_the_page(client, world, jw):
    client.force_login(world.steering)
    page = client.get(judge_url(world.cycle))
    assert page.status_code == 200
    assert "Stu Student" in page.text and "Max Mentor" in page.text  # the student's mentor
    assert "Finance team" in page.text  # the student's group
    response = client.post(
        judge_url(world.cycle),
        {student_field(jw, "score"): "8", student_field(jw, "comment"): "Keen"},
    )
    assert response.status_code == 302
    saved = Judgment.objects.get(judge=world.steering)
    assert (saved.score, saved.comment, saved.enrollment) == (8, "Keen", jw.enrollment)
    assert "1 judgment saved" in client.get(response.url).text


@pytest.mark.parametrize("bad", ["0", "11", "eight"])
def test_bad_scores_are_named_and_nothing_on_the_page_is_saved(client, world, jw, bad):
    client.force_login(world.steering)
    group_field = f"score-{world.team.pk}-{jw.group_judged.pk}"
    response = client.post(
        judge_url(world.cycle, kind="group"),
        {group_field: bad, f"comment-{world.team.pk}-{jw.group_judged.pk}": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[group_field]
    assert "Nothing on this page was saved" in response.text
    assert not Judgment.objects.exists()


@pytest.mark.parametrize("subject", ["\u00b2", "1" * 30, "0"])
def test_a_field_name_without_a_valid_subject_id_is_ignored(client, world, jw, subject):
    client.force_login(world.steering)
    response = client.post(
        judge_url(world.cycle),
        {f"score-{subject}-{jw.student_judged.pk}": "8", student_field(jw, "score"): "7"},
    )
    assert response.status_code == 302
    assert Judgment.objects.get(judge=world.steering).score == 7


def test_a_comment_needs_a_score(client, world, jw):
    client.force_login(world.steering)
    response = client.post(judge_url(world.cycle), {student_field(jw, "comment"): "Why?"})
    assert response.status_code == 200
    assert "with your comment" in response.text
    assert not Judgment.objects.exists()


@pytest.mark.parametrize("closed", ["finalized", "reward", "closed"])
def test_the_page_is_read_only_and_refuses_posts_when_judging_is_closed(client, world, jw, closed):
    judgment(world, world.steering, jw.student_judged, 5, enrollment=jw.enrollment)
    if closed == "finalized":
        finalize(world)
    else:
        Cycle.objects.filter(pk=world.cycle.pk).update(stage=closed)
    client.force_login(world.steering)
    page = client.get(judge_url(world.cycle))
    assert page.status_code == 200 and page.context["form"] is None
    assert "read-only" in page.text
    response = client.post(judge_url(world.cycle), {student_field(jw, "score"): "9"}, follow=True)
    assert Judgment.objects.get().score == 5
    assert any(
        "judgments can no longer change" in str(m) or "evaluation stage" in str(m)
        for m in response.context["messages"]
    )


def test_search_filter_and_pages(client, world, jw):
    for number in range(55):
        f.EnrollmentFactory(cycle=world.cycle, student__user__full_name=f"Zed {number:02}")
    client.force_login(world.steering)
    first = client.get(judge_url(world.cycle))
    assert len(first.context["rows"]) == 50
    assert first.context["page_obj"].paginator.count == 56
    second = client.get(judge_url(world.cycle, page=2))
    assert len(second.context["rows"]) == 6
    found = client.get(judge_url(world.cycle, q="stu"))
    assert [row.name for row in found.context["rows"]] == ["Stu Student"]
    judgment(world, world.steering, jw.student_judged, 5, enrollment=jw.enrollment)
    todo = client.get(judge_url(world.cycle, todo=1))
    assert "Stu Student" not in [row.name for row in todo.context["rows"]]
    assert todo.context["page_obj"].paginator.count == 55
    mentors = client.get(judge_url(world.cycle, kind="mentor"))
    assert [row.name for row in mentors.context["rows"]] == ["Max Mentor"]


def test_paging_saves_what_was_typed_first(client, world, jw):
    for number in range(55):
        f.EnrollmentFactory(cycle=world.cycle, student__user__full_name=f"Zed {number:02}")
    client.force_login(world.steering)
    page = client.get(judge_url(world.cycle, q="", todo=""))
    # Paging is a button of the scores' form, and leaving otherwise asks first.
    assert '<button type="submit" name="goto" value="2">' in page.text
    assert "data-warn-unsaved" in page.text and "js/unsaved.js" in page.text
    assert "page=2" not in page.text
    response = client.post(
        judge_url(world.cycle, q=""), {student_field(jw, "score"): "6", "goto": "2"}
    )
    assert response.status_code == 302 and "page=2" in response.url and "q=" in response.url
    assert Judgment.objects.get(judge=world.steering).score == 6
    assert len(client.get(response.url).context["rows"]) == 6


def test_paging_with_a_bad_score_stays_and_saves_nothing(client, world, jw):
    client.force_login(world.steering)
    response = client.post(judge_url(world.cycle), {student_field(jw, "score"): "12", "goto": "2"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Judgment.objects.exists()


def test_paging_without_changes_just_pages(client, world, jw):
    client.force_login(world.steering)
    response = client.post(judge_url(world.cycle), {"goto": "2"}, follow=True)
    assert response.redirect_chain[0][0].endswith("page=2")
    assert not [str(m) for m in response.context["messages"]]


def test_the_overview_pages_by_links(client, world, jw):
    for number in range(55):
        f.EnrollmentFactory(cycle=world.cycle, student__user__full_name=f"Zed {number:02}")
    client.force_login(world.coordinator)
    page = client.get(overview_url(world.cycle))
    assert "page=2" in page.text and 'name="goto"' not in page.text
