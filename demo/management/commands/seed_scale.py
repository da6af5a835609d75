"""A large, realistic organisation for the load benchmark (benchmarks/load.py).

    python manage.py seed_scale --employees 50000 --cases 100000 --force

Teams of about 25 with a manager each, coordinators, specialists, security
officers, peer supporters, HR and a privacy officer; cases spread over four
years with statuses that follow their age, a report each (some two), a few
timeline lines, the grants the services would have written, open tasks on
the open cases; and one case with 200 timeline lines made through the
services. The bulk rows go in with ``bulk_create`` in batches: no history
rows and no signals for them (nothing reads those to draw a page), which is
what makes 100,000 cases take a few minutes instead of hours (4–5 minutes
on this 2-core machine while other jobs ran).

It refuses a database that already has cases or scale users, and (like
seed_demo) an installation with DEBUG off unless ``--force`` is given: the
benchmark settings run with DEBUG off, as production does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from doxing_cases import services
from doxing_cases.models import Case, CaseEvent, CaseGrant, Report, Task
from doxing_cases.models.choices import Behaviour, LeakedData, Level, Part, Platform
from doxing_cases.services import online, security, support
from people import access
from people.models import Organisation, RosterEntry, Team, User
from people.roles import Role

ORGANISATION = "Veiligheidsregio Schaalstad"
#: Every scale user's name starts with this; the benchmark logs in as these.
PREFIX = "scale-"
#: The coordinator who holds the big case; benchmarks/load.py logs in as them.
COORDINATOR = f"{PREFIX}coordinator-01"
#: An employee with no case, who files the reports of the benchmark.
EMPLOYEE = f"{PREFIX}employee-00001"
#: Benchmark data only: printed at the end, never a real installation's password.
DEFAULT_PASSWORD = "handvat-scale-2026"  # noqa: S105
BIG_CASE_ENTRIES = 200
YEARS = 4

FIRST_NAMES = [
    "Sanne",
    "Lotte",
    "Daan",
    "Ruben",
    "Ilse",
    "Karin",
    "Thomas",
    "Fatima",
    "Youssef",
    "Marieke",
    "Peter",
    "Emma",
    "Julia",
    "Sophie",
    "Tess",
    "Anna",
    "Noah",
    "Liam",
    "Lucas",
    "Finn",
    "Sem",
    "Milan",
    "Levi",
    "Mohamed",
    "Ahmed",
    "Mehmet",
    "Sara",
    "Fleur",
    "Lisa",
    "Eva",
    "Bram",
    "Jesse",
    "Thijs",
    "Jasper",
    "Lars",
    "Kevin",
    "Dennis",
    "Sandra",
    "Monique",
    "Ingrid",
    "Wilma",
    "Henk",
    "Gerrit",
    "Jan",
    "Kees",
    "Pieter",
    "Willem",
    "Joost",
    "Sven",
    "Nadia",
    "Samira",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "El Amrani",
    "Yilmaz",
    "Ouali",
    "Kaya",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
    "Postma",
]
UNITS = ("Handhaving", "Brandweer", "Ambulancezorg", "Politie", "Gemeente", "Toezicht")
DISTRICTS = ("Centrum", "Noord", "Oost", "Zuid", "West", "Haven", "Stad", "Dorp", "Kust", "Polder")
DESCRIPTIONS = (
    "Mijn naam en woonadres staan in een Telegramgroep, met een foto van mijn voordeur.",
    "Iemand heeft een filmpje van mijn inzet online gezet met mijn naam en de naam van mijn partner.",
    "Op een forum wordt opgeroepen mij thuis op te zoeken; mijn kenteken staat erbij.",
    "Ik word op Instagram bedreigd met berichten die mijn kinderen noemen.",
    "Mijn telefoonnummer is gedeeld en ik word 's nachts gebeld.",
    "Na een controle wordt mijn rooster gedeeld in een buurtapp.",
)


def totp_key(username: str) -> str:
    """A fixed TOTP key (hex) per scale user, so the load benchmark can type a
    code over HTTP as a person would. Benchmark data only."""
    return hmac.new(b"handvat-scale-totp", username.encode(), hashlib.sha1).hexdigest()


def batched(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Command(BaseCommand):
    help = "Seed a large organisation and many cases for the load benchmark (refuses a database with cases)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--employees", type=int, default=50_000)
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--big-case-entries", type=int, default=BIG_CASE_ENTRIES)
        parser.add_argument("--batch-size", type=int, default=5_000)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument("--seed", type=int, default=9)
        parser.add_argument(
            "--force", action="store_true", help="Also when DEBUG is off (never on a real installation)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Scale data is refused when DEBUG is off. Use --force only on a benchmark database.")
        if Case.objects.exists() or User.objects.filter(username__startswith=PREFIX).exists():
            raise CommandError("The database already has cases or scale users: seed_scale needs an empty one.")
        if options["employees"] < 60:
            raise CommandError("Use at least 60 employees (every role needs a few people).")
        started = time.perf_counter()
        self.random = random.Random(options["seed"])  # noqa: S311 - made-up data, repeatable
        self.batch_size = options["batch_size"]
        self.now = timezone.now()
        self.password = make_password(options["password"])
        with transaction.atomic():
            self._people(options["employees"])
        self._step("organisation", started)
        with transaction.atomic():
            count = self._cases(options["cases"])
        self._step(f"{count} cases", started)
        with transaction.atomic():
            big = self._big_case(options["big_case_entries"])
        self._step(f"the big case {big.reference} ({big.events.count()} timeline lines)", started)
        if connection.vendor == "postgresql":
            # What autovacuum does some time after such a load (statistics for
            # the planner, the visibility map for index-only scans); plans need it now.
            # VACUUM cannot run in a transaction (a test's): ANALYZE alone can.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {User.objects.count()} users, {Case.objects.count()} cases, "
            f"{CaseEvent.objects.count()} timeline lines in {elapsed:.1f} s."
        )
        self.stdout.write(
            f"Log in as {COORDINATOR} (TOTP key {totp_key(COORDINATOR)}, hex) or {EMPLOYEE}; "
            f"password {options['password']}. Big case: {big.pk}."
        )

    def _step(self, what: str, started: float) -> None:
        self.stdout.write(f"  {what}: done at {time.perf_counter() - started:.1f} s")

    def _bulk(self, model: type[models.Model], rows: list[Any]) -> list[Any]:
        made: list[Any] = []
        for batch in batched(rows, self.batch_size):
            made.extend(model.objects.bulk_create(batch))
        return made

    # --- People ------------------------------------------------------------------

    def _people(self, employees: int) -> None:
        pick = self.random.choice
        organisation = Organisation.objects.create(
            name=ORGANISATION, address="Postbus 1\n1000 AA Schaalstad", support_phone="088 123 45 67"
        )
        team_count = max(employees // 25, 4)
        teams = self._bulk(
            Team,
            [
                Team(
                    organisation=organisation, name=f"{UNITS[n % len(UNITS)]} {DISTRICTS[n // len(UNITS) % 10]} {n + 1}"
                )
                for n in range(team_count)
            ],
        )
        joined = self.now - dt.timedelta(days=2000)
        users = [
            User(
                username=f"{PREFIX}employee-{n + 1:05d}",
                first_name=pick(FIRST_NAMES),
                last_name=pick(LAST_NAMES),
                email=f"employee{n + 1}@schaalstad.example",
                team=teams[n % team_count],
                password=self.password,
                date_joined=joined,
            )
            for n in range(employees)
        ]
        # The special roles are people of the organisation too, each in a team.
        special = {
            Role.COORDINATOR: max(employees // 2_500, 2),
            Role.SPECIALIST: max(employees // 5_000, 1),
            Role.SECURITY_OFFICER: max(employees // 5_000, 1),
            Role.PEER_SUPPORTER: max(employees // 250, 2),
            Role.HR: max(employees // 10_000, 1),
            Role.PRIVACY_OFFICER: 1,
        }
        roles: list[tuple[int, Role]] = []
        for role, count in special.items():
            for n in range(count):
                index = len(users)
                users.append(
                    User(
                        username=f"{PREFIX}{role.value.replace('_', '-')}-{n + 1:02d}",
                        first_name=pick(FIRST_NAMES),
                        last_name=pick(LAST_NAMES),
                        email=f"{role.value}{n + 1}@schaalstad.example",
                        team=teams[self.random.randrange(team_count)],
                        password=self.password,
                        date_joined=joined,
                    )
                )
                roles.append((index, role))
        users = self._bulk(User, users)
        # One manager per team: a member of the team (not the benchmark's employee).
        managers = {team.pk: users[n + team_count] for n, team in enumerate(teams)}
        groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
        memberships = [User.groups.through(user_id=user.pk, group_id=groups[Role.EMPLOYEE].pk) for user in users]
        memberships += [User.groups.through(user_id=users[i].pk, group_id=groups[role].pk) for i, role in roles]
        memberships += [
            User.groups.through(user_id=manager.pk, group_id=groups[Role.MANAGER].pk) for manager in managers.values()
        ]
        self._bulk(User.groups.through, memberships)
        self._bulk(
            Team.managers.through,
            [Team.managers.through(team_id=team_id, user_id=manager.pk) for team_id, manager in managers.items()],
        )
        self._bulk(RosterEntry, [RosterEntry(user=users[i]) for i, role in roles if role == Role.PEER_SUPPORTER])
        self._bulk(
            TOTPDevice,
            [
                TOTPDevice(user=users[i], name="Scale", key=totp_key(users[i].username), confirmed=True)
                for i, role in roles
                if role in access.SECOND_FACTOR_ROLES
            ],
        )
        self.employees = users[:employees]
        self.coordinators = [users[i] for i, role in roles if role == Role.COORDINATOR]
        self.manager_of_team = {team_id: manager.pk for team_id, manager in managers.items()}

    # --- Cases ---------------------------------------------------------------------

    def _status(self, age_days: float) -> str:
        """Statuses follow the age of a case: recent ones are waiting or active, old ones closed."""
        roll = self.random.random()
        if age_days < 3:
            return Case.Status.NEW if roll < 0.5 else Case.Status.TRIAGE
        if age_days < 30:
            return Case.Status.TRIAGE if roll < 0.2 else Case.Status.ACTIVE
        if age_days < 180:
            return Case.Status.ACTIVE if roll < 0.5 else Case.Status.AFTERCARE if roll < 0.8 else Case.Status.CLOSED
        if age_days < 365:
            return Case.Status.ACTIVE if roll < 0.1 else Case.Status.AFTERCARE if roll < 0.4 else Case.Status.CLOSED
        return Case.Status.AFTERCARE if roll < 0.05 else Case.Status.CLOSED

    def _cases(self, count: int) -> int:
        rnd = self.random
        span = YEARS * 365 * 24 * 3600
        # Everyone but the benchmark's employee, who files the benchmark's reports.
        subjects = self.employees[1:]
        cases: list[Case] = []
        for _n in range(count):
            # More cases lately than four years ago: the square root leans to the present.
            age = dt.timedelta(seconds=span * (1 - rnd.random() ** 0.5) + 3600)
            opened_at = self.now - age
            status = self._status(age.days)
            coordinator = None if status == Case.Status.NEW else rnd.choice(self.coordinators)
            subject = rnd.choice(subjects)
            first_contact_at = None
            if coordinator is not None and rnd.random() < 0.97:
                first_contact_at = min(opened_at + dt.timedelta(hours=rnd.uniform(0.5, 40)), self.now)
            closed_at = None
            if status == Case.Status.CLOSED:
                closed_at = min(opened_at + dt.timedelta(days=rnd.uniform(20, 300)), self.now)
            cases.append(
                Case(
                    subject=subject,
                    coordinator=coordinator,
                    status=status,
                    threat_level=rnd.choices(list(Level.values), weights=(15, 45, 30, 10))[0]
                    if coordinator
                    else Level.UNKNOWN,
                    incident_at=opened_at - dt.timedelta(days=rnd.uniform(0, 10)),
                    opened_at=opened_at,
                    first_contact_at=first_contact_at,
                    closed_at=closed_at,
                    urgent=rnd.random() < 0.05,
                    manager_may_know=rnd.random() < 0.85,
                    check_in_every_days=rnd.choice((7, 7, 14, 30)),
                    next_check_in_at=self.now + dt.timedelta(days=rnd.uniform(-3, 10))
                    if status == Case.Status.ACTIVE
                    else None,
                )
            )
        cases = self._bulk(Case, cases)
        self._reports(cases)
        self._timelines(cases)
        self._grants(cases)
        self._tasks(cases)
        return len(cases)

    def _reports(self, cases: list[Case]) -> None:
        rnd = self.random
        platforms, behaviours, leaked = list(Platform.values), list(Behaviour.values), list(LeakedData.values)
        reports = []
        for case in cases:
            for number in range(2 if rnd.random() < 0.1 else 1):
                manager_id = self.manager_of_team.get(case.subject.team_id)
                on_behalf = manager_id is not None and manager_id != case.subject_id and rnd.random() < 0.05
                chosen = rnd.sample(platforms, rnd.randint(1, 3))
                reports.append(
                    Report(
                        case=case,
                        subject_id=case.subject_id,
                        reporter_id=manager_id if on_behalf else case.subject_id,
                        filed_at=case.opened_at + dt.timedelta(days=number * rnd.uniform(1, 20)),
                        description=rnd.choice(DESCRIPTIONS),
                        in_danger=Report.InDanger.YES if case.urgent else Report.InDanger.NO,
                        started_at=case.incident_at,
                        platforms=chosen,
                        urls=[f"https://{p}.example/post/{case.pk}-{number}" for p in chosen if p != "offline"],
                        behaviours=rnd.sample(behaviours, rnd.randint(1, 3)),
                        leaked_data=rnd.sample(leaked, rnd.randint(1, 3)),
                        relatives_affected=rnd.choice(Report.Relatives.values),
                        contact_method=rnd.choice(Report.ContactMethod.values),
                        manager_may_know=case.manager_may_know,
                    )
                )
        self._bulk(Report, reports)

    def _timelines(self, cases: list[Case]) -> None:
        """The lines the services would have written: filed, taken, first contact,
        threat, status; sometimes a note."""
        rnd = self.random
        events = []
        for case in cases:
            at = case.opened_at
            events.append(
                CaseEvent(
                    case=case,
                    at=at,
                    actor_id=case.subject_id,
                    kind=CaseEvent.Kind.REPORT_FILED,
                    shown_to_employee=True,
                    shown_to_manager=True,
                )
            )
            if case.coordinator_id is None:
                continue
            at += dt.timedelta(minutes=rnd.uniform(5, 120))
            coordinator = case.coordinator_id
            events.append(
                CaseEvent(
                    case=case,
                    at=at,
                    actor_id=coordinator,
                    kind=CaseEvent.Kind.COORDINATOR_SET,
                    part=Part.COORDINATION,
                    target_user_id=coordinator,
                    shown_to_employee=True,
                )
            )
            if case.first_contact_at:
                events.append(
                    CaseEvent(
                        case=case,
                        at=case.first_contact_at,
                        actor_id=coordinator,
                        kind=CaseEvent.Kind.FIRST_CONTACT,
                        part=Part.COORDINATION,
                        shown_to_employee=True,
                    )
                )
            if case.threat_level:
                events.append(
                    CaseEvent(
                        case=case,
                        at=at + dt.timedelta(hours=rnd.uniform(1, 48)),
                        actor_id=coordinator,
                        kind=CaseEvent.Kind.THREAT_CHANGED,
                        part=Part.SECURITY,
                        new_value=str(case.threat_level),
                    )
                )
            if case.status != Case.Status.TRIAGE:
                events.append(
                    CaseEvent(
                        case=case,
                        at=case.closed_at or at + dt.timedelta(hours=rnd.uniform(2, 72)),
                        actor_id=coordinator,
                        kind=CaseEvent.Kind.STATUS_CHANGED,
                        old_value=Case.Status.TRIAGE,
                        new_value=case.status,
                        shown_to_employee=True,
                    )
                )
            if rnd.random() < 0.4:
                events.append(
                    CaseEvent(
                        case=case,
                        at=at + dt.timedelta(days=rnd.uniform(1, 10)),
                        actor_id=coordinator,
                        kind=CaseEvent.Kind.NOTE,
                        part=Part.COORDINATION,
                        note="Gebeld met de medewerker; afspraken staan in het dossier.",
                    )
                )
        self._bulk(CaseEvent, events)

    def _grants(self, cases: list[Case]) -> None:
        """The grants ``access.desired_grants`` calls for, as the services keep them."""
        content_type = ContentType.objects.get_for_model(Case)
        permission = {
            p.codename: p.pk
            for p in Permission.objects.filter(content_type=content_type, codename__in=access.DERIVED_PARTS)
        }
        grants = []
        for case in cases:
            grants.append(CaseGrant(content_object=case, user_id=case.subject_id, permission_id=permission[access.OWN]))
            if case.coordinator_id is not None:
                for part in (access.FULL, access.CHANGE):
                    grants.append(
                        CaseGrant(content_object=case, user_id=case.coordinator_id, permission_id=permission[part])
                    )
            manager_id = self.manager_of_team.get(case.subject.team_id)
            if case.manager_may_know and manager_id is not None and manager_id != case.subject_id:
                grants.append(
                    CaseGrant(content_object=case, user_id=manager_id, permission_id=permission[access.SUPPORT])
                )
        self._bulk(CaseGrant, grants)

    def _tasks(self, cases: list[Case]) -> None:
        rnd = self.random
        tasks = [
            Task(
                case=case,
                title=rnd.choice(("Bel de medewerker terug", "Vraag de screenshots op", "Overleg met de politie")),
                owner_id=case.coordinator_id,
                created_by_id=case.coordinator_id,
                created_at=case.opened_at,
                due_at=self.now + dt.timedelta(days=rnd.uniform(-5, 14)),
            )
            for case in cases
            if case.status in (Case.Status.TRIAGE, Case.Status.ACTIVE) and rnd.random() < 0.7
        ]
        self._bulk(Task, tasks)

    # --- The big case, through the services --------------------------------------------

    def _big_case(self, entries: int) -> Case:
        coordinator = User.objects.get(username=COORDINATOR)
        subject = self.employees[2]
        details = {
            "description": DESCRIPTIONS[0] * 3,
            "in_danger": "no",
            "urls": ["https://forum.example.org/t/1"],
            "platforms": ["website", "telegram"],
            "behaviours": ["doxing", "threat"],
            "leaked_data": ["home_address", "photos"],
        }
        report = services.report_file(actor=subject, subject=subject, details=details)
        case = services.case_take(actor=coordinator, case=report.case)
        captured = self.now - dt.timedelta(days=3)
        for number in range(min(50, entries // 4)):
            online.evidence_add(
                actor=coordinator,
                case=case,
                url=f"https://forum.example.org/t/1/post-{number}",
                platform="website",
                captured_at=captured + dt.timedelta(minutes=number),
                description=f"Screenshot {number}: the post names the street and shows the front door.",
                file=None,
            )
        security.security_measure_create(
            actor=coordinator, case=case, kind="camera", responsible_department="Beveiliging", description="Camera"
        )
        security.police_report_create(actor=coordinator, case=case, kind="aangifte", offences=["doxing", "threat"])
        for number in range(min(10, entries // 20)):
            online.takedown_create(
                actor=coordinator, case=case, url=f"https://forum.example.org/t/1/post-{number}", route="ntd"
            )
        for number in range(max(entries - case.events.count(), 0)):
            kind = number % 3
            if kind == 0:
                services.case_add_note(actor=coordinator, case=case, text=f"Notitie {number}: de medewerker gebeld.")
            elif kind == 1:
                support.check_in_log(actor=coordinator, case=case, wellbeing="okay", needs="Andere dienst")
            else:
                support.support_activity_log(actor=coordinator, case=case, kind="team_talk", note="Teamgesprek")
        return case
