"""The case timeline: every kind of entry, in time order, at a fixed query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.services import evaluation as evaluation_services
from aftercare.services import flare_ups, follow_ups, transition
from doxing_cases import services, uploads
from doxing_cases.models import Case, CaseEvent, Level, PoliceReport, SecurityMeasure, TakedownRequest
from doxing_cases.services import coordination, involvement, online, security, support, tasks
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(out, "PNG")
    return uploads.check_upload(SimpleUploadedFile("s.png", out.getvalue()))


def one_round(case: Case, *, coordinator, specialist, security_officer, employee, round_no: int) -> None:
    """One of every kind of entry that can happen more than once."""
    given = involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    guard = involvement.involvement_start(actor=coordinator, case=case, user=security_officer, kind="security")
    item = online.exposed_item_create(actor=specialist, case=case, kind="home_address", platform="telegram")
    online.evidence_add(actor=specialist, case=case, url=f"https://t.me/x/{round_no}", exposed_item=item, file=png())
    takedown = online.takedown_create(actor=specialist, case=case, url=f"https://t.me/x/{round_no}", route="dsa")
    online.takedown_record_sending(
        actor=specialist, takedown=takedown, sent_on=timezone.localdate(), sent_by=specialist
    )
    online.takedown_record_answer(actor=specialist, takedown=takedown, status=TakedownRequest.Status.REMOVED)
    online.identifier_add(actor=specialist, case=case, kind="handle", value=f"@doxer{round_no}")
    security.threat_assess(actor=security_officer, case=case, level=Level.HIGH, basis="Adres online.")
    security.security_measure_create(
        actor=security_officer,
        case=case,
        kind=SecurityMeasure.Kind.CAMERA,
        responsible_department="Facilitair",
        next_review_on=timezone.localdate() + timedelta(days=30),
    )
    security.police_decline_record(
        actor=coordinator,
        case=case,
        reason="Eerst rust.",
        follow_up_on=timezone.localdate() + timedelta(days=14 + round_no),
    )
    security.police_report_create(actor=coordinator, case=case, kind=PoliceReport.Kind.MELDING)
    coordination.decision_record(
        actor=coordinator, case=case, question=f"Vraag {round_no}?", decision="Ja.", decided_by="Team"
    )
    coordination.communication_agreement_save(
        actor=coordinator, case=case, strategy=["silent", "reactive"][round_no % 2]
    )
    coordination.press_enquiry_log(actor=coordinator, case=case, outlet="Krant", question="Klopt het?")
    services.case_add_note(actor=coordinator, case=case, text="Notitie")
    support.peer_contact_log(actor=coordinator, case=case, offered_at=timezone.now(), response="accepted")
    support.check_in_log(actor=coordinator, case=case, wellbeing="okay")
    support.support_activity_log(actor=coordinator, case=case, kind="team_talk")
    support.referral_record(actor=coordinator, case=case, to="gp", consent=True)
    task = tasks.task_create(actor=coordinator, case=case, title="Bellen", owner=coordinator, due_at=timezone.now())
    tasks.task_complete(actor=coordinator, task=task)
    services.case_set_manager_consent(actor=employee, case=case, may_know=round_no % 2 == 1)
    involvement.involvement_end(actor=coordinator, involvement=given)
    involvement.involvement_end(actor=coordinator, involvement=guard)
    flare_ups.flare_up_plan(actor=coordinator, case=case, kind="hearing", on=timezone.localdate() + timedelta(days=30))
    follow_ups.follow_up_add(
        actor=coordinator, case=case, planned_on=timezone.localdate() + timedelta(days=60), owner=coordinator
    )
    follow_ups.getting_to_me_again(actor=employee, case=case)
    evaluation_services.evaluation_record(
        actor=coordinator,
        case=case,
        held_with="employee",
        held_on=timezone.localdate(),
        went_well="Snel.",
        can_be_better="Eerder bellen.",
    )


@pytest.fixture
def busy_case(case, employee, coordinator, specialist, security):
    """The employee's case with every kind of timeline entry, a second apart."""
    with time_machine.travel(timezone.now(), tick=True):
        services.case_log_first_contact(actor=coordinator, case=case, at=timezone.now())
        services.case_set_status(actor=coordinator, case=case, status=Case.Status.ACTIVE)
        second = make_case(employee)
        services.report_move(actor=coordinator, report=second.reports.get(), target=case)
        one_round(
            case,
            coordinator=coordinator,
            specialist=specialist,
            security_officer=security,
            employee=employee,
            round_no=0,
        )
        transition.case_move_to_aftercare(
            actor=coordinator,
            case=case,
            accepted=dict.fromkeys(("threat", "measures", "takedowns", "flare_ups", "follow_ups"), "Test"),
        )
    return case


