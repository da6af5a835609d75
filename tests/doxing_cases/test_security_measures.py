"""Security measures (recommendations 21, 22): with the employee's and relatives'
say, reviewed over time, phased out with care; and who may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doxing_cases.models import CaseEvent, Part, PoliceReport, SecurityMeasure, Task
from doxing_cases.services import involvement
from doxing_cases.services import security as services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = SecurityMeasure.Status
CANARY = "CANARY-SECURITY-DETAIL"


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def measure_post(**overrides):
    """What the measure form sends."""
    data = {
        "kind": "camera",
        "for_whom": "both",
        "description": "Camera bij de voordeur.",
        "responsible_department": "Beveiliging",
        "employee_view": "Prima, maar niet in de tuin.",
        "relatives_view": "Partner wil het ook.",
        "status": "active",
        "start_on": timezone.localdate().isoformat(),
        "next_review_on": "",
        "phase_out_guidance": "",
        "end_on": "",
    }
    data.update({key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in overrides.items()})
    return data


def add_measure(case, actor, **fields):
    values = {"kind": "camera", "responsible_department": "Beveiliging", "status": Status.ACTIVE}
    values.update(fields)
    return services.security_measure_create(actor=actor, case=case, **values)


def involve(case, user, kind, **extra):
    return involvement.involvement_start(actor=case.coordinator, case=case, user=user, kind=kind, **extra)


@pytest.fixture
def involved_security(case, security):
    involve(case, security, "security")
    return security


@pytest.fixture
def comms(case):
    """An involved contact at the communication department."""
    user = UserFactory(username="comms")
    involve(case, user, "department", department="Communicatie")
    return user


def review_tasks(measure):
    return Task.objects.filter(key__startswith=f"measure-review:{measure.pk}:").order_by("pk")


# --- Adding and changing ---------------------------------------------------------------


def test_it_adds_a_measure_with_the_employee_s_and_relatives_say(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:measure_new", args=[case.pk]), measure_post())

    measure = case.security_measures.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#security")
    assert (measure.kind, measure.for_whom, measure.status) == ("camera", "both", Status.ACTIVE)
    assert (measure.employee_view, measure.relatives_view) == ("Prima, maar niet in de tuin.", "Partner wil het ook.")
    assert measure.created_by == coordinator


def test_it_asks_for_the_employee_s_and_relatives_say(login, case, coordinator):
    response = login(coordinator).get(reverse("cases:measure_new", args=[case.pk]))

    assert b"What the employee and relatives say" in response.content
    assert b"What does the employee say about it?" in response.content
    assert b"What do relatives say about it?" in response.content


def test_it_writes_history_with_the_acting_user(login, case, coordinator, involved_security):
    login(coordinator).post(reverse("cases:measure_new", args=[case.pk]), measure_post())
    measure = case.security_measures.get()

    login(involved_security).post(
        reverse("cases:measure_edit", args=[case.pk, measure.pk]), measure_post(employee_view="Liever geen camera.")
    )

    rows = list(measure.history.order_by("history_date"))
    assert [(row.history_type, row.history_user) for row in rows] == [("+", coordinator), ("~", involved_security)]
    assert rows[-1].employee_view == "Liever geen camera."


def test_it_writes_timeline_lines_for_the_employee_in_the_security_part(case, coordinator):
    measure = add_measure(case, coordinator)
    services.security_measure_update(
        actor=coordinator, measure=measure, status=Status.ENDED, end_on=timezone.localdate()
    )

    events = case.events.filter(kind=CaseEvent.Kind.SECURITY_MEASURE).order_by("pk")
    assert [(e.action, e.part, e.shown_to_employee, e.actor) for e in events] == [
        (CaseEvent.Action.ADDED, Part.SECURITY, True, coordinator),
        (CaseEvent.Action.ENDED, Part.SECURITY, True, coordinator),
    ]
    assert {event.obj for event in events} == {measure}


def test_it_says_on_the_timeline_what_happened_to_the_measure(login, case, coordinator, employee):
    measure = add_measure(case, coordinator)
    services.security_measure_update(
        actor=coordinator, measure=measure, status=Status.PHASING_OUT, phase_out_guidance="Wekelijks bellen."
    )

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "Lotte Visser added a security measure: Camera at home." in page
    assert "Lotte Visser started phasing out the security measure “Camera at home”." in page


def test_it_writes_nothing_for_an_unchanged_form(login, case, coordinator):
    login(coordinator).post(reverse("cases:measure_new", args=[case.pk]), measure_post())
    measure = case.security_measures.get()

    login(coordinator).post(reverse("cases:measure_edit", args=[case.pk, measure.pk]), measure_post())

    assert measure.history.count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.SECURITY_MEASURE).count() == 1


def test_it_shows_the_measure_as_it_is_on_the_edit_page(login, case, coordinator):
    measure = add_measure(case, coordinator, employee_view="Liever niet.", next_review_on=in_days(30))

    form = login(coordinator).get(reverse("cases:measure_edit", args=[case.pk, measure.pk])).context["form"]

    assert form["employee_view"].value() == "Liever niet."
    assert form["next_review_on"].value() == in_days(30)


def test_it_answers_404_for_a_measure_of_another_case(login, case, coordinator, employee):
    from tests.factories import make_case

    other = make_case(employee, coordinator=coordinator)
    measure = add_measure(other, coordinator)

    assert login(coordinator).get(reverse("cases:measure_edit", args=[case.pk, measure.pk])).status_code == 404


# --- Phasing out and ending --------------------------------------------------------------


def test_it_refuses_phasing_out_without_guidance_and_keeps_the_input(login, case, coordinator):
    measure = add_measure(case, coordinator)

    response = login(coordinator).post(
        reverse("cases:measure_edit", args=[case.pk, measure.pk]),
        measure_post(status="phasing_out", employee_view="Wil het afbouwen."),
    )

    measure.refresh_from_db()
    form = response.context["form"]
    assert response.status_code == 200
    assert "phase_out_guidance" in form.errors
    assert b'id="id_phase_out_guidance_error"' in response.content
    assert (form["status"].value(), form["employee_view"].value()) == ("phasing_out", "Wil het afbouwen.")
    assert measure.status == Status.ACTIVE


def test_it_phases_out_with_guidance(login, case, coordinator):
    measure = add_measure(case, coordinator)

    login(coordinator).post(
        reverse("cases:measure_edit", args=[case.pk, measure.pk]),
        measure_post(status="phasing_out", phase_out_guidance="Twee weken nog surveillance, dan gesprek."),
    )

    measure.refresh_from_db()
    assert measure.status == Status.PHASING_OUT
    assert measure.phase_out_guidance == "Twee weken nog surveillance, dan gesprek."


def test_it_refuses_a_new_measure_phasing_out_without_guidance(case, coordinator):
    with pytest.raises(ValidationError) as refused:
        add_measure(case, coordinator, status=Status.PHASING_OUT)

    assert "phase_out_guidance" in refused.value.error_dict


def test_it_needs_the_end_date_of_an_ended_measure(login, case, coordinator):
    measure = add_measure(case, coordinator)

    response = login(coordinator).post(
        reverse("cases:measure_edit", args=[case.pk, measure.pk]), measure_post(status="ended")
    )

    assert "end_on" in response.context["form"].errors


def test_it_refuses_an_end_before_the_start(case, coordinator):
    with pytest.raises(ValidationError) as refused:
        add_measure(case, coordinator, status=Status.ENDED, start_on=in_days(0), end_on=in_days(-3))

    assert "end_on" in refused.value.error_dict


# --- Reviews ----------------------------------------------------------------------------


def test_it_makes_a_review_task_for_the_involved_security_officer(login, case, involved_security):
    login(involved_security).post(
        reverse("cases:measure_new", args=[case.pk]), measure_post(next_review_on=in_days(14))
    )

    measure = case.security_measures.get()
    task = review_tasks(measure).get()
    assert (task.owner, task.kind, task.part, task.status) == (
        involved_security,
        Task.Kind.MEASURE_REVIEW,
        Part.SECURITY,
        Task.Status.OPEN,
    )
    assert task.key == f"measure-review:{measure.pk}:{in_days(14).isoformat()}"
    assert timezone.localtime(task.due_at).date() == in_days(14)


def test_it_gives_the_review_to_the_coordinator_without_a_security_officer(case, coordinator):
    measure = add_measure(case, coordinator, next_review_on=in_days(14))

    assert review_tasks(measure).get().owner == coordinator


def test_it_puts_the_review_task_on_the_security_officer_s_list(login, case, involved_security):
    measure = add_measure(case, case.coordinator, next_review_on=in_days(14))

    response = login(involved_security).get(reverse("cases:my_tasks"))

    assert list(response.context["tasks"]) == [review_tasks(measure).get()]


def test_it_moves_the_review_task_to_a_new_review_date(case, coordinator, involved_security):
    measure = add_measure(case, coordinator, next_review_on=in_days(14))

    services.security_measure_update(actor=involved_security, measure=measure, next_review_on=in_days(30))

    first, second = review_tasks(measure)
    assert (first.status, second.status) == (Task.Status.CANCELLED, Task.Status.OPEN)
    assert timezone.localtime(second.due_at).date() == in_days(30)


def test_it_opens_the_earlier_task_again_when_its_date_comes_back(case, coordinator):
    measure = add_measure(case, coordinator, next_review_on=in_days(14))
    services.security_measure_update(actor=coordinator, measure=measure, next_review_on=in_days(30))

    services.security_measure_update(actor=coordinator, measure=measure, next_review_on=in_days(14))

    assert [task.status for task in review_tasks(measure)] == [Task.Status.OPEN, Task.Status.CANCELLED]


def test_it_cancels_the_review_task_when_the_measure_ends(login, case, coordinator):
    measure = add_measure(case, coordinator, next_review_on=in_days(14))

    login(coordinator).post(
        reverse("cases:measure_edit", args=[case.pk, measure.pk]),
        measure_post(status="ended", end_on=in_days(0), next_review_on=in_days(14)),
    )

    measure.refresh_from_db()
    assert measure.status == Status.ENDED
    assert measure.next_review_on is None
    assert [task.status for task in review_tasks(measure)] == [Task.Status.CANCELLED]


def test_it_cancels_the_review_task_when_the_date_is_cleared(case, coordinator):
    measure = add_measure(case, coordinator, next_review_on=in_days(14))

    services.security_measure_update(actor=coordinator, measure=measure, next_review_on=None)

    assert [task.status for task in review_tasks(measure)] == [Task.Status.CANCELLED]


def test_it_refuses_a_review_date_in_the_past(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:measure_new", args=[case.pk]), measure_post(next_review_on=in_days(-1))
    )

    assert "next_review_on" in response.context["form"].errors
    assert case.security_measures.count() == 0


def test_it_marks_an_overdue_review_on_the_case_page(login, case, coordinator):
    add_measure(case, coordinator, next_review_on=in_days(7))

    with time_machine.travel(timezone.now() + timedelta(days=10)):
        response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert response.context["security_measures"][0].review_overdue is True
    assert b"review overdue" in response.content


def test_it_does_not_mark_a_review_that_is_not_due_yet(login, case, coordinator):
    add_measure(case, coordinator, next_review_on=in_days(7))

    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert response.context["security_measures"][0].review_overdue is False
    assert b"review overdue" not in response.content


# --- Who may see and do what ----------------------------------------------------------------


@pytest.fixture
def security_pages(case, coordinator):
    measure = add_measure(case, coordinator, description=CANARY)
    report = services.police_report_create(actor=coordinator, case=case, kind=PoliceReport.Kind.AANGIFTE)
    return {
        "threat": reverse("cases:threat", args=[case.pk]),
        "threat_history": reverse("cases:threat_history", args=[case.pk]),
        "measure_new": reverse("cases:measure_new", args=[case.pk]),
        "measure_edit": reverse("cases:measure_edit", args=[case.pk, measure.pk]),
        "police_report_new": reverse("cases:police_report_new", args=[case.pk]),
        "police_report_update": reverse("cases:police_report_update", args=[case.pk, report.pk]),
        "police_decline": reverse("cases:police_decline", args=[case.pk]),
    }


def answers(client, pages):
    return {name: client.get(url).status_code for name, url in pages.items()}


def test_it_opens_every_security_page_to_the_coordinator(login, coordinator, security_pages):
    assert set(answers(login(coordinator), security_pages).values()) == {200}


def test_it_lets_the_security_officer_work_on_threat_and_measures_but_not_police_reports(
    login, involved_security, security_pages
):
    assert answers(login(involved_security), security_pages) == {
        "threat": 200,
        "threat_history": 200,
        "measure_new": 200,
        "measure_edit": 200,
        "police_report_new": 404,
        "police_report_update": 404,
        "police_decline": 404,
    }


def test_it_shows_police_reports_and_measures_to_the_security_officer(login, case, involved_security, security_pages):
    response = login(involved_security).get(reverse("cases:detail", args=[case.pk]))

    assert [report.kind for report in response.context["police_reports"]] == ["aangifte"]
    assert CANARY.encode() in response.content
    assert reverse("cases:police_report_new", args=[case.pk]).encode() not in response.content
    assert security_pages["measure_edit"].encode() in response.content


def test_it_refuses_a_police_report_by_the_security_officer(case, involved_security):
    with pytest.raises(PermissionDenied):
        services.police_report_create(actor=involved_security, case=case, kind=PoliceReport.Kind.MELDING)


def test_it_answers_404_to_an_uninvolved_security_officer(login, security, security_pages):
    assert set(answers(login(security), security_pages).values()) == {404}


def test_it_answers_404_once_the_security_officer_s_involvement_ended(
    login, case, coordinator, security, security_pages
):
    given = involve(case, security, "security")
    client = login(security)
    assert client.get(security_pages["measure_edit"]).status_code == 200

    involvement.involvement_end(actor=coordinator, involvement=given)

    assert set(answers(client, security_pages).values()) == {404}
    assert client.post(security_pages["measure_edit"], measure_post(employee_view="x")).status_code == 404


def test_it_never_shows_security_details_to_a_specialist(login, case, specialist, security_pages):
    involve(case, specialist, "specialist")
    client = login(specialist)

    response = client.get(reverse("cases:detail", args=[case.pk]))

    assert set(answers(client, security_pages).values()) == {404}
    assert response.status_code == 200
    assert "security_measures" not in response.context
    assert CANARY.encode() not in response.content


def test_it_answers_404_on_security_to_a_department_contact(login, case, comms, security_pages):
    client = login(comms)

    response = client.get(reverse("cases:detail", args=[case.pk]))

    assert set(answers(client, security_pages).values()) == {404}
    assert CANARY.encode() not in response.content
    assert "police_reports" not in response.context


@pytest.mark.parametrize("who", ["manager", "colleague", "hr", "privacy", "admin", "peer", "coordinator2", "employee"])
def test_it_answers_404_on_every_security_page_to_everyone_else(request, login, security_pages, who):
    assert set(answers(login(request.getfixturevalue(who)), security_pages).values()) == {404}


def test_it_never_shows_security_details_to_the_manager(login, case, manager, security_pages):
    response = login(manager).get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    assert CANARY.encode() not in response.content
    assert "security_measures" not in response.context


def test_it_lets_outsiders_change_nothing(login, case, coordinator, colleague, security_pages):
    measure = case.security_measures.get()

    login(colleague).post(security_pages["measure_edit"], measure_post(status="ended", end_on=in_days(0)))
    login(colleague).post(security_pages["measure_new"], measure_post())

    measure.refresh_from_db()
    assert measure.status == Status.ACTIVE
    assert case.security_measures.count() == 1


# --- The employee's own page ---------------------------------------------------------------


def test_it_shows_the_employee_their_measures_and_what_they_said(login, case, coordinator, employee):
    add_measure(case, coordinator, employee_view="Niet in de tuin.", next_review_on=in_days(14), description=CANARY)

    response = login(employee).get(reverse("cases:my_case", args=[case.pk]))

    page = response.content.decode()
    assert "Security measures" in page
    assert "Camera at home" in page
    assert "Niet in de tuin." in page
    assert CANARY not in page  # how it is arranged stays with security


def test_it_tells_the_employee_how_they_are_guided_when_a_measure_stops(login, case, coordinator, employee):
    add_measure(case, coordinator, status=Status.PHASING_OUT, phase_out_guidance="GESPREK-ELKE-WEEK")

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "GESPREK-ELKE-WEEK" in page


def test_it_tells_an_employee_without_measures_where_to_turn(login, case, employee):
    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "There are no security measures for you at the moment." in page


# --- Query counts ------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_rows(case, coordinator, count):
    for number in range(count):
        add_measure(case, coordinator, next_review_on=in_days(number + 1), employee_view=f"Mening {number}")
        services.police_report_create(actor=coordinator, case=case, kind=PoliceReport.Kind.MELDING)


def test_it_keeps_the_case_page_query_count_with_more_measures(login, case, coordinator, involved_security):
    url = reverse("cases:detail", args=[case.pk])
    _add_rows(case, coordinator, 2)
    with_two = _queries(login(coordinator), url)
    security_with_two = _queries(login(involved_security), url)

    _add_rows(case, coordinator, 18)

    # Never more; fewer when the older kinds of line fall out of the page's latest 50 timeline lines.
    assert _queries(login(coordinator), url) <= with_two
    assert _queries(login(involved_security), url) <= security_with_two


def test_it_keeps_the_own_page_query_count_with_more_measures(login, case, coordinator, employee):
    url = reverse("cases:my_case", args=[case.pk])
    _add_rows(case, coordinator, 2)
    with_two = _queries(login(employee), url)

    _add_rows(case, coordinator, 18)

    assert _queries(login(employee), url) <= with_two
