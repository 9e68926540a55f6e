"""The demo as data: both model programs of DESIGN.md section 1.

``build_plan`` touches no database and draws from a seeded RNG, so every run
describes exactly the same people, cycles and groups; the seeder then creates
only what is missing, which is what makes ``seed_demo`` safe to run twice.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from programs.models import Stage

from . import names

COORDINATOR = "coordinator@demo.test"
STEERING = "steering@demo.test"
MENTOR = "mentor@demo.test"
STUDENT = "student@demo.test"
LOGINS = {
    COORDINATOR: ("Chen Lihua", "coordinator of both programs"),
    STEERING: ("Liu Jianguo", "steering-group member of both programs"),
    MENTOR: ("Zhou Wenjie", "mentor and team chief in the alumni program, coach in coaching"),
    STUDENT: ("Li Xiaoyu", "student of that mentor, in that team"),
}


@dataclass
class MentorSpec:
    email: str
    full_name: str
    kind: str
    alumni_degree: str
    organisation: str
    title: str
    industry: str
    discipline: str
    bio: str
    languages: str


@dataclass
class StudentSpec:
    email: str
    full_name: str
    student_number: str
    degree_level: str
    major: str
    year: int
    interests: str


@dataclass
class GroupSpec:
    kind: str
    name: str
    focus: str
    sponsoring_organisation: str = ""
    description: str = ""
    mentors: list = field(default_factory=list)  # (email, GroupRole value)
    # Mentor teams only: which of the team's students each mentor guides.
    assignments: dict = field(default_factory=dict)
    students: list = field(default_factory=list)
    capacity: int | None = None  # student places when students choose groups
    guests: list = field(default_factory=list)  # names of the program's guests


@dataclass
class CycleSpec:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    stage: str
    preference_deadline: datetime.datetime
    transitions: list  # (from_stage, to_stage, at, note)
    priority_invitations_until: datetime.datetime | None = None
    groups: list = field(default_factory=list)
    capacities: dict = field(default_factory=dict)  # mentor email -> capacity
    priority: set = field(default_factory=set)  # mentors rated excellent last cycle
    excellent: set = field(default_factory=set)  # mentors rated excellent in this cycle
    # A cycle in selection: contract answers, applicants and both sides' rankings.
    statuses: dict = field(default_factory=dict)  # mentor email -> EngagementStatus
    applicants: list = field(default_factory=list)  # student emails, not yet placed
    student_rankings: dict = field(default_factory=dict)  # student -> [mentor, ...]
    mentor_rankings: dict = field(default_factory=dict)  # mentor -> [(student, rank|None)]
    group_rankings: dict = field(default_factory=dict)  # student -> [group name, ...]
    group_judgements: dict = field(default_factory=dict)  # group name -> [(student, rank|None)]

    @property
    def opened_at(self):
        return self.transitions[0][2]

    @property
    def kicked_off_at(self):
        return next((at for _, to, at, _ in self.transitions if to == Stage.KICK_OFF), None)


@dataclass
class ProgramSpec:
    name: str
    kind: str
    organisation: str
    description: str
    cycles: list  # newest first
    guests: list = field(default_factory=list)  # dicts of Guest fields


@dataclass
class Plan:
    mentors: dict
    students: dict
    programs: list
    earliest: datetime.datetime


def academic_year(today):
    """Start year of the cycle running on ``today`` (cycles start in September)."""
    return today.year if today.month >= 9 else today.year - 1


def local_time(day, hour=10):
    zone = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def cycle_timeline(year, *, closed, now):
    """Stage history of a cycle starting in September of ``year``.

    Dates of the running cycle are pulled back to ``now`` when the calendar has
    not reached them yet, so history never lies in the future.
    """
    d = datetime.date
    steps = [
        (
            Stage.SETUP,
            Stage.SELECTION,
            d(year, 6, 15),
            "Recruitment of mentors and students opens.",
        ),
        (Stage.SELECTION, Stage.KICK_OFF, d(year, 9, 12), "Matching committed; kick-off ceremony."),
        (Stage.KICK_OFF, Stage.TRACKING, d(year, 9, 26), "Process tracking starts."),
    ]
    if closed:
        steps += [
            (Stage.TRACKING, Stage.EVALUATION, d(year + 1, 5, 25), "Final evaluation opens."),
            (
                Stage.EVALUATION,
                Stage.REWARD,
                d(year + 1, 6, 20),
                "Steering group confirmed awards.",
            ),
            (Stage.REWARD, Stage.CLOSED, d(year + 1, 7, 31), "Commendation meeting held; closed."),
        ]
    timeline = []
    for position, (frm, to, day, note) in enumerate(steps):
        at = min(local_time(day), now - datetime.timedelta(hours=len(steps) - position))
        timeline.append((frm, to, at, note))
    return timeline


def next_year_in_selection(year, *, opened_on, note, now, **extra):
    """Next academic year's cycle, opened for selection on ``opened_on`` of this year."""
    start = year + 1
    opened = min(local_time(opened_on), now - datetime.timedelta(hours=1))
    return CycleSpec(
        name=f"{start}-{start + 1}",
        starts_on=datetime.date(start, 9, 1),
        ends_on=datetime.date(start + 1, 7, 31),
        stage=Stage.SELECTION,
        preference_deadline=local_time(datetime.date(start, 7, 10), hour=18),
        transitions=[(Stage.SETUP, Stage.SELECTION, opened, note)],
        **extra,
    )


