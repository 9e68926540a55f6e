"""Sections that later apps add to the mentor and student homes.

Meetings, activities, deliverables and competence belong on the homes, but
their apps depend on mentorship, which must not import them back. Each app
registers its sections from its AppConfig.ready(); the home views ask for them
here and render them in order after their own. This is the one registry the
homes need, the way programs.stages is the one the stage machine needs.
"""

from dataclasses import dataclass

from .roles import MENTOR, STUDENT


@dataclass(frozen=True)
class HomeSection:
    name: str  # the context entry the template reads
    template: str  # a partial rendering one or more <section> columns of the home's row
    provider: object  # callable(user) -> the entry's value, in a fixed number of queries
    order: int


_sections = {MENTOR: {}, STUDENT: {}}


def register(role, *, name, template, provider, order=100):
    """Add a section to ``role``'s home; registering the same name again replaces it."""
    _sections[role][name] = HomeSection(name, template, provider, order)


def home_sections(role, user):
    """The context entries of ``role``'s registered sections for ``user``, and
    ``home_sections``: their templates in order."""
    sections = sorted(_sections[role].values(), key=lambda s: (s.order, s.name))
    context = {section.name: section.provider(user) for section in sections}
    context["home_sections"] = [section.template for section in sections]
    return context
