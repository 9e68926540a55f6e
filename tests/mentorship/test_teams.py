"""The pure team split: hand-made cases and properties. No database."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorship.teams import TeamMentor, team_sizes, team_split

PROPERTIES = settings(max_examples=500, deadline=None, derandomize=True, database=None)

DISCIPLINES = ["Accounting", "Finance", "Law", "Marketing", "Computer science"]
INDUSTRIES = ["Banking", "Energy", "Software", "Retail"]

mentor_lists = st.lists(
    st.tuples(st.sampled_from(DISCIPLINES), st.sampled_from(INDUSTRIES), st.integers(0, 5)),
    max_size=40,
).map(lambda rows: [TeamMentor(i + 1, *row) for i, row in enumerate(rows)])


@pytest.mark.parametrize(
    "count, sizes",
    [
        (0, []),
        (1, [1]),
        (2, [2]),
        (3, [3]),
        (4, [4]),
        (5, [3, 2]),
        (6, [3, 3]),
        (7, [3, 4]),
        (8, [3, 3, 2]),
        (10, [3, 3, 4]),
    ],
)
def test_sizes_leave_at_most_one_team_off_three(count, sizes):
    assert team_sizes(count) == sizes


@pytest.mark.parametrize("count, sizes", [(4, [2, 2]), (7, [3, 2, 2]), (6, [3, 3]), (2, [2])])
def test_a_maximum_makes_smaller_teams_instead(count, sizes):
    assert team_sizes(count, 3, 3) == sizes


def test_same_discipline_mentors_share_teams():
    mentors = [
        TeamMentor(1, "Law", "Banking"),
        TeamMentor(2, "Accounting", "Banking"),
        TeamMentor(3, "Law", "Energy"),
        TeamMentor(4, "Accounting", "Energy"),
        TeamMentor(5, "Law", "Banking"),
        TeamMentor(6, "Accounting", "Banking"),
    ]
    assert team_split(mentors) == [[2, 4, 6], [1, 3, 5]]


def test_case_and_spaces_do_not_separate_a_discipline():
    mentors = [(1, "law ", "x", 0), (2, "LAW", "y", 0), (3, "Law", "x", 0)]
    assert team_split(mentors) == [[1, 2, 3]]


def test_leftovers_of_disciplines_join_by_shared_industry():
    mentors = [
        *(TeamMentor(i, "Accounting", "Banking") for i in (1, 2, 3, 4)),
        TeamMentor(5, "Finance", "Banking"),
        TeamMentor(6, "Law", "Retail"),
        TeamMentor(7, "Marketing", "Retail"),
        TeamMentor(8, "Finance", "Banking"),
    ]
    teams = team_split(mentors)
    assert sorted(map(len, teams)) == [2, 3, 3]
    assert [1, 2, 3] in teams or [1, 2, 4] in teams or [2, 3, 4] in teams
    assert [6, 7] in teams


def test_students_are_balanced_between_equal_mentors():
    mentors = [
        TeamMentor(i, "Law", "Banking", students)
        for i, students in enumerate([5, 5, 5, 1, 1, 1], start=1)
    ]
    totals = [sum(mentors[i - 1].students for i in team) for team in team_split(mentors)]
    assert sorted(totals) == [7, 11]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        team_split([TeamMentor(1), TeamMentor(1)])
    with pytest.raises(ValueError):
        team_split([TeamMentor(1)], size=0)
    with pytest.raises(ValueError):
        team_split([TeamMentor(1)], size=3, max_size=2)


@PROPERTIES
@given(mentor_lists)
def test_every_mentor_is_in_exactly_one_team(mentors):
    teams = team_split(mentors)
    placed = [mentor for team in teams for mentor in team]
    assert sorted(placed) == sorted(m.id for m in mentors)
    assert all(teams)


@PROPERTIES
@given(mentor_lists, st.integers(1, 6))
def test_sizes_are_within_bounds(mentors, size):
    teams = team_split(mentors, size=size)
    lengths = [len(team) for team in teams]
    if not mentors:
        assert teams == []
        return
    assert max(lengths) - min(lengths) <= 1
    assert len(teams) == max(1, int(Fraction(len(mentors), size) + Fraction(1, 2)))
    if size == 3 and len(mentors) >= 3:
        assert sum(length != 3 for length in lengths) <= 1
        assert set(lengths) <= {2, 3, 4}


@PROPERTIES
@given(mentor_lists, st.integers(1, 4), st.integers(0, 2))
def test_max_size_is_never_exceeded(mentors, size, slack):
    teams = team_split(mentors, size=size, max_size=size + slack)
    assert all(len(team) <= size + slack for team in teams)
    assert sorted(i for team in teams for i in team) == sorted(m.id for m in mentors)


@PROPERTIES
@given(mentor_lists, st.randoms(use_true_random=False))
def test_deterministic_and_invariant_under_input_order(mentors, random):
    first = team_split(mentors)
    assert team_split(list(mentors)) == first
    shuffled = list(mentors)
    random.shuffle(shuffled)
    assert team_split(shuffled) == first


@PROPERTIES
@given(mentor_lists)
def test_a_discipline_fills_whole_teams_before_mixing(mentors):
    discipline = {m.id: m.discipline for m in mentors}
    together = {}
    for team in team_split(mentors):
        for name in {discipline[i] for i in team}:
            here = sum(discipline[i] == name for i in team)
            if here >= 3:
                together[name] = together.get(name, 0) + here
    for name in set(discipline.values()):
        count = sum(d == name for d in discipline.values())
        assert together.get(name, 0) >= count - count % 3
