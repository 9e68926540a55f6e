"""Opportunity pages: mentors post and follow recommendations, students mark
how far they got. Access through ``permissions``, changes through ``opportunities``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import CreateView, DetailView, ListView

from .forms_opportunities import OpportunityForm, RecipientStatusForm
from .models import MentorProfile, OpportunityRecipient, RecipientStatus
from .opportunities import (
    OpportunityError,
    mentor_opportunities,
    opportunity_recipients,
    post_opportunity,
    set_recipient_status,
    status_counts,
    status_refusal,
    student_opportunities,
)
from .permissions import RoleRequiredMixin, get_opportunity_for_user
from .roles import MENTOR, STUDENT


class MentorOpportunityListView(RoleRequiredMixin, ListView):
    required_role = MENTOR
    template_name = "mentorship/opportunity_list.html"
    context_object_name = "opportunities"
    paginate_by = 50

    def get_queryset(self):
        return mentor_opportunities(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for opportunity in context["opportunities"]:
            opportunity.counts = status_counts(opportunity)
        context["statuses"] = RecipientStatus.choices
        return context


class OpportunityCreateView(RoleRequiredMixin, CreateView):
    required_role = MENTOR
    form_class = OpportunityForm
    template_name = "mentorship/opportunity_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("kind", "organisation", "role", "link")}
        fields.update(deadline=data["deadline"], note=data["note"])
        try:
            opportunity = post_opportunity(
                author=MentorProfile.objects.get(user=self.request.user),
                enrollments=list(data["mentees"]),
                group=data["group"],
                **fields,
            )
        except OpportunityError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        count = opportunity.recipients.count()
        messages.success(
            self.request,
            ngettext(
                "The opportunity was sent to %(count)s student.",
                "The opportunity was sent to %(count)s students.",
                count,
            )
            % {"count": count},
        )
        return redirect("opportunity_detail", pk=opportunity.pk)


class OpportunityDetailView(RoleRequiredMixin, DetailView):
    required_role = MENTOR
    template_name = "mentorship/opportunity_detail.html"
    context_object_name = "opportunity"

    def get_object(self, queryset=None):
        return get_opportunity_for_user(self.request.user, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(recipients=opportunity_recipients(self.object), **kwargs)


class StudentOpportunityListView(RoleRequiredMixin, ListView):
    required_role = STUDENT
    template_name = "mentorship/opportunityrecipient_list.html"
    context_object_name = "recipients"
    paginate_by = 50

    def get_queryset(self):
        return student_opportunities(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for recipient in context["recipients"]:
            recipient.can_update = not status_refusal(
                opportunity=recipient.opportunity, enrollment=recipient.enrollment
            )
        context["statuses"] = RecipientStatus.choices
        return context


class RecipientStatusView(RoleRequiredMixin, View):
    """POST-only: the student's status on one opportunity sent to them."""

    required_role = STUDENT
    http_method_names = ["post"]

    def post(self, request, pk):
        opportunity = get_opportunity_for_user(request.user, pk)
        form = RecipientStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the statuses."))
        else:
            try:
                set_recipient_status(
                    opportunity=opportunity, user=request.user, status=form.cleaned_data["status"]
                )
            except OpportunityRecipient.DoesNotExist:
                raise Http404 from None
            except OpportunityError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Your status on %(opportunity)s was saved.") % {"opportunity": opportunity},
                )
        return redirect(reverse("student_opportunities") + f"#opportunity-{opportunity.pk}")
