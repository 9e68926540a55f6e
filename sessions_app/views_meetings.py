"""Meeting pages: the mentor logs and reviews meetings, the student confirms or disputes.

Access goes through ``permissions``; every change through ``meetings``.
"""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from mentorship.models import StudentProfile
from mentorship.permissions import RoleRequiredMixin
from mentorship.roles import MENTOR, STUDENT
from programs.http import parse_id, posted_next

from .forms_meetings import REFRESH, MeetingForm
from .meetings import (
    ANSWER_STAGES,
    author_edit_refusal,
    confirm_meeting,
    dispute_meeting,
    edit_closes_at,
    edit_meeting,
    log_meeting,
    loggable_cycles,
)
from .models import Meeting, MeetingParticipant, ParticipantStatus
from .permissions import get_meeting_for_user, get_participation_for_user

PAGE_SIZE = 20


def _participants_prefetch():
    return Prefetch(
        "participants",
        queryset=MeetingParticipant.objects.select_related("student__user").order_by(
            "student__user__full_name", "pk"
        ),
    )


def meeting_url(meeting):
    return reverse("mentor_meeting", args=[meeting.pk])


class MentorMeetingListView(RoleRequiredMixin, ListView):
    """The mentor's meetings, newest first, optionally of one student."""

    required_role = MENTOR
    template_name = "sessions_app/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = PAGE_SIZE

    def mine(self):
        return Meeting.objects.filter(author__user=self.request.user)

    def met_students(self):
        return (
            StudentProfile.objects.filter(meeting_participations__meeting__in=self.mine())
            .select_related("user")
            .distinct()
        )

    @cached_property
    def student(self):
        # No filter, or not an id: the whole list.
        pk = parse_id(self.request.GET.get("student"))
        if pk is None:
            return None
        return get_object_or_404(self.met_students(), pk=pk)

    def get_queryset(self):
        meetings = self.mine()
        if self.student is not None:
            meetings = meetings.filter(participants__student=self.student)
        return meetings.select_related("cycle__program", "group").prefetch_related(
            _participants_prefetch()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            students=self.met_students().order_by("user__full_name", "pk"),
            student=self.student,
            can_log=loggable_cycles(mentor=self.request.user.mentor_profile).exists(),
            **kwargs,
        )


class RefreshStudentsMixin:
    """The meeting form posted with REFRESH (the group changed: htmx, or the
    button shown without JavaScript) comes back with that group's students,
    keeping what was typed and saving nothing."""

    def post(self, request, *args, **kwargs):
        if REFRESH in request.POST:
            form = self.get_form()
            return self.render_to_response(self.get_context_data(form=form.refreshed()))
        return super().post(request, *args, **kwargs)


class MentorMeetingCreateView(RoleRequiredMixin, RefreshStudentsMixin, FormView):
    """Log a meeting in one of the cycles where the mentor may log now
    (``?cycle=`` picks among several)."""

    required_role = MENTOR
    template_name = "sessions_app/meeting_form.html"

    @cached_property
    def mentor(self):
        return self.request.user.mentor_profile

    @cached_property
    def cycles(self):
        return list(loggable_cycles(mentor=self.mentor))

    @cached_property
    def cycle(self):
        raw = self.request.GET.get("cycle", "")
        if raw:
            for cycle in self.cycles:
                if str(cycle.pk) == raw:
                    return cycle
            raise Http404(_("You cannot log meetings in this cycle."))
        return self.cycles[0] if self.cycles else None

    def get_form(self, form_class=None):
        if self.cycle is None:
            return None
        return MeetingForm(
            mentor=self.mentor,
            cycle=self.cycle,
            refresh_url=self.request.get_full_path(),
            **self.get_form_kwargs(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, cycles=self.cycles, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.cycle is None:
            messages.error(request, _("You have no cycle in which meetings can be logged now."))
            return redirect("mentor_meetings")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            meeting = log_meeting(
                mentor=self.mentor,
                cycle=self.cycle,
                students=list(data["students"]),
                by=self.request.user,
                **form.record_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The meeting is logged. The students were asked to confirm it."),
        )
        return redirect(meeting_url(meeting))


class MentorMeetingDetailView(RoleRequiredMixin, DetailView):
    required_role = MENTOR
    template_name = "sessions_app/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        meeting = get_meeting_for_user(self.request.user, self.kwargs["pk"])
        if meeting.author.user_id != self.request.user.pk:
            raise Http404
        return meeting

    def get_context_data(self, **kwargs):
        meeting = self.object
        return super().get_context_data(
            participants=list(
                meeting.participants.select_related("student__user").order_by(
                    "student__user__full_name", "pk"
                )
            ),
            edit_refusal=author_edit_refusal(meeting),
            edit_closes_at=edit_closes_at(meeting),
            **kwargs,
        )


class MentorMeetingEditView(RoleRequiredMixin, RefreshStudentsMixin, FormView):
    """Change a meeting within the edit window; after it, the record read-only
    and why."""

    required_role = MENTOR
    template_name = "sessions_app/meeting_edit.html"

    @cached_property
    def meeting(self):
        return get_meeting_for_user(self.request.user, self.kwargs["pk"], write=True)

    @cached_property
    def refusal(self):
        return author_edit_refusal(self.meeting)

    def get_form(self, form_class=None):
        if self.refusal:
            return None
        meeting = self.meeting
        return MeetingForm(
            mentor=meeting.author,
            cycle=meeting.cycle,
            refresh_url=self.request.get_full_path(),
            **self.get_form_kwargs(),
        )

    def get_initial(self):
        return MeetingForm.initial_for(self.meeting)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting,
            cycle=self.meeting.cycle,
            refusal=self.refusal,
            edit_closes_at=edit_closes_at(self.meeting),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.refusal:
            messages.error(request, self.refusal)
            return redirect(meeting_url(self.meeting))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            edit_meeting(
                meeting=self.meeting,
                by=self.request.user,
                students=list(data["students"]),
                **form.record_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting was saved."))
        return redirect(meeting_url(self.meeting))


class StudentMeetingListView(RoleRequiredMixin, ListView):
    """The student's meetings: those waiting for an answer first."""

    required_role = STUDENT
    template_name = "sessions_app/student_meeting_list.html"
    context_object_name = "participations"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return (
            MeetingParticipant.objects.filter(student__user=self.request.user)
            .select_related("meeting__author__user", "meeting__cycle__program", "meeting__group")
            .annotate(
                waiting=Case(
                    When(status=ParticipantStatus.PENDING, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("waiting", "-meeting__starts_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(answer_stages=ANSWER_STAGES, **kwargs)


class AnswerMeetingView(RoleRequiredMixin, View):
    """POST only: the student confirms or disputes, then goes back where they were."""

    required_role = STUDENT
    http_method_names = ["post"]
    service = None
    success_message = ""

    def post(self, request, pk):
        participation = get_participation_for_user(request.user, pk, write=True)
        try:
            type(self).service(
                participant=participation,
                comment=request.POST.get("comment", ""),
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(self.success_message))
        return redirect(self.next_url())

    def next_url(self):
        return posted_next(self.request) or reverse("student_meetings")


class ConfirmMeetingView(AnswerMeetingView):
    service = confirm_meeting

    @property
    def success_message(self):
        return _("Thank you: the meeting is confirmed.")


class DisputeMeetingView(AnswerMeetingView):
    service = dispute_meeting

    @property
    def success_message(self):
        return _("Your comment was sent to your mentor; the meeting is marked as disputed.")
