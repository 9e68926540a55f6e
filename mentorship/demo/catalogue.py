"""Who is in the demo: the two model programs, their groups and guests."""

import datetime
import random

from programs.models import GroupKind, ProgramKind, Stage

from . import names
from .group_selection import add_group_selection_cycle
from .plan import (
    LOGINS,
    MENTOR,
    STUDENT,
    Builder,
    CycleSpec,
    GroupSpec,
    Plan,
    ProgramSpec,
    academic_year,
    cycle_timeline,
    local_time,
)
from .selection import add_selection_cycle

ALUMNI = "Alumni Professional Mentor Program"
COACHING = "Career Coaching Program"

# Alumni teams: three mentors of related disciplines; (kind, degree, title,
# organisation) per slot. The fourth slot served only in the past cycle.
ALUMNI_TEAMS = [
    ("Finance and Accounting Team", "finance", "Finance", [
        ("alumnus", "mba", "Chief Financial Officer", "Jialing Capital Partners"),
        ("alumnus", "mpacc", "Audit Partner", "Shancheng Audit & Advisory"),
        ("alumnus", "emba", "Managing Director, Investment Banking", "Three Gorges Securities"),
        ("entrepreneur", "", "Founder and CEO", "Qianbao Fintech"),
    ]),
    ("Marketing and Management Team", "management", "Business Administration", [
        ("entrepreneur", "", "Founder and CEO", "Hongya Consumer Brands"),
        ("alumnus", "emba", "Vice President, Marketing", "Lanxi Retail Group"),
        ("alumnus", "undergraduate", "Director of Human Resources", "Beibei Talent Services"),
        ("alumnus", "mba", "Brand Manager", "Chaotian Media"),
    ]),
    ("Public Economics Team", "economics", "Economics", [
        ("government", "", "Deputy Director", "Municipal Bureau of Commerce"),
        ("alumnus", "graduate", "Senior Economist", "Provincial Development Research Center"),
        ("government", "", "Section Chief, Fiscal Policy", "District Finance Bureau"),
        ("alumnus", "graduate", "Research Fellow", "Western Economic Policy Institute"),
    ]),
    ("Operations and Digital Business Team", "operations", "Management Science", [
        ("entrepreneur", "", "Co-founder", "Jinyun Cloud Technology"),
        ("alumnus", "mba", "Supply Chain Director", "Liangjiang Logistics"),
        ("alumnus", "graduate", "Head of Data Products", "Tongyuan Smart Manufacturing"),
    ]),
]  # fmt: skip

ENTERPRISE_TITLES = [
    "Chief Technology Officer",
    "Head of Campus Recruiting",
    "Senior Software Architect",
    "Product Director",
    "Hardware Engineering Manager",
    "Data Science Lead",
]
ENERGY_TITLES = [
    "Vice President, Engineering",
    "Battery R&D Manager",
    "Head of Talent Development",
    "Project Director, Offshore Wind",
    "Strategy Manager",
]
FINANCE_TITLES = [
    "Head of Corporate Banking",
    "Research Director",
    "Chief Actuary",
    "Portfolio Manager",
    "Risk Management Director",
    "Audit Partner",
]
PERSONAL_COACHES = [
    ("faculty", "Department of Psychology", "Associate Professor of Counselling Psychology"),
    ("enterprise", "Beacon Career Consulting", "Senior Career Counsellor"),
    ("alumnus", "School of Public Policy", "Lecturer, alumni career adviser"),
    ("enterprise", "Beikang Health Technology", "Head of Human Resources"),
    ("enterprise", "Qianshan Consulting", "Engagement Manager"),
]

COACHING_GUESTS = [
    ("Emma Walker", "Beacon Career Consulting", "Executive Coach"),
    ("Sun Meiling", "Xingchen Internet", "Head of University Relations"),
    ("Gao Zhiqiang", "Kunlun Grid Services", "Chief Engineer"),
    ("Tan Ruolan", "Three Gorges Securities", "Research Director"),
    ("Daniel Okafor", "Tianlu Robotics", "Product Manager"),
]
ALUMNI_GUESTS = [
    ("Hu Guoqiang", "Municipal Bureau of Commerce", "Director"),
    ("Sophie Laurent", "Lanxi Retail Group", "Regional Managing Director"),
]


