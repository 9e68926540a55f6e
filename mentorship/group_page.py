"""What a group page shows a viewer: members in order, and whose contacts.

Contact details (e-mail, phone) follow the program's ``group_contacts``:

* NAMES: members see names only;
* LEADERS: every member sees the coaches' contacts (chief, leading coaches
  and coaches); coaches see everyone's;
* EVERYONE: every member sees everyone's.

Students placed by a group run and not published yet show only to the
program's staff, marked as such.

Whatever the setting, a member sees their own details, and the program's
coordinators and steering members see everyone's (they run the program).
Guests are professionals like coaches: their e-mail shows wherever the
coaches' contacts show.
"""

from dataclasses import dataclass

from programs.models import GroupContacts, GroupKind, Program

from .models import LEADER_ROLES, GroupMembership, GroupRole, Match

ROLE_ORDER = {GroupRole.CHIEF: 0, GroupRole.LEADING: 1, GroupRole.COACH: 2, GroupRole.STUDENT: 3}


@dataclass
class MemberRow:
    membership: GroupMembership
    person: object
    show_contacts: bool
    mentor_name: str = ""  # a mentor team's student: whose student they are

    @property
    def is_leader(self):
        return self.membership.role in LEADER_ROLES


def sees_contacts(policy, *, viewer_is_coach, member_is_coach):
    if policy == GroupContacts.EVERYONE:
        return True
    if policy == GroupContacts.LEADERS:
        return viewer_is_coach or member_is_coach
    return False


def group_roster(*, group, viewer):
    """The page's rows for ``viewer``, who may see ``group`` (checked first,
    see permissions.get_group_for_user): ``(members, guests_contacts)`` where
    members are MemberRow items, leaders first, then coaches, then students,
    each by name; ``guests_contacts`` says whether guests' e-mails show."""
    staff = viewer.is_superuser or (
        Program.objects.staffed_by(viewer).filter(pk=group.cycle.program_id).exists()
    )
    memberships = GroupMembership.objects.filter(group=group)
    if not staff:
        # Students placed by a group run join the page when the office publishes them.
        memberships = memberships.filter(published_at__isnull=False)
    memberships = list(memberships.select_related("mentor__user", "student__user"))
    mine = [m for m in memberships if (m.mentor or m.student).user_id == viewer.pk]
    viewer_is_coach = any(m.role != GroupRole.STUDENT for m in mine)
    policy = group.cycle.program.group_contacts
    rows = []
    for membership in memberships:
        person = (membership.mentor or membership.student).user
        show = (
            staff
            or person.pk == viewer.pk
            or sees_contacts(
                policy,
                viewer_is_coach=viewer_is_coach,
                member_is_coach=membership.role != GroupRole.STUDENT,
            )
        )
        rows.append(MemberRow(membership, person, show))
    if group.kind == GroupKind.MENTOR_TEAM:
        # A team's students are its mentors' students: say whose.
        mentors = dict(
            Match.objects.filter(
                engagement__cycle=group.cycle_id,
                enrollment__student__in=[r.membership.student_id for r in rows],
                published_at__isnull=False,
            ).values_list("enrollment__student", "engagement__mentor__user__full_name")
        )
        for row in rows:
            row.mentor_name = mentors.get(row.membership.student_id, "")
    rows.sort(key=lambda row: (ROLE_ORDER.get(row.membership.role, 9), row.person.full_name))
    guests_contacts = staff or sees_contacts(
        policy, viewer_is_coach=viewer_is_coach, member_is_coach=True
    )
    return rows, guests_contacts
