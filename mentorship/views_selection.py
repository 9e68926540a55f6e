"""Selection pages: students browse and rank mentors, mentors judge their applicants.

Access goes through ``permissions.get_*_for_user`` and every change through
``mentorship.selection``; these views only wire forms to them.
"""

from functools import cached_property

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_htmx.http import HttpResponseClientRedirect

from programs.http import parse_id

from .forms_selection import MentorDirectoryFilter, MentorJudgementForm, MentorRankingForm
from .matching_levels import choosable_groups
from .models import Engagement, EnrollmentStatus, MentorPreference, StudentPreference
from .permissions import RoleRequiredMixin, get_engagement_for_user, get_enrollment_for_user
from .roles import MENTOR, STUDENT
from .selection import (
    SelectionError,
    applicant_preferences,
    closed_reason,
    save_mentor_judgement,
    save_student_ranking,
    tie_break_key,
)


def cycle_mentors(cycle):
    """The cycle's accepted engagements with their profiles, by mentor name."""
    return (
        Engagement.objects.accepted()
        .filter(cycle=cycle)
        .select_related("mentor__user")
        .order_by("mentor__user__full_name", "pk")
    )


class StudentSelectionMixin(RoleRequiredMixin):
    required_role = STUDENT
    # What this page ranks: the preference model and its field (mentors here).
    preference_model = StudentPreference
    preference_field = "engagement"

    @cached_property
    def enrollment(self):
        return get_enrollment_for_user(
            self.request.user, self.kwargs["enrollment"], write=self.request.method == "POST"
        )

    @cached_property
    def ranked(self):
        """The student's ranking: engagement (or group) id -> rank."""
        return dict(
            self.preference_model.objects.filter(enrollment=self.enrollment).values_list(
                f"{self.preference_field}_id", "rank"
            )
        )

    def get_context_data(self, **kwargs):
        cycle = self.enrollment.cycle
        reason = closed_reason(cycle)
        ranked_pks = [pk for pk, _rank in sorted(self.ranked.items(), key=lambda item: item[1])]
        return super().get_context_data(
            enrollment=self.enrollment,
            cycle=cycle,
            closed_reason=reason,
            ranked_pks=ranked_pks,
            # "Add to my ranking" posts the current list plus one to the ranking page.
            can_add=not reason
            and self.enrollment.status != EnrollmentStatus.WITHDRAWN
            and len(ranked_pks) < cycle.program.preferences_count,
            next_position=len(ranked_pks) + 1,
            has_groups=choosable_groups(cycle).exists(),
            **kwargs,
        )


