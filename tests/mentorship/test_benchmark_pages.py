"""benchmarks/pages.py finds each role's pages on the bulk data: the routes
table still fills their arguments, and every role keeps its home page."""

import sys
from pathlib import Path

import pytest

from .test_seed_demo import seed

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import pages  # noqa: E402
from pages_world import bench_world  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet_repeats(monkeypatch):
    monkeypatch.setattr(pages, "REPEATS", 1)


def test_each_role_gets_its_pages_measured(capsys):
    seed("--students", "60", "--mentors", "12", "--cycles", "3")
    world, users = bench_world(steering_email=pages.STEERING)
    measured, everything = {}, []
    for role in pages.ROLES:
        rows = pages.measure_role(role, users[role], world, timeout=30)
        everything += rows
        measured[role] = {key for _role, key, *_ in rows}
        assert all(isinstance(queries, int) and queries > 0 for *_, queries, _m, _n in rows)
    assert {"coordinator_home", "mentorship.groupmembership.changelist"} <= measured["coordinator"]
    assert "steering_home" in measured["steering"]
    assert {"mentor_home", "review_detail", "mentor_meeting"} <= measured["mentor"]
    assert {"student_home", "preferences", "deliverable_detail"} <= measured["student"]
    # The bulk data's selection, judging, awards and recommendations are measured too.
    assert {
        "admin:mentorship_matchingrun_preview",
        "admin:assessments_award_cycle",
        "admin:assessments_evaluation_cycle",
    } <= measured["coordinator"]
    assert {
        "admin:assessments_judgment_judge",
        "admin:assessments_award_cycle",
    } <= measured["steering"]
    assert {"selection_applicants", "mentor_opportunities", "opportunity_detail"} <= measured[
        "mentor"
    ]
    assert {"selection_mentors", "selection_ranking", "student_opportunities"} <= measured[
        "student"
    ]
    capsys.readouterr()
    pages.summarize(everything)
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith(f"pages={len(everything)} worst_page=")
    assert "baseline_ms=n/a" not in last
