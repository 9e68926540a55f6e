"""Which people belong to a set of programs, for admin scoping.

A person has no program column: they belong to every program whose roster
they are on, in which they hold a staff role, or in whose cycles they are
engaged as a mentor or enrolled as a student (reach.MEMBERSHIPS). Subqueries
rather than joins, so a person in several programs is still one changelist row.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from programs.admin_scoping import CHANGE, VIEW, ProgramScopedAdmin, program_ids
from programs.http import parse_id
from programs.models import Cycle

from .reach import MEMBERSHIPS, REFUSAL, Reach


def people_in_programs(program_ids, user_field="pk"):
    """A Q matching rows whose ``user_field`` is a person of ``program_ids``."""
    found = Q()
    for model, user_path, program_path in MEMBERSHIPS:
        people = model.objects.filter(**{f"{program_path}__in": program_ids}).values(user_path)
        found |= Q(**{f"{user_field}__in": people})
    return found


class PersonScopedAdmin(ProgramScopedAdmin):
    """Admin of a model that is a person (``user_field="pk"``) or hangs on one."""

    user_field = "user"

    def scope_queryset(self, queryset, ids):
        return queryset.filter(people_in_programs(ids, self.user_field))


def scoped_cycle(model_admin, request, cycle_id, *, change):
    """The cycle of a custom admin page on a cycle, if the person may see it
    (else 404) and, for ``change``, act on it (else 403). ``model_admin``'s
    view permission says whether they may use the page at all."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id)
    visible, changeable = program_ids(request, VIEW), program_ids(request, CHANGE)
    if visible is not None and cycle.program_id not in visible:
        raise Http404(_("This cycle does not exist or is not yours to see."))
    if change and changeable is not None and cycle.program_id not in changeable:
        raise PermissionDenied
    return cycle


def _follow(cleaned, path):
    head, *rest = path.split(".")
    value = cleaned.get(head)
    for name in rest:
        # A missing relation (a parent not filled in yet) reads as None.
        value = getattr(value, name, None)
    return value


class ReachCheckedAdmin:
    """For an admin or inline whose rows put a person into a program: the form
    refuses an existing account ``request.user`` may not attach there
    (mentorship.reach), whatever id was posted.

    ``reach_check`` gives the dotted paths from the form's cleaned data to the
    person and to the program; the refusal shows on ``reach_field`` (the first
    path's field unless set).
    """

    reach_check = ("user", "program")
    reach_field = None

    def reach_checked(self, form_class, request, reach=None):
        reach = reach or Reach(request.user)
        person_path, program_path = self.reach_check
        field = self.reach_field or person_path.split(".")[0]

        class ReachCheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                person, program = _follow(cleaned, person_path), _follow(cleaned, program_path)
                if person and program and not reach.may_attach(person, program):
                    self.add_error(field, REFUSAL)
                return cleaned

        ReachCheckedForm.__name__ = form_class.__name__
        return ReachCheckedForm

    def get_form(self, request, obj=None, **kwargs):
        return self.reach_checked(super().get_form(request, obj, **kwargs), request)

    def get_formset(self, request, obj=None, **kwargs):
        base = super().get_formset(request, obj, **kwargs)
        reach = Reach(request.user)
        person = self.reach_check[0]

        class ReachLoadedFormSet(base):
            def full_clean(self):
                # Everyone posted is looked up at once, not four queries a row.
                if self.is_bound and "." not in person:
                    posted = (parse_id(form[person].data) for form in self.forms)
                    reach.load([pk for pk in set(posted) if pk is not None])
                super().full_clean()

        ReachLoadedFormSet.__name__ = base.__name__
        ReachLoadedFormSet.form = self.reach_checked(base.form, request, reach)
        return ReachLoadedFormSet
