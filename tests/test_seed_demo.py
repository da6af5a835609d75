"""The demo data of `make run`: every role can log in, and a second run changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from doxing_cases.models import Case, CaseGrant, Report
from people import access
from people.models import Team, User

pytestmark = pytest.mark.django_db

LOGINS = [
    "employee",
    "employee2",
    "manager",
    "manager2",
    "coordinator",
    "coordinator2",
    "peer",
    "specialist",
    "security",
    "hr",
    "privacy",
    "admin",
]


@pytest.fixture
def seeded(settings, shipped_articles):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def test_every_documented_login_works(seeded, settings):
    for username in LOGINS:
        assert authenticate(username=username, password=settings.HANDVAT_DEMO_PASSWORD) is not None, username


def test_a_second_run_changes_nothing(seeded, settings):
    counts = (
        User.objects.count(),
        Team.objects.count(),
        Case.objects.count(),
        Report.objects.count(),
        CaseGrant.objects.count(),
    )

    call_command("seed_demo", verbosity=0)

    assert (
        User.objects.count(),
        Team.objects.count(),
        Case.objects.count(),
        Report.objects.count(),
        CaseGrant.objects.count(),
    ) == counts


def test_it_has_at_least_three_teams_and_cases_in_different_phases(seeded):
    assert Team.objects.count() >= 3
    assert {Case.Status.NEW, Case.Status.ACTIVE, Case.Status.AFTERCARE, Case.Status.CLOSED} <= set(
        Case.objects.values_list("status", flat=True)
    )


def test_the_demo_cases_show_every_part_in_use(seeded):
    from django.apps import apps

    empty = [
        model.__name__
        for model in apps.get_app_config("doxing_cases").get_models()
        if not model.__name__.startswith("Historical") and not model.objects.exists()
    ]

    assert empty == []


def test_the_demo_has_a_takedown_follow_up_and_related_cases(seeded):
    from doxing_cases.models import Task
    from doxing_cases.selectors import online

    sanne = Case.objects.get(subject__username="employee")
    coordinator = User.objects.get(username="coordinator")
    assert Task.objects.filter(kind=Task.Kind.TAKEDOWN_FOLLOW_UP, case=sanne, status="open").exists()
    assert [related.reference for related in online.related_cases(sanne, coordinator)] == [
        Case.objects.get(subject__username="noor").reference
    ]


def test_no_case_is_about_employee2(seeded):
    assert not Case.objects.filter(subject__username="employee2").exists()


def test_the_demo_manager_manages_the_demo_employee(seeded):
    manager = User.objects.get(username="manager")
    employee = User.objects.get(username="employee")

    assert access.may_report_for(manager, employee)
    case = Case.objects.get(subject=employee)
    assert access.case_parts(manager, case) == {access.SUPPORT}


def test_it_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)


def test_force_runs_it_when_debug_is_off(settings):
    settings.DEBUG = False

    call_command("seed_demo", "--force", verbosity=0)

    assert User.objects.filter(username="coordinator").exists()


def test_the_demo_has_a_case_in_aftercare_with_moments_and_follow_ups_coming(seeded):
    from django.utils import timezone

    noor = Case.objects.get(subject__username="noor")

    assert noor.status == Case.Status.AFTERCARE
    assert noor.flare_up_moments.filter(status="planned", on__gte=timezone.localdate()).exists()
    assert noor.follow_ups.filter(status="planned", planned_on__gte=timezone.localdate()).exists()
    assert noor.aftercare_checklists.exists()


def test_the_demo_library_has_lessons_and_a_closed_case_has_feedback(seeded):
    from aftercare.models import Feedback, Lesson

    assert Lesson.objects.count() >= 2
    assert Feedback.objects.filter(case__status=Case.Status.CLOSED).exists()


# --- Prevention ------------------------------------------------------------------------


def test_a_second_run_adds_no_prevention_data(seeded):
    from django.apps import apps

    models = [m for m in apps.get_app_config("prevention").get_models() if not m.__name__.startswith("Historical")]
    counts = {model.__name__: model.objects.count() for model in models}

    call_command("seed_demo", verbosity=0)

    assert {model.__name__: model.objects.count() for model in models} == counts


def test_the_demo_shows_every_part_of_prevention_in_use(seeded):
    from django.apps import apps

    empty = [
        model.__name__
        for model in apps.get_app_config("prevention").get_models()
        if not model.__name__.startswith("Historical") and not model.objects.exists()
    ]

    assert empty == []


def test_the_knowledge_base_reads_in_both_languages(seeded, login):
    from django.urls import reverse

    employee = User.objects.get(username="employee")
    dutch = login(employee, language="nl").get(reverse("prevention:knowledge"))
    english = login(employee, language="en").get(reverse("prevention:knowledge"))

    assert "Wat is doxing, en wat niet?" in dutch.text
    assert "What doxing is, and what it is not" in english.text
    assert "What doxing is" not in dutch.text


def test_the_coordinator_sees_training_coverage_and_readiness_figures(seeded, login):
    import re

    from django.urls import reverse

    from people.models import Team
    from prevention.selectors.training import training_coverage

    report = training_coverage(Team.objects.all())
    coordinator = login(User.objects.get(username="coordinator"))
    coverage = coordinator.get(reverse("prevention:training_coverage"))
    readiness = coordinator.get(reverse("prevention:readiness"))

    assert 0 < report.total.percent < 100  # some trained, some still to train
    assert report.total.untrained
    assert f"{report.total.percent}%" in coverage.text
    score = re.search(r'<span class="badge">(\d+)%</span>', readiness.text)
    assert score and 0 < int(score[1]) < 100


def test_an_employee_has_a_self_scan_with_follow_ups_open(seeded, login):
    from django.urls import reverse

    employee2 = User.objects.get(username="employee2")
    scan = employee2.self_scans.get()

    assert scan.completed_at is not None
    assert scan.open_follow_ups == ["search_removal", "brp_rdw_shield"]
    page = login(employee2).get(reverse("prevention:self_scan"))
    assert "Ask the search engine to remove results with my personal details" in page.text


def test_hr_may_export_the_demo_case_it_was_granted(seeded, login):
    from django.urls import reverse

    sanne = Case.objects.get(subject__username="employee")
    hr = User.objects.get(username="hr")

    assert login(hr).get(reverse("exports:hr_cases")).status_code == 200
    response = login(hr).get(reverse("exports:case_report", args=[sanne.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
