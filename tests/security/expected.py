"""The one table: what every URL of the project answers each persona.

Keys are those of tests/security/routes.py: a URL name, or (model, view) for
the admin's own pages of a model (declared once per model, in ADMIN_MODELS).
Objects in the URLs are program A's (see world.py). The rules (DESIGN.md §2):
outsiders get 404, a role without the right 403, anonymous people the login
page; in the admin, coordinators work on their programs, steering members look,
staff without a role get 403 and everybody else the admin's login.
"""

from .answers import (
    AS_GET,
    BACK,
    BAD_REQUEST,
    FORBIDDEN,
    HOME,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    NOT_STAFF,
    OK,
    STAFF,
    AnyOf,
    Row,
    admin_model,
    by,
    for_all,
    redirect,
    staff,
)


def role(*holders, answer=OK, **others):
    """A page of one role: ``answer`` for its ``holders``, 403 for other roles."""
    return by(FORBIDDEN, **dict.fromkeys(holders, answer), **others)


def program_a(*insiders, **others):
    """An object of program A: 200 for ``insiders``, 404 for everybody else."""
    return by(NOT_FOUND, **dict.fromkeys(insiders, OK), **others)


def post_only(answer):
    """A POST-only view: 405 to a GET from anyone who passes the role check."""
    return Row(by(NOT_ALLOWED), answer)


# The student persona's own objects: the other student is an outsider, the
# rest lack the student role.
STUDENTS_OWN = role("student", other_student=NOT_FOUND)
MENTORS_OWN = role("mentor", other_mentor=NOT_FOUND)
STUDENTS = role("student", "other_student")
MENTORS = role("mentor", "other_mentor")
# The program's staff, and those who take part in it, see its activities and groups.
TAKES_PART = program_a("student", "mentor", "coordinator", "steering")


def admin_of_a(coordinator=OK, steering=OK):
    """An admin page of something of program A (a cycle, a run, a person):
    the coordinator of B does not find it, staff without a role may not."""
    return staff(FORBIDDEN, coordinator=coordinator, steering=steering, other_coordinator=NOT_FOUND)


def admin_action_of_a(coordinator, steering=FORBIDDEN):
    """A POST-only admin action on something of program A."""
    return Row(staff(NOT_ALLOWED), admin_of_a(coordinator, steering))


# An action behind a confirmation page (programs/confirmation.py): the page for
# those who may act, and a POST without "confirmed" shows it again.
CONFIRMED_ACTION = Row(admin_of_a(OK, FORBIDDEN), AS_GET)

ON_ACTIVITY = redirect("/activities/")
# Signed-in people who hold no participant's role (student or mentor).
NO_PARTICIPANT = ("no_role_staff", "coordinator", "other_coordinator", "steering")


