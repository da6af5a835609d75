"""Media and communication (recommendation 14): one agreement per case, made
with the employee; press enquiries logged. The coordinator edits; an involved
department contact reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from doxing_cases import services as case_services
from doxing_cases.models import CaseEvent, CommunicationAgreement, Part
from doxing_cases.services import coordination as services
from doxing_cases.services import involvement, security
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Strategy = CommunicationAgreement.Strategy
CANARY = "CANARY-SECURITY-DETAIL"


def agreement_post(**overrides):
    data = {
        "strategy": "silent",
        "spokesperson": "Jan de Woordvoerder",
        "agreed_with_employee": "on",
        "notes": "INTERNE-MEDIA-NOTITIE",
        "agreed_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def agree(case, actor, **fields):
    values = {"strategy": Strategy.SILENT, "spokesperson": "Jan de Woordvoerder", "notes": "INTERNE-MEDIA-NOTITIE"}
    values.update(fields)
    return services.communication_agreement_save(actor=actor, case=case, **values)


def enquiry_post(handled_by, **overrides):
    data = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "outlet": "Dagblad Noord, J. Jansen",
        "question": "Klopt het dat een handhaver wordt bedreigd?",
        "response": "",
        "handled_by": handled_by.pk,
    }
    data.update(overrides)
    return data


@pytest.fixture
def comms(case, coordinator):
    """An involved contact at the communication department."""
    user = UserFactory(username="comms", first_name="Eva", last_name="de Boer")
    involvement.involvement_start(actor=coordinator, case=case, user=user, kind="department", department="Communicatie")
    return user


# --- The agreement ------------------------------------------------------------------------


def test_it_records_the_agreement(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:communication", args=[case.pk]), agreement_post())

    agreement = case.communication_agreement
    event = case.events.get(kind=CaseEvent.Kind.COMMUNICATION)
    assert response.status_code == 302
    assert (agreement.strategy, agreement.spokesperson, agreement.agreed_with_employee) == (
        Strategy.SILENT,
        "Jan de Woordvoerder",
        True,
    )
    assert agreement.history.get().history_user == coordinator
    assert (event.action, event.part, event.shown_to_employee) == (CaseEvent.Action.ADDED, Part.COORDINATION, True)


def test_it_changes_the_agreement_with_history_and_a_changed_line(login, case, coordinator, coordinator2):
    agree(case, coordinator)
    case_services.case_assign(actor=coordinator, case=case, coordinator=coordinator2)

    login(coordinator2).post(reverse("cases:communication", args=[case.pk]), agreement_post(strategy="speak_out"))

    agreement = CommunicationAgreement.objects.get(case=case)
    events = case.events.filter(kind=CaseEvent.Kind.COMMUNICATION).order_by("pk")
    assert agreement.strategy == Strategy.SPEAK_OUT
    assert agreement.updated_by == coordinator2
    assert [row.history_user for row in agreement.history.order_by("history_date")] == [coordinator, coordinator2]
    assert [event.action for event in events] == [CaseEvent.Action.ADDED, CaseEvent.Action.CHANGED]


def test_it_keeps_one_agreement_per_case(case, coordinator):
    agree(case, coordinator)
    agree(case, coordinator, strategy=Strategy.REACTIVE)

    assert CommunicationAgreement.objects.filter(case=case).count() == 1


def test_it_shows_the_agreement_as_it_is_on_the_form(login, case, coordinator):
    agree(case, coordinator, strategy=Strategy.REACTIVE)

    form = login(coordinator).get(reverse("cases:communication", args=[case.pk])).context["form"]

    assert form["strategy"].value() == Strategy.REACTIVE


def test_it_needs_the_approach_and_keeps_the_input(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:communication", args=[case.pk]), agreement_post(strategy=""))

    assert "strategy" in response.context["form"].errors
    assert response.context["form"]["notes"].value() == "INTERNE-MEDIA-NOTITIE"


def test_it_says_on_the_timeline_how_the_organisation_deals_with_the_media(login, case, coordinator, employee):
    agree(case, coordinator)
    agree(case, coordinator, strategy=Strategy.REACTIVE)

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "Lotte Visser recorded how the organisation deals with the media: stay silent." in page
    assert "Lotte Visser changed how the organisation deals with the media: only answer questions." in page


# --- Press enquiries --------------------------------------------------------------------------


def test_it_logs_a_press_enquiry(login, case, coordinator, comms):
    response = login(coordinator).post(reverse("cases:press_enquiry_new", args=[case.pk]), enquiry_post(comms))

    enquiry = case.press_enquiries.get()
    event = case.events.get(kind=CaseEvent.Kind.PRESS_ENQUIRY)
    assert response.status_code == 302
    assert (enquiry.outlet, enquiry.handled_by) == ("Dagblad Noord, J. Jansen", comms)
    assert enquiry.history.get().history_user == coordinator
    assert (event.part, event.shown_to_employee) == (Part.COORDINATION, False)


def test_it_adds_the_answer_later(login, case, coordinator):
    enquiry = services.press_enquiry_log(actor=coordinator, case=case, outlet="Omroep", question="Reactie?")

    login(coordinator).post(
        reverse("cases:press_enquiry_edit", args=[case.pk, enquiry.pk]),
        enquiry_post(coordinator, outlet="Omroep", question="Reactie?", response="Geen commentaar."),
    )

    enquiry.refresh_from_db()
    assert enquiry.response == "Geen commentaar."
    assert [row.history_user for row in enquiry.history.order_by("history_date")] == [coordinator, coordinator]
    assert case.events.filter(kind=CaseEvent.Kind.PRESS_ENQUIRY).latest("pk").action == CaseEvent.Action.CHANGED


def test_it_needs_the_coordinator_or_a_department_contact_as_handler(case, coordinator, colleague):
    with pytest.raises(ValidationError) as refused:
        services.press_enquiry_log(actor=coordinator, case=case, outlet="X", question="Y", handled_by=colleague)

    assert "handled_by" in refused.value.error_dict


def test_it_offers_the_coordinator_and_the_department_contacts_as_handlers(login, case, coordinator, comms, colleague):
    form = login(coordinator).get(reverse("cases:press_enquiry_new", args=[case.pk])).context["form"]

    assert set(form.fields["handled_by"].queryset) == {coordinator, comms}


def test_it_refuses_a_press_enquiry_received_in_the_future(case, coordinator):
    with pytest.raises(ValidationError):
        services.press_enquiry_log(
            actor=coordinator, case=case, outlet="X", question="Y", received_at=timezone.now() + timedelta(days=1)
        )


def test_it_hides_press_enquiries_from_the_employee(login, case, coordinator, employee):
    services.press_enquiry_log(actor=coordinator, case=case, outlet="PERS-OUTLET", question="PERS-VRAAG")

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "PERS-OUTLET" not in page
    assert "PERS-VRAAG" not in page


# --- Who may see and do what ----------------------------------------------------------------


def test_it_shows_the_department_contact_the_agreement_and_press_enquiries(login, case, coordinator, comms):
    agree(case, coordinator)
    services.press_enquiry_log(actor=coordinator, case=case, outlet="PERS-OUTLET", question="PERS-VRAAG")

    response = login(comms).get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    assert response.context["communication_agreement"].spokesperson == "Jan de Woordvoerder"
    assert b"INTERNE-MEDIA-NOTITIE" in response.content
    assert b"PERS-VRAAG" in response.content
    assert b"Media and communication" in response.content
    assert "decisions" not in response.context
    assert reverse("cases:communication", args=[case.pk]).encode() not in response.content


def test_it_lets_the_department_contact_change_nothing(login, case, coordinator, comms):
    agree(case, coordinator)
    enquiry = services.press_enquiry_log(actor=coordinator, case=case, outlet="Omroep", question="Reactie?")
    client = login(comms)

    answers = [
        client.get(reverse("cases:communication", args=[case.pk])).status_code,
        client.post(reverse("cases:communication", args=[case.pk]), agreement_post(strategy="speak_out")).status_code,
        client.get(reverse("cases:press_enquiry_new", args=[case.pk])).status_code,
        client.post(reverse("cases:press_enquiry_edit", args=[case.pk, enquiry.pk]), enquiry_post(comms)).status_code,
    ]

    assert set(answers) == {404}
    assert case.communication_agreement.strategy == Strategy.SILENT


def test_it_refuses_the_department_contact_in_the_service(case, comms):
    with pytest.raises(PermissionDenied):
        agree(case, comms)


def test_it_never_shows_security_details_to_the_department_contact(login, case, coordinator, comms):
    security.security_measure_create(
        actor=coordinator, case=case, kind="camera", responsible_department="Beveiliging", description=CANARY
    )

    response = login(comms).get(reverse("cases:detail", args=[case.pk]))

    assert CANARY.encode() not in response.content
    assert login(comms).get(reverse("cases:measure_new", args=[case.pk])).status_code == 404


def test_it_answers_404_once_the_department_contact_s_involvement_ended(login, case, coordinator, comms):
    agree(case, coordinator)
    client = login(comms)
    involvement.involvement_end(actor=coordinator, involvement=case.involvements.get(user=comms))

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_it_hides_the_communication_from_the_security_officer(login, case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    agree(case, coordinator)

    response = login(security).get(reverse("cases:detail", args=[case.pk]))

    assert "communication_agreement" not in response.context
    assert b"INTERNE-MEDIA-NOTITIE" not in response.content


@pytest.mark.parametrize(
    "who", ["security", "specialist", "manager", "colleague", "hr", "privacy", "admin", "coordinator2", "employee"]
)
def test_it_answers_404_on_the_communication_pages_to_everyone_but_the_coordinator(
    request, login, case, coordinator, who
):
    enquiry = services.press_enquiry_log(actor=coordinator, case=case, outlet="Omroep", question="Reactie?")
    client = login(request.getfixturevalue(who))

    assert client.get(reverse("cases:communication", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:press_enquiry_new", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:press_enquiry_edit", args=[case.pk, enquiry.pk])).status_code == 404


def test_it_hides_the_communication_from_the_manager(login, case, coordinator, manager):
    agree(case, coordinator)

    response = login(manager).get(reverse("cases:detail", args=[case.pk]))

    assert b"INTERNE-MEDIA-NOTITIE" not in response.content
    assert b"Jan de Woordvoerder" not in response.content


# --- The employee's own page --------------------------------------------------------------


def test_it_shows_the_employee_the_approach_and_the_spokesperson(login, case, coordinator, employee):
    agree(case, coordinator, strategy=Strategy.REACTIVE)

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "Media and communication" in page
    assert "Only answer questions (reactive)" in page
    assert "Jan de Woordvoerder" in page
    assert "INTERNE-MEDIA-NOTITIE" not in page


def test_it_tells_the_employee_an_agreement_not_made_with_them_will_be_discussed(login, case, coordinator, employee):
    agree(case, coordinator, agreed_with_employee=False)

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "Your coordinator will go through this with you" in page
