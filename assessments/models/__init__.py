from .competence import LevelDescriptor, MentorRating, Moment, Rating, SelfAssessment  # noqa: F401
from .deliverables import Draft, Requirement, Review, ReviewDecision, Submission  # noqa: F401
from .evaluation import (  # noqa: F401
    Award,
    AwardDecision,
    Evaluation,
    EvaluationFinalized,
    EvaluationStatus,
    Judgment,
    Score,
    Standing,
)
from .survey import SurveyAnswer, SurveyResponse  # noqa: F401
