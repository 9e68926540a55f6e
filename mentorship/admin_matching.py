"""Rankings, matching runs and matches in the admin, to look at.

They change only through the matching services (run, adjust, commit), which
keep their rules; the admin never edits them directly.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs.admin_scoping import (
    CHANGE,
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    program_ids,
)
from programs.confirmation import confirm
from programs.models import Stage

from .admin_scopes import scoped_cycle
from .forms import MoveStudentForm
from .matching_confirmations import commit_confirmation, publish_confirmation
from .matching_levels import LEVELS
from .matching_moves import move_student
from .matching_preview import describe_run, paged, summary
from .matching_runs import MatchingError, commit_run, run_matching
from .models import (
    Match,
    MatchingLevel,
    MatchingRun,
    MentorPreference,
    RunStatus,
    StudentPreference,
)
from .publishing import (
    PublishingError,
    publication_context,
    publication_message,
    publish_placements,
)


class ReadOnlyScopedAdmin(ProgramScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchingRun)
class MatchingRunAdmin(ReadOnlyScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("cycle__program", "created_by")
    list_display = (
        "cycle",
        "level",
        "created_at",
        "created_by",
        "status",
        "students_count",
        "matched_count",
        "unmatched_count",
        "first_choice_percent",
        "top3_percent",
        "under_minimum_count",
        "blocking_pairs_count",
    )
    list_filter = (ProgramListFilter, CycleListFilter, "level", "status")
    exclude = ("input_snapshot", "result")

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        group = {"level": MatchingLevel.GROUP}
        return [
            path("cycle/<int:cycle_id>/", wrap(self.preview_view), name=f"{name}_preview"),
            path(
                "cycle/<int:cycle_id>/run/",
                wrap(require_POST(self.run_view)),
                name=f"{name}_run",
            ),
            path(
                "cycle/<int:cycle_id>/groups/",
                wrap(self.preview_view),
                group,
                name=f"{name}_group_preview",
            ),
            path(
                "cycle/<int:cycle_id>/groups/run/",
                wrap(require_POST(self.run_view)),
                group,
                name=f"{name}_group_run",
            ),
            path(
                "cycle/<int:cycle_id>/groups/publish/",
                wrap(self.publish_view),
                group,
                name=f"{name}_group_publish",
            ),
            path(
                "<int:run_id>/move/",
                wrap(require_POST(self.move_view)),
                name=f"{name}_move",
            ),
            path(
                "<int:run_id>/commit/",
                wrap(self.commit_view),
                name=f"{name}_commit",
            ),
            path(
                "cycle/<int:cycle_id>/publish/",
                wrap(self.publish_view),
                name=f"{name}_publish",
            ),
            *super().get_urls(),
        ]

    def _cycle(self, request, cycle_id, *, change):
        """The cycle if the person may see it (else 404) and, for ``change``,
        run its matching (else 403)."""
        return scoped_cycle(self, request, cycle_id, change=change)

    def _url(self, action, level, *args):
        prefix = "group_" if level == MatchingLevel.GROUP else ""
        return reverse(
            f"{self.admin_site.name}:mentorship_matchingrun_{prefix}{action}", args=list(args)
        )

    def preview_view(self, request, cycle_id, level=MatchingLevel.MENTOR):
        return self._render_preview(request, self._cycle(request, cycle_id, change=False), level)

    def _move_form(self, run, data=None, student=None):
        spec = LEVELS[run.level]
        sides = spec.sides([int(pk) for pk in run.input_snapshot["capacities"]])
        return MoveStudentForm(
            data,
            initial={"student": student},
            mentors=sorted(sides.values(), key=str),
            mentor_label=spec.texts["new_side"],
        )

    def _render_preview(self, request, cycle, level, move_form=None):
        # Each level has its own runs: a group run never shows on the mentor page.
        run = (
            MatchingRun.objects.filter(cycle=cycle, level=level)
            .exclude(status=RunStatus.DISCARDED)
            .select_related("created_by", "committed_by", "cycle__program")
            .first()
        )
        changeable = program_ids(request, CHANGE)
        can_change = changeable is None or cycle.program_id in changeable
        can_run = cycle.stage == Stage.SELECTION and can_change
        query = request.GET.get("q", "").strip()
        details = describe_run(run, query=query) if run else None
        publication = publication_context(cycle, level)
        texts = LEVELS[level].texts
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": texts["title"] % {"cycle": cycle},
            "cycle": cycle,
            "level": level,
            "texts": texts,
            "run_url": self._url("run", level, cycle.pk),
            "run": run,
            "query": query,
            "can_run": can_run,
            "can_change": can_change,
            "publish_url": self._url("publish", level, cycle.pk),
            **publication,
            "waiting": paged(request, publication["unmatched_enrollments"], "waiting_page"),
        }
        if details:
            movable = can_run and run.status == RunStatus.PREVIEW
            moving = self._moving(request, details, move_form) if movable else None
            if moving and move_form is None:
                move_form = self._move_form(run, student=moving.pk)
            context |= {
                "details": details,
                "summary": summary(run),
                "matched": paged(request, details["matched"], "page"),
                "unmatched": paged(request, details["unmatched"], "unmatched_page"),
                "mentors": paged(request, details["mentors"], "mentors_page"),
                "movable": movable,
                "moving": moving,
                "move_form": move_form if moving else None,
                "move_query": self._move_query(request),
            }
        return TemplateResponse(request, "admin/mentorship/matchingrun/preview.html", context)

    @staticmethod
    def _moving(request, details, move_form):
        """The student being moved: the bound form's, or the row's move link's."""
        chosen = move_form.data.get("student") if move_form else request.GET.get("move")
        try:
            pk = int(chosen)
        except (TypeError, ValueError):
            return None
        if pk in details["pinned"]:
            return None
        return details["students"].get(pk)

    @staticmethod
    def _move_query(request):
        """The page's query without a move, to which a row's link adds its own."""
        query = request.GET.copy()
        query.pop("move", None)
        encoded = query.urlencode()
        return f"{encoded}&" if encoded else ""

    def run_view(self, request, cycle_id, level=MatchingLevel.MENTOR):
        cycle = self._cycle(request, cycle_id, change=True)
        try:
            run = run_matching(cycle=cycle, by=request.user, level=level)
        except MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Matching preview ready: %(matched)s matched, %(unmatched)s unmatched.")
                % {"matched": run.matched_count, "unmatched": run.unmatched_count},
            )
        return HttpResponseRedirect(self._url("preview", level, cycle.pk))

    def move_view(self, request, run_id):
        run = get_object_or_404(MatchingRun, pk=run_id)
        cycle = self._cycle(request, run.cycle_id, change=True)
        form = self._move_form(run, request.POST)
        if not form.is_valid():
            return self._render_preview(request, cycle, run.level, move_form=form)
        try:
            warnings = move_student(run=run, by=request.user, **form.cleaned_data)
        except MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The student was moved; the move is recorded as manual."))
            for warning in warnings:
                messages.warning(request, warning)
        return HttpResponseRedirect(self._url("preview", run.level, cycle.pk))

    def commit_view(self, request, run_id):
        """GET: what committing changes; POST with ``confirmed``: commit."""
        # Its input and result are read by commit_run, under its lock.
        run = get_object_or_404(MatchingRun.objects.defer("input_snapshot", "result"), pk=run_id)
        cycle = self._cycle(request, run.cycle_id, change=True)
        back_url = self._url("preview", run.level, cycle.pk)

        def perform(choices):
            try:
                commit_run(run=run, by=request.user)
            except MatchingError as error:
                # Refused under its locks (the rankings changed since the page): say why.
                refused = commit_confirmation(run, cycle, back_url=back_url, refusal=str(error))
                return confirm(request, refused, perform=perform, context=context)
            messages.success(request, str(LEVELS[run.level].texts["committed"]))
            return HttpResponseRedirect(back_url)

        # The confirming POST leaves the costly check of the input to commit_run.
        confirmation = commit_confirmation(
            run, cycle, back_url=back_url, check_input=request.method != "POST"
        )
        context = self._context(request, cycle)
        return confirm(request, confirmation, perform=perform, context=context)

    def publish_view(self, request, cycle_id, level=MatchingLevel.MENTOR):
        """GET: who publishing tells; POST with ``confirmed``: publish and mail them."""
        cycle = self._cycle(request, cycle_id, change=True)
        back_url = self._url("preview", level, cycle.pk)

        def perform(choices):
            try:
                count = publish_placements(cycle=cycle, by=request.user, level=level)
            except PublishingError as error:
                messages.error(request, str(error))
            else:
                notify = messages.success if count else messages.info
                notify(request, publication_message(count, level))
            return HttpResponseRedirect(back_url)

        confirmation = publish_confirmation(cycle, level, back_url=back_url)
        return confirm(
            request, confirmation, perform=perform, context=self._context(request, cycle)
        )

    def _context(self, request, cycle):
        return {**self.admin_site.each_context(request), "opts": self.opts, "cycle": cycle}

    @admin.display(description=gettext_lazy("first choice"))
    def first_choice_percent(self, run):
        return f"{run.first_choice_share:.0%}"

    @admin.display(description=gettext_lazy("top-3 choice"))
    def top3_percent(self, run):
        return f"{run.top3_share:.0%}"