TECH_MAJORS = [
    "Computer Science and Technology",
    "Electrical Engineering",
    "Automation",
    "Mathematics and Applied Mathematics",
    "Industrial Design",
]
FINANCE_MAJORS = [
    "Economics and Finance",
    "Mathematics and Applied Mathematics",
    "Law",
    "Computer Science and Technology",
]
ENERGY_MAJORS = [
    "Materials Science",
    "Chemistry",
    "Electrical Engineering",
    "Environmental Engineering",
    "Physics",
]

TEAM_DESCRIPTION = (
    "Three mentors of related disciplines. Each guides their own students; the team "
    "shares salons, dinners and internship leads."
)


def _cycles(year, now):
    def cycle(start, stage):
        return CycleSpec(
            name=f"{start}-{start + 1}",
            starts_on=datetime.date(start, 9, 1),
            ends_on=datetime.date(start + 1, 7, 31),
            stage=stage,
            preference_deadline=local_time(datetime.date(start, 7, 10), hour=18),
            transitions=cycle_timeline(start, closed=stage == Stage.CLOSED, now=now),
        )

    return cycle(year, Stage.TRACKING), cycle(year - 1, Stage.CLOSED)


def _team(b, cycle, year, name, area, focus, members, *, with_login=False):
    group = GroupSpec(
        kind=GroupKind.MENTOR_TEAM,
        name=name,
        focus=focus,
        description=TEAM_DESCRIPTION,
        mentors=[(members[0], "chief"), (members[1], "coach"), (members[2], "coach")],
    )
    majors = names.BUSINESS_MAJORS[area]
    for position, mentor in enumerate(members):
        count = b.rng.randint(3, 5)
        students = [b.student(majors, year) for _ in range(count - 1)]
        if with_login and position == 0:
            login = dict(email=STUDENT, name=LOGINS[STUDENT][0], degree="undergraduate")
            students.insert(0, b.student(["Finance"], year, study_year=3, **login))
        else:
            students.append(b.student(majors, year))
        group.assignments[mentor] = students
        group.students += students
        cycle.capacities[mentor] = b.rng.randint(count, 5)
    cycle.groups.append(group)


def _alumni(b, year, now):
    slots = []
    for i, (_, area, _, team_slots) in enumerate(ALUMNI_TEAMS):
        emails = []
        for j, (kind, degree, title, organisation) in enumerate(team_slots):
            login = dict(email=MENTOR, name=LOGINS[MENTOR][0]) if (i, j) == (0, 0) else {}
            emails.append(b.mentor(area, kind, degree, title, organisation=organisation, **login))
        slots.append(emails)
    current, past = _cycles(year, now)
    for i, (name, area, focus, _) in enumerate(ALUMNI_TEAMS):
        _team(b, current, year, name, area, focus, slots[i][:3], with_login=i == 0)
    # Last cycle had three teams; its third mentors left and were replaced this cycle.
    for i, (name, area, focus, _) in enumerate(ALUMNI_TEAMS[:3]):
        _team(b, past, year - 1, name, area, focus, [*slots[i][:2], slots[i][3]])
    current.priority = past.excellent = {slots[0][1], slots[2][0]}
    return ProgramSpec(
        name=ALUMNI,
        kind=ProgramKind.MENTOR,
        organisation="School of Economics and Business Administration",
        description=(
            "Outstanding alumni, entrepreneurs and government employees each guide three "
            "to five students in career planning, internships and the graduation thesis. "
            "Mentors and students choose each other; three mentors of related disciplines "
            "form a team."
        ),
        cycles=[current, past],
        guests=[
            dict(name=n, organisation=o, title=t, email=b.guest_email(n))
            for n, o, t in ALUMNI_GUESTS
        ],
    )


def _coaching_group(b, cycle, year, kind, name, focus, leaders, coaches, students, majors, **extra):
    leader_role = "chief" if kind != GroupKind.PERSONALIZED else "leading"
    group = GroupSpec(
        kind=kind,
        name=name,
        focus=focus,
        mentors=[(m, leader_role) for m in leaders] + [(m, "coach") for m in coaches],
        students=[b.student(majors, year) for _ in range(students)],
        **extra,
    )
    low, high = (3, 4) if kind == GroupKind.PERSONALIZED else (4, 5)
    for mentor, _ in group.mentors:
        cycle.capacities[mentor] = b.rng.randint(low, high)
    cycle.groups.append(group)