class MentorDirectoryView(StudentSelectionMixin, FilterView):
    template_name = "mentorship/mentor_list.html"
    filterset_class = MentorDirectoryFilter
    paginate_by = 25
    context_object_name = "engagements"

    def get_queryset(self):
        return cycle_mentors(self.enrollment.cycle)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["facets"] = list(
            self.get_queryset()
            .order_by()
            .values_list("mentor__industry", "mentor__discipline", "mentor__organisation")
            .distinct()
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for engagement in context["engagements"]:
            engagement.my_rank = self.ranked.get(engagement.pk)
        return context


class MentorDetailView(StudentSelectionMixin, DetailView):
    template_name = "mentorship/mentor_detail.html"
    context_object_name = "engagement"

    def get_object(self, queryset=None):
        return get_object_or_404(cycle_mentors(self.enrollment.cycle), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(my_rank=self.ranked.get(self.object.pk), **kwargs)


class StudentRankingView(StudentSelectionMixin, FormView):
    """The ranking form; with htmx, saves and moves answer with the form alone.

    Only the mentors ranked or posted are loaded, so the page's size and cost do
    not grow with the cycle's mentors; they are chosen in the directory.
    """

    template_name = "mentorship/ranking_form.html"
    partial_template_name = "mentorship/_mentor_ranking_form.html"
    form_class = MentorRankingForm

    def get_template_names(self):
        return [self.partial_template_name if self.request.htmx else self.template_name]

    def get_options(self):
        """What the form may hold: the stored ranking's and the posted mentors."""
        wanted = set(self.ranked)
        if self.request.method == "POST":
            positions = self.enrollment.cycle.program.preferences_count
            for position in range(1, positions + 1):
                pk = parse_id(self.request.POST.get(f"rank_{position}", ""))
                if pk is not None:
                    wanted.add(pk)
        return cycle_mentors(self.enrollment.cycle).filter(pk__in=wanted)

    def save(self, ranking):
        save_student_ranking(enrollment=self.enrollment, engagements=ranking, by=self.request.user)

    @cached_property
    def options(self):
        return list(self.get_options())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["options"] = self.options
        kwargs["positions"] = self.enrollment.cycle.program.preferences_count
        return kwargs

    def get_initial(self):
        by_rank = sorted((rank, pk) for pk, rank in self.ranked.items())
        return {f"rank_{position}": pk for position, (_rank, pk) in enumerate(by_rank, start=1)}

    def get_context_data(self, **kwargs):
        by_pk = {option.pk: option for option in self.options}
        ranking = [
            (rank, by_pk.get(pk)) for pk, rank in sorted(self.ranked.items(), key=lambda i: i[1])
        ]
        return super().get_context_data(ranking=ranking, browse_url=self.browse_url(), **kwargs)

    def browse_url(self):
        return reverse("selection_mentors", args=[self.enrollment.pk])

    def post(self, request, *args, **kwargs):
        reason = closed_reason(self.enrollment.cycle)
        if reason:
            messages.error(request, reason)
            # A swap of the form alone would hide the read-only page.
            if request.htmx:
                return HttpResponseClientRedirect(request.path)
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data["ranking"])
        except SelectionError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if self.request.htmx:
            # The form again, unbound, from the ranking as now stored.
            del self.ranked
            kwargs = self.get_form_kwargs()
            del kwargs["data"], kwargs["files"]
            fresh = self.get_form_class()(**kwargs)
            fresh.focus(form.moved_to)
            form = fresh
            return self.render_to_response(self.get_context_data(form=form, saved=True))
        messages.success(self.request, _("Your ranking was saved."))
        return redirect(self.request.path)


class JudgementView(RoleRequiredMixin, FormView):
    """The students who ranked someone, and that someone's judgement of them.

    Subclasses name the judged object (``judged``), where students' rankings
    of it and its judgement are stored, and the service that saves it.
    """

    required_role = MENTOR
    template_name = "mentorship/judgement_form.html"
    form_class = MentorJudgementForm
    judgement_model = MentorPreference
    owner_field = "engagement"

    def applicant_preferences(self):
        raise NotImplementedError

    def save(self, ranks, not_acceptable):
        raise NotImplementedError

    @cached_property
    def judged(self):
        raise NotImplementedError

    @cached_property
    def applicants(self):
        rows = []
        for preference in self.applicant_preferences():
            enrollment = preference.enrollment
            enrollment.student_rank = preference.rank
            rows.append(enrollment)
        return sorted(rows, key=tie_break_key)

    @cached_property
    def judgement(self):
        """enrollment id -> (rank, acceptable) as stored."""
        return {
            enrollment: (rank, acceptable)
            for enrollment, rank, acceptable in self.judgement_model.objects.filter(
                **{self.owner_field: self.judged}
            ).values_list("enrollment_id", "rank", "acceptable")
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "applicants": self.applicants}

    def get_initial(self):
        initial = {}
        ranked = sorted(
            (rank, pk) for pk, (rank, acceptable) in self.judgement.items() if rank is not None
        )
        present = {enrollment.pk for enrollment in self.applicants}
        # Ranks are shown compacted over the students still applying.
        ranked = [pk for _rank, pk in ranked if pk in present]
        for position, pk in enumerate(ranked, start=1):
            initial[f"rank_{pk}"] = position
        for pk, (_rank, acceptable) in self.judgement.items():
            if not acceptable:
                initial[f"refuse_{pk}"] = True
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **{self.owner_field: self.judged},
            cycle=self.judged.cycle,
            closed_reason=closed_reason(self.judged.cycle),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        reason = closed_reason(self.judged.cycle)
        if reason:
            messages.error(request, reason)
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data["ranks"], form.cleaned_data["not_acceptable"])
        except SelectionError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Your judgement of the students was saved."))
        return redirect(self.request.path)


class ApplicantsView(JudgementView):
    """The students who ranked a mentor, and the mentor's judgement of them."""

    @cached_property
    def judged(self):
        return get_engagement_for_user(
            self.request.user, self.kwargs["engagement"], write=self.request.method == "POST"
        )

    def applicant_preferences(self):
        return applicant_preferences(self.judged)

    def save(self, ranks, not_acceptable):
        save_mentor_judgement(
            engagement=self.judged, ranks=ranks, not_acceptable=not_acceptable, by=self.request.user
        )
