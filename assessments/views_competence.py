"""Competence pages: a student assesses themself, a mentor rates their mentee.

Access goes through the permission helpers and every change through
``assessments.competence``; these views only wire forms to them.
"""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from mentorship.models import Enrollment
from mentorship.permissions import (
    RoleRequiredMixin,
    get_enrollment_for_user,
    get_mentee_enrollment_for_user,
)
from mentorship.roles import MENTOR, STUDENT

from .competence import (
    CompetenceError,
    competence_records,
    mentor_closed_reason,
    save_mentor_ratings,
    save_self_assessment,
    student_competence_records,
)
from .forms_competence import CompetenceForm
from .models import Moment


def _moment(value):
    if value not in Moment.values:
        raise Http404
    return Moment(value)


class StudentCompetenceView(RoleRequiredMixin, TemplateView):
    """Every enrollment of the student: the open forms, then the change per dimension."""

    required_role = STUDENT
    template_name = "assessments/selfassessment_form.html"
    bound = None  # ((enrollment id, moment), form) of a rejected POST

    @cached_property
    def records(self):
        return student_competence_records(user=self.request.user)

    def get_context_data(self, **kwargs):
        for record in self.records:
            record.forms = []
            for moment in Moment:
                reason = record.closed_reason(moment)
                key = (record.enrollment.pk, moment)
                if self.bound and self.bound[0] == key:
                    form = self.bound[1]
                elif reason or not record.dimensions:
                    form = None
                else:
                    form = CompetenceForm(
                        dimensions=record.dimensions,
                        initial=record.initial(moment),
                        prefix=f"{record.enrollment.pk}-{moment}",
                    )
                record.forms.append(
                    (moment, moment.label, form, reason, record.submitted.get(moment))
                )
        return super().get_context_data(records=self.records, **kwargs)


class StudentCompetenceSaveView(StudentCompetenceView):
    http_method_names = ["post"]

    def post(self, request, enrollment, moment):
        enrollment = get_enrollment_for_user(request.user, enrollment, write=True)
        moment = _moment(moment)
        record = next(r for r in self.records if r.enrollment.pk == enrollment.pk)
        form = CompetenceForm(
            request.POST, dimensions=record.dimensions, prefix=f"{enrollment.pk}-{moment}"
        )
        if form.is_valid():
            try:
                save_self_assessment(enrollment=enrollment, moment=moment, levels=form.levels())
            except CompetenceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your self-assessment was saved."))
                return redirect("competence_student")
        self.bound = ((enrollment.pk, moment), form)
        return self.render_to_response(self.get_context_data())


class MenteeCompetenceView(RoleRequiredMixin, TemplateView):
    """A mentee's self-assessments beside the mentor's own ratings, which the mentor edits."""

    required_role = MENTOR
    template_name = "assessments/mentorrating_form.html"
    note_label = gettext_lazy("Comment (optional)")

    @cached_property
    def enrollment(self):
        return get_mentee_enrollment_for_user(
            self.request.user, self.kwargs["enrollment"], write=self.request.method == "POST"
        )

    @cached_property
    def record(self):
        enrollments = Enrollment.objects.filter(pk=self.enrollment.pk).select_related(
            "cycle__program", "student__user"
        )
        return competence_records(enrollments, mentor=self.enrollment.match.engagement.mentor)[0]

    def form_for(self, moment, data=None):
        initial = {}
        for row in self.record.rows:
            rating = getattr(row, f"mentor_{moment}")
            if rating:
                initial[f"level_{row.dimension.pk}"] = rating.level
                initial[f"note_{row.dimension.pk}"] = rating.comment
        return CompetenceForm(
            data,
            dimensions=self.record.dimensions,
            initial=initial,
            prefix=moment,
            note_label=self.note_label,
        )

    def get_context_data(self, bound=None, **kwargs):
        forms = []
        for moment in Moment:
            reason = mentor_closed_reason(enrollment=self.enrollment, moment=moment)
            if bound is not None and bound.prefix == moment:
                form = bound
            elif reason or not self.record.dimensions:
                form = None
            else:
                form = self.form_for(moment)
            forms.append((moment, moment.label, form, reason))
        kwargs.pop("enrollment", None)  # the URL's id; the page shows the object
        return super().get_context_data(
            mentee=self.enrollment, record=self.record, forms=forms, **kwargs
        )

    def post(self, request, enrollment):
        moment = request.POST.get("moment")
        if moment not in Moment.values:
            raise SuspiciousOperation("unknown moment")
        form = self.form_for(Moment(moment), request.POST)
        if form.is_valid():
            try:
                save_mentor_ratings(
                    enrollment=self.enrollment,
                    mentor=self.enrollment.match.engagement.mentor,
                    moment=moment,
                    levels=form.levels(),
                )
            except CompetenceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your ratings were saved."))
                return redirect("competence_mentee", enrollment=self.enrollment.pk)
        return self.render_to_response(self.get_context_data(bound=form))