SITE = {
    "favicon.ico": Row(for_all(redirect("/static/", status=301)), AS_GET),
    # allauth: signing in, out and up, and its key links (wrong keys here).
    "account_login": Row(by(HOME, anonymous=OK), AS_GET),
    "account_logout": Row(by(OK), for_all(LOGIN)),
    "account_inactive": Row(for_all(OK)),
    "account_signup": Row(by(HOME, anonymous=OK), AS_GET),
    "account_reauthenticate": Row(by(OK), AS_GET),
    "account_email": Row(by(OK), by(BACK)),
    "account_email_verification_sent": Row(for_all(OK)),
    "account_change_password": Row(by(OK), AS_GET),
    "account_set_password": Row(by(redirect("/accounts/password/change/$")), AS_GET),
    "account_reset_password": Row(for_all(OK), AS_GET),
    "account_confirm_login_code": Row(by(HOME), AS_GET),
    "account_confirm_email": Row(for_all(OK), for_all(NOT_FOUND)),
    "account_reset_password_from_key_done": Row(for_all(OK)),
    "account_reset_password_from_key": Row(for_all(OK), AS_GET),
    "account_reset_password_done": Row(for_all(OK)),
    "set_language": Row(for_all(HOME), AS_GET),
    # Homes.
    "home": Row(
        by(
            redirect("/welcome/$"),
            student=redirect("/student/$"),
            other_student=redirect("/student/$"),
            mentor=redirect("/mentor/$"),
            other_mentor=redirect("/mentor/$"),
            coordinator=redirect("/coordinator/$"),
            other_coordinator=redirect("/coordinator/$"),
            steering=redirect("/steering/$"),
        ),
        AS_GET,
    ),
    "coordinator_home": Row(role("coordinator", "other_coordinator")),
    "steering_home": Row(role("steering")),
    "mentor_home": Row(MENTORS),
    "student_home": Row(STUDENTS),
    "no_role": Row(by(OK)),
    "preferences": Row(by(OK), AS_GET),
    "notification_list": Row(by(OK)),
    "notification_read_all": post_only(by(redirect("/notifications/$"))),
    "notification_read": post_only(by(NOT_FOUND, student=redirect("/notifications/$"))),
    "notification_open": post_only(by(NOT_FOUND, student=redirect("/student/deliverables/$"))),
    "group_detail": Row(TAKES_PART),
    # Selection, on next year's cycle.
    "selection_mentors": Row(STUDENTS_OWN),
    "selection_mentor": Row(STUDENTS_OWN),
    "selection_ranking": Row(STUDENTS_OWN, role("student", answer=BACK, other_student=NOT_FOUND)),
    "selection_groups": Row(STUDENTS_OWN, role("student", answer=BACK, other_student=NOT_FOUND)),
    "selection_applicants": Row(MENTORS_OWN, role("mentor", answer=BACK, other_mentor=NOT_FOUND)),
    "selection_group_applicants": Row(
        MENTORS_OWN, role("mentor", answer=BACK, other_mentor=NOT_FOUND)
    ),
    "engagement_contract": Row(MENTORS_OWN, AS_GET),
    "mentor_profile": Row(MENTORS, AS_GET),
    # The link is the credential: whoever holds it may choose the password.
    "invitation_accept": Row(for_all(OK), AS_GET),
    # Activities and the calendar.
    "activity_list": Row(by(OK)),
    "activity_create": Row(role("mentor"), AS_GET),
    "activity_detail": Row(TAKES_PART),
    # Who takes part answers; the program's staff look and may not.
    "activity_rsvp": Row(
        by(NOT_ALLOWED),
        program_a(
            student=ON_ACTIVITY, mentor=ON_ACTIVITY, coordinator=FORBIDDEN, steering=FORBIDDEN
        ),
        data={"going": "1"},
    ),
    # Only who was there rates: the service says so to everyone else who sees it.
    "activity_rate": Row(
        by(NOT_ALLOWED),
        program_a(**dict.fromkeys(("student", "mentor", "coordinator", "steering"), ON_ACTIVITY)),
        data={"rating": "5"},
    ),
    # The chief coach and the coordinator take attendance; an empty sheet is refused.
    "activity_attendance": Row(
        program_a("mentor", "coordinator", student=FORBIDDEN, steering=FORBIDDEN),
        program_a(
            mentor=BAD_REQUEST, coordinator=BAD_REQUEST, student=FORBIDDEN, steering=FORBIDDEN
        ),
    ),
    "calendar": Row(by(OK)),
    "calendar_reset": post_only(by(redirect("/calendar/$"))),
    # The token is the credential (calendar apps cannot sign in).
    "calendar_feed": Row(for_all(OK), AS_GET),
    # Competence.
    "competence_student": Row(STUDENTS),
    "competence_save": Row(
        role("student", "other_student", answer=NOT_ALLOWED),
        role("student", other_student=NOT_FOUND),
    ),
    "competence_mentee": Row(MENTORS_OWN, AS_GET, data={"moment": "start"}),
    # Opportunities.
    "mentor_opportunities": Row(MENTORS),
    "opportunity_create": Row(MENTORS, AS_GET),
    "opportunity_detail": Row(MENTORS_OWN),
    "student_opportunities": Row(STUDENTS),
    "opportunity_status": Row(
        role("student", "other_student", answer=NOT_ALLOWED),
        role("student", answer=redirect("/student/opportunities/$"), other_student=NOT_FOUND),
    ),
    # Meetings.
    "mentor_meetings": Row(MENTORS),
    "mentor_meeting_new": Row(MENTORS, AS_GET),
    "mentor_meeting": Row(MENTORS_OWN),
    "mentor_meeting_edit": Row(MENTORS_OWN, AS_GET),
    "student_meetings": Row(STUDENTS),
    "student_meeting_confirm": Row(
        role("student", "other_student", answer=NOT_ALLOWED),
        role("student", answer=redirect("/student/meetings/$"), other_student=NOT_FOUND),
    ),
    "student_meeting_dispute": Row(
        role("student", "other_student", answer=NOT_ALLOWED),
        role("student", answer=redirect("/student/meetings/$"), other_student=NOT_FOUND),
    ),
    # Deliverables.
    "deliverable_list": Row(STUDENTS),
    "deliverable_detail": Row(STUDENTS_OWN, role("student", answer=BACK, other_student=NOT_FOUND)),
    "review_list": Row(MENTORS),
    "review_detail": Row(MENTORS_OWN, AS_GET),
    "submission_file": Row(
        program_a("student", "mentor", "coordinator", "steering", no_role_staff=FORBIDDEN)
    ),
    # The survey of last year's cycle, as a student: people without a
    # participant's role get 403, participants who are not this one 404.
    "survey": Row(
        by(NOT_FOUND, student=OK, **dict.fromkeys(NO_PARTICIPANT, FORBIDDEN)),
        by(NOT_FOUND, student=BACK, **dict.fromkeys(NO_PARTICIPANT, FORBIDDEN)),
    ),
    # Dashboards: who runs the program (and a group's leaders) see them;
    # who only takes part gets 403, outsiders 404.
    "cycle_dashboard": Row(
        program_a(
            "coordinator",
            "steering",
            no_role_staff=FORBIDDEN,
            student=FORBIDDEN,
            mentor=FORBIDDEN,
        )
    ),
    "group_dashboard": Row(
        program_a("mentor", "coordinator", "steering", no_role_staff=FORBIDDEN, student=FORBIDDEN)
    ),
    # The dashboards' full at-risk lists: the same people as the dashboards.
    "cycle_at_risk": Row(
        program_a(
            "coordinator",
            "steering",
            no_role_staff=FORBIDDEN,
            student=FORBIDDEN,
            mentor=FORBIDDEN,
        )
    ),
    "group_at_risk": Row(
        program_a("mentor", "coordinator", "steering", no_role_staff=FORBIDDEN, student=FORBIDDEN)
    ),
    "award_certificate": Row(program_a("student", "coordinator", "steering")),
}

