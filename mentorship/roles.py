"""Which roles a person holds, computed once per request."""

from django.db.models import Exists, OuterRef

from programs.models import Program

COORDINATOR = "coordinator"
STEERING = "steering"
MENTOR = "mentor"
STUDENT = "student"


def user_roles(user):
    """The set of roles of ``user``, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is not None:
        return cached
    roles = set(user.staff_roles.values_list("role", flat=True).distinct())
    if user.is_superuser:
        roles.add(COORDINATOR)
    from .models import MentorProfile, StudentProfile, User

    # Both profiles in one query: every signed-in page asks for the roles.
    profiles = (
        User.objects.filter(pk=user.pk)
        .values(
            mentor=Exists(MentorProfile.objects.filter(user=OuterRef("pk"))),
            student=Exists(StudentProfile.objects.filter(user=OuterRef("pk"))),
        )
        .first()
        or {}
    )
    if profiles.get("mentor"):
        roles.add(MENTOR)
    if profiles.get("student"):
        roles.add(STUDENT)
    user._roles_cache = frozenset(roles)
    return user._roles_cache


def home_url_name(user):
    """Where ``user`` lands after login: the most responsible role wins."""
    roles = user_roles(user)
    for role, url_name in (
        (COORDINATOR, "coordinator_home"),
        (STEERING, "steering_home"),
        (MENTOR, "mentor_home"),
        (STUDENT, "student_home"),
    ):
        if role in roles:
            return url_name
    return "no_role"


def coordinated_programs(user):
    return Program.objects.coordinated_by(user)
