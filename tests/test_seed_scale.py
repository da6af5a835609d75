"""seed_scale, the data of the load benchmark, with tiny numbers so it cannot rot.

The real run (50,000 employees, 100,000 cases) is benchmarks/load.py's, never a test's.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from demo.management.commands.seed_scale import COORDINATOR, DEFAULT_PASSWORD, EMPLOYEE
from doxing_cases.models import Case
from people import access
from people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_scale", employees=60, cases=40, big_case_entries=30, verbosity=0)


def test_it_makes_the_cases_and_the_big_case(seeded):
    assert Case.objects.count() == 41
    big = Case.objects.filter(coordinator__username=COORDINATOR).latest("pk")
    assert big.events.count() >= 30


def test_it_gives_every_case_its_grants(seeded):
    for case in Case.objects.select_related("subject"):
        assert access.OWN in access.case_parts(case.subject, case)
        if case.coordinator is not None:
            assert access.FULL in access.case_parts(case.coordinator, case)


def test_its_users_can_log_in(seeded):
    assert authenticate(username=EMPLOYEE, password=DEFAULT_PASSWORD) is not None
    coordinator = authenticate(username=COORDINATOR, password=DEFAULT_PASSWORD)
    assert coordinator is not None
    assert access.must_use_second_factor(coordinator)


def test_its_pages_render(seeded, login):
    coordinator = User.objects.get(username=COORDINATOR)
    client = login(coordinator)
    assert client.get("/cases/", {"status": "", "coordinator": ""}).status_code == 200
    for case in Case.objects.filter(coordinator=coordinator)[:5]:
        assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_it_refuses_a_database_with_cases(seeded):
    with pytest.raises(CommandError):
        call_command("seed_scale", employees=60, cases=40, verbosity=0)


def test_it_refuses_when_debug_is_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_scale", employees=60, cases=40, verbosity=0)