def _coaching(b, year, now):
    tech = [
        b.mentor("technology", "enterprise", "", t, organisation="Huaxin Technology")
        for t in ENTERPRISE_TITLES
    ]
    fin_orgs = names.ORGANISATIONS["finance"]
    fin = [
        b.mentor("finance", "enterprise", "", title, organisation=fin_orgs[k])
        for k, title in enumerate(FINANCE_TITLES)
    ]
    energy = [
        b.mentor("energy", "enterprise", "", t, organisation="Dongfang Green Power")
        for t in ENERGY_TITLES
    ]
    personal = [
        b.mentor("career", kind, "graduate" if kind == "alumnus" else "", title, organisation=org)
        for kind, org, title in PERSONAL_COACHES
    ]
    current, past = _cycles(year, now)
    industry = dict(
        description="Employers and senior people of one industry coach together; "
        "they invite guest professionals to single Action Sessions."
    )
    personalized = dict(description="In-depth individual coaching for fewer than ten students.")
    _coaching_group(
        b, current, year, GroupKind.ENTERPRISE, "Huaxin Technology Coaching Group",
        "Information technology", tech[:1], tech[1:], 20, TECH_MAJORS,
        sponsoring_organisation="Huaxin Technology", guests=["Sun Meiling", "Daniel Okafor"],
        description="Coordinated by Huaxin Technology: company visits, a training camp, "
        "internship selection and recruitment recommendation.",
    )  # fmt: skip
    _coaching_group(
        b, current, year, GroupKind.INDUSTRY, "Financial Services Industry Group",
        "Financial services", fin[:1], [*fin[1:5], MENTOR], 18, FINANCE_MAJORS, **industry,
        guests=["Tan Ruolan"],
    )  # fmt: skip
    _coaching_group(
        b, current, year, GroupKind.PERSONALIZED, "Personalized Coaching: Career Decisions",
        "Career decision making", personal[:2], personal[2:4], 8, names.UNIVERSITY_MAJORS,
        **personalized, guests=["Emma Walker"],
    )  # fmt: skip
    _coaching_group(
        b, past, year - 1, GroupKind.ENTERPRISE, "Dongfang Green Power Coaching Group",
        "New energy", energy[:1], energy[1:], 19, ENERGY_MAJORS,
        sponsoring_organisation="Dongfang Green Power",
        description="Coordinated by Dongfang Green Power: plant visits and a battery R&D "
        "training week.",
    )  # fmt: skip
    _coaching_group(
        b, past, year - 1, GroupKind.INDUSTRY, "Financial Services Industry Group",
        "Financial services", fin[:1], [*fin[1:3], fin[5], MENTOR], 16, FINANCE_MAJORS,
        **industry,
    )  # fmt: skip
    _coaching_group(
        b, past, year - 1, GroupKind.PERSONALIZED, "Personalized Coaching: First Steps",
        "Self-awareness", personal[:1], [personal[4], personal[2]], 6, names.UNIVERSITY_MAJORS,
        **personalized,
    )  # fmt: skip
    current.priority = past.excellent = {personal[0], fin[0]}
    return ProgramSpec(
        name=COACHING,
        kind=ProgramKind.COACHING,
        organisation="Career Development Center",
        description=(
            "Coaching groups of five or more coaches under a chief coach, coordinated by one "
            "employer or by several of one industry, and personalized groups for fewer than "
            "ten students. Competence grows on self-awareness, career exploration and "
            "decision making through Action Sessions."
        ),
        cycles=[current, past],
        guests=[
            dict(name=n, organisation=o, title=t, email=b.guest_email(n))
            for n, o, t in COACHING_GUESTS
        ],
    )


def build_plan(today, now=None):
    """The whole demo for the cycle running on ``today``; no database access."""
    now = now or datetime.datetime.now(datetime.UTC)
    year = academic_year(today)
    # A fixed seed: the same plan on every run is what makes seeding idempotent.
    b = Builder(random.Random(2026), year)
    programs = [_alumni(b, year, now), _coaching(b, year, now)]
    add_selection_cycle(b, programs[0], year, now)
    add_group_selection_cycle(b, programs[1], year, now)
    earliest = min(cycle.opened_at for program in programs for cycle in program.cycles)
    return Plan(b.mentors, b.students, programs, earliest)
