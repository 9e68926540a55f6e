"""The dashboard's figures as chart data for static/js/dashboard.js.

Each chart is a plain dict the page embeds with ``json_script``: labels and
dataset names are translated here, in the reader's language, so the script
only draws. Shares are percentages rounded to one decimal.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Moment
from .survey_stats import TARGET


def _percent(share):
    return None if share is None else round(share * 100, 1)


def _mean(value):
    return None if value is None else round(value, 2)


def chart(labels, datasets, *, stacked=False, horizontal=False, percent=False, **extra):
    """A bar chart; ``datasets`` is a list of ``(name, values)``."""
    return {
        "labels": [str(label) for label in labels],
        "datasets": [{"label": str(name), "data": list(values)} for name, values in datasets],
        "stacked": stacked,
        "horizontal": horizontal,
        "percent": percent,
        **extra,
    }


def completion_chart(rows):
    return chart(
        [row.requirement.kind.label for row in rows],
        [
            (pgettext("deliverable", "Accepted"), [row.accepted for row in rows]),
            (_("Handed in, not accepted yet"), [row.waiting for row in rows]),
            (_("Not handed in"), [row.missing for row in rows]),
        ],
        stacked=True,
        horizontal=True,
    )


def group_chart(groups, requirements):
    return chart(
        [row.group.name for row in groups],
        [
            (
                requirement.kind.label,
                [_percent(row.shares[i]) for row in groups],
            )
            for i, requirement in enumerate(requirements)
        ],
        percent=True,
        max=100,
    )


def month_label(month):
    return date_format(month, "YEAR_MONTH_FORMAT")


def meetings_chart(months):
    return chart(
        [month_label(month) for month, _n in months],
        [(_("Confirmed meetings"), [n for _month, n in months])],
    )


def _day(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def attendance_chart(rows):
    return chart(
        [f"{row.activity.title} ({_day(row.activity.starts_at)})" for row in rows],
        [
            (_("Invited"), [row.invited for row in rows]),
            (_("Said yes"), [row.said_yes for row in rows]),
            (_("Present"), [row.present for row in rows]),
        ],
    )


def competence_chart(rows):
    return chart(
        [row.dimension.label for row in rows],
        [
            (Moment.START.label, [_mean(row.start) for row in rows]),
            (Moment.END.label, [_mean(row.end) for row in rows]),
        ],
        min=1,
        max=5,
    )


def satisfaction_chart(survey):
    target = round(TARGET * 100)
    return chart(
        [_("Satisfied overall"), _("Answered the survey")],
        [(_("Share"), [_percent(survey.satisfaction_rate), _percent(survey.response_rate)])],
        percent=True,
        max=100,
        target={"value": target, "label": _("Target: %(target)s%%") % {"target": target}},
    )


def charts(figures):
    """Every chart of ``figures`` (a dashboard.Dashboard), by name."""
    requirements = [row.requirement for row in figures.completion]
    return {
        "completion": completion_chart(figures.completion),
        "groups": group_chart(figures.groups, requirements),
        "meetings": meetings_chart(figures.meetings),
        "attendance": attendance_chart(figures.attendance),
        "competence": competence_chart(figures.competence),
        "satisfaction": satisfaction_chart(figures.survey),
    }
