"""Evidence (recommendation 10): a web address and a checked file, who
collected it and when, and a chain of custody of every look at it since."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from doxing_cases import uploads
from doxing_cases.models import CaseEvent, Evidence, ExposedItem, TakedownRequest
from doxing_cases.services import involvement
from doxing_cases.services import online as services
from people.models import AccessLog
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

PAGE_URL = "https://forum.example.net/t/789"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def checked_png() -> uploads.CheckedFile:
    return uploads.check_upload(upload("shot.png", png_bytes()), allowed=uploads.EVIDENCE_TYPES)


def stored_files() -> set[str]:
    root = uploads.private_storage.location
    return {os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names}


def new_url(case) -> str:
    return reverse("cases:evidence_new", args=[case.pk])


def detail_url(evidence: Evidence) -> str:
    return reverse("cases:evidence", args=[evidence.case_id, evidence.pk])


def file_url(evidence: Evidence) -> str:
    return reverse("cases:evidence_file", args=[evidence.case_id, evidence.pk])


@pytest.fixture
def involved_specialist(case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    return specialist


@pytest.fixture
def involved_security(case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    return security


@pytest.fixture
def evidence(case, coordinator) -> Evidence:
    return services.evidence_add(
        actor=coordinator, case=case, url=PAGE_URL, platform="website", description="Adres", file=checked_png()
    )


def evidence_pages(case, evidence) -> list[str]:
    return [
        reverse("cases:evidence_list", args=[case.pk]),
        new_url(case),
        detail_url(evidence),
        file_url(evidence),
    ]


# --- Who may see and add evidence ------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "involved_specialist"])
def test_it_opens_every_evidence_page_for_those_who_work_on_it(request, login, case, evidence, who):
    client = login(request.getfixturevalue(who))

    answers = {url: client.get(url).status_code for url in evidence_pages(case, evidence)}

    assert set(answers.values()) == {200}, answers


@pytest.mark.parametrize(
    "who", ["specialist", "involved_security", "manager", "colleague", "coordinator2", "peer", "hr", "privacy", "admin"]
)
def test_others_get_404_on_every_evidence_page(request, login, case, evidence, who):
    client = login(request.getfixturevalue(who))

    answers = {url: client.get(url).status_code for url in evidence_pages(case, evidence)}

    assert set(answers.values()) == {404}, answers


def test_a_specialist_whose_involvement_ended_gets_404_on_the_next_request(login, case, evidence, coordinator):
    specialist = UserFactory(username="specialist-b", roles=["specialist"])
    specialist_involvement = involvement.involvement_start(
        actor=coordinator, case=case, user=specialist, kind="specialist"
    )
    client = login(specialist_involvement.user)
    assert client.get(detail_url(evidence)).status_code == 200

    involvement.involvement_end(actor=coordinator, involvement=specialist_involvement)

    assert client.get(detail_url(evidence)).status_code == 404
    assert client.get(file_url(evidence)).status_code == 404


def test_the_employee_gets_404_on_the_staff_evidence_pages(login, case, evidence, employee):
    client = login(employee)

    assert client.get(reverse("cases:evidence_list", args=[case.pk])).status_code == 404
    assert client.get(detail_url(evidence)).status_code == 404
    assert client.get(file_url(evidence)).status_code == 404


def test_the_list_pages_refuse_post(login, case, evidence, coordinator):
    client = login(coordinator)

    assert client.post(reverse("cases:evidence_list", args=[case.pk])).status_code == 405
    assert client.post(detail_url(evidence)).status_code == 405
    assert client.post(file_url(evidence)).status_code == 405


# --- Adding evidence -----------------------------------------------------------------------------


def test_the_specialist_adds_evidence_with_a_file(login, case, involved_specialist):
    response = login(involved_specialist).post(
        new_url(case),
        {
            "url": PAGE_URL,
            "platform": "website",
            "captured_at": "2026-11-20T21:15",
            "description": "Adres en foto van het huis.",
            "file": upload("schermafbeelding.png", png_bytes()),
        },
    )

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(evidence)
    assert evidence.collected_by == involved_specialist
    assert evidence.received_at is not None
    assert evidence.captured_at.isoformat().startswith("2026-11-20T20:15")  # 21:15 in Amsterdam is 20:15 UTC
    assert evidence.file.name.startswith(f"evidence/{case.pk}/")
    assert evidence.sha256 == hashlib.sha256(uploads.read_stored(evidence.file.name, case_id=case.pk)).hexdigest()
    assert evidence.original_sha256 == hashlib.sha256(png_bytes()).hexdigest()
    assert evidence.url_normalized == "forum.example.net/t/789"


def test_adding_evidence_writes_an_online_timeline_line(login, case, involved_specialist):
    login(involved_specialist).post(new_url(case), {"url": PAGE_URL})

    event = case.events.get(kind=CaseEvent.Kind.EVIDENCE)
    assert (event.actor, event.part, event.obj) == (involved_specialist, "online", Evidence.objects.get())
    assert event.shown_to_employee is False


def test_adding_evidence_records_the_actor_in_the_history(case, involved_specialist):
    evidence = services.evidence_add(actor=involved_specialist, case=case, url=PAGE_URL)

    assert evidence.history.get().history_user == involved_specialist


def test_it_accepts_a_plain_text_file(login, case, coordinator):
    login(coordinator).post(new_url(case), {"file": upload("chat.txt", b"Ik weet waar je woont.", "text/plain")})

    assert Evidence.objects.get().content_type == uploads.TEXT


def test_it_needs_a_web_address_or_a_file(login, case, coordinator):
    response = login(coordinator).post(new_url(case), {"description": "Alleen tekst."})

    assert response.status_code == 200
    assert b"Give the web address, or add a file, or both." in response.content
    assert Evidence.objects.count() == 0


def test_it_refuses_a_moment_in_the_future(login, case, coordinator):
    response = login(coordinator).post(new_url(case), {"url": PAGE_URL, "captured_at": "2099-01-01T10:00"})

    assert response.status_code == 200
    assert "captured_at" in response.context["form"].errors
    assert Evidence.objects.count() == 0


def test_the_coordinator_can_link_evidence_to_exposed_data(login, case, coordinator):
    item = services.exposed_item_create(actor=coordinator, case=case, kind=ExposedItem.Kind.HOME_ADDRESS)

    login(coordinator).post(new_url(case), {"url": PAGE_URL, "exposed_item": item.pk})

    assert Evidence.objects.get().exposed_item == item


def test_exposed_data_of_another_case_cannot_be_linked(login, case, coordinator, colleague):
    other = make_case(colleague, coordinator=coordinator)
    foreign = services.exposed_item_create(actor=coordinator, case=other, kind=ExposedItem.Kind.PHONE)

    response = login(coordinator).post(new_url(case), {"url": PAGE_URL, "exposed_item": foreign.pk})

    assert "exposed_item" in response.context["form"].errors
    assert Evidence.objects.count() == 0


# --- Refused files: a clear message, nothing stored, the other answers kept ---------------------


ANSWERS = {"url": PAGE_URL, "platform": "telegram", "description": "Kanaal met mijn adres."}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("screenshot.png", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("tekening.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'),
        ("plaatje.svg", b'\xef\xbb\xbf  \n<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("bericht.txt", b"Kijk hier: <html><body>hoi</body></html>"),
        ("programma.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("leeg.png", b""),
    ],
)
def test_it_refuses_a_file_that_is_not_evidence_and_stores_nothing(login, case, coordinator, name, data):
    before = stored_files()

    response = login(coordinator).post(new_url(case), {**ANSWERS, "file": upload(name, data)})

    form = response.context["form"]
    assert response.status_code == 200
    assert name in " ".join(form.errors["file"])
    assert Evidence.objects.count() == 0
    assert stored_files() == before
    assert form["url"].value() == PAGE_URL
    assert form["platform"].value() == "telegram"
    assert form["description"].value() == "Kanaal met mijn adres."


def test_it_says_plainly_that_markup_is_not_accepted(login, case, coordinator):
    response = login(coordinator).post(new_url(case), {**ANSWERS, "file": upload("x.png", b"<html>hoi</html>")})

    assert "“x.png” is a web page or a drawing (HTML, SVG or XML)" in response.context["form"].errors["file"][0]


def test_it_refuses_a_file_that_is_too_large_and_stores_nothing(login, case, coordinator, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    before = stored_files()

    response = login(coordinator).post(
        new_url(case), {**ANSWERS, "file": upload("groot.pdf", b"%PDF-1.4" + b"x" * 4000)}
    )

    form = response.context["form"]
    assert form.errors["file"] == ["“groot.pdf” is 3.9\xa0KB; files up to 1.0\xa0KB are accepted."]
    assert Evidence.objects.count() == 0
    assert stored_files() == before
    assert form["description"].value() == "Kanaal met mijn adres."


def test_a_good_file_with_a_wrong_answer_is_asked_for_again(login, case, coordinator):
    before = stored_files()

    response = login(coordinator).post(
        new_url(case), {"url": "niet een adres", "file": upload("goed.png", png_bytes())}
    )

    assert "url" in response.context["form"].errors
    assert "“goed.png” was fine, but it is not kept yet: please choose it again." in response.content.decode()
    assert stored_files() == before


def test_the_upload_check_accepts_text_only_for_evidence():
    text = upload("chat.txt", b"gewone tekst", "text/plain")

    assert uploads.check_upload(text, allowed=uploads.EVIDENCE_TYPES).content_type == uploads.TEXT


# --- The employee's own evidence ------------------------------------------------------------------


def test_the_employee_is_told_they_need_not_collect_evidence(login, case, employee):
    response = login(employee).get(new_url(case))

    assert response.status_code == 200
    assert b"You do not have to do this." in response.content
    assert b"preferably a specialist collects the evidence" in response.content
    assert "exposed_item" not in response.context["form"].fields


def test_the_employee_adds_evidence_to_their_own_case(login, case, employee):
    response = login(employee).post(new_url(case), {"url": PAGE_URL, "file": upload("mijn.png", png_bytes())})

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_case", args=[case.pk])
    assert evidence.collected_by == employee
    assert evidence.collected_by_employee is True
    assert case.events.get(kind=CaseEvent.Kind.EVIDENCE).shown_to_employee is True


def test_the_employee_sees_only_the_evidence_they_collected(login, case, employee, evidence):
    services.evidence_add(actor=employee, case=case, url="https://x.com/mijn-eigen", file=checked_png())

    response = login(employee).get(reverse("cases:my_case", args=[case.pk]))

    assert [item.url for item in response.context["own_evidence"]] == ["https://x.com/mijn-eigen"]
    assert PAGE_URL.encode() not in response.content
    assert b"You do not have to collect evidence yourself." in response.content


def test_the_employee_downloads_only_their_own_files(login, case, employee, evidence):
    own = services.evidence_add(actor=employee, case=case, url="https://x.com/mijn-eigen", file=checked_png())
    client = login(employee)

    assert client.get(file_url(own)).status_code == 200
    assert client.get(file_url(evidence)).status_code == 404


def test_the_employee_cannot_link_exposed_data(case, employee, coordinator):
    item = services.exposed_item_create(actor=coordinator, case=case, kind=ExposedItem.Kind.HOME_ADDRESS)

    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=employee, case=case, url=PAGE_URL, exposed_item=item)


def test_the_case_page_marks_evidence_collected_by_the_employee(login, case, employee, coordinator):
    services.evidence_add(actor=employee, case=case, url="https://x.com/mijn-eigen")

    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert b"collected by the employee" in response.content


# --- Detail, download and the chain of custody ----------------------------------------------------


def test_the_detail_page_shows_every_field(login, case, coordinator, evidence):
    response = login(coordinator).get(detail_url(evidence))

    content = response.content.decode()
    assert PAGE_URL in content
    assert evidence.sha256 in content
    assert evidence.original_sha256 in content
    assert "A website or forum" in content
    assert "Adres" in content


def test_a_view_of_the_detail_page_writes_an_access_log_row(login, case, coordinator, evidence):
    login(coordinator).get(detail_url(evidence))

    row = AccessLog.objects.get(action=AccessLog.Action.VIEW_EVIDENCE)
    assert (row.user, row.case_id, row.object_kind, row.object_id) == (coordinator, case.pk, "evidence", evidence.pk)


def test_the_download_is_an_attachment_with_safe_headers(login, case, coordinator, evidence):
    response = login(coordinator).get(file_url(evidence))

    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == evidence.sha256
    assert response["Content-Disposition"].startswith("attachment;")
    assert "shot" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/png"


def test_a_download_writes_an_access_log_row(login, case, coordinator, evidence):
    login(coordinator).get(file_url(evidence))

    row = AccessLog.objects.get(action=AccessLog.Action.DOWNLOAD_FILE)
    assert (row.user, row.object_kind, row.object_id) == (coordinator, "evidence", evidence.pk)


def test_a_file_changed_on_disk_is_not_handed_out(login, case, coordinator, evidence, caplog):
    with open(uploads.private_storage.path(evidence.file.name), "ab") as handle:
        handle.write(b"tampered")

    response = login(coordinator).get(file_url(evidence))

    assert response.status_code == 404
    assert f"stored file hash mismatch evidence={evidence.pk}" in caplog.text
    assert not AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD_FILE).exists()


def test_evidence_without_a_file_has_no_download(login, case, coordinator):
    evidence = services.evidence_add(actor=coordinator, case=case, url=PAGE_URL)

    assert login(coordinator).get(file_url(evidence)).status_code == 404


def test_evidence_of_another_case_is_not_reachable_through_this_case(login, case, coordinator, colleague, evidence):
    other = make_case(colleague, coordinator=coordinator)

    url = reverse("cases:evidence", args=[other.pk, evidence.pk])

    assert login(coordinator).get(url).status_code == 404


def test_the_chain_of_custody_shows_upload_views_and_downloads_in_time_order(
    login, case, coordinator, involved_specialist, evidence
):
    login(involved_specialist).get(detail_url(evidence))
    login(involved_specialist).get(file_url(evidence))

    response = login(coordinator).get(detail_url(evidence))

    custody = [(entry.who, str(entry.what)) for entry in response.context["custody"]]
    assert custody == [
        (coordinator.display_name, "added it to the case"),
        (involved_specialist.display_name, "viewed the evidence"),
        (involved_specialist.display_name, "downloaded a file"),
        (coordinator.display_name, "viewed the evidence"),
    ]
    assert [entry.at for entry in response.context["custody"]] == sorted(
        entry.at for entry in response.context["custody"]
    )
    assert b"Chain of custody" in response.content


# --- The case page ------------------------------------------------------------------------------------


def _page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_rows(case, actor, start: int, count: int) -> None:
    item = services.exposed_item_create(actor=actor, case=case, kind=ExposedItem.Kind.HOME_ADDRESS)
    for index in range(start, start + count):
        services.evidence_add(
            actor=actor, case=case, url=f"https://x.com/post/{index}", exposed_item=item, file=checked_png()
        )
        takedown = services.takedown_create(
            actor=actor,
            case=case,
            url=f"https://x.com/post/{index}",
            route=TakedownRequest.Route.DSA,
            exposed_item=item,
        )
        if index % 2:
            services.takedown_record_sending(
                actor=actor, takedown=takedown, sent_on=timezone.localdate(), sent_by=actor
            )
        services.identifier_add(actor=actor, case=case, kind="handle", platform="x", value=f"@doxer{index}")


@pytest.mark.parametrize("who", ["coordinator", "involved_specialist"])
def test_the_case_page_query_count_does_not_grow_with_evidence_and_takedowns(request, login, case, coordinator, who):
    client = login(request.getfixturevalue(who))
    _add_rows(case, coordinator, 0, 2)
    at_two = _page_queries(client, case)

    _add_rows(case, coordinator, 2, 18)
    at_twenty = _page_queries(client, case)

    # Never more; fewer when the older kinds of line fall out of the page's latest 50 timeline lines.
    assert at_twenty <= at_two


def test_the_case_page_shows_the_online_section_newest_evidence_first(login, case, coordinator):
    services.evidence_add(actor=coordinator, case=case, url="https://x.com/eerste")
    services.evidence_add(actor=coordinator, case=case, url="https://x.com/tweede")

    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert [item.url for item in response.context["online_evidence"]] == [
        "https://x.com/tweede",
        "https://x.com/eerste",
    ]
    assert b'id="online"' in response.content


def test_the_security_officer_sees_the_inventory_but_no_evidence_on_the_case_page(
    login, case, coordinator, involved_security, evidence
):
    response = login(involved_security).get(reverse("cases:detail", args=[case.pk]))

    assert "online_items" in response.context
    assert "online_evidence" not in response.context
    assert "online_takedowns" not in response.context
    assert PAGE_URL.encode() not in response.content


def test_the_manager_sees_nothing_of_the_online_side(login, case, manager, evidence):
    response = login(manager).get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    assert b'id="online"' not in response.content
    assert "online_items" not in response.context
    assert "online_evidence" not in response.context
