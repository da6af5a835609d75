"""factory_boy factories, and helpers that make cases the way the app does:
through the services, so grants, history and timeline are real."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from doxing_cases import services
from doxing_cases.models import Case, Report
from people.models import Organisation, Team, User

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = "Gemeente Teststad"
    support_phone = "0800-0000000"


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        names = ["employee", *(extracted or [])]
        if create:
            # get_or_create: a transactional test flushes the groups the migration made.
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in names))
            self.save()  # stores the password set just before


def report_details(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "description": "Mijn adres staat op een forum, met een foto van mijn huis.",
        "in_danger": Report.InDanger.NO,
        "started_at": None,
        "platforms": ["website"],
        "urls": ["https://forum.example.org/t/123"],
        "behaviours": ["doxing"],
        "leaked_data": ["home_address"],
        "relatives_affected": "",
        "contact_method": Report.ContactMethod.PHONE,
        "contact_phone": "06-11111111",
        "contact_times": "",
        "manager_may_know": True,
    }
    details.update(overrides)
    return details


def make_case(
    subject: User,
    *,
    reporter: User | None = None,
    coordinator: User | None = None,
    status: str | None = None,
    **details: Any,
) -> Case:
    """A case as the app makes it: a report, then (optionally) a coordinator and a status."""
    report = services.report_file(actor=reporter or subject, subject=subject, details=report_details(**details))
    case = report.case
    if coordinator is not None:
        case = services.case_take(actor=coordinator, case=case)
    if status is not None and status != case.status:
        case = services.case_set_status(actor=coordinator, case=case, status=status, note="test")
    case.refresh_from_db()
    return case
