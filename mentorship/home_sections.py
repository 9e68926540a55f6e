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
    template: str
    provider: object  # callable(user) -> the entry's value, in a fixed number of queries
    order: int
    # "top": a full-width partial above the home's columns (what needs doing now);
    # "row": a partial rendering <section> columns of the home's row.
    place: str


_sections = {MENTOR: {}, STUDENT: {}}


def register(role, *, name, template, provider, order=100, place="row"):
    """Add a section to ``role``'s home; registering the same name again replaces it."""
    if place not in ("top", "row"):
        raise ValueError(f"unknown place {place!r}")
    _sections[role][name] = HomeSection(name, template, provider, order, place)


def home_sections(role, user):
    """The context entries of ``role``'s registered sections for ``user``, and
    their templates in order: ``home_top`` above the columns, ``home_sections``
    in the row."""
    sections = sorted(_sections[role].values(), key=lambda s: (s.order, s.name))
    context = {section.name: section.provider(user) for section in sections}
    context["home_top"] = [s.template for s in sections if s.place == "top"]
    context["home_sections"] = [s.template for s in sections if s.place == "row"]
    return context