class Builder:
    def __init__(self, rng, year):
        self.rng = rng
        self.year = year
        self.mentors = {}
        self.students = {}
        self.used_names = {login[0] for login in LOGINS.values()}
        self.number = 0

    def _name(self, english_share):
        while True:
            english = self.rng.random() < english_share
            name = names.english_name(self.rng) if english else names.pinyin_name(self.rng)
            if name not in self.used_names:
                self.used_names.add(name)
                return name, english

    @staticmethod
    def _email(full_name, english):
        first, last = full_name.split(" ", 1)
        # On a Chinese roster the surname comes first; e-mails put the given name first.
        given, surname = (first, last) if english else (last, first)
        return f"{given}.{surname}@demo.test".lower()

    def mentor(self, area, kind, degree, title, *, organisation=None, email=None, name=None):
        english = False
        if name is None:
            name, english = self._name(0.08)
        email = email or self._email(name, english)
        organisation = organisation or self.rng.choice(names.ORGANISATIONS[area])
        industry = names.INDUSTRIES[area]
        self.mentors[email] = MentorSpec(
            email=email,
            full_name=name,
            kind=kind,
            alumni_degree=degree,
            organisation=organisation,
            title=title,
            industry=industry,
            discipline=names.DISCIPLINES[area],
            bio=names.bio(self.rng, title=title, organisation=organisation, industry=industry),
            languages="Chinese, English" if english or self.rng.random() < 0.6 else "Chinese",
        )
        return email

    def student(self, majors, year, *, email=None, name=None, degree=None, study_year=None):
        english = False
        if name is None:
            name, english = self._name(0.1)
        email = email or self._email(name, english)
        degree = (
            degree
            or self.rng.choices(["undergraduate", "master", "doctoral"], weights=[7, 3, 1])[0]
        )
        study_year = study_year or self.rng.randint(*{"undergraduate": (2, 4)}.get(degree, (1, 3)))
        major = self.rng.choice(majors)
        self.number += 1
        # Entry year, a school code and a running number, as on a campus card.
        school = (
            8 if major not in names.UNIVERSITY_MAJORS else 10 + names.UNIVERSITY_MAJORS.index(major)
        )
        self.students[email] = StudentSpec(
            email=email,
            full_name=name,
            student_number=f"{year - study_year + 1}{school:02d}{self.number:04d}",
            degree_level=degree,
            major=major,
            year=study_year,
            interests=", ".join(self.rng.sample(names.INTERESTS, 2)),
        )
        return email

    @staticmethod
    def guest_email(full_name):
        return full_name.lower().replace(" ", ".") + "@guest.demo.test"
