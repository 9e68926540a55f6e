"""The evaluation page of a cycle in the admin: who may look and compute,
the tables, the drill-down to evidence, the completion check, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import evaluation as evaluation_module
from assessments import evaluation_review
from assessments.models import Evaluation, EvaluationStatus, Score, Standing
from mentorship.models import Enrollment
from programs.evaluation_rules import Measure
from programs.models import Stage
from tests import factories as f

from .evaluation_helpers import compute, evaluating, populate, version

pytestmark = pytest.mark.django_db


def url(cycle, view="cycle", *args):
    return reverse(f"admin:assessments_evaluation_{view}", args=[cycle.pk, *args])


@pytest.fixture
def cycle(world):
    cycle = evaluating(world.cycle)
    populate(cycle, students=3, judge_user=world.steering)
    return cycle


def test_the_coordinator_computes_and_reviews(
    client, world, cycle, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    assert page.status_code == 200
    assert "Compute" in page.text
    # The task is queued on commit; without Redis it then runs in-process.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(url(cycle, "compute"), follow=True)
    assert len(queued) == 1
    assert "The computation has started." in response.text
    response = client.get(url(cycle))
    evaluation = Evaluation.objects.get(cycle=cycle)
    assert evaluation.status == EvaluationStatus.COMPUTED
    assert evaluation.computed_by == world.coordinator
    assert evaluation.progress_done == evaluation.progress_total > 0
    assert "Re-compute" in response.text
    # The world's student, the three added, all with a rank.
    rows = response.context["page"].object_list
    assert len(rows) == Enrollment.objects.filter(cycle=cycle, status="matched").count() == 4
    assert [row.standing.rank for row in rows] == sorted(row.standing.rank for row in rows)
    for tab in ("mentors", "groups", "completion"):
        assert client.get(url(cycle), {"tab": tab}).status_code == 200


def test_sorting_and_pages(client, world, cycle, monkeypatch):
    compute(cycle, world.coordinator)
    client.force_login(world.coordinator)
    by_total = client.get(url(cycle), {"sort": "-total"}).context["page"].object_list
    totals = [row.standing.total for row in by_total]
    assert totals == sorted(totals, key=lambda t: (t is None, -(t or 0)))
    judged = Score.objects.filter(criterion__code="student_judged").first().criterion_id
    by_judged = client.get(url(cycle), {"sort": f"c{judged}"}).context["page"].object_list
    values = [
        row.scores[[c.pk for c in row_criteria(client, cycle)].index(judged)] for row in by_judged
    ]
    ordered = [score.value for score in values if score.value is not None]
    assert ordered == sorted(ordered)
    monkeypatch.setattr(evaluation_review, "PAGE_SIZE", 3)
    second = client.get(url(cycle), {"page": 2}).context["page"]
    assert second.number == 2 and len(second.object_list) == 1


@pytest.mark.parametrize("sort", ["c\u00b2", "-c" + "9" * 5000, "c", "c0", "cabc"])
def test_a_sort_that_names_no_criterion_falls_back_to_the_rank(client, world, cycle, sort):
    compute(cycle, world.coordinator)
    client.force_login(world.coordinator)
    response = client.get(url(cycle), {"sort": sort})
    assert response.status_code == 200
    assert response.context["sort"] == "rank"


def row_criteria(client, cycle):
    return client.get(url(cycle)).context["criteria"]


def test_drill_down_totals_equal_the_score(client, world, cycle):
    evaluation = compute(cycle, world.coordinator)
    client.force_login(world.coordinator)
    scores = Score.objects.filter(evaluation=evaluation).select_related("criterion")
    measures = set()
    for score in scores:
        page = client.get(url(cycle, "evidence", score.pk))
        assert page.status_code == 200
        figure = page.context["evidence"].figure
        assert (figure is None) == (score.raw is None), score.criterion.code
        if figure is not None:
            assert figure == pytest.approx(score.raw), score.criterion.code
            measures.add(score.criterion.measure)
        assert page.context["matches"]
    # Every measure had evidence for someone.
    assert measures == set(Measure)


def test_changed_records_are_flagged_on_the_drill_down(client, world, cycle):
    evaluation = compute(cycle, world.coordinator)
    enrollment = Enrollment.objects.get(cycle=cycle, student__user=world.student)
    version(
        f.RequirementFactory(cycle=cycle, kind_code="internship_report"),
        enrollment,
        decision="accepted",
    )
    score = Score.objects.get(
        evaluation=evaluation, criterion__code="student_deliverables", enrollment=enrollment
    )
    client.force_login(world.coordinator)
    page = client.get(url(cycle, "evidence", score.pk))
    assert not page.context["matches"]
    assert "re-compute" in page.text


def test_anonymous_go_to_the_login(client, cycle):
    for target in (url(cycle), url(cycle, "progress")):
        response = client.get(target)
        assert response.status_code == 302
        assert reverse("admin:login") in response.url
    assert client.post(url(cycle, "compute")).status_code == 302
    assert not Evaluation.objects.filter(cycle=cycle, computed_at__isnull=False).exists()


def test_mentors_and_students_have_no_admin(client, world, cycle):
    for person in (world.mentor, world.student):
        client.force_login(person)
        assert client.get(url(cycle)).status_code == 302
        assert client.post(url(cycle, "compute")).status_code == 302
    assert not Standing.objects.exists()


def test_staff_of_another_program_get_404(client, world, cycle):
    evaluation = compute(cycle, world.coordinator)
    score = Score.objects.filter(evaluation=evaluation).first()
    client.force_login(world.other_coordinator)
    assert client.get(url(cycle)).status_code == 404
    assert client.get(url(cycle, "evidence", score.pk)).status_code == 404
    assert client.post(url(cycle, "compute")).status_code == 404
    assert client.get(url(cycle, "progress")).status_code == 404
    # A score of another cycle is not found through this one.
    client.force_login(world.coordinator)
    assert client.get(url(world.other_cycle, "evidence", score.pk)).status_code == 404


def test_compute_is_post_only(client, world, cycle):
    client.force_login(world.coordinator)
    assert client.get(url(cycle, "compute")).status_code == 405
    assert not Evaluation.objects.filter(cycle=cycle, computed_at__isnull=False).exists()


def test_steering_members_look_but_do_not_compute_or_see_judgments(client, world, cycle):
    evaluation = compute(cycle, world.coordinator)
    client.force_login(world.steering)
    page = client.get(url(cycle))
    assert page.status_code == 200
    assert 'value="Re-compute"' not in page.text
    assert "shown once the evaluation is finalized" in page.text
    assert client.post(url(cycle, "compute")).status_code == 403
    judged_code = f"c{Score.objects.filter(criterion__code='student_judged').first().criterion_id}"
    assert client.get(url(cycle), {"sort": judged_code}).context["sort"] == "rank"
    judged = Score.objects.filter(
        evaluation=evaluation, criterion__code="student_judged", raw__isnull=False
    ).first()
    drill = client.get(url(cycle, "evidence", judged.pk))
    assert drill.context["evidence"] is None
    evaluation.status = EvaluationStatus.FINALIZED
    evaluation.finalized_at, evaluation.finalized_by = timezone.now(), world.coordinator
    evaluation.save()
    assert client.get(url(cycle, "evidence", judged.pk)).context["evidence"].rows


def test_compute_is_refused_outside_the_stage_and_once_finalized(client, world, cycle):
    client.force_login(world.coordinator)
    cycle.stage = Stage.TRACKING
    cycle.save()
    response = client.post(url(cycle, "compute"), follow=True)
    assert "final evaluation stage" in response.text
    assert not Standing.objects.exists()
    cycle.stage = Stage.EVALUATION
    cycle.save()
    Evaluation.objects.filter(cycle=cycle).update(
        status=EvaluationStatus.FINALIZED,
        finalized_at=timezone.now(),
        finalized_by=world.coordinator,
    )
    response = client.post(url(cycle, "compute"), follow=True)
    assert "finalized" in response.text
    assert not Standing.objects.exists()
    assert 'value="Compute"' not in response.text


def test_a_failed_computation_is_not_reported_as_computed(client, world, cycle, monkeypatch):
    compute(cycle, world.coordinator)

    def fail(*args):
        raise evaluation_module.EvaluationError("BOOM")

    # As without Redis, outside a test's transaction: the run ends before the answer.
    monkeypatch.setattr("programs.tasks_util.transaction.on_commit", lambda run: run())
    monkeypatch.setattr(evaluation_module, "score_rows", fail)
    client.force_login(world.coordinator)
    response = client.post(url(cycle, "compute"), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["BOOM"]
    assert Evaluation.objects.get(cycle=cycle).status == EvaluationStatus.COMPUTED


def test_progress_polls_while_computing_then_refreshes(client, world, cycle):
    client.force_login(world.coordinator)
    evaluation = Evaluation.objects.get(cycle=cycle)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.COMPUTING, progress_done=3, progress_total=16
    )
    page = client.get(url(cycle))
    assert f'hx-get="{url(cycle, "progress")}"' in page.text
    partial = client.get(url(cycle, "progress"), headers={"HX-Request": "true"})
    assert "3 of 16 steps" in partial.text
    compute(cycle, world.coordinator)
    done = client.get(url(cycle, "progress"), headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


def test_completion_check_lists_who_misses_what(client, world, cycle):
    client.force_login(world.coordinator)
    page = client.get(url(cycle), {"tab": "completion"})
    rows = page.context["page"].object_list
    # populate() gives every other student an accepted career plan; nobody has the rest.
    requirements = page.context["requirements"]
    assert [r.kind.code for r in requirements] == ["career_plan"]
    states = {str(enrollment.student): [state for state, _ in cells] for enrollment, cells in rows}
    assert str(world.student.student_profile) in states
    assert sorted(s[0] for s in states.values()) == ["missing", "waiting", "waiting"]


def grow(cycle, world, size, tag):
    populate(cycle, students=size, judge_user=world.steering, tag=tag)


def count(client, target, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("tab", ["students", "mentors", "groups", "completion"])
def test_page_queries_do_not_grow(client, world, tab):
    cycle = evaluating(world.cycle)
    grow(cycle, world, 2, "a")
    client.force_login(world.coordinator)
    compute(cycle, world.coordinator)
    small = count(client, url(cycle), tab=tab, sort="-total")
    grow(cycle, world, 6, "b")
    compute(cycle, world.coordinator)
    assert count(client, url(cycle), tab=tab, sort="-total") == small


def test_compute_queries_do_not_grow(world):
    cycle = evaluating(world.cycle)
    grow(cycle, world, 2, "a")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            compute(cycle, world.coordinator)
        return len(captured)

    small = queries()
    grow(cycle, world, 6, "b")
    assert queries() == small


def test_drill_down_queries_do_not_grow(client, world):
    cycle = evaluating(world.cycle)
    evaluation = populate(cycle, students=2, judge_user=world.steering)
    compute(cycle, world.coordinator)
    client.force_login(world.coordinator)

    def counts():
        scores = Score.objects.filter(
            evaluation=evaluation, enrollment__student__user=world.student
        )
        return {s.criterion_id: count(client, url(cycle, "evidence", s.pk)) for s in scores}

    small = counts()
    populate(cycle, students=4, judge_user=world.steering, tag="b")
    compute(cycle, world.coordinator)
    assert counts() == small


def test_the_cycle_page_links_to_the_evaluation(client, world, cycle):
    client.force_login(world.steering)
    page = client.get(reverse("admin:programs_cycle_change", args=[cycle.pk]))
    assert url(cycle) in page.text
    tracking = f.CycleFactory(program=world.program, name="2028-2029", stage=Stage.TRACKING)
    page = client.get(reverse("admin:programs_cycle_change", args=[tracking.pk]))
    assert url(tracking) not in page.text


def test_the_evaluation_list_links_each_page_and_does_not_grow(client, world):
    def add(n):
        for _ in range(n):
            cycle = evaluating(f.CycleFactory(program=world.program))
            compute(cycle, world.coordinator)

    client.force_login(world.coordinator)
    changelist = reverse("admin:assessments_evaluation_changelist")
    add(1)
    small = count(client, changelist)
    add(3)
    page = client.get(changelist)
    assert count(client, changelist) == small
    cycle = Evaluation.objects.last().cycle
    assert url(cycle) in page.text
