"""Demo survey answers for both programs' closed cycles.

Most people answered (one in seven did not), during the cycle's final
evaluation. The alumni program's answers are satisfied well above the 90%
line; the coaching program's fall short of it, so the results page shows
both cases. A few comments are in English and a few in Chinese. A person who
has answered is left alone: a second run creates nothing.
"""

import datetime
import itertools
from collections import Counter

from mentorship.demo.catalogue import ALUMNI, COACHING
from programs.evaluation_rules import Audience, QuestionKind
from programs.models import Cycle, Stage

from .models import SurveyAnswer, SurveyResponse
from .survey import survey_questions, surveyed_participations

# program -> 1-5 values given in turn: 19 of 20 satisfied, or 4 of 5.
VALUES = {
    ALUMNI: [5, 4, 5, 5, 4, 5, 5, 4, 5, 3, 5, 4, 5, 5, 4, 5, 5, 4, 5, 5],
    COACHING: [5, 4, 3, 5, 4, 4, 5, 4, 2, 5],
}
COMMENTS = {
    ALUMNI: [
        "More company visits in the first semester, please.",
        "希望能增加与导师面对面交流的机会。",
        "The career plan template helped me a lot; the deadline came too early.",
        "导师非常耐心，模拟面试对我帮助很大。",
        "Give mentors a short guide on how to run the first meeting.",
    ],
    COACHING: [
        "活动很有收获，建议提前公布时间安排。",
        "Groups of twenty are too large for real coaching.",
        "线上会议效果一般，希望多组织线下沙龙。",
        "The industry talks were the best part of the year.",
        "希望辅导老师能更及时地反馈我的职业规划。",
    ],
}
SILENT_EVERY = 7  # the seventh person asked does not answer
COMMENT_EVERY = 4  # every fourth respondent writes a comment


def seed_survey(*, plan, now):
    created = Counter()
    for program_name in (ALUMNI, COACHING):
        cycle = (
            Cycle.objects.filter(program__name=program_name, stage=Stage.CLOSED)
            .select_related("program")
            .order_by("-starts_on")
            .first()
        )
        if cycle is not None:
            created.update(_answer_cycle(cycle, VALUES[program_name], iter(COMMENTS[program_name])))
    return created


def _answer_cycle(cycle, values, comments):
    moves = dict(cycle.transitions.values_list("to_stage", "at"))
    opened, closed = moves.get(Stage.EVALUATION), moves.get(Stage.REWARD)
    if opened is None or closed is None:
        return Counter()
    answered = set(
        SurveyResponse.objects.filter(cycle=cycle).values_list("respondent_id", "audience")
    )
    given = itertools.cycle(values)
    responses, answers = [], []
    for audience, person in ((Audience.STUDENT, "student"), (Audience.MENTOR, "mentor")):
        questions = survey_questions(cycle.program, audience)
        people = surveyed_participations(cycle, audience).select_related(f"{person}__user")
        for index, participation in enumerate(people.order_by("pk")):
            user = getattr(participation, person).user
            if index % SILENT_EVERY == SILENT_EVERY - 1 or (user.pk, audience) in answered:
                continue
            response = SurveyResponse(
                cycle=cycle,
                respondent=user,
                audience=audience,
                **{"enrollment" if audience == Audience.STUDENT else "engagement": participation},
                submitted_at=min(
                    opened + datetime.timedelta(days=index % 10, hours=3 + index % 8),
                    closed - datetime.timedelta(hours=1),
                ),
            )
            responses.append(response)
            for question in questions:
                if question.kind == QuestionKind.LIKERT:
                    answers.append(
                        SurveyAnswer(response=response, question=question, value=next(given))
                    )
                elif index % COMMENT_EVERY == 0 and (comment := next(comments, None)):
                    answers.append(SurveyAnswer(response=response, question=question, text=comment))
    # Each answer takes its response's id, known once the responses are saved.
    SurveyResponse.objects.bulk_create(responses)
    SurveyAnswer.objects.bulk_create(answers)
    return Counter({SurveyResponse: len(responses), SurveyAnswer: len(answers)})
