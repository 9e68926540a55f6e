from .group_selection import GroupJudgement, GroupPreference
from .groups import LEADER_ROLES, Group, GroupMembership, GroupRole, Guest
from .notifications import Notification
from .opportunities import Opportunity, OpportunityKind, OpportunityRecipient, RecipientStatus
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
from .roster_imports import RosterImport, RosterImportStatus
from .selection import (
    Match,
    MatchingLevel,
    MatchingRun,
    MatchSource,
    MentorPreference,
    RunStatus,
    StudentPreference,
)

__all__ = [
    "RosterImport",
    "RosterImportStatus",
    "LEADER_ROLES",
    "Match",
    "MatchSource",
    "MatchingLevel",
    "MatchingRun",
    "GroupJudgement",
    "GroupPreference",
    "MentorPreference",
    "Notification",
    "Opportunity",
    "OpportunityKind",
    "OpportunityRecipient",
    "RecipientStatus",
    "RunStatus",
    "StudentPreference",
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