@admin.register(Match)
class MatchAdmin(ReadOnlyScopedAdmin):
    program_lookup = "engagement__cycle__program"
    cycle_lookup = "engagement__cycle"
    str_select_related = (
        "enrollment__student__user",
        "enrollment__cycle__program",
        "engagement__mentor__user",
        "engagement__cycle__program",
    )
    # Newest first along the primary key (an index walk), not sorted by
    # names joined from four tables.
    ordering = ("-pk",)
    list_display = ("enrollment", "engagement", "rank", "source", "reason", "published_at")
    list_filter = (ProgramListFilter, CycleListFilter, "source")
    search_fields = (
        "enrollment__student__user__full_name",
        "enrollment__student__student_number",
        "engagement__mentor__user__full_name",
    )


@admin.register(StudentPreference)
class StudentPreferenceAdmin(ReadOnlyScopedAdmin):
    program_lookup = "enrollment__cycle__program"
    cycle_lookup = "enrollment__cycle"
    str_select_related = (
        "enrollment__student__user",
        "enrollment__cycle__program",
        "engagement__mentor__user",
        "engagement__cycle__program",
    )
    list_display = ("enrollment", "rank", "engagement")
    list_filter = (ProgramListFilter, CycleListFilter)
    search_fields = ("enrollment__student__user__full_name", "engagement__mentor__user__full_name")


@admin.register(MentorPreference)
class MentorPreferenceAdmin(ReadOnlyScopedAdmin):
    program_lookup = "engagement__cycle__program"
    cycle_lookup = "engagement__cycle"
    str_select_related = StudentPreferenceAdmin.str_select_related
    list_display = ("engagement", "rank", "acceptable", "enrollment")
    list_filter = (ProgramListFilter, CycleListFilter, "acceptable")
    search_fields = ("enrollment__student__user__full_name", "engagement__mentor__user__full_name")
