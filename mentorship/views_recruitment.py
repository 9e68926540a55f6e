"""Mentor recruitment in the browser: the contract page, the mentor's profile
and the invitation link where a new mentor chooses a password.

Access goes through ``permissions``; every change through ``recruitment``.
"""

from functools import cached_property

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from .forms_recruitment import ContractAnswerForm, MentorProfileForm, PersonForm
from .invitations import invitation_tokens
from .models import Engagement, EngagementStatus, User
from .permissions import RoleRequiredMixin, get_engagement_for_user
from .recruitment import RecruitmentError, recruitment_closed_reason, respond_to_invitation
from .roles import MENTOR


def contract_url(engagement):
    return reverse("engagement_contract", kwargs={"engagement": engagement.pk})


class ContractView(RoleRequiredMixin, FormView):
    """A mentor's contract for one cycle: read it, accept with a capacity or decline."""

    required_role = MENTOR
    template_name = "mentorship/contract_form.html"
    form_class = ContractAnswerForm

    @cached_property
    def engagement(self):
        return get_engagement_for_user(self.request.user, self.kwargs["engagement"], contract=True)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.engagement.cycle.program}

    def get_initial(self):
        return {"capacity": self.engagement.capacity}

    def get_context_data(self, **kwargs):
        engagement = self.engagement
        return super().get_context_data(
            engagement=engagement,
            cycle=engagement.cycle,
            program=engagement.cycle.program,
            closed_reason=recruitment_closed_reason(engagement.cycle)
            or (
                _("This engagement has ended.")
                if engagement.status == EngagementStatus.ENDED
                else None
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            engagement = respond_to_invitation(
                engagement=self.engagement,
                accept=form.accepting,
                capacity=form.cleaned_data.get("capacity"),
                by=self.request.user,
            )
        except RecruitmentError as error:
            # Outside setup and selection the page shows the same reason
            # instead of the form.
            form.add_error(error.field, str(error))
            return self.form_invalid(form)
        if engagement.status == EngagementStatus.ACCEPTED:
            messages.success(
                self.request,
                _("You accepted the contract for %(cycle)s with %(capacity)s students.")
                % {"cycle": engagement.cycle, "capacity": engagement.capacity},
            )
        else:
            messages.success(
                self.request,
                _("You declined the contract for %(cycle)s.") % {"cycle": engagement.cycle},
            )
        return redirect(self.request.path)


class MentorProfileView(RoleRequiredMixin, TemplateView):
    """What students see of the mentor, and the mentor's name and phone."""

    required_role = MENTOR
    template_name = "mentorship/profile_form.html"

    def forms(self, data=None):
        user = self.request.user
        return (
            PersonForm(data, instance=user, prefix="person"),
            MentorProfileForm(data, instance=user.mentor_profile, prefix="profile"),
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("forms", self.forms())
        profile = self.request.user.mentor_profile
        latest = (
            Engagement.objects.filter(mentor=profile)
            .exclude(status=EngagementStatus.DECLINED)
            .order_by("-cycle__starts_on")
            .first()
        )
        if latest is not None:
            latest.mentor = profile
        return super().get_context_data(profile=profile, preview=latest, **kwargs)

    def post(self, request, *args, **kwargs):
        forms = self.forms(request.POST)
        # Every form is checked, so all their errors show at once.
        valid = [form.is_valid() for form in forms]
        if not all(valid):
            return self.render_to_response(self.get_context_data(forms=forms))
        for form in forms:
            form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect(request.path)


class InvitationAcceptView(View):
    """A new mentor's invitation link: choose a password, then sign in and
    land on the contract. A used, expired or altered link says so."""

    template_name = "mentorship/invitation_accept.html"
    invalid_template_name = "mentorship/invitation_invalid.html"

    def invited_user(self):
        try:
            pk = urlsafe_base64_decode(self.kwargs["uidb64"]).decode()
            user = User.objects.get(pk=pk, is_active=True)
        except (TypeError, ValueError, OverflowError, User.DoesNotExist):
            return None
        if user.has_usable_password() or not invitation_tokens.check_token(
            user, self.kwargs["token"]
        ):
            return None
        return user

    def dispatch(self, request, *args, **kwargs):
        self.user = self.invited_user()
        if self.user is None:
            return render(request, self.invalid_template_name, status=400)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(SetPasswordForm(self.user))

    def post(self, request, *args, **kwargs):
        form = SetPasswordForm(self.user, request.POST)
        if not form.is_valid():
            return self.render(form)
        user = form.save()
        # The link came to this address, which proves it belongs to them.
        address, _made = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        return perform_login(
            request,
            user,
            email_verification=allauth_settings.EMAIL_VERIFICATION,
            redirect_url=self.landing(user),
        )

    def landing(self, user):
        pending = (
            Engagement.objects.for_user(user)
            .filter(status=EngagementStatus.INVITED)
            .order_by("-invited_at", "-pk")
            .first()
        )
        return contract_url(pending) if pending else reverse("home")

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "invited": self.user})
