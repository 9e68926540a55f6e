"""Every e-mail's subject and plain-text body (the product's and allauth's),
rendered in English and in Simplified Chinese with the kind of context its
sender passes: no Python
value leaks into the text (a list, a dict, None, a queryset) and the Chinese
text has no English left where the catalogue translates it.

The people, titles and places below are Chinese, so any Latin word left in
the Chinese rendering (after links and addresses) is an untranslated string.
"""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone, translation

from mentorship.digests import DigestComposer
from mentorship.emails import render_text
from mentorship.models import (
    Engagement,
    Enrollment,
    Group,
    GroupMembership,
    GroupRole,
    MentorProfile,
    Opportunity,
    OpportunityKind,
    StudentProfile,
    User,
)
from programs.models import Cycle, GroupKind, Program
from sessions_app.models import Activity, Meeting, MeetingParticipant, ParticipantStatus

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Links, addresses and the site's domain are not words to translate.
LINK = re.compile(r"https?://\S+|\S+@\S+|[\w-]+(\.[\w-]+)+")
# allauth's mails this product sends (sign-up ones once ACCOUNT_ALLOW_SIGNUP is on),
# as subject/message pairs under account/email/.
ALLAUTH = [
    "account/email/password_reset_key",
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
    "account/email/unknown_account",
    "account/email/account_already_exists",
]
REPR = ("['", '["', "{'", "None", "<QuerySet", "[]", "<")


def _people():
    program = Program(name="校友导师计划", mentor_capacity_min=3, mentor_capacity_max=5)
    cycle = Cycle(
        program=program,
        name="2026—2027学年",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 6, 30),
    )
    mentor_user = User(full_name="李明", email="liming@example.edu", phone="13800000000")
    mentor = MentorProfile(user=mentor_user, title="总经理", organisation="华为")
    student_user = User(full_name="王小红", email="wangxh@example.edu")
    student = StudentProfile(user=student_user, major="会计学")
    return SimpleNamespace(
        program=program,
        cycle=cycle,
        mentor=mentor,
        student=student,
        engagement=Engagement(mentor=mentor, cycle=cycle, priority=True),
        enrollment=Enrollment(student=student, cycle=cycle, statement="希望了解审计行业。"),
    )


def _meeting(p):
    return Meeting(
        cycle=p.cycle,
        author=p.mentor,
        starts_at=timezone.make_aware(datetime.datetime(2026, 11, 3, 14, 30)),
        duration_minutes=60,
        topics=["internship", "job_search"],
        summary="讨论了实习申请。",
    )


def _group(p):
    group = Group(cycle=p.cycle, name="财务精英组", kind=GroupKind.INDUSTRY, focus="审计")
    leader = GroupMembership(group=group, mentor=p.mentor, role=GroupRole.CHIEF)
    return group, leader


def _digest_rows(*, event):
    """Ledger rows as the digest gets them; with an ``event``, news among them."""
    rows = [
        SimpleNamespace(
            payload={"title": "Please confirm a meeting with your mentor", "context": "2026"},
            due_on=datetime.date(2026, 12, 7),
            offset_days=offset,
        )
        for offset in (-2, 0, 3)
    ]
    if event:
        rows[0].payload["event"] = True
    return rows


