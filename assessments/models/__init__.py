from .competence import LevelDescriptor, MentorRating, Moment, Rating, SelfAssessment  # noqa: F401
