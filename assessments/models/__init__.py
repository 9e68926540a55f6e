from .competence import LevelDescriptor, MentorRating, Moment, Rating, SelfAssessment  # noqa: F401
from .deliverables import Draft, Requirement, Review, ReviewDecision, Submission  # noqa: F401
