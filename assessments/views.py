"""Deliverable pages of students and mentors, and the file download.

Access goes through ``permissions``; every change through ``services``.
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mentorship.permissions import RoleRequiredMixin
from mentorship.roles import MENTOR, STUDENT

from .downloads import file_response
from .forms import KEY, ReviewForm, form_class_for
from .models import Draft, ReviewDecision, Submission
from .overview import DeliverableRow, reviews_prefetch, reviews_waiting, student_deliverables
from .permissions import get_requirement_for_user, get_submission_for_user
from .services import (
    DeliverableError,
    LimitReached,
    closed_reason,
    decision_of,
    review,
    save_draft,
    submit,
)
from .upload_limits import allowance


def _versions(requirement, enrollment, form):
    versions = list(
        Submission.objects.filter(requirement=requirement, enrollment=enrollment)
        .prefetch_related(reviews_prefetch())
        .order_by("-number")
    )
    for version in versions:
        version.sections = form.read(version.content)
        version.decision = decision_of(version)
    return versions


class StudentDeliverableListView(RoleRequiredMixin, TemplateView):
    required_role = STUDENT
    template_name = "assessments/deliverable_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=student_deliverables(self.request.user), **kwargs)


class StudentDeliverableView(RoleRequiredMixin, TemplateView):
    """One requirement: the form (save draft, submit) and the versions with their reviews."""

    required_role = STUDENT
    template_name = "assessments/deliverable_form.html"

    @cached_property
    def requirement(self):
        return get_requirement_for_user(
            self.request.user, self.kwargs["pk"], write=self.request.method == "POST"
        )

    def get_form(self, data=None, files=None):
        requirement = self.requirement
        form_class = form_class_for(requirement)
        if data is not None:
            return form_class(data, files, requirement=requirement)
        self.draft = Draft.objects.filter(
            requirement=requirement, enrollment=requirement.enrollment
        ).first()
        return form_class(
            initial=self.draft.content if self.draft else None, requirement=requirement
        )

    def get_context_data(self, form=None, **kwargs):
        requirement = self.requirement
        form = form or self.get_form()
        versions = _versions(requirement, requirement.enrollment, form)
        if not form.is_bound and not form.initial and versions:
            # Revising starts from the last version, which itself stays as it was.
            form.initial = versions[0].content
        draft = getattr(self, "draft", None)
        row = DeliverableRow(requirement, versions[::-1], has_draft=draft is not None)
        return super().get_context_data(
            requirement=requirement,
            form=form,
            versions=versions,
            row=row,
            draft=draft,
            closed_reason=closed_reason(requirement),
            allowance=allowance(requirement=requirement, enrollment=requirement.enrollment),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        requirement = self.requirement
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            if form.submitting:
                version = submit(
                    requirement=requirement,
                    enrollment=requirement.enrollment,
                    content=form.content(),
                    file=form.cleaned_data.get("file"),
                    suffix=getattr(form, "file_suffix", ""),
                    key=form.cleaned_data.get(KEY),
                )
            else:
                save_draft(
                    requirement=requirement,
                    enrollment=requirement.enrollment,
                    content=form.content(),
                )
        except LimitReached as error:
            # Beside the fields, which keep what the student typed.
            form.add_error(error.field, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        except DeliverableError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        if form.submitting and version.repeat:
            messages.info(
                request,
                _("This form was already submitted as version %(number)s; nothing new was made.")
                % {"number": version.number},
            )
        elif not form.submitting:
            messages.success(request, _("Your draft was saved. Your mentor does not see drafts."))
            if form.cleaned_data.get("file"):
                messages.warning(
                    request, _("A draft keeps only the text: attach the file when you submit.")
                )
        elif version.late:
            messages.warning(
                request,
                _("Version %(number)s was submitted after the due date and is marked late.")
                % {"number": version.number},
            )
        else:
            messages.success(
                request,
                _("Version %(number)s was submitted to your mentor.") % {"number": version.number},
            )
        return redirect("deliverable_detail", pk=requirement.pk)


class ReviewListView(RoleRequiredMixin, TemplateView):
    required_role = MENTOR
    template_name = "assessments/review_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(waiting=reviews_waiting(self.request.user), **kwargs)


class ReviewView(RoleRequiredMixin, TemplateView):
    """One version for its student's mentor or coach: read, see earlier versions, review."""

    required_role = MENTOR
    template_name = "assessments/review_form.html"

    @cached_property
    def submission(self):
        return get_submission_for_user(self.request.user, self.kwargs["pk"], write=True)

    def get_context_data(self, form=None, **kwargs):
        submission = self.submission
        reader = form_class_for(submission.requirement)(requirement=submission.requirement)
        versions = _versions(submission.requirement, submission.enrollment, reader)
        current = next(v for v in versions if v.pk == submission.pk)
        return super().get_context_data(
            submission=current,
            requirement=submission.requirement,
            student=submission.enrollment.student.user,
            versions=versions,
            is_latest=versions[0].pk == submission.pk,
            form=form or ReviewForm(decided=current.decision is not None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Every decision stays a valid choice here, even if someone decided the
        # version since this form was shown: the service says who did, and how.
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            review(
                submission=self.submission,
                reviewer=request.user.mentor_profile,
                **form.cleaned_data,
            )
        except DeliverableError as error:
            messages.error(request, str(error))
            # A fresh form as the version now stands, keeping what was written.
            decided = self.submission.reviews.exclude(decision=ReviewDecision.COMMENT).exists()
            form = ReviewForm(initial={"comment": form.cleaned_data["comment"]}, decided=decided)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Your review was saved; the student can read it now."))
        return redirect("review_detail", pk=self.submission.pk)


class SubmissionFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return file_response(get_submission_for_user(request.user, pk))
