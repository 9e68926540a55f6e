"""Activity pages: my list, one activity (RSVP, rating), attendance, a coach's new activity.

Access goes through ``permissions_activities.get_activity_for_user`` and
every change through ``sessions_app.activities``.
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView

from mentorship.models import LEADER_ROLES, GroupMembership
from mentorship.permissions import RoleRequiredMixin
from mentorship.roles import MENTOR
from programs.confirmation import confirm
from programs.http import ids_by_prefix, posted_next

from .activities import (
    ActivityError,
    attendance_rows,
    create_activity,
    rate,
    rating_for,
    rsvp,
    take_attendance,
)
from .activity_access import is_invited, my_activities
from .activity_cancel import cancel_confirmation
from .activity_overview import with_my_answer
from .forms_activities import ACTIVITY_DETAILS, ActivityForm, RatingForm
from .models import Attendance, Registration, RegistrationStatus
from .permissions_activities import get_activity_for_user


class ActivityListView(LoginRequiredMixin, TemplateView):
    template_name = "sessions_app/activity_list.html"

    def get_context_data(self, **kwargs):
        activities = list(with_my_answer(my_activities(self.request.user), self.request.user))
        now = timezone.now()
        return super().get_context_data(
            upcoming=[a for a in activities if a.ends_at >= now],
            past=[a for a in activities if a.ends_at < now][::-1],
            **kwargs,
        )


class ActivityDetailView(LoginRequiredMixin, DetailView):
    template_name = "sessions_app/activity_detail.html"
    context_object_name = "activity"

    def get_object(self, queryset=None):
        activity = get_activity_for_user(self.request.user, self.kwargs["pk"])
        return with_my_answer(type(activity).objects.filter(pk=activity.pk), self.request.user)[0]

    def get_context_data(self, **kwargs):
        activity, user = self.object, self.request.user
        rateable = rating_for(activity, user)
        context = {
            "guests": list(activity.guests.all()),
            "may_answer": activity.starts_at > timezone.now() and is_invited(activity, user),
            "rating_form": RatingForm(
                initial={"rating": rateable.rating, "comment": rateable.comment}
            )
            if rateable
            else None,
            "next": self.request.path,
        }
        if activity.i_organise:
            context["registrations"] = (
                Registration.objects.filter(activity=activity)
                .select_related("user")
                .order_by("status", "position", "user__full_name")
            )
        return super().get_context_data(**context, **kwargs)


def _back(request, activity):
    return redirect(posted_next(request) or reverse("activity_detail", args=[activity.pk]))


class RsvpView(LoginRequiredMixin, View):
    """POST going=1 to take a place (or join the waiting list), going=0 to cancel
    or decline. Giving up a place at a full activity first answers a
    confirmation page, which posts again with ``confirmed``."""

    def post(self, request, pk):
        activity = get_activity_for_user(request.user, pk)
        if request.POST.get("going") not in ("0", "1"):
            messages.error(request, _("Choose whether you are going."))
            return _back(request, activity)
        going = request.POST["going"] == "1"
        confirmation = not going and cancel_confirmation(
            activity=activity,
            user=request.user,
            back_url=posted_next(request) or reverse("activity_detail", args=[activity.pk]),
            next_url=posted_next(request) or "",
        )
        if confirmation:
            return confirm(
                request,
                confirmation,
                perform=lambda choices: self._answer(request, activity, going),
                context={"activity": activity},
                template="sessions_app/registration_cancel.html",
            )
        return self._answer(request, activity, going)

    def _answer(self, request, activity, going):
        try:
            registration = rsvp(activity=activity, user=request.user, going=going)
        except ActivityError as error:
            messages.error(request, str(error))
            return _back(request, activity)
        text = {
            RegistrationStatus.GOING: _("You are going to %(title)s."),
            RegistrationStatus.WAITLISTED: _(
                "%(title)s is full: you are on the waiting list and move up when a place frees."
            ),
        }.get(registration.status, _("You are not going to %(title)s."))
        messages.success(request, text % {"title": activity.title})
        return _back(request, activity)


class RatingView(LoginRequiredMixin, View):
    def post(self, request, pk):
        activity = get_activity_for_user(request.user, pk)
        form = RatingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a rating from 1 to 5."))
            return redirect("activity_detail", activity.pk)
        try:
            rate(
                activity=activity,
                user=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ActivityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your rating was saved."))
        return redirect("activity_detail", activity.pk)


class AttendanceView(LoginRequiredMixin, TemplateView):
    """The organiser's list on a phone: present, excused or absent per person, one save."""

    template_name = "sessions_app/activity_attendance.html"

    @cached_property
    def activity(self):
        return get_activity_for_user(self.request.user, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            activity=self.activity,
            rows=attendance_rows(self.activity),
            choices=Attendance.choices,
            **kwargs,
        )

    def post(self, request, pk):
        # Ids not on the list are ignored by the service.
        marks = ids_by_prefix(request.POST, "mark_")
        try:
            changed = take_attendance(activity=self.activity, by=request.user, marks=marks)
        except ActivityError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request, _("Attendance saved (%(count)s changed).") % {"count": len(changed)}
        )
        return redirect("activity_attendance", self.activity.pk)


class ActivityCreateView(RoleRequiredMixin, CreateView):
    """Chief and leading coaches create their group's activities; coordinators use the admin."""

    required_role = MENTOR
    form_class = ActivityForm
    template_name = "sessions_app/activity_form.html"

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and not GroupMembership.objects.filter(
                mentor__user=request.user, role__in=LEADER_ROLES
            ).exists()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in ACTIVITY_DETAILS}
        self.object = create_activity(
            by=self.request.user,
            cycle=data["group"].cycle,
            group=data["group"],
            guests=data["guests"],
            invite_group=data["invite_group"],
            **fields,
        )
        messages.success(self.request, _("The activity was created."))
        return redirect("activity_detail", self.object.pk)