ADMIN = {
    "admin:index": Row(staff(OK), AS_GET),
    # The admin's sign-in: Django's form, or (branch sec-exports) a hand-over
    # to the site's rate-limited one, which refuses signed-in people without
    # admin access instead of showing them the form.
    "admin:login": Row(
        by(
            AnyOf((OK, FORBIDDEN)),
            anonymous=AnyOf((OK, LOGIN)),
            **dict.fromkeys(STAFF, redirect("/admin/$")),
        ),
        by(
            AnyOf((OK, FORBIDDEN)),
            anonymous=AnyOf((OK, LOGIN)),
            **dict.fromkeys(STAFF, AnyOf((OK, redirect("/admin/$")))),
        ),
    ),
    "admin:logout": Row(
        by(NOT_ALLOWED, **dict.fromkeys(NOT_STAFF, redirect("/admin/$"))),
        by(OK, **dict.fromkeys(NOT_STAFF, redirect("/admin/$"))),
    ),
    "admin:password_change": Row(staff(OK), AS_GET),
    "admin:password_change_done": Row(staff(OK)),
    "admin:autocomplete": Row(staff(FORBIDDEN, coordinator=OK, other_coordinator=OK)),
    "admin:jsi18n": Row(staff(OK)),
    # No model links to a page of the site: nothing to redirect to.
    "admin:view_on_site": Row(staff(NOT_FOUND), AS_GET),
    "admin:app_list": Row(staff(OK, no_role_staff=NOT_FOUND), AS_GET),
    "admin/(?P<url>.*)$": Row(staff(NOT_FOUND), AS_GET),
    # The confirmation page looks the cycle up first: staff without a role do
    # not find it. A POST without "confirmed" shows the page again.
    "admin:programs_cycle_advance": Row(
        admin_of_a(OK, FORBIDDEN) | {"no_role_staff": NOT_FOUND}, AS_GET
    ),
    # Matching, on next year's cycle.
    "admin:mentorship_matchingrun_preview": Row(admin_of_a(), AS_GET),
    "admin:mentorship_matchingrun_run": admin_action_of_a(redirect("/admin/mentorship/")),
    "admin:mentorship_matchingrun_group_preview": Row(admin_of_a(), AS_GET),
    "admin:mentorship_matchingrun_group_run": admin_action_of_a(redirect("/admin/mentorship/")),
    "admin:mentorship_matchingrun_group_publish": CONFIRMED_ACTION,
    "admin:mentorship_matchingrun_move": admin_action_of_a(OK),
    "admin:mentorship_matchingrun_commit": CONFIRMED_ACTION,
    "admin:mentorship_matchingrun_publish": CONFIRMED_ACTION,
    # Rosters in and out: coordinators only, each seeing their own programs' people.
    **{
        f"admin:mentorship_{model}_{view}": Row(
            staff(FORBIDDEN, coordinator=OK, other_coordinator=OK), AS_GET
        )
        for model in ("mentorprofile", "studentprofile")
        for view in ("import_template", "import", "export")
    },
    # A confirmation no preview of the session issued is refused.
    **{
        f"admin:mentorship_{model}_process_import": Row(
            staff(NOT_ALLOWED),
            staff(FORBIDDEN, coordinator=BAD_REQUEST, other_coordinator=BAD_REQUEST),
        )
        for model in ("mentorprofile", "studentprofile")
    },
    # A background import (of program A): its uploader and program A's
    # coordinators follow it; confirming a finished one goes back to its page.
    **{
        f"admin:mentorship_{model}_import_job{view}": Row(admin_of_a(OK, FORBIDDEN), AS_GET)
        for model in ("mentorprofile", "studentprofile")
        for view in ("", "_progress")
    },
    **{
        f"admin:mentorship_{model}_import_job_confirm": admin_action_of_a(
            redirect(f"/admin/mentorship/{model}/import/")
        )
        for model in ("mentorprofile", "studentprofile")
    },
    "admin:auth_user_password_change": Row(admin_of_a(steering=FORBIDDEN), AS_GET),
    "admin:mentorship_engagement_recruitment": Row(admin_of_a(), AS_GET),
    "admin:mentorship_engagement_invite": admin_action_of_a(redirect("/admin/mentorship/")),
    "admin:mentorship_engagement_invite_new": admin_action_of_a(OK),
    "admin:mentorship_group_teams": Row(admin_of_a(), admin_of_a(steering=FORBIDDEN)),
    # Evaluation and awards, on last year's cycle: coordinators run it, the
    # steering group judges and decides.
    "admin:assessments_award_cycle": Row(admin_of_a(), AS_GET),
    "admin:assessments_award_propose": admin_action_of_a(
        redirect("/admin/assessments/award/"), redirect("/admin/assessments/award/")
    ),
    # An empty post changes no decision: back to the page, nothing saved.
    "admin:assessments_award_decide": admin_action_of_a(
        FORBIDDEN, redirect("/admin/assessments/award/")
    ),
    "admin:assessments_award_add_award": admin_action_of_a(FORBIDDEN, BAD_REQUEST),
    "admin:assessments_award_publish": CONFIRMED_ACTION,
    "admin:assessments_evaluation_cycle": Row(admin_of_a(), AS_GET),
    "admin:assessments_evaluation_compute": admin_action_of_a(redirect("/admin/assessments/")),
    "admin:assessments_evaluation_progress": Row(admin_of_a(), AS_GET),
    "admin:assessments_evaluation_evidence": Row(admin_of_a(), AS_GET),
    "admin:assessments_evaluation_finalize": CONFIRMED_ACTION,
    "admin:assessments_evaluation_export_xlsx": Row(admin_of_a(), AS_GET),
    "admin:assessments_evaluation_export_csv": Row(admin_of_a(), AS_GET),
    "admin:assessments_evaluation_awards_xlsx": Row(admin_of_a(), AS_GET),
    "admin:assessments_evaluation_awards_csv": Row(admin_of_a(), AS_GET),
    "admin:assessments_judgment_judge": Row(
        admin_of_a(coordinator=FORBIDDEN), admin_of_a(FORBIDDEN, BACK)
    ),
    "admin:assessments_judgment_overview": Row(admin_of_a()),
    "admin:assessments_surveyresponse_results": Row(admin_of_a(), AS_GET),
    "admin:assessments_surveyresponse_results_csv": Row(admin_of_a(), AS_GET),
}

