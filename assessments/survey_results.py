"""What the steering group reads of a cycle's survey, per question: how many
gave each answer 1-5 and the written comments. Comments carry no names and
are shown in alphabetical order, not in the order they came in, so they
cannot be lined up with the list of who answered."""

from dataclasses import dataclass, field

from django.db.models import Count

from programs.evaluation_rules import QuestionKind
from programs.models import SurveyQuestion

from .models import SurveyAnswer
from .survey_stats import SATISFIED


@dataclass
class QuestionResult:
    question: SurveyQuestion
    counts: dict = field(default_factory=dict)  # 1-5 -> answers
    comments: list = field(default_factory=list)

    @property
    def is_likert(self):
        return self.question.kind == QuestionKind.LIKERT

    @property
    def rated(self):
        return sum(self.counts.values())

    @property
    def distribution(self):
        """(value, answers, share of the answers) for 1 to 5."""
        rated = self.rated
        return [
            (value, self.counts.get(value, 0), self.counts.get(value, 0) / rated if rated else 0)
            for value in range(1, 6)
        ]

    @property
    def satisfaction_rate(self):
        rated = self.rated
        satisfied = sum(n for value, n in self.counts.items() if value >= SATISFIED)
        return satisfied / rated if rated else None


def survey_results(cycle):
    """A QuestionResult per question of ``cycle``'s program, students' first.
    Three queries at any size."""
    questions = SurveyQuestion.objects.filter(program=cycle.program_id).order_by(
        "-audience", "position", "pk"
    )
    results = {question.pk: QuestionResult(question) for question in questions}
    answers = SurveyAnswer.objects.filter(response__cycle=cycle, question__in=list(results))
    for question_id, value, n in (
        answers.filter(value__isnull=False)
        .values_list("question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        results[question_id].counts[value] = n
    for question_id, text in (
        answers.exclude(text="").values_list("question_id", "text").order_by("question_id", "text")
    ):
        results[question_id].comments.append(text)
    return list(results.values())
