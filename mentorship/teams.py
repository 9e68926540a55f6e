"""Suggested split of a cycle's matched mentors into teams of related mentors.

Plain Python on plain data: no Django here, so the rule can be tested on its
own and the admin page only turns its answer into groups.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TeamMentor:
    """One mentor to place: ``id`` must be unique; ``students`` is how many
    students the mentor was matched with."""

    id: int
    discipline: str = ""
    industry: str = ""
    students: int = 0


def _norm(text):
    return " ".join((text or "").split()).casefold()


def team_sizes(count, size=3, max_size=None):
    """The sizes of the teams ``count`` mentors are split into.

    ``round(count / size)`` teams (halves up, at least one), or more when that
    would put more than ``max_size`` mentors in a team; sizes differ by at most
    one; teams of exactly ``size`` come first.
    """
    if count <= 0:
        return []
    teams = max(1, (2 * count + size) // (2 * size))
    if max_size:
        teams = max(teams, -(-count // max_size))
    small, extra = divmod(count, teams)
    sizes = [small + 1] * extra + [small] * (teams - extra)
    return sorted(sizes, key=lambda s: (s != size, -s))


def _pool_order(blocks):
    """Chain leftover blocks (one per discipline) so neighbours share industries."""
    remaining = sorted(blocks, key=lambda block: (-len(block), block[0][0], block[0][2]))
    ordered = []
    tail = set()
    while remaining:
        best = max(
            range(len(remaining)),
            key=lambda i: (len(tail & {m[1] for m in remaining[i]}), -i),
        )
        block = remaining.pop(best)
        ordered.extend(block)
        tail = {m[1] for m in block}
    return ordered


def _balance_students(teams, students, keys):
    """Swap mentors of the same discipline and industry between teams while that
    makes the teams' student totals more even. Team make-up by key never changes."""
    where = {mentor: index for index, team in enumerate(teams) for mentor in team}
    totals = [sum(students[m] for m in team) for team in teams]
    by_key = {}
    for mentor in sorted(where):
        by_key.setdefault(keys[mentor], []).append(mentor)
    improved = True
    while improved:
        improved = False
        for group in by_key.values():
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    ta, tb = where[a], where[b]
                    diff = students[a] - students[b]
                    if ta == tb or diff == 0:
                        continue
                    # Moving a to tb and b to ta changes totals by -diff and +diff.
                    before = totals[ta] ** 2 + totals[tb] ** 2
                    after = (totals[ta] - diff) ** 2 + (totals[tb] + diff) ** 2
                    if after < before:
                        totals[ta] -= diff
                        totals[tb] += diff
                        where[a], where[b] = tb, ta
                        improved = True
    result = [[] for _ in teams]
    for mentor, index in where.items():
        result[index].append(mentor)
    return [sorted(team) for team in result]


def team_split(mentors, *, size=3, max_size=None):
    """Split ``mentors`` (``TeamMentor`` or ``(id, discipline, industry,
    students)`` tuples) into teams; returns a list of teams, each a sorted list
    of mentor ids.

    Guarantees:

    * **Everyone once.** Every mentor is in exactly one team; no team is empty.
    * **Sizes.** There are ``round(n / size)`` teams (halves up, at least one),
      and team sizes differ by at most one. With the default ``size=3``: every
      team has three mentors except at most one, which has four when ``n`` is
      one more than a multiple of three and two when it is two more; fewer than
      three mentors make a single team. One team off size is fewer than the
      alternative (two teams of two, or two of four).
    * **A maximum wins.** With ``max_size`` (a program's rule, at least
      ``size``) no team is larger: more, smaller teams are made instead, e.g.
      seven mentors with ``max_size=3`` make teams of 3, 2 and 2.
    * **Related mentors together.** Each discipline first fills as many whole
      teams of ``size`` as it can, mentors of one industry next to each other.
      The remaining mentors of every discipline stay together and are chained so
      that disciplines sharing an industry sit side by side, then cut into the
      remaining teams. Discipline and industry compare ignoring case and spaces.
    * **Students balanced, second.** Mentors with the same discipline and
      industry are swapped between teams while that makes the teams' student
      totals more even (it lowers their sum of squares), never changing which
      disciplines and industries a team holds.
    * **Deterministic.** The answer depends only on the set of mentors: the same
      input in any order gives the same teams, in the same order. No randomness.

    Raises ``ValueError`` for a repeated id or a size below one.
    """
    if size < 1 or (max_size is not None and max_size < size):
        raise ValueError("size must be at least 1 and max_size at least size")
    people = [m if isinstance(m, TeamMentor) else TeamMentor(*m) for m in mentors]
    ids = [m.id for m in people]
    if len(set(ids)) != len(ids):
        raise ValueError("mentor ids must be unique")
    if not people:
        return []
    students = {m.id: m.students for m in people}
    keys = {m.id: (_norm(m.discipline), _norm(m.industry)) for m in people}

    disciplines = {}
    for mentor in sorted(people, key=lambda m: (keys[m.id], m.id)):
        disciplines.setdefault(keys[mentor.id][0], []).append(
            (keys[mentor.id][0], keys[mentor.id][1], mentor.id)
        )
    whole, leftovers = [], []
    for members in disciplines.values():
        cut = len(members) - len(members) % size
        whole.extend(members[i : i + size] for i in range(0, cut, size))
        if cut < len(members):
            leftovers.append(members[cut:])
    pool = _pool_order(leftovers)
    if pool and whole:
        # The last whole team may share a cut with the pool: pick the most related.
        pool_disciplines = {m[0] for m in pool}
        pool_industries = {m[1] for m in pool}
        last = max(
            range(len(whole)),
            key=lambda i: (
                any(m[0] in pool_disciplines for m in whole[i]),
                len({m[1] for m in whole[i]} & pool_industries),
                -i,
            ),
        )
        whole.append(whole.pop(last))
    order = [m[2] for team in whole for m in team] + [m[2] for m in pool]

    teams, start = [], 0
    for length in team_sizes(len(order), size, max_size):
        teams.append(order[start : start + length])
        start += length
    return _balance_students(teams, students, keys)
