"""The low-threshold report (recommendation 9)."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from doxing_cases import services
from doxing_cases.models import Case, CaseEvent, Report, ReportAttachment
from notifications import services as reminders
from notifications.models import Notification
from people import access
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

URL = reverse("cases:report_new")


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def full_answers(**overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "description": "Mijn huisadres staat in een Telegram-groep.",
        "in_danger": "no",
        "started_date": "2026-11-01",
        "started_time": "21:30",
        "platforms": ["telegram", "x"],
        "urls": "t.me/groep/123\nhttps://x.com/iemand/status/1",
        "behaviours": ["doxing", "threat"],
        "leaked_data": ["home_address", "licence_plate"],
        "relatives_affected": "yes",
        "contact_method": "phone",
        "contact_phone": "06-98765432",
        "contact_times": "Na 17:00",
        "manager_may_know": "yes",
    }
    answers.update(overrides)
    return answers


def test_it_files_a_report_with_only_the_two_required_answers(login, employee, manager):
    response = login(employee).post(URL, {"description": "Iemand deelde mijn adres.", "in_danger": "no"})

    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:report_sent", args=[report.pk])
    assert report.case.status == Case.Status.NEW
    assert report.case.coordinator is None
    assert report.subject == employee
    assert report.contact_method == Report.ContactMethod.NO_PREFERENCE


def test_it_saves_every_optional_answer(login, employee, manager):
    login(employee).post(URL, full_answers())

    report = Report.objects.get()
    assert report.platforms == ["telegram", "x"]
    assert report.urls == ["https://t.me/groep/123", "https://x.com/iemand/status/1"]
    assert report.behaviours == ["doxing", "threat"]
    assert report.leaked_data == ["home_address", "licence_plate"]
    assert report.relatives_affected == "yes"
    assert report.contact_phone == "06-98765432"
    assert report.started_time_known is True
    assert report.case.incident_at == report.started_at


def test_it_opens_the_case_in_every_coordinators_queue(login, employee, coordinator, coordinator2):
    login(employee).post(URL, {"description": "Bedreiging online.", "in_danger": "no"})

    case = Case.objects.get()
    assert list(access.triage_queue(coordinator)) == [case]
    assert list(access.triage_queue(coordinator2)) == [case]
    assert list(access.triage_queue(employee)) == []


def test_it_grants_the_employee_their_case_and_the_manager_the_support_side(login, employee, manager):
    login(employee).post(URL, {"description": "Bedreiging online.", "in_danger": "no"})

    case = Case.objects.get()
    assert access.case_parts(employee, case) == {access.OWN}
    assert access.case_parts(manager, case) == {access.SUPPORT}


def test_it_tells_the_manager_nothing_when_the_employee_says_no(login, employee, manager):
    login(employee).post(URL, {"description": "Bedreiging.", "in_danger": "no", "manager_may_know": "no"})

    case = Case.objects.get()
    assert case.manager_may_know is False
    assert access.case_parts(manager, case) == frozenset()
    assert login(manager).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_it_shows_emergency_guidance_after_a_report_of_danger(login, employee):
    client = login(employee)
    response = client.post(URL, {"description": "Er staat iemand voor mijn deur.", "in_danger": "yes"}, follow=True)

    assert Case.objects.get().urgent is True
    assert b"112" in response.content
    assert b"data-emergency-panel" in response.content


def test_it_shows_no_emergency_panel_after_a_report_without_danger(login, employee):
    response = login(employee).post(URL, {"description": "Een nare reactie.", "in_danger": "no"}, follow=True)

    assert b"data-emergency-panel" not in response.content


def test_it_keeps_every_answer_when_the_form_fails(login, employee):
    response = login(employee).post(URL, full_answers(description=""))

    html = response.content.decode()
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "t.me/groep/123\nhttps://x.com/iemand/status/1" in html
    assert 'value="06-98765432"' in html
    assert 'value="2026-11-01"' in html
    assert 'value="21:30"' in html
    assert 'value="Na 17:00"' in html
    assert 'aria-invalid="true"' in html


def test_it_marks_the_checked_boxes_again_after_a_failure(login, employee):
    response = login(employee).post(URL, full_answers(description=""))

    form = response.context["form"]
    assert form["platforms"].value() == ["telegram", "x"]
    assert form["behaviours"].value() == ["doxing", "threat"]
    assert form["in_danger"].value() == "no"
    assert form["manager_may_know"].value() == "yes"


def test_it_says_which_lines_are_not_web_addresses(login, employee):
    response = login(employee).post(URL, full_answers(urls="https://ok.example/a\nhier staat geen adres"))

    assert response.status_code == 200
    assert "hier staat geen adres" in response.context["form"].errors["urls"][0]
    assert Report.objects.count() == 0


def test_it_refuses_a_start_date_in_the_future(login, employee):
    response = login(employee).post(URL, full_answers(started_date="2999-01-01"))

    assert "started_date" in response.context["form"].errors


def test_it_stores_a_screenshot_with_its_hash(login, employee):
    upload = SimpleUploadedFile("schermafbeelding.png", png_bytes(), content_type="image/png")

    login(employee).post(URL, {"description": "Zie bijlage.", "in_danger": "no", "screenshots": [upload]})

    attachment = ReportAttachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "schermafbeelding.png"
    assert len(attachment.sha256) == 64
    assert attachment.file.name.startswith(f"reports/{attachment.report.case_id}/")
    assert "schermafbeelding" not in attachment.file.name


def test_it_refuses_a_file_that_is_not_an_image_or_pdf_and_says_why(login, employee):
    upload = SimpleUploadedFile("foto.png", b"MZ\x90\x00 this is a program", content_type="image/png")

    response = login(employee).post(URL, {"description": "Zie bijlage.", "in_danger": "no", "screenshots": [upload]})

    assert response.status_code == 200
    assert "foto.png" in response.context["form"].errors["screenshots"][0]
    assert Report.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit(login, employee, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("groot.png", png_bytes((400, 400)) + b"\x00" * 2000, content_type="image/png")

    response = login(employee).post(URL, {"description": "Bijlage.", "in_danger": "no", "screenshots": [upload]})

    assert "groot.png" in response.context["form"].errors["screenshots"][0]
    assert Report.objects.count() == 0


def test_it_keeps_a_valid_screenshot_when_another_answer_is_missing(login, employee):
    client = login(employee)
    upload = SimpleUploadedFile("bewijs.png", png_bytes(), content_type="image/png")

    first = client.post(URL, {"description": "", "in_danger": "no", "screenshots": [upload]})
    kept = first.context["kept_files"]
    second = client.post(URL, {"description": "Nu met tekst.", "in_danger": "no", "kept": [kept[0].token]})

    assert [item.original_name for item in kept] == ["bewijs.png"]
    assert b"bewijs.png" in first.content
    assert second.status_code == 302
    assert ReportAttachment.objects.get().original_name == "bewijs.png"


def test_it_ignores_a_kept_file_of_another_user(login, employee, colleague):
    upload = SimpleUploadedFile("bewijs.png", png_bytes(), content_type="image/png")
    token = (
        login(employee)
        .post(URL, {"description": "", "in_danger": "no", "screenshots": [upload]})
        .context["kept_files"][0]
        .token
    )

    login(colleague).post(URL, {"description": "Iets anders.", "in_danger": "no", "kept": [token]})

    assert Report.objects.get().attachments.count() == 0


def test_it_lets_a_manager_report_for_a_team_member(login, employee, manager):
    response = login(manager).post(URL, {"subject": employee.pk, "description": "Namens Sanne.", "in_danger": "no"})

    report = Report.objects.get()
    assert response.status_code == 302
    assert report.subject == employee
    assert report.reporter == manager
    assert access.case_parts(employee, report.case) == {access.OWN}
    assert report.case.events.get().target_user == employee


def test_it_refuses_a_manager_reporting_for_someone_outside_their_team(login, employee, manager, colleague):
    response = login(manager).post(URL, {"subject": colleague.pk, "description": "Niet mijn team.", "in_danger": "no"})

    assert "subject" in response.context["form"].errors
    assert Report.objects.count() == 0


def test_it_does_not_offer_an_employee_to_report_for_others(login, employee, colleague):
    response = login(employee).get(URL)

    assert "subject" not in response.context["form"].fields


def test_it_shows_the_confirmation_only_to_the_reporter(login, employee, colleague):
    login(employee).post(URL, {"description": "Iets.", "in_danger": "no"})
    report = Report.objects.get()
    url = reverse("cases:report_sent", args=[report.pk])

    assert login(employee).get(url).status_code == 200
    assert login(colleague).get(url).status_code == 404


def test_it_writes_history_with_the_reporter_as_actor(login, employee):
    login(employee).post(URL, {"description": "Iets.", "in_danger": "no"})

    report = Report.objects.get()
    assert report.history.get().history_user == employee
    assert report.case.history.first().history_user == employee
    assert report.case.events.get().kind == CaseEvent.Kind.REPORT_FILED


def test_it_sends_anonymous_users_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_other_methods(login, employee):
    assert login(employee).put(URL).status_code == 405


def test_every_coordinator_is_alerted_and_the_alert_says_nothing_about_the_case(employee, coordinator, coordinator2):
    UserFactory(username="inactive", roles=["coordinator"], is_active=False)
    case = make_case(employee, description="GEHEIM-DETAIL van de melding")

    batch = reminders.dispatch_due()
    for reminder_id in batch.to_email:
        reminders.reminder_send_email(reminder_id=reminder_id)

    assert sorted(Notification.objects.values_list("recipient__username", "kind")) == [
        ("coordinator", "new_case"),
        ("coordinator2", "new_case"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([coordinator.email, coordinator2.email])
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert f"/cases/{case.pk}/" in body
    assert "GEHEIM" not in body
    assert employee.last_name not in body


def test_an_urgent_report_says_so_in_the_alert(employee, coordinator):
    make_case(employee, in_danger="yes")

    reminders.dispatch_due()

    assert Notification.objects.get(recipient=coordinator).kind == "new_urgent_case"


def test_the_alert_is_called_off_once_someone_takes_the_case(new_case, coordinator, coordinator2):
    services.case_take(actor=coordinator, case=new_case)

    assert reminders.dispatch_due().delivered == 0
