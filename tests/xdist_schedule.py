"""pytest-xdist's ``--dist loadfile`` with a test that kills its worker.

pytest-timeout's thread method ends a hung test by ending its process. xdist
then reports the test as crashed and starts a new worker, but its loadfile
scheduler puts the whole file back in the queue, the crashed test included:
each new worker ran the hung test again until xdist gave up on the run, and
the rest of the suite never ran. Here the crashed test counts as done (xdist
reports it failed, once) and only the rest of its file goes back.
"""

from xdist.scheduler import LoadFileScheduling


class CrashOnceLoadFileScheduling(LoadFileScheduling):
    def remove_node(self, node):
        workload = self.assigned_work.pop(node)
        pending = [
            (unit, nodeid)
            for unit in workload.values()
            for nodeid, completed in unit.items()
            if not completed
        ]
        if not pending:
            return None
        unit, crashed = pending[0]
        unit[crashed] = True
        self.workqueue.update(
            (scope, unit) for scope, unit in workload.items() if not all(unit.values())
        )
        for other in self.assigned_work:
            self._reschedule(other)
        return crashed
