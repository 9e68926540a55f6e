"""Time the stable matching at the issue's size against the `matching` library.

    .venv/bin/pip install -r requirements-bench.txt   # the `matching` library
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/matching.py

Generates 11,000 students and 800 mentors (capacity 3-5); each student ranks 5
distinct mentors drawn with a Zipf-like popularity skew, each mentor ranks
everyone who ranked them in random order; the seed is fixed. Prints:

* ``solve_s``: :func:`mentorship.matching.stable_match` alone, best of a few runs;
* ``peer_s`` and ``peer_solve_s``: the `matching` library (``HospitalResident``)
  building its game from the same dictionaries and solving it resident-optimal,
  then its solve step alone, with a check that both give the same assignment;
  ``speedup`` and ``solve_speedup`` are ours against each. If it fails or runs
  over five minutes at full size it is measured at the largest smaller size
  that works, and the output says so;
* ``run_s``: a MatchingRun on PostgreSQL (load the preferences, solve, store
  the preview) over the same instance, inserted in a transaction that is
  rolled back; ``not-measured`` when there is no PostgreSQL or no
  ``mentorship.matching_runs.run_matching`` to call;
* ``end_to_end_s``: what the coordinator does next, in the same transaction,
  page by page with the test client as a superuser: run the matching, open
  the preview (its first page), the commit confirmation and the commit, the
  publish confirmation and the publication. The publication's e-mails are
  queued (a PendingTask), never sent: the line before says how many were
  queued and sent, and each step's time.

Targets (issues 3 and 14): solve <= 0.2 s, end to end <= 5 s, >= 50 times
faster than `matching`. Nothing asserts them: this only prints.
"""

import argparse
import importlib.util
import multiprocessing
import random
import sys
import threading
import time
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This script shares its name with the `matching` package: with its own folder
# first on the path, `import matching` would find the script instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

from benchmarks.matching_db import database_runs  # noqa: E402
from mentorship.matching import stable_match  # noqa: E402

SEED = 2026
CHOICES = 5
# The peer's figures on the last line: its build and solve, its solve alone, ours against each.
PEER_FIGURES = ("peer_s", "peer_solve_s", "speedup", "solve_speedup")


def instance(students, mentors, seed=SEED):
    """(student_prefs, mentor_ranks, capacities) with integer ids from 0."""
    rng = random.Random(seed)
    ids = list(range(mentors))
    # Zipf-like: the k-th most popular mentor is drawn with weight 1/k; who is
    # popular is shuffled so it has nothing to do with the id.
    weights = [1 / rank for rank in range(1, mentors + 1)]
    rng.shuffle(weights)
    cumulative = list(accumulate(weights))
    student_prefs = {}
    for student in range(students):
        chosen = []
        while len(chosen) < min(CHOICES, mentors):
            mentor = rng.choices(ids, cum_weights=cumulative)[0]
            if mentor not in chosen:
                chosen.append(mentor)
        student_prefs[student] = chosen
    mentor_ranks = {mentor: [] for mentor in ids}
    for student, chosen in student_prefs.items():
        for mentor in chosen:
            mentor_ranks[mentor].append(student)
    for ranking in mentor_ranks.values():
        rng.shuffle(ranking)
    capacities = {mentor: rng.randint(3, 5) for mentor in ids}
    return student_prefs, mentor_ranks, capacities


def solve_time(student_prefs, mentor_ranks, capacities, runs):
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = stable_match(student_prefs, capacities, mentor_ranks)
        best = min(best, time.perf_counter() - started)
    return best, result


# The `matching` library, in a child process so a crash or a hang cannot take
# the benchmark with it.


def _peer_child(connection, students, mentors):
    outcome = {}
    try:
        from matching import __version__ as version
        from matching.games import HospitalResident

        outcome["version"] = version
        student_prefs, mentor_ranks, capacities = instance(students, mentors)
        # It warns about a hospital with an empty list; a mentor nobody ranked
        # changes nothing, so leave such mentors out.
        ranked = [m for m, ranking in mentor_ranks.items() if ranking]
        mentor_ranks = {m: mentor_ranks[m] for m in ranked}
        capacities = {m: capacities[m] for m in ranked}

        def work():
            try:
                started = time.perf_counter()
                game = HospitalResident.create_from_dictionaries(
                    student_prefs, mentor_ranks, capacities
                )
                built = time.perf_counter()
                matching = game.solve(optimal="resident")
                solved = time.perf_counter()
                assignment = {s.name: h.name for h, held in matching.items() for s in held}
                outcome["ok"] = (built - started, solved - built, assignment)
            except Exception as error:  # reported in the output, not hidden
                outcome["error"] = f"{type(error).__name__}: {error}"

        # Building the game deep-copies the players, whose preference lists
        # point at each other, so the copy recurses as deep as the instance is
        # large: raise Python's limit and run it on a thread with a deep stack.
        sys.setrecursionlimit(100_000)
        threading.stack_size(512 * 1024 * 1024)
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    except Exception as error:
        outcome["error"] = f"{type(error).__name__}: {error}"
    version = outcome.get("version", "?")
    if "ok" in outcome:
        connection.send(("ok", version, *outcome["ok"]))
    else:
        connection.send(("error", version, outcome.get("error", "no result")))
    connection.close()


