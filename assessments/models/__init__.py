from .deliverables import Draft, Requirement, Review, ReviewDecision, Submission  # noqa: F401