# What coordinators and steering members may do with each model in the admin
# (v view, a add, c change, d delete); admin_model() turns it into pages.
ADMIN_MODELS = {
    # Operators' models: no staff role reaches them.
    "auth.group": admin_model(scoped=False),
    "sites.site": admin_model(scoped=False),
    "account.emailaddress": admin_model(scoped=False),
    "mentorship.notification": admin_model(scoped=False),
    "programs.program": admin_model("vc", "v"),
    "programs.cycle": admin_model("vac", "v"),
    "mentorship.matchingrun": admin_model("v", "v"),
    "mentorship.match": admin_model("v", "v"),
    "mentorship.studentpreference": admin_model("v"),
    "mentorship.mentorpreference": admin_model("v"),
    "mentorship.opportunity": admin_model("vc", "v"),
    "mentorship.mentorprofile": admin_model("vacd"),
    "mentorship.studentprofile": admin_model("vacd"),
    "mentorship.rosterentry": admin_model("vacd"),
    "mentorship.guest": admin_model("vacd"),
    "mentorship.user": admin_model("vac"),
    "mentorship.staffrole": admin_model("vacd"),
    "mentorship.engagement": admin_model("vacd", "v"),
    "mentorship.enrollment": admin_model("vacd", "v"),
    "mentorship.group": admin_model("vacd", "v"),
    "mentorship.groupmembership": admin_model("vacd"),
    "sessions_app.activity": admin_model("vacd", "v"),
    "sessions_app.meeting": admin_model("vc", "v"),
    "assessments.award": admin_model("v", "v"),
    "assessments.leveldescriptor": admin_model("vacd"),
    "assessments.selfassessment": admin_model("v", "v"),
    "assessments.mentorrating": admin_model("v", "v"),
    "assessments.requirement": admin_model("vacd", "v"),
    "assessments.submission": admin_model("v", "v"),
    "assessments.evaluation": admin_model("v", "v"),
    "assessments.judgment": admin_model("v", "v"),
    "assessments.surveyresponse": admin_model("v", "v"),
}

EXPECTED = {
    **SITE,
    **ADMIN,
    **{(model, view): row for model, pages in ADMIN_MODELS.items() for view, row in pages.items()},
}
