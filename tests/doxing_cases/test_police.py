"""The police report (recommendation 19): supported by the organisation, as a
VPT case, with the employer's address; and when the employee does not want to
report, a reason and a next talk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from doxing_cases.models import CaseEvent, Part, PoliceReport, Task
from doxing_cases.services import involvement
from doxing_cases.services import security as services

pytestmark = pytest.mark.django_db

Status = PoliceReport.Status


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def report_post(**overrides):
    """What the police report form sends when the defaults are kept."""
    data = {
        "kind": "aangifte",
        "filed_by": "employer",
        "vpt": "on",
        "employer_address": "on",
        "offences": ["doxing", "threat"],
        "status": "planned",
        "filed_on": "",
        "police_reference": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def follow_up_tasks(case):
    return case.tasks.filter(kind=Task.Kind.POLICE_FOLLOW_UP).order_by("pk")


@pytest.fixture
def involved_security(case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    return security


# --- Registering a report -------------------------------------------------------------


def test_it_marks_vpt_and_the_employer_s_address_by_default_on_the_form(login, case, coordinator):
    form = login(coordinator).get(reverse("cases:police_report_new", args=[case.pk])).context["form"]

    assert form["vpt"].value() is True
    assert form["employer_address"].value() is True
    assert form["filed_by"].value() == PoliceReport.FiledBy.EMPLOYER


def test_it_marks_vpt_and_the_employer_s_address_by_default_in_the_service(case, coordinator):
    report = services.police_report_create(actor=coordinator, case=case, kind=PoliceReport.Kind.MELDING)

    assert (report.vpt, report.employer_address, report.filed_by) == (True, True, PoliceReport.FiledBy.EMPLOYER)


def test_it_explains_that_vpt_cases_get_priority(login, case, coordinator):
    response = login(coordinator).get(reverse("cases:police_report_new", args=[case.pk]))

    assert b"VPT cases get priority" in response.content
    assert b"can also be reported separately" in response.content


def test_it_shows_the_organisation_s_address(login, case, coordinator, team):
    organisation = team.organisation
    organisation.address = "Stadhuisplein 1, 1234 AB Teststad"
    organisation.save()

    response = login(coordinator).get(reverse("cases:police_report_new", args=[case.pk]))

    assert "Stadhuisplein 1, 1234 AB Teststad" in response.content.decode()


def test_it_registers_a_report(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:police_report_new", args=[case.pk]), report_post())

    report = case.police_reports.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#security")
    assert (report.kind, report.vpt, report.employer_address) == ("aangifte", True, True)
    assert report.offences == ["doxing", "threat"]
    assert report.created_by == coordinator
    assert report.history.get().history_user == coordinator


def test_it_writes_a_timeline_line_for_the_employee_in_the_security_part(case, coordinator):
    report = services.police_report_create(actor=coordinator, case=case, kind=PoliceReport.Kind.AANGIFTE)

    event = case.events.get(kind=CaseEvent.Kind.POLICE_REPORT)
    assert (event.action, event.part, event.shown_to_employee, event.obj) == (
        CaseEvent.Action.ADDED,
        Part.SECURITY,
        True,
        report,
    )


def test_it_needs_the_date_of_a_filed_report_and_keeps_the_input(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:police_report_new", args=[case.pk]),
        report_post(status="filed", police_reference="PL-2024-77"),
    )

    form = response.context["form"]
    assert "filed_on" in form.errors
    assert (form["police_reference"].value(), form["offences"].value()) == ("PL-2024-77", ["doxing", "threat"])
    assert case.police_reports.count() == 0


def test_it_refuses_a_filing_date_in_the_future(case, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.police_report_create(
            actor=coordinator, case=case, kind="melding", status=Status.FILED, filed_on=in_days(2)
        )

    assert "filed_on" in refused.value.error_dict


def test_it_accepts_only_known_offences(case, coordinator):
    with pytest.raises(ValidationError):
        services.police_report_create(actor=coordinator, case=case, kind="melding", offences=["doxing", "arson"])


# --- Following the report ---------------------------------------------------------------


def test_it_updates_the_status_and_the_reference(login, case, coordinator):
    report = services.police_report_create(actor=coordinator, case=case, kind=PoliceReport.Kind.AANGIFTE)

    response = login(coordinator).post(
        reverse("cases:police_report_update", args=[case.pk, report.pk]),
        {"status": "investigating", "filed_on": in_days(-1).isoformat(), "police_reference": "PL-77", "notes": ""},
    )

    report.refresh_from_db()
    event = case.events.filter(kind=CaseEvent.Kind.POLICE_REPORT).latest("pk")
    assert response.status_code == 302
    assert (report.status, report.police_reference) == (Status.INVESTIGATING, "PL-77")
    assert report.history.latest().history_user == coordinator
    assert (event.action, event.old_value, event.new_value, event.shown_to_employee) == (
        CaseEvent.Action.CHANGED,
        Status.PLANNED,
        Status.INVESTIGATING,
        True,
    )


def test_it_shows_the_report_as_it_is_on_the_update_page(login, case, coordinator):
    report = services.police_report_create(actor=coordinator, case=case, kind="melding", police_reference="PL-9")

    form = login(coordinator).get(reverse("cases:police_report_update", args=[case.pk, report.pk])).context["form"]

    assert form["police_reference"].value() == "PL-9"


def test_it_tells_the_employee_on_the_timeline_how_the_report_goes(login, case, coordinator, employee):
    report = services.police_report_create(actor=coordinator, case=case, kind="aangifte")
    services.police_report_update(actor=coordinator, report=report, status=Status.FILED, filed_on=in_days(0))

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "Lotte Visser registered a police report: formal report (aangifte). It is marked as a VPT case." in page
    assert "Lotte Visser recorded that the police report was filed." in page


# --- When the employee does not want to report ---------------------------------------------


def test_it_asks_why_and_keeps_the_employee_involved_on_the_decline_page(login, case, coordinator):
    response = login(coordinator).get(reverse("cases:police_decline", args=[case.pk]))

    assert response.status_code == 200
    assert b"Ask why" in response.content
    assert b"keeps an active role" in response.content


def test_it_creates_the_follow_up_task_once_for_a_decline(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:police_decline", args=[case.pk]),
        {"reason": "Bang dat het adres bekend wordt.", "follow_up_on": in_days(14).isoformat()},
    )

    decline = case.police_declines.get()
    task = follow_up_tasks(case).get()
    assert response.status_code == 302
    assert (decline.reason, decline.follow_up_on, decline.recorded_by) == (
        "Bang dat het adres bekend wordt.",
        in_days(14),
        coordinator,
    )
    assert (task.owner, task.part, task.key) == (coordinator, Part.COORDINATION, f"police-follow-up:{decline.pk}")
    assert timezone.localtime(task.due_at).date() == in_days(14)
    assert decline.history.get().history_user == coordinator


def test_it_makes_the_follow_up_task_only_once_per_decline(case, coordinator):
    from doxing_cases.services.tasks import task_create

    decline = services.police_decline_record(actor=coordinator, case=case, reason="Nog niet.", follow_up_on=in_days(7))

    again = task_create(
        actor=coordinator,
        case=case,
        title="Opnieuw",
        owner=coordinator,
        due_at=timezone.now(),
        kind=Task.Kind.POLICE_FOLLOW_UP,
        key=f"police-follow-up:{decline.pk}",
    )

    assert again is None
    assert follow_up_tasks(case).count() == 1


def test_it_writes_a_timeline_line_for_the_employee_on_a_decline(case, coordinator):
    decline = services.police_decline_record(actor=coordinator, case=case, reason="Nog niet.", follow_up_on=in_days(7))

    event = case.events.get(kind=CaseEvent.Kind.POLICE_DECLINED)
    assert (event.part, event.shown_to_employee, event.obj, event.actor) == (Part.SECURITY, True, decline, coordinator)


@pytest.mark.parametrize("days", [0, -3])
def test_it_needs_the_next_talk_after_today_and_keeps_the_reason(login, case, coordinator, days):
    response = login(coordinator).post(
        reverse("cases:police_decline", args=[case.pk]),
        {"reason": "Wil er even niet aan denken.", "follow_up_on": in_days(days).isoformat()},
    )

    form = response.context["form"]
    assert "follow_up_on" in form.errors
    assert form["reason"].value() == "Wil er even niet aan denken."
    assert case.police_declines.count() == 0
    assert follow_up_tasks(case).count() == 0


def test_it_refuses_a_next_talk_today_in_the_service(case, coordinator):
    with pytest.raises(ValidationError):
        services.police_decline_record(actor=coordinator, case=case, reason="x", follow_up_on=in_days(0))


def test_it_cancels_the_follow_up_task_when_a_report_is_filed_later(login, case, coordinator):
    services.police_decline_record(actor=coordinator, case=case, reason="Nog niet.", follow_up_on=in_days(7))

    login(coordinator).post(reverse("cases:police_report_new", args=[case.pk]), report_post())

    assert [task.status for task in follow_up_tasks(case)] == [Task.Status.CANCELLED]


def test_it_leaves_other_tasks_alone_when_a_report_is_filed(case, coordinator):
    from doxing_cases.services.tasks import task_create

    other = task_create(actor=coordinator, case=case, title="Bellen", owner=coordinator, due_at=timezone.now())

    services.police_report_create(actor=coordinator, case=case, kind="melding")

    other.refresh_from_db()
    assert other.status == Task.Status.OPEN


# --- Who may see and do what ----------------------------------------------------------------


def test_it_shows_the_decline_to_the_security_officer_who_cannot_record_one(
    login, case, coordinator, involved_security
):
    services.police_decline_record(actor=coordinator, case=case, reason="REDEN-NIET-MELDEN", follow_up_on=in_days(7))
    client = login(involved_security)

    page = client.get(reverse("cases:detail", args=[case.pk]))
    refused = client.post(
        reverse("cases:police_decline", args=[case.pk]), {"reason": "x", "follow_up_on": in_days(3).isoformat()}
    )

    assert b"REDEN-NIET-MELDEN" in page.content
    assert refused.status_code == 404
    assert case.police_declines.count() == 1


def test_it_refuses_a_report_update_by_the_security_officer(login, case, coordinator, involved_security):
    report = services.police_report_create(actor=coordinator, case=case, kind="melding")

    response = login(involved_security).post(
        reverse("cases:police_report_update", args=[case.pk, report.pk]),
        {"status": "closed", "filed_on": in_days(0).isoformat(), "police_reference": "", "notes": ""},
    )

    report.refresh_from_db()
    assert response.status_code == 404
    assert report.status == Status.PLANNED


def test_it_refuses_an_update_by_the_security_officer_in_the_service(case, coordinator, involved_security):
    report = services.police_report_create(actor=coordinator, case=case, kind="melding")

    with pytest.raises(PermissionDenied):
        services.police_report_update(actor=involved_security, report=report, status=Status.CLOSED)


def test_it_answers_404_for_a_report_of_another_case(login, case, coordinator, employee):
    from tests.factories import make_case

    other = make_case(employee, coordinator=coordinator)
    report = services.police_report_create(actor=coordinator, case=other, kind="melding")

    assert login(coordinator).get(reverse("cases:police_report_update", args=[case.pk, report.pk])).status_code == 404


# --- The employee's own page --------------------------------------------------------------


def test_it_shows_the_employee_the_status_of_the_police_report(login, case, coordinator, employee):
    report = services.police_report_create(
        actor=coordinator, case=case, kind="aangifte", notes="INTERNE-POLITIE-NOTITIE"
    )
    services.police_report_update(
        actor=coordinator, report=report, status=Status.INVESTIGATING, filed_on=in_days(0), police_reference="PL-77"
    )

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "Police report" in page
    assert "Under investigation" in page
    assert "PL-77" in page
    assert "the police give it priority" in page
    assert "not your home address" in page
    assert "INTERNE-POLITIE-NOTITIE" not in page


def test_it_shows_the_employee_their_choice_and_the_next_talk(login, case, coordinator, employee):
    services.police_decline_record(actor=coordinator, case=case, reason="Eerst rust.", follow_up_on=in_days(7))

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "You chose not to report to the police for now." in page
    assert "Eerst rust." in page
    assert in_days(7).strftime("%-d") in page


def test_it_tells_the_employee_the_organisation_can_file_the_report(login, case, employee):
    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "Your coordinator can file the report for you" in page
