"""A cycle's survey figures as a CSV download: the same figures, from the
same ``survey_figures``, as the results page and the dashboard show, so the
satisfaction rate is one number wherever it is read."""

from django.utils.translation import gettext as _

from .evaluation_export import csv_response, file_name
from .survey_stats import survey_figures


def percent(rate):
    """A share as the pages print it (their ``widthratio``): whole percent."""
    return None if rate is None else round(rate * 100)


def _response_row(label, asked, answered):
    return [label, asked, answered, percent(answered / asked) if asked else None]


def survey_table(figures):
    """(header, rows): who answered, the satisfaction rate, then each 1-5
    question's share of 4 and 5 beside it."""
    header = [_("Figure"), _("Of"), _("Count"), _("Share (%)")]
    rows = [
        _response_row(
            _("Students who answered"), figures.students_asked, figures.students_answered
        ),
        _response_row(_("Mentors who answered"), figures.mentors_asked, figures.mentors_answered),
        [
            _("Satisfied overall (respondents answering 4 or 5)"),
            figures.rated,
            figures.satisfied,
            percent(figures.satisfaction_rate),
        ],
    ]
    rows += [
        [
            _("Answers of 4 or 5: %(audience)s · %(question)s")
            % {
                "audience": share.question.get_audience_display(),
                "question": share.question.label,
            },
            share.rated,
            share.satisfied,
            percent(share.satisfaction_rate),
        ]
        for share in figures.questions
    ]
    return header, rows


def survey_csv_response(cycle):
    header, rows = survey_table(survey_figures(cycle))
    return csv_response(file_name(cycle, "survey", "csv"), header, rows)
