"""Group-level selection pages: students rank coaching groups, the groups'
chief and leading coaches judge the students who ranked them.

The same pages as for mentors (:mod:`mentorship.views_selection`), pointed
at groups: only what is ranked, where it is stored and the service differ.
"""

from functools import cached_property

from django.db.models import Case, Prefetch, When
from django.http import Http404
from django.utils.translation import gettext as _

from .forms_selection import GroupRankingForm
from .matching_levels import choosable_groups
from .models import LEADER_ROLES, GroupJudgement, GroupMembership, GroupPreference, GroupRole
from .permissions import get_led_group_for_user
from .selection import group_applicant_preferences, save_group_judgement, save_group_ranking
from .views_selection import JudgementView, StudentRankingView


def cycle_groups(cycle):
    """The cycle's groups open to students, each with its coaches as ``coaches``."""
    coaches = (
        GroupMembership.objects.exclude(role=GroupRole.STUDENT)
        .select_related("mentor__user")
        # Leaders first, then coaches, each by name.
        .order_by(Case(When(role__in=LEADER_ROLES, then=0), default=1), "mentor__user__full_name")
    )
    return (
        choosable_groups(cycle)
        .prefetch_related(Prefetch("memberships", queryset=coaches, to_attr="coaches"))
        .order_by("name", "pk")
    )


class GroupRankingView(StudentRankingView):
    """The coaching groups of the student's cycle and the student's ranking of them."""

    template_name = "mentorship/group_ranking_form.html"
    partial_template_name = "mentorship/_ranking_form.html"
    form_class = GroupRankingForm
    preference_model = GroupPreference
    preference_field = "group"

    def get_options(self):
        groups = list(cycle_groups(self.enrollment.cycle))
        if not groups:
            raise Http404(_("This cycle has no coaching groups to choose."))
        return groups

    def save(self, ranking):
        save_group_ranking(enrollment=self.enrollment, groups=ranking, by=self.request.user)

    def browse_url(self):
        # The groups are described beside the ranking: nothing to browse.
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for group in self.options:
            group.my_rank = self.ranked.get(group.pk)
        return {**context, "groups": self.options}


class GroupApplicantsView(JudgementView):
    """The students who ranked a coaching group, judged by its leaders."""

    template_name = "mentorship/group_judgement_form.html"
    judgement_model = GroupJudgement
    owner_field = "group"

    @cached_property
    def judged(self):
        return get_led_group_for_user(
            self.request.user, self.kwargs["group"], write=self.request.method == "POST"
        )

    def applicant_preferences(self):
        return group_applicant_preferences(self.judged)

    def save(self, ranks, not_acceptable):
        save_group_judgement(
            group=self.judged, ranks=ranks, not_acceptable=not_acceptable, by=self.request.user
        )
