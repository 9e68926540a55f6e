"""Cycles closed before closing ended contracts are brought in line by
mentorship 0013: a closed cycle reads the same whenever it was closed."""

import importlib

from django.apps import apps

from mentorship.models import EngagementStatus, EnrollmentStatus
from programs.models import Stage
from tests import factories as f

migration = importlib.import_module("mentorship.migrations.0013_end_contracts_of_closed_cycles")


def test_closed_cycles_end_their_contracts_and_open_ones_keep_theirs(db):
    closed = f.CycleFactory(stage=Stage.CLOSED)
    running = f.CycleFactory(program=closed.program, stage=Stage.TRACKING)
    old_contract = f.EngagementFactory(cycle=closed, status=EngagementStatus.ACCEPTED)
    declined = f.EngagementFactory(cycle=closed, status=EngagementStatus.DECLINED)
    current = f.EngagementFactory(cycle=running, status=EngagementStatus.ACCEPTED)
    old_place = f.EnrollmentFactory(cycle=closed, status=EnrollmentStatus.MATCHED)
    never_matched = f.EnrollmentFactory(cycle=closed, status=EnrollmentStatus.WAITLISTED)
    current_place = f.EnrollmentFactory(cycle=running, status=EnrollmentStatus.MATCHED)

    migration.end_contracts(apps, None)

    def status(row):
        row.refresh_from_db(fields=["status"])
        return row.status

    assert status(old_contract) == EngagementStatus.ENDED
    assert status(old_place) == EnrollmentStatus.FINISHED
    assert status(declined) == EngagementStatus.DECLINED
    assert status(never_matched) == EnrollmentStatus.WAITLISTED
    assert status(current) == EngagementStatus.ACCEPTED
    assert status(current_place) == EnrollmentStatus.MATCHED