def whole_timeline(case):
    return reverse("cases:detail", args=[case.pk]) + "?timeline=all"


def test_the_timeline_lists_every_kind_of_entry(login, busy_case, coordinator):
    timeline = list(login(coordinator).get(whole_timeline(busy_case)).context["timeline"])

    # The other side of a move is on the case the report left.
    assert {event.kind for event in timeline} == set(CaseEvent.Kind.values) - {CaseEvent.Kind.REPORT_MOVED_OUT}


def test_the_timeline_is_in_time_order_newest_first(login, busy_case, coordinator):
    timeline = list(login(coordinator).get(reverse("cases:detail", args=[busy_case.pk])).context["timeline"])

    moments = [(event.at, event.pk) for event in timeline]
    assert moments == sorted(moments, reverse=True)


def test_every_timeline_line_renders_a_sentence(login, busy_case, coordinator):
    html = login(coordinator).get(whole_timeline(busy_case)).content.decode()

    sentences = html.split('class="timeline__what">')[1:]
    assert len(sentences) == busy_case.events.count()
    assert all(sentence.split("</p>")[0].strip() for sentence in sentences)


def test_the_case_pages_query_count_does_not_grow_with_the_timeline(
    login, busy_case, employee, coordinator, specialist, security
):
    """The whole timeline (every kind of line) costs the same for a short and a
    long case; the page's first lines can only need fewer (fewer kinds)."""
    client = login(coordinator)
    url = reverse("cases:detail", args=[busy_case.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url + "?timeline=all")

    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=True):
        for round_no in (1, 2):
            one_round(
                busy_case,
                coordinator=coordinator,
                specialist=specialist,
                security_officer=security,
                employee=employee,
                round_no=round_no,
            )
    with CaptureQueriesContext(connection) as large:
        client.get(url + "?timeline=all")
    with CaptureQueriesContext(connection) as first_lines:
        client.get(url)

    assert busy_case.events.count() > 70
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(first_lines.captured_queries) <= len(large.captured_queries)


def test_the_case_page_shows_the_latest_lines_and_links_to_the_rest(login, busy_case, coordinator):
    client = login(coordinator)
    for _ in range(60):
        services.case_add_note(actor=coordinator, case=busy_case, text="Called.")
    total = busy_case.events.count()

    page = client.get(reverse("cases:detail", args=[busy_case.pk]))
    whole = client.get(whole_timeline(busy_case))

    assert len(page.context["timeline"]) == 50
    assert page.context["timeline"][0].pk == busy_case.events.order_by("-at", "-pk")[0].pk
    assert b"?timeline=all#timeline" in page.content
    assert len(whole.context["timeline"]) == total
    assert b"?timeline=all#timeline" not in whole.content


def test_the_employees_page_keeps_its_query_count_too(login, busy_case, employee, coordinator, specialist, security):
    client = login(employee)
    url = reverse("cases:my_case", args=[busy_case.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)

    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=True):
        one_round(
            busy_case,
            coordinator=coordinator,
            specialist=specialist,
            security_officer=security,
            employee=employee,
            round_no=1,
        )
    with CaptureQueriesContext(connection) as large:
        client.get(url)

    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_employee_sees_only_the_lines_meant_for_them(login, busy_case, employee):
    timeline = list(login(employee).get(reverse("cases:my_case", args=[busy_case.pk])).context["timeline"])

    assert timeline
    assert all(event.shown_to_employee for event in timeline)
    assert CaseEvent.Kind.NOTE not in {event.kind for event in timeline}
    assert CaseEvent.Kind.PRESS_ENQUIRY not in {event.kind for event in timeline}
