from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, UpdateView

from programs.models import Cycle, Program
from programs.querysets import count_per

from .forms import PreferencesForm
from .home_sections import home_sections
from .models import Engagement, EngagementStatus, Enrollment, Group, GroupMembership
from .opportunities import home_opportunities
from .permissions import RoleRequiredMixin
from .publishing import published_matches
from .roles import COORDINATOR, MENTOR, STEERING, STUDENT, home_url_name


@login_required
def home(request):
    """Send each person to the home page of their most responsible role."""
    return redirect(home_url_name(request.user))


class NoRoleView(RoleRequiredMixin, TemplateView):
    template_name = "mentorship/no_role.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return TemplateView.dispatch(self, request, *args, **kwargs)


def _count_per_cycle(queryset):
    """Subquery: how many rows of ``queryset`` belong to the outer cycle.

    Each figure is counted on its own: counting engagements, enrollments and
    groups over one join multiplies them (820 x 423 rows a cycle at benchmark
    size, 16 s for the home), where each subquery reads one cycle's rows
    through its cycle index."""
    return count_per(queryset, "cycle")


def _programs_with_cycles(programs):
    cycles = Cycle.objects.annotate(
        mentor_count=_count_per_cycle(
            Engagement.objects.filter(
                status__in=[EngagementStatus.ACCEPTED, EngagementStatus.ENDED]
            )
        ),
        student_count=_count_per_cycle(Enrollment.objects.active()),
        group_count=_count_per_cycle(Group.objects.all()),
    ).order_by("-starts_on")
    return programs.prefetch_related(Prefetch("cycles", queryset=cycles)).order_by("name")


class CoordinatorHomeView(RoleRequiredMixin, TemplateView):
    required_role = COORDINATOR
    template_name = "mentorship/coordinator_home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programs=_programs_with_cycles(Program.objects.coordinated_by(self.request.user)),
            **kwargs,
        )


class SteeringHomeView(RoleRequiredMixin, TemplateView):
    required_role = STEERING
    template_name = "mentorship/steering_home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programs=_programs_with_cycles(Program.objects.steered_by(self.request.user)),
            **kwargs,
        )


def _my_groups(**person):
    # Students placed by a group run appear, to themselves and to the group's
    # coaches, once the office publishes the placements.
    return (
        GroupMembership.objects.filter(published_at__isnull=False, **person)
        .select_related("group__cycle__program")
        .annotate(
            coach_count=Count(
                "group__memberships", filter=Q(group__memberships__student__isnull=True)
            ),
            student_count=Count(
                "group__memberships",
                filter=Q(
                    group__memberships__student__isnull=False,
                    group__memberships__published_at__isnull=False,
                ),
            ),
        )
        .order_by("-group__cycle__starts_on", "group__name")
    )


class MentorHomeView(RoleRequiredMixin, TemplateView):
    required_role = MENTOR
    template_name = "mentorship/mentor_home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        engagements = list(
            Engagement.objects.for_user(user)
            .select_related("cycle__program")
            .order_by("-cycle__starts_on")
        )
        return super().get_context_data(
            engagements=engagements,
            invitations=[e for e in engagements if e.status == EngagementStatus.INVITED],
            memberships=_my_groups(mentor__user=user),
            home_opportunities=home_opportunities(user=user, as_mentor=True),
            **home_sections(MENTOR, user),
            **kwargs,
        )


class StudentHomeView(RoleRequiredMixin, TemplateView):
    required_role = STUDENT
    template_name = "mentorship/student_home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            enrollments=Enrollment.objects.for_user(user)
            .select_related("cycle__program")
            .annotate(
                ranked_count=Count("preferences"),
                has_groups=Exists(Group.objects.filter(cycle=OuterRef("cycle"), capacity__gt=0)),
            )
            .prefetch_related(
                Prefetch(
                    "match",
                    queryset=published_matches().select_related("engagement__mentor__user"),
                    to_attr="published_match",
                )
            )
            .order_by("-cycle__starts_on"),
            memberships=_my_groups(student__user=user),
            home_opportunities=home_opportunities(user=user, as_mentor=False),
            **home_sections(STUDENT, user),
            **kwargs,
        )


class PreferencesView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    """A person's own name and language; e-mail and password have allauth's pages."""

    form_class = PreferencesForm
    template_name = "mentorship/preferences_form.html"
    success_url = reverse_lazy("preferences")
    success_message = _("Your preferences were saved.")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        # The preferred language wins over an earlier choice in the switcher.
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(form.instance.preferred_language)
        return response