def contexts(p):
    """{template prefix: [context, ...]} as the senders build them."""
    meeting = _meeting(p)
    group, leader = _group(p)
    participant = MeetingParticipant(
        meeting=meeting, student=p.student, status=ParticipantStatus.DISPUTED, comment="时间不对。"
    )
    url = "https://mentors.example.edu/x/"
    activity = Activity(
        cycle=p.cycle,
        title="职业规划沙龙",
        place="管理学院报告厅",
        starts_at=timezone.make_aware(datetime.datetime(2026, 12, 10, 19, 0)),
    )
    opportunity = Opportunity(
        author=p.mentor,
        kind=OpportunityKind.INTERNSHIP,
        role="审计助理",
        organisation="普华永道",
        link="https://jobs.example.com/1",
        deadline=datetime.date(2026, 12, 20),
        note="适合会计专业。",
    )
    invitation = {
        "engagement": p.engagement,
        "cycle": p.cycle,
        "program": p.program,
        "contract_url": url,
        "valid_days": 14,
    }
    site = SimpleNamespace(name="导师项目", domain="mentors.example.edu")
    allauth = {
        "current_site": site,
        "password_reset_url": url,
        "activate_url": url,
        "signup_url": url,
        "email": p.student.user.email,
        "code": "572913",
    }
    return {
        **{prefix: [allauth] for prefix in ALLAUTH},
        "mentorship/email/activity_place": [{"activity": activity, "activity_url": url}],
        "mentorship/email/group_published_leader": [
            {
                "cycle": p.cycle,
                "group": group,
                "leaders": [leader],
                "group_url": url,
                "students": [p.student],
                "show_contacts": contacts,
            }
            for contacts in (True, False)
        ],
        "mentorship/email/group_published_student": [
            {
                "cycle": p.cycle,
                "group": group,
                "leaders": [leader],
                "group_url": url,
                "show_contacts": contacts,
            }
            for contacts in (True, False)
        ],
        "mentorship/email/match_published_mentor": [
            {"cycle": p.cycle, "enrollments": [p.enrollment], "mentor_home": url}
        ],
        "mentorship/email/match_published_student": [
            {"cycle": p.cycle, "mentor": p.mentor, "student_home": url}
        ],
        "mentorship/email/opportunity_posted": [{"opportunity": opportunity, "link": url}],
        "mentorship/email/recruitment_invitation": [
            {**invitation, "password_url": url},
            {**invitation, "password_url": None},
        ],
        # Rendered by DigestComposer (see _rendered).
        "mentorship/email/reminder_digest": [
            {"rows": _digest_rows(event=event)} for event in (False, True)
        ],
        "sessions_app/email/meeting_disputed": [
            {"meeting": meeting, "participant": participant, "meeting_url": url}
        ],
        "sessions_app/email/meeting_to_confirm": [
            {"meeting": meeting, "changed": changed, "meetings_url": url}
            for changed in (False, True)
        ],
    }


def email_templates():
    """Every subject/text pair under templates/<app>/email/ (account/: allauth's)."""
    return sorted(
        str(path.relative_to(TEMPLATES)).removesuffix("_subject.txt")
        for path in TEMPLATES.glob("*/email/*_subject.txt")
        if path.parent.parent.name != "account"
    )


def test_every_email_template_is_covered():
    assert sorted(contexts(_people())) == sorted(email_templates() + ALLAUTH)


def _rendered(prefix, context, language):
    if prefix == "mentorship/email/reminder_digest":
        subject, text, _html = DigestComposer().render(
            context["user"], context["rows"], language=language
        )
        return subject + "\n" + text
    body = f"{prefix}_message.txt" if prefix.startswith("account/") else f"{prefix}.txt"
    with translation.override(language):
        return render_text(f"{prefix}_subject.txt", context) + "\n" + render_text(body, context)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("prefix", email_templates() + ALLAUTH)
def test_text_has_no_python_values(prefix, language):
    p = _people()
    for context in contexts(p)[prefix]:
        text = _rendered(prefix, {"user": p.student.user, **context}, language)
        leaks = [token for token in REPR if token in text]
        assert not leaks, f"{prefix} ({language}) shows {leaks}:\n{text}"


@pytest.mark.parametrize("prefix", email_templates() + ALLAUTH)
def test_chinese_text_has_no_english_left(prefix):
    p = _people()
    for context in contexts(p)[prefix]:
        text = _rendered(prefix, {"user": p.student.user, **context}, "zh-hans")
        words = re.findall(r"[A-Za-z]{2,}", LINK.sub("", text))
        assert not words, f"{prefix} has English words {words}:\n{text}"


def test_topics_read_as_words_in_both_languages():
    p = _people()
    context = {"user": p.student.user, **contexts(p)["sessions_app/email/meeting_to_confirm"][0]}
    english = _rendered("sessions_app/email/meeting_to_confirm", context, "en")
    assert "Topics: Internship, Job search\n" in english
    chinese = _rendered("sessions_app/email/meeting_to_confirm", context, "zh-hans")
    assert "['" not in chinese and "实习" in chinese
