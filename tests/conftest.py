"""The cast: a named user for every role, in two teams (STYLE.md › Tests)."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.test import Client

from doxing_cases.models import Case
from people import services as people_services
from people.models import Team, User
from tests.factories import PASSWORD, TeamFactory, UserFactory, make_case


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory(name="Handhaving Centrum")


@pytest.fixture
def other_team(db: None) -> Team:
    return TeamFactory(name="Brandweer Noord")


@pytest.fixture
def support_team(db: None) -> Team:
    return TeamFactory(name="Veiligheid en Welzijn")


@pytest.fixture
def employee(team: Team) -> User:
    return UserFactory(username="employee", first_name="Sanne", last_name="de Vries", team=team)


@pytest.fixture
def colleague(other_team: Team) -> User:
    """An employee in another team."""
    return UserFactory(username="employee2", first_name="Youssef", last_name="El Amrani", team=other_team)


@pytest.fixture
def manager(team: Team) -> User:
    user = UserFactory(username="manager", first_name="Marieke", last_name="Jansen", team=team, roles=["manager"])
    people_services.team_set_managers(actor=None, team=team, managers=[user])
    return user


@pytest.fixture
def manager2(other_team: Team) -> User:
    user = UserFactory(username="manager2", first_name="Peter", last_name="Bakker", team=other_team, roles=["manager"])
    people_services.team_set_managers(actor=None, team=other_team, managers=[user])
    return user


@pytest.fixture
def coordinator(support_team: Team) -> User:
    return UserFactory(
        username="coordinator", first_name="Lotte", last_name="Visser", team=support_team, roles=["coordinator"]
    )


@pytest.fixture
def coordinator2(support_team: Team) -> User:
    return UserFactory(
        username="coordinator2", first_name="Daan", last_name="Smit", team=support_team, roles=["coordinator"]
    )


@pytest.fixture
def peer(support_team: Team) -> User:
    return UserFactory(username="peer", team=support_team, roles=["peer_supporter"])


@pytest.fixture
def specialist(support_team: Team) -> User:
    return UserFactory(username="specialist", team=support_team, roles=["specialist"])


@pytest.fixture
def security(support_team: Team) -> User:
    return UserFactory(username="security", team=support_team, roles=["security_officer"])


@pytest.fixture
def hr(support_team: Team) -> User:
    return UserFactory(username="hr", team=support_team, roles=["hr"])


@pytest.fixture
def privacy(support_team: Team) -> User:
    return UserFactory(username="privacy", team=support_team, roles=["privacy_officer"])


@pytest.fixture
def admin(support_team: Team) -> User:
    return UserFactory(username="admin", team=support_team, is_staff=True, is_superuser=True)


@pytest.fixture
def case(employee: User, manager: User, coordinator: User) -> Case:
    """The employee's case, taken by the coordinator; the manager may know."""
    return make_case(employee, coordinator=coordinator)


@pytest.fixture
def new_case(employee: User, manager: User) -> Case:
    """The employee's case, still waiting in the triage queue."""
    return make_case(employee)


def client_for(user: User, *, language: str = "en") -> Client:
    """A client logged in as ``user``; pages in English so assertions read plainly
    (the Dutch default has its own tests)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    _pass_second_factor(client, user)
    return client


def _pass_second_factor(client: Client, user: User) -> None:
    """Roles that must log in with a TOTP code get a session that passed it
    (tests/security/test_login.py tests the code itself). Checked on a fresh
    copy of the user so the fixture's cached roles stay unread."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from people import access

    if not access.must_use_second_factor(type(user).objects.get(pk=user.pk)):
        return
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="tests", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def shipped_articles(db: None) -> None:
    """The knowledge-base articles migration 0002 ships. A transactional test
    (e2e, integration) empties the database afterwards, and with it what
    migrations wrote; this writes them again, through the migration itself."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("prevention.migrations.0002_articles")
    state = MigrationExecutor(connection).loader.project_state(("prevention", "0002_articles"))
    migration.load(state.apps, None)


@pytest.fixture
def login():
    """``login(user)`` gives a test client logged in as that user."""
    return client_for


__all__ = ["PASSWORD"]