def peer(students, mentors, timeout):
    """('ok', version, build_s, solve_s, assignment) or ('error', version, why)."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_peer_child, args=(child, students, mentors))
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            return ("error", "?", f"no answer within {timeout} s")
        return parent.recv()
    except EOFError:
        return ("error", "?", "the process died")
    finally:
        if process.is_alive():
            process.kill()
        process.join()


def peer_measure(students, mentors, timeout):
    """Run the peer at full size, halving the size until it works."""
    failures = []
    size = (students, mentors)
    while size[0] >= 100:
        answer = peer(*size, timeout)
        if answer[0] == "ok":
            return size, answer, failures
        failures.append((size, answer[2]))
        print(f"  `matching` failed at {size[0]} students / {size[1]} mentors: {answer[2]}")
        size = (size[0] // 2, max(size[1] // 2, 1))
    return None, None, failures


def compare(args, result, solve_s):
    """Time the peer and print how it compares; returns its figures as text:
    peer_s (building its game and solving), peer_solve_s (solving alone) and
    our speedup over each."""
    skipped = dict.fromkeys(PEER_FIGURES, "not-measured")
    if importlib.util.find_spec("matching") is None:
        print("peer: not measured: install it with pip install -r requirements-bench.txt")
        return skipped
    size, answer, failures = peer_measure(args.students, args.mentors, args.peer_timeout)
    if answer is None:
        print(f"peer: `matching` failed at every size; last: {failures[-1][1]}")
        return skipped
    _, version, built, solved, assignment = answer
    peer_s, reference, ours, where = built + solved, result, solve_s, ""
    if size != (args.students, args.mentors):
        # Compare like with like: ours at the size the peer managed.
        ours, reference = solve_time(*instance(*size), args.runs)
        where = f" at {size[0]} students / {size[1]} mentors only"
    same = "same assignment" if assignment == reference.assignment else "DIFFERENT assignment"
    print(
        f"peer: `matching` {version}{where}: {peer_s:.3f} s = create_from_dictionaries "
        f"{built:.3f} s + solve {solved:.3f} s; {same} as stable_match ({ours:.3f} s there): "
        f"ours is {peer_s / ours:.0f}x faster than its build and solve, "
        f"{solved / ours:.0f}x faster than its solve alone"
    )
    # The last line marks figures taken at a smaller size, so nobody misreads them.
    mark = f"@{size[0]}students" if where else ""
    return {
        "peer_s": f"{peer_s:.3f}{mark}",
        "peer_solve_s": f"{solved:.3f}{mark}",
        "speedup": f"{peer_s / ours:.0f}x{mark}",
        "solve_speedup": f"{solved / ours:.0f}x{mark}",
    }


def figure(seconds):
    return "not-measured" if seconds is None else f"{seconds:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=11000)
    parser.add_argument("--mentors", type=int, default=800)
    parser.add_argument("--runs", type=int, default=5, help="runs of stable_match; best counts")
    parser.add_argument("--no-peer", action="store_true", help="skip the `matching` library")
    parser.add_argument(
        "--peer-timeout", type=float, default=300, help="seconds before giving up on `matching`"
    )
    args = parser.parse_args()

    student_prefs, mentor_ranks, capacities = instance(args.students, args.mentors)
    solve_s, result = solve_time(student_prefs, mentor_ranks, capacities, args.runs)
    print(
        f"instance: {args.students} students x {CHOICES} choices, {args.mentors} mentors, "
        f"{sum(capacities.values())} places, seed {SEED}"
    )
    first = sum(rank == 1 for rank in result.rank.values())
    print(
        f"solve: {solve_s:.3f} s (best of {args.runs}); {len(result.assignment)} matched, "
        f"{first} with their first choice, {result.proposals} proposals"
    )

    skipped = dict.fromkeys(PEER_FIGURES, "not-measured")
    peer = skipped if args.no_peer else compare(args, result, solve_s)
    run_s, end_to_end_s = database_runs(student_prefs, mentor_ranks, capacities, result.assignment)
    print(
        f"solve_s={solve_s:.3f} run_s={figure(run_s)} end_to_end_s={figure(end_to_end_s)} "
        + " ".join(f"{name}={value}" for name, value in peer.items())
    )


if __name__ == "__main__":
    main()
