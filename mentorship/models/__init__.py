from .groups import LEADER_ROLES, Group, GroupMembership, GroupRole, Guest
from .participation import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    RosterEntry,
    RosterRole,
)
from .people import (
    AlumniDegree,
    DegreeLevel,
    MentorKind,
    MentorProfile,
    StaffRole,
    StaffRoleKind,
    StudentProfile,
    User,
)

__all__ = [
    "LEADER_ROLES",
    "AlumniDegree",
    "DegreeLevel",
    "Engagement",
    "EngagementStatus",
    "Enrollment",
    "EnrollmentStatus",
    "Group",
    "GroupMembership",
    "GroupRole",
    "Guest",
    "MentorKind",
    "MentorProfile",
    "RosterEntry",
    "RosterRole",
    "StaffRole",
    "StaffRoleKind",
    "StudentProfile",
    "User",
]
