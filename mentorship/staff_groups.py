"""The auth groups that give coordinators and steering members their admin
permissions. What they may *see* is limited separately, to their programs."""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission

COORDINATORS = "Coordinators"
STEERING = "Steering group"

# Both staff roles see the later apps' records; what coordinators may change
# is narrowed by COORDINATOR_EXCLUDED.
SESSIONS_MODELS = [
    "activity",
    "activityinvitation",
    "registration",
    "meeting",
    "meetingparticipant",
]
ASSESSMENT_RECORDS = [
    "selfassessment",
    "rating",
    "mentorrating",
    "requirement",
    "submission",
    "review",
]
# The evaluation changes only through its services and admin views (which
# check the stage and finalization): the plain admin shows these rows.
EVALUATION_RECORDS = [
    "evaluation",
    "score",
    "standing",
    "judgment",
    "award",
    "surveyresponse",
    "surveyanswer",
]
# app label -> models a coordinator manages fully (view, add, change; delete
# only where history does not hang on the row).
COORDINATOR_MODELS = {
    "programs": [
        "program",
        "cycle",
        "competencedimension",
        "deliverablekind",
        "awardcategory",
        "rubriccriterion",
        "surveyquestion",
        "grouprule",
        "stagetransition",
        "reminderpolicy",
    ],
    "mentorship": [
        "user",
        "staffrole",
        "mentorprofile",
        "studentprofile",
        "rosterentry",
        "engagement",
        "enrollment",
        "group",
        "groupmembership",
        "guest",
        # Rankings, runs and matches change only through the matching services;
        # the admin shows them.
        "studentpreference",
        "mentorpreference",
        "matchingrun",
        "match",
        # Posted by mentors; coordinators may correct one, not add or delete.
        "opportunity",
        "opportunityrecipient",
    ],
    "assessments": ["leveldescriptor", *ASSESSMENT_RECORDS, *EVALUATION_RECORDS],
    "sessions_app": SESSIONS_MODELS,
}
# Programs are created by operators; a coordinator edits only the ones given to them.
COORDINATOR_EXCLUDED = {
    "add_program",
    "delete_program",
    "delete_cycle",
    "delete_reminderpolicy",
    "add_stagetransition",
    "change_stagetransition",
    "delete_stagetransition",
    "delete_user",
    *(
        f"{action}_{model}"
        for model in (
            "studentpreference",
            "mentorpreference",
            "matchingrun",
            "match",
            "registration",
            # Versions and reviews are written by students and mentors only.
            "submission",
            "review",
        )
        for action in ("add", "change", "delete")
    ),
    "add_opportunity",
    "delete_opportunity",
    *(
        f"{action}_{model}"
        for model in ("opportunityrecipient", "selfassessment", "rating", "mentorrating")
        for action in ("add", "change", "delete")
    ),
    *(
        f"{action}_{model}"
        for model in EVALUATION_RECORDS
        for action in ("add", "change", "delete")
    ),
    "add_meeting",
    "delete_meeting",
    "add_meetingparticipant",
    "change_meetingparticipant",
    "delete_meetingparticipant",
}
STEERING_MODELS = {
    "programs": [
        "program",
        "cycle",
        "awardcategory",
        "rubriccriterion",
        "surveyquestion",
        "reminderpolicy",
    ],
    "mentorship": [
        "group",
        "engagement",
        "enrollment",
        "matchingrun",
        "match",
        "opportunity",
        "opportunityrecipient",
    ],
    "assessments": [*ASSESSMENT_RECORDS, *EVALUATION_RECORDS],
    "sessions_app": SESSIONS_MODELS,
}


def _permissions(models, actions):
    codenames = [
        f"{action}_{model}"
        for app_models in models.values()
        for model in app_models
        for action in actions
    ]
    return Permission.objects.filter(
        content_type__app_label__in=list(models), codename__in=codenames
    )


def ensure_staff_groups(**kwargs):
    """Create or refresh both groups; run after every migrate."""
    coordinators, _ = AuthGroup.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.set(
        _permissions(COORDINATOR_MODELS, ["view", "add", "change", "delete"]).exclude(
            codename__in=COORDINATOR_EXCLUDED
        )
    )
    steering, _ = AuthGroup.objects.get_or_create(name=STEERING)
    steering.permissions.set(_permissions(STEERING_MODELS, ["view"]))


def sync_staff_access(user):
    """Give ``user`` admin access and the groups their staff roles call for."""
    roles = set(user.staff_roles.values_list("role", flat=True))
    wanted = {
        name
        for role, name in (("coordinator", COORDINATORS), ("steering", STEERING))
        if role in roles
    }
    groups = {
        group.name: group for group in AuthGroup.objects.filter(name__in=[COORDINATORS, STEERING])
    }
    for name, group in groups.items():
        if name in wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    is_staff = bool(roles) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
