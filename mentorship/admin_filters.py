"""List filters of the mentorship admin that several pages share."""

from django.utils.translation import gettext_lazy as _

from programs.admin_scoping import OfferedChoiceListFilter


class MatchedListFilter(OfferedChoiceListFilter):
    """Enrollments with or without a mentor, by their Match rather than their status.

    The status says what the last commit decided; the Match is what holds now.
    """

    title = _("mentor")
    parameter_name = "matched"

    def lookups(self, request, model_admin):
        return [("yes", _("Matched")), ("no", _("Unmatched"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(match__isnull=False)
        if self.value() == "no":
            return queryset.filter(match__isnull=True).exclude(status="withdrawn")
        return queryset


class YearOfStudyListFilter(OfferedChoiceListFilter):
    """The years of study StudentProfile's constraint allows (1 to 10),
    offered as they are: Django's filter for a field read the distinct years
    of every student of the person's programs on each page."""

    title = _("year of study")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in range(1, 11)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(year=int(self.value()))
