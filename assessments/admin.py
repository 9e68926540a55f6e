from . import (  # noqa: F401
    admin_awards,
    admin_competence,
    admin_deliverables,
    admin_evaluation,
    admin_judging,
    admin_survey,
)
