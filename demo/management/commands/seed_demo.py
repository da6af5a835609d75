"""Demo data: an organisation, teams, a user for every role and cases that
show every part of Handvat in use.

Safe to run again: people are matched by username and each demo case by its
report text, so nothing is doubled. Everything is made through the services,
each step at its own moment in the past (the clock is moved with
time-machine), so grants, history, timelines and tasks are as real as the
app would write them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.models import FlareUpMoment
from aftercare.services import evaluation, flare_ups, follow_ups, transition
from doxing_cases import services, uploads
from doxing_cases.models import (
    Case,
    CommunicationAgreement,
    DoxerIdentifier,
    ExposedItem,
    Involvement,
    Level,
    PoliceReport,
    Report,
    SecurityMeasure,
    TakedownRequest,
)
from doxing_cases.services import coordination, involvement, online, retention, security, support, tasks
from exports.models import HrExportGrant
from exports.services import case_reports
from people import access
from people import services as people_services
from people.auth import otp
from people.models import Organisation, Team, User
from people.roles import Role
from prevention.models import Debrief, Deployment, ExposureItem, ReadinessItem, TrainingModule
from prevention.services import briefings, debriefs, exposure, readiness, self_scan, training

ORGANISATION = "Gemeente Havenstad"
ADDRESS = "Gemeente Havenstad\nPostbus 1234\n9999 ZZ Havenstad"
SUPPORT_PHONE = "0800-1234567"

# username, first name, last name, team, roles
PEOPLE: list[tuple[str, str, str, str, list[Role]]] = [
    ("employee", "Sanne", "de Vries", "Handhaving Centrum", [Role.EMPLOYEE]),
    ("employee2", "Youssef", "El Amrani", "Brandweer Noord", [Role.EMPLOYEE]),
    ("manager", "Marieke", "Jansen", "Handhaving Centrum", [Role.EMPLOYEE, Role.MANAGER]),
    ("manager2", "Peter", "Bakker", "Brandweer Noord", [Role.EMPLOYEE, Role.MANAGER]),
    ("coordinator", "Lotte", "Visser", "Veiligheid en Welzijn", [Role.EMPLOYEE, Role.COORDINATOR]),
    ("coordinator2", "Daan", "Smit", "Veiligheid en Welzijn", [Role.EMPLOYEE, Role.COORDINATOR]),
    ("peer", "Ilse", "Mulder", "Ambulancezorg", [Role.EMPLOYEE, Role.PEER_SUPPORTER]),
    ("specialist", "Ruben", "de Boer", "Veiligheid en Welzijn", [Role.EMPLOYEE, Role.SPECIALIST]),
    ("security", "Karin", "Meijer", "Veiligheid en Welzijn", [Role.EMPLOYEE, Role.SECURITY_OFFICER]),
    ("hr", "Thomas", "Hendriks", "Personeelszaken", [Role.EMPLOYEE, Role.HR]),
    ("privacy", "Fatima", "Ouali", "Personeelszaken", [Role.EMPLOYEE, Role.PRIVACY_OFFICER]),
    # People who appear in the demo cases.
    ("kees", "Kees", "Vos", "Handhaving Centrum", [Role.EMPLOYEE]),
    ("emre", "Emre", "Yilmaz", "Handhaving Centrum", [Role.EMPLOYEE]),
    ("noor", "Noor", "Peters", "Ambulancezorg", [Role.EMPLOYEE]),
    ("fleur", "Fleur", "de Jong", "Ambulancezorg", [Role.EMPLOYEE]),
    ("comms", "Jeroen", "Kok", "Communicatie", [Role.EMPLOYEE]),
]
MANAGERS = {"Handhaving Centrum": ["manager"], "Brandweer Noord": ["manager2"]}
LOGINS = [username for username, *_rest in PEOPLE[:11]] + ["admin"]
DOXER_ACCOUNT = "buurtwacht_havenstad"


class Demo:
    """Runs each step of a demo case at its own moment, as a named user."""

    def __init__(self, users: dict[str, User], now: datetime) -> None:
        self.users = users
        self.now = now

    def at(self, days_ago: float, service: Callable[..., Any], **kwargs: Any) -> Any:
        for name in ("actor", "user", "owner", "sent_by", "handled_by"):
            if isinstance(kwargs.get(name), str):
                kwargs[name] = self.users[kwargs[name]]
        for name in ("case", "item", "measure", "takedown", "report", "involvement", "task", "scan", "deployment"):
            if hasattr(kwargs.get(name), "refresh_from_db"):
                kwargs[name].refresh_from_db()
        with time_machine.travel(self.when(days_ago), tick=False):
            return service(**kwargs)

    def when(self, days_ago: float) -> datetime:
        return self.now - timedelta(days=days_ago)

    def day(self, days_ago: float) -> Any:
        return timezone.localdate(self.when(days_ago))

    def report(self, days_ago: float, reporter: str, subject: str, **details: Any) -> Case | None:
        """File a report, unless this demo report exists already (then None)."""
        # The description is encrypted at rest: compared here, not in the query.
        filed = Report.objects.filter(subject=self.users[subject]).values_list("description", flat=True)
        if details["description"] in filed:
            return None
        started = details.pop("started_days_ago", None)
        details = {
            "in_danger": Report.InDanger.NO,
            "urls": [],
            "started_at": self.when(started) if started is not None else None,
            **details,
        }
        via = details.pop("received_via", Report.ReceivedVia.FORM)
        files = details.pop("files", ())
        report = self.at(
            days_ago,
            services.report_file,
            actor=reporter,
            subject=self.users[subject],
            details=details,
            files=files,
            received_via=via,
        )
        return report.case


def demo_screenshot(label: str) -> uploads.CheckedFile:
    """A small made-up screenshot, checked like any upload."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 220), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 360, 36), fill=(40, 120, 200))
    draw.text((12, 12), label, fill=(255, 255, 255))
    for row in range(4):
        draw.rectangle((12, 56 + row * 38, 348, 80 + row * 38), fill=(220, 224, 230))
    out = io.BytesIO()
    image.save(out, "PNG")
    return uploads.check_upload(SimpleUploadedFile(f"{label}.png", out.getvalue(), content_type="image/png"))


def sanne(d: Demo) -> Case | None:
    """An active case with every part of incident handling in use."""
    case = d.report(
        9,
        "employee",
        "employee",
        description=(
            "Na de handhavingsactie op de markt van zaterdag staat een foto van mij in een Telegram-groep, met "
            "mijn volledige naam en de straat waar ik woon. Iemand schreef eronder dat ze 'wel even langs komen'. "
            "Ook het kenteken van mijn auto staat erbij."
        ),
        started_days_ago=10,
        platforms=["telegram", "facebook"],
        urls=["https://t.me/buurtwacht_havenstad/1234", "https://www.facebook.com/groups/havenstadnieuws/posts/987"],
        behaviours=["doxing", "threat", "intimidation"],
        leaked_data=["name", "home_address", "licence_plate", "photos"],
        relatives_affected=Report.Relatives.YES,
        contact_method=Report.ContactMethod.PHONE,
        contact_phone="06-12345678",
        contact_times="Na 17:00",
    )
    if case is None:
        return None
    d.at(8.95, services.case_take, actor="coordinator", case=case)
    d.at(8.8, services.case_log_first_contact, actor="coordinator", case=case, at=d.when(8.8), note="Telefonisch")
    d.at(
        8.7,
        security.threat_assess,
        actor="coordinator",
        case=case,
        level=Level.MEDIUM,
        basis="Adres en kenteken openbaar, met een reactie die op een bezoek aan huis wijst.",
    )
    d.at(8.65, services.case_set_status, actor="coordinator", case=case, status=Case.Status.ACTIVE)
    for who, kind, extra in (
        ("specialist", Involvement.Kind.SPECIALIST, {"note": "Berichten vastleggen en laten verwijderen."}),
        ("security", Involvement.Kind.SECURITY, {"note": "Dreiging inschatten en maatregelen thuis."}),
        ("peer", Involvement.Kind.PEER, {"note": "Collegiale opvang aanbieden."}),
        ("comms", Involvement.Kind.DEPARTMENT, {"department": "Communicatie", "note": "Persvragen en woordvoering."}),
    ):
        d.at(8.6, involvement.involvement_start, actor="coordinator", case=case, user=who, kind=kind, **extra)

    address = d.at(
        8.4,
        online.exposed_item_create,
        actor="specialist",
        case=case,
        kind=ExposedItem.Kind.HOME_ADDRESS,
        detail="Straatnaam en huisnummer in een reactie",
        platform="telegram",
        urls=["https://t.me/buurtwacht_havenstad/1234"],
        risk=Level.HIGH,
    )
    plate = d.at(
        8.4,
        online.exposed_item_create,
        actor="specialist",
        case=case,
        kind=ExposedItem.Kind.LICENCE_PLATE,
        detail="Kenteken op een foto van de auto",
        platform="telegram",
        urls=["https://t.me/buurtwacht_havenstad/1236"],
        risk=Level.MEDIUM,
    )
    photo = d.at(
        8.3,
        online.exposed_item_create,
        actor="specialist",
        case=case,
        kind=ExposedItem.Kind.PHOTO,
        detail="Foto in uniform tijdens de actie",
        platform="facebook",
        urls=["https://www.facebook.com/groups/havenstadnieuws/posts/987"],
        risk=Level.MEDIUM,
    )
    d.at(
        8.3,
        online.evidence_add,
        actor="specialist",
        case=case,
        url="https://t.me/buurtwacht_havenstad/1234",
        platform="telegram",
        captured_at=d.when(8.35),
        exposed_item=address,
        description="Bericht met foto, naam en straat; reactie 'we komen wel even langs'.",
        file=demo_screenshot("telegram-bericht"),
    )
    d.at(
        8.2,
        online.evidence_add,
        actor="specialist",
        case=case,
        url="https://www.facebook.com/groups/havenstadnieuws/posts/987",
        platform="facebook",
        captured_at=d.when(8.25),
        exposed_item=photo,
        description="Foto in de groep, 40 reacties.",
        file=demo_screenshot("facebook-groep"),
    )
    d.at(
        8.9,
        online.evidence_add,
        actor="employee",
        case=case,
        url="https://t.me/buurtwacht_havenstad/1236",
        platform="telegram",
        captured_at=d.when(9.1),
        description="Zelf gemaakt voordat ik het meldde.",
        file=demo_screenshot("kenteken"),
    )
    telegram = d.at(
        8.1,
        online.takedown_create,
        actor="specialist",
        case=case,
        url="https://t.me/buurtwacht_havenstad/1234",
        route=TakedownRequest.Route.DSA,
        recipient="Telegram",
        exposed_item=address,
    )
    d.at(
        8.0,
        online.takedown_record_sending,
        actor="specialist",
        takedown=telegram,
        sent_on=d.day(8.0),
        sent_by="specialist",
        answer_due=d.day(3),
    )
    facebook = d.at(
        8.1,
        online.takedown_create,
        actor="specialist",
        case=case,
        url="https://www.facebook.com/groups/havenstadnieuws/posts/987",
        route=TakedownRequest.Route.DSA,
        recipient="Meta (Facebook)",
        exposed_item=photo,
    )
    d.at(
        8.0,
        online.takedown_record_sending,
        actor="specialist",
        takedown=facebook,
        sent_on=d.day(8.0),
        sent_by="specialist",
    )
    d.at(
        5.0,
        online.takedown_record_answer,
        actor="specialist",
        takedown=facebook,
        status=TakedownRequest.Status.REMOVED,
        answer="Bericht verwijderd na DSA-melding.",
        answered_on=d.day(5.0),
    )
    d.at(
        8.0,
        online.takedown_create,
        actor="specialist",
        case=case,
        url="https://t.me/buurtwacht_havenstad/1236",
        route=TakedownRequest.Route.NTD,
        recipient="Telegram",
        exposed_item=plate,
    )
    d.at(
        8.0,
        online.identifier_add,
        actor="specialist",
        case=case,
        kind=DoxerIdentifier.Kind.ACCOUNT,
        platform="telegram",
        value=f"@{DOXER_ACCOUNT}",
    )
    d.at(1.0, online.takedowns_create_follow_ups)

    d.at(
        7.0,
        security.threat_assess,
        actor="security",
        case=case,
        level=Level.HIGH,
        police_consulted=True,
        basis="Wijkagent bevestigt dat de groep eerder tot acties aan huis leidde. Kinderen wonen op het adres.",
    )
    d.at(
        7.0,
        security.security_measure_create,
        actor="security",
        case=case,
        kind=SecurityMeasure.Kind.BRP_SHIELDING,
        responsible_department="Burgerzaken",
        status=SecurityMeasure.Status.ACTIVE,
        start_on=d.day(7),
        next_review_on=d.day(-21),
        description="Adres afgeschermd in de BRP.",
        employee_view="Graag; geeft rust.",
    )
    d.at(
        6.5,
        security.security_measure_create,
        actor="security",
        case=case,
        kind=SecurityMeasure.Kind.CAMERA,
        for_whom=SecurityMeasure.ForWhom.BOTH,
        responsible_department="Facilitaire zaken",
        status=SecurityMeasure.Status.PLANNED,
        next_review_on=d.day(-2),
        description="Camera en deurbel met beeld aan de voorkant.",
        employee_view="Liever geen camera die de buren filmt; deurbel met beeld is goed.",
        relatives_view="Partner wil er graag een; de kinderen weten er nog niet van.",
    )
    d.at(
        6.8,
        security.police_report_create,
        actor="coordinator",
        case=case,
        kind=PoliceReport.Kind.AANGIFTE,
        offences=["doxing", "threat"],
        police_reference="PL1400-2026-123456",
        filed_on=d.day(6.8),
        status=PoliceReport.Status.FILED,
        notes="Aangifte door de werkgever, Sanne als getuige; adres van de gemeente gebruikt.",
    )
    d.at(
        6.0,
        coordination.decision_record,
        actor="coordinator",
        case=case,
        question="Nodigen we de beheerder van de Telegram-groep uit voor een gesprek?",
        options="Gesprek met de beheerder; niets doen; alleen via de politie.",
        decision="Geen gesprek: eerst de aangifte laten lopen.",
        decided_by="Coördinator met Sanne en de wijkagent",
        employee_heard=True,
        employee_view="Wil geen contact met de mensen achter de groep.",
        about_perpetrator=True,
        criminal_doxing_suspected=True,
        police_alignment="Afgestemd met de wijkagent: de politie neemt contact op met de beheerder.",
    )
    d.at(
        5.5,
        coordination.communication_agreement_save,
        actor="coordinator",
        case=case,
        strategy=CommunicationAgreement.Strategy.REACTIVE,
        spokesperson="Jeroen Kok (Communicatie)",
        agreed_with_employee=True,
        agreed_with_relatives=True,
        notes="Geen naam of team noemen.",
    )
    d.at(
        4.0,
        coordination.press_enquiry_log,
        actor="coordinator",
        case=case,
        outlet="Havenstad Dagblad",
        question="Klopt het dat een handhaver wordt bedreigd na de actie op de markt?",
        response="Wij gaan niet in op individuele medewerkers; bedreiging accepteren wij nooit.",
        handled_by="comms",
    )
    d.at(
        7.9,
        support.peer_contact_log,
        actor="peer",
        case=case,
        offered_at=d.when(7.9),
        response="accepted",
        next_contact_on=d.day(-3),
    )
    d.at(
        7.5,
        support.check_in_log,
        actor="manager",
        case=case,
        wellbeing="struggling",
        relatives="concerns",
        needs="Een paar dagen geen avonddiensten.",
        team_talked=False,
    )
    d.at(
        6.0,
        support.support_activity_log,
        actor="manager",
        case=case,
        kind="team_talk",
        held_on=d.day(6),
        note="Teamoverleg Handhaving Centrum, zonder details over Sanne.",
    )
    d.at(1.5, support.check_in_log, actor="manager", case=case, wellbeing="okay", relatives="fine", team_talked=True)
    d.at(
        2.1,
        support.message_send,
        actor="employee",
        case=case,
        body="Mag de camera nog even wachten? Ik wil het eerst thuis bespreken.",
    )
    d.at(
        2.0,
        support.message_send,
        actor="coordinator",
        case=case,
        body="Natuurlijk. Zullen we donderdag even bellen? Dan hoor ik wat jullie willen.",
    )
    d.at(
        2.0,
        services.case_add_note,
        actor="coordinator",
        case=case,
        text="Overleg met beveiliging over de camera: Sanne wil eerst met haar partner praten.",
    )
    d.at(
        1.0,
        tasks.task_create,
        actor="coordinator",
        case=case,
        title="Sanne terugbellen over de camera",
        owner="coordinator",
        due_at=d.when(-1),
    )
    d.at(
        2.5,
        flare_ups.flare_up_plan,
        actor="coordinator",
        case=case,
        kind=FlareUpMoment.Kind.COURT_CASE,
        on=d.day(-30),
        description="Rechtszaak over de doxing van handhavers na de markt.",
    )
    return case


def kees(d: Demo) -> Case | None:
    """An urgent report waiting in the triage queue."""
    return d.report(
        0.08,
        "kees",
        "kees",
        description=(
            "Tijdens een controle werd ik gefilmd. De video staat nu op TikTok met mijn naam erbij, en in de reacties "
            "zegt iemand te weten waar ik woon. Er staat nu een auto voor mijn deur die ik niet ken."
        ),
        in_danger=Report.InDanger.YES,
        started_days_ago=1,
        platforms=["tiktok"],
        urls=["https://www.tiktok.com/@example/video/1234567890"],
        behaviours=["doxing", "intimidation"],
        leaked_data=["name", "photos", "home_address"],
        relatives_affected=Report.Relatives.UNKNOWN,
        contact_method=Report.ContactMethod.PHONE,
        contact_phone="06-87654321",
        files=[demo_screenshot("tiktok-reacties")],
    )


def emre_new(d: Demo) -> Case | None:
    """A report a manager filed for a team member, waiting in the queue."""
    return d.report(
        0.3,
        "manager",
        "emre",
        description=(
            "Emre vertelde me dat er op een buurtforum een bericht staat met zijn rooster en de vraag wie hem 'na "
            "zijn dienst even wil spreken'. Ik meld dit namens hem; hij weet ervan."
        ),
        platforms=["website"],
        behaviours=["doxing", "obstruction"],
        leaked_data=["name", "workplace"],
        contact_method=Report.ContactMethod.IN_PERSON,
    )


def noor(d: Demo) -> Case | None:
    """Aftercare: the employee did not want to report to the police, a measure was phased out."""
    case = d.report(
        120,
        "noor",
        "noor",
        description=(
            "Na een inzet bij een demonstratie is mijn Instagram-profiel gedeeld met de oproep mij 'te laten merken "
            "wat we ervan vinden'. Ik kreeg tientallen berichten, ook over mijn kinderen."
        ),
        in_danger=Report.InDanger.UNSURE,
        started_days_ago=121,
        platforms=["instagram", "x"],
        behaviours=["doxing", "insult", "incitement"],
        leaked_data=["name", "photos", "relatives"],
        relatives_affected=Report.Relatives.YES,
        manager_may_know=False,
    )
    if case is None:
        return None
    d.at(119.9, services.case_take, actor="coordinator2", case=case)
    d.at(119.8, services.case_log_first_contact, actor="coordinator2", case=case, at=d.when(119.8), note="Bij de post")
    d.at(
        119.5,
        security.threat_assess,
        actor="coordinator2",
        case=case,
        level=Level.HIGH,
        basis="Oproep aan volgers, berichten over de kinderen.",
    )
    d.at(119.4, services.case_set_status, actor="coordinator2", case=case, status=Case.Status.ACTIVE)
    d.at(
        119.0,
        online.identifier_add,
        actor="coordinator2",
        case=case,
        kind=DoxerIdentifier.Kind.ACCOUNT,
        platform="telegram",
        value=DOXER_ACCOUNT,
    )
    measure = d.at(
        118.0,
        security.security_measure_create,
        actor="coordinator2",
        case=case,
        kind=SecurityMeasure.Kind.ROUTE,
        responsible_department="Ambulancezorg, roosterplanning",
        status=SecurityMeasure.Status.ACTIVE,
        start_on=d.day(118),
        description="Andere post en route.",
        employee_view="Prima voor een paar weken.",
    )
    d.at(
        110.0,
        security.police_decline_record,
        actor="coordinator2",
        case=case,
        reason="Noor wil eerst rust en is bang dat een aangifte de aandacht weer oprakelt.",
        follow_up_on=d.day(96),
    )
    d.at(
        60.0,
        security.threat_assess,
        actor="coordinator2",
        case=case,
        level=Level.LOW,
        basis="Geen nieuwe berichten sinds zes weken.",
    )
    d.at(
        58.0,
        security.security_measure_update,
        actor="coordinator2",
        measure=measure,
        status=SecurityMeasure.Status.PHASING_OUT,
        phase_out_guidance="In twee stappen terug naar de eigen post; eerste week samen met een collega.",
    )
    d.at(
        50.0,
        security.security_measure_update,
        actor="coordinator2",
        measure=measure,
        status=SecurityMeasure.Status.ENDED,
        end_on=d.day(50),
    )
    d.at(
        118.5,
        support.peer_contact_log,
        actor="coordinator2",
        case=case,
        offered_at=d.when(118.5),
        response="later",
        next_contact_on=d.day(111),
    )
    d.at(
        100.0,
        support.referral_record,
        actor="coordinator2",
        case=case,
        to="occupational_health",
        consent=True,
        to_detail="Arbodienst Havenstad",
        referred_on=d.day(100),
    )
    d.at(46.0, follow_ups.follow_ups_plan_usual, actor="coordinator2", case=case, start=d.day(45))
    d.at(
        46.0,
        flare_ups.flare_up_plan,
        actor="coordinator2",
        case=case,
        kind=FlareUpMoment.Kind.HEARING,
        on=d.day(-12),
        at_time=dt.time(9, 30),
        description="Zitting tegen de beheerder van het account.",
        alert_employee=True,
    )
    d.at(
        46.0,
        flare_ups.flare_up_plan,
        actor="coordinator2",
        case=case,
        kind=FlareUpMoment.Kind.ANNIVERSARY,
        on=flare_ups.anniversary_of(case),
        description="Een jaar na de demonstratie.",
    )
    d.at(
        45.0,
        transition.case_move_to_aftercare,
        actor="coordinator2",
        case=case,
        accepted={
            "threat": "Laag sinds zes weken; opnieuw beoordelen bij de zitting.",
            "takedowns": "Geen verwijderverzoeken nodig: het account is offline.",
        },
    )
    first = case.follow_ups.order_by("planned_on").first()
    d.at(
        14.0,
        follow_ups.follow_up_record,
        actor="coordinator2",
        follow_up=first,
        held_on=d.day(14),
        work_impact="Werkt weer volledig, mijdt nog de diensten bij demonstraties.",
        needs="Nog even geen inzet bij demonstraties; daarna samen met een collega.",
    )
    return case


def emre_old(d: Demo) -> Case | None:
    """A closed case from last year."""
    case = d.report(
        400,
        "emre",
        "emre",
        description="Iemand plaatste een foto van mij in uniform op X met de tekst 'deze gaan we vinden'.",
        platforms=["x"],
        behaviours=["threat"],
        leaked_data=["photos"],
        contact_method=Report.ContactMethod.EMAIL,
    )
    if case is None:
        return None
    d.at(399.9, services.case_take, actor="coordinator", case=case)
    d.at(
        399.5,
        services.case_log_first_contact,
        actor="coordinator",
        case=case,
        at=d.when(399.5),
        note="Per e-mail en daarna telefonisch",
    )
    d.at(
        399.4, security.threat_assess, actor="coordinator", case=case, level=Level.LOW, basis="Eén bericht, geen adres."
    )
    d.at(399.3, services.case_set_status, actor="coordinator", case=case, status=Case.Status.ACTIVE)
    d.at(
        371.0,
        flare_ups.flare_up_plan,
        actor="coordinator",
        case=case,
        kind=FlareUpMoment.Kind.YEAR_END,
        on=d.day(340),
        description="Jaaroverzicht van de lokale omroep.",
    )
    d.at(371.0, follow_ups.follow_ups_plan_usual, actor="coordinator", case=case, start=d.day(370))
    d.at(
        370.0,
        transition.case_move_to_aftercare,
        actor="coordinator",
        case=case,
        accepted={
            "threat": "Eén bericht, geen adres; geen nieuwe inschatting nodig.",
            "takedowns": "X verwijderde het bericht zelf na meldingen van collega's.",
        },
    )
    d.at(
        206.0,
        evaluation.evaluation_record,
        actor="coordinator",
        case=case,
        held_with="employee",
        held_on=d.day(206),
        went_well="Snel contact en het bericht was binnen een week weg.",
        can_be_better="Collega's deelden het bericht eerst verder voordat het gemeld werd.",
        for_organisation="Leg teams uit dat ze een bericht melden, niet doorsturen.",
    )
    d.at(
        206.0,
        evaluation.evaluation_record,
        actor="coordinator",
        case=case,
        held_with="team",
        held_on=d.day(206),
        went_well="Het team wist waar het moest melden.",
        can_be_better="Niet iedereen wist dat je de werkgever aangifte kunt laten doen.",
    )
    d.at(
        205.0,
        evaluation.lesson_write,
        actor="coordinator",
        case=case,
        theme="reporting",
        title="Melden, niet doorsturen",
        text="Als collega's een bedreigend bericht over een collega zien, helpt het om het te melden "
        "in plaats van het in groepsapps door te sturen. Doorsturen vergroot het bereik.",
    )
    d.at(
        205.0,
        evaluation.lesson_write,
        actor="coordinator",
        case=case,
        theme="police",
        title="De werkgever kan aangifte doen",
        text="Vertel bij de eerste melding dat de organisatie aangifte kan doen met de medewerker als getuige, "
        "met het adres van de organisatie.",
    )
    d.at(
        200.0,
        transition.case_close,
        actor="coordinator",
        case=case,
        reason="Bericht verwijderd, geen nieuwe signalen; afgerond in overleg met Emre.",
    )
    d.at(
        199.0,
        evaluation.feedback_give,
        actor="emre",
        case=case,
        knew_contact=5,
        involved_in_decisions=4,
        support_in_time=4,
        overall=4,
        comment="Fijn dat het zo snel geregeld was.",
    )
    d.at(
        30.0,
        retention.legal_hold_place,
        actor="coordinator",
        case=case,
        reason="De strafzaak tegen de plaatser loopt nog; het dossier kan als bewijs nodig zijn.",
    )
    return case


def fleur(d: Demo) -> Case | None:
    """A report a coordinator took by phone (manual intake)."""
    case = d.report(
        2,
        "coordinator2",
        "fleur",
        description=(
            "Fleur belde: op een buurtapp-groep gaat een foto rond van haar huis, met de vraag of iemand weet "
            "'welke ambulancemedewerker daar woont'."
        ),
        received_via=Report.ReceivedVia.PHONE,
        platforms=["whatsapp"],
        behaviours=["doxing", "intimidation"],
        leaked_data=["home_address", "photos"],
        relatives_affected=Report.Relatives.YES,
        contact_method=Report.ContactMethod.PHONE,
        contact_phone="06-55512345",
    )
    if case is None:
        return None
    d.at(1.99, services.case_take, actor="coordinator2", case=case)
    d.at(1.99, services.case_log_first_contact, actor="coordinator2", case=case, at=d.when(2))
    return case


DEMO_CASES = [emre_old, noor, sanne, fleur, emre_new, kees]


def prevention(d: Demo) -> bool:
    """The organisation's preparation: readiness, the peer-support roster,
    training with its coverage, briefings, the exposure audit, debriefs and
    an employee's self-scan. Made once; False when it exists already."""
    if TrainingModule.objects.exists():
        return False
    teams = {team.name: team for team in Team.objects.all()}

    # Readiness: four points arranged, one still open (recommendations 5-7).
    for days_ago, key, note in (
        (
            200,
            ReadinessItem.Key.REPORTING_POINT,
            "Meldpunt op intranet (Veiligheid > Doxing) en de kaart in elk dienstrooster.",
        ),
        (
            190,
            ReadinessItem.Key.PROFESSIONAL_CARE,
            "Afspraak met de bedrijfsarts en een traumapsycholoog via de arbodienst.",
        ),
        (
            150,
            ReadinessItem.Key.SECURITY,
            "Beveiliging (team Veiligheid en Welzijn) beoordeelt dreiging; buiten kantoortijd de piketdienst.",
        ),
        (
            120,
            ReadinessItem.Key.TAKEDOWN,
            "De online specialist dient NTD- en DSA-verzoeken in; ProCoM-contact staat in het draaiboek.",
        ),
    ):
        d.at(days_ago, readiness.readiness_item_set, actor="coordinator", key=key, done=True, note=note)
    d.at(200, readiness.roster_set, actor="coordinator", user="peer", available=True, note="Niet op woensdag.")

    # Training: an e-learning most people did, a classroom day, and the managers' training.
    modules = {
        key: d.at(900, training.training_module_create, actor="hr", title=title, kind=kind, description=text)
        for key, title, kind, text in (
            (
                "basis",
                "Doxing: herkennen en handelen",
                TrainingModule.Kind.E_LEARNING,
                "Wat doxing is, hoe je je gegevens afschermt en waar je het meldt. Ongeveer 45 minuten.",
            ),
            (
                "praktijk",
                "Gefilmd worden en reacties online",
                TrainingModule.Kind.CLASSROOM,
                "Een dagdeel met oefeningen: wat zeg je als je gefilmd wordt, wat doe je met reacties online.",
            ),
            (
                "leiding",
                "Leidinggeven bij doxing",
                TrainingModule.Kind.MANAGER,
                "Collegiale opvang aanbieden, het gesprek voeren en de coördinator inschakelen.",
            ),
        )
    }
    sessions = (
        # days ago, module, trainer, location, who attended
        (800, "basis", "Afdeling Veiligheid", "Online", ["kees", "noor"]),  # lapsed: refresher overdue
        (690, "basis", "Afdeling Veiligheid", "Online", ["fleur"]),  # refresher due in about six weeks
        (420, "basis", "Afdeling Veiligheid", "Online", ["employee", "emre", "peer", "specialist"]),
        (300, "praktijk", "Trainingsbureau Kompas", "Stadskantoor, zaal 2", ["employee", "employee2"]),
        (200, "basis", "Afdeling Veiligheid", "Online", ["coordinator", "coordinator2", "hr"]),
        (60, "leiding", "Trainingsbureau Kompas", "Kazerne Noord", ["manager", "manager2"]),
    )
    for days_ago, module, trainer, location, attended in sessions:
        session = d.at(
            days_ago + 14,
            training.training_session_create,
            actor="hr",
            module=modules[module],
            held_on=d.day(days_ago),
            trainer=trainer,
            location=location,
        )
        d.at(
            days_ago - 1,
            training.training_attendance_record,
            actor="hr",
            session=session,
            people=[d.users[name] for name in attended],
        )
    d.at(
        3,
        training.training_session_create,
        actor="hr",
        module=modules["basis"],
        held_on=d.day(-12),
        trainer="Afdeling Veiligheid",
        location="Online",
    )

    # Briefings: two deployments still to come, one already discussed.
    d.at(
        2,
        briefings.deployment_check,
        actor="manager",
        title="Demonstratie op de Grote Markt",
        held_on=d.day(-3),
        team=teams["Handhaving Centrum"],
        location="Grote Markt",
        public_attention=Deployment.Answer.YES,
        filming_expected=Deployment.Answer.YES,
        earlier_incidents=Deployment.Answer.YES,
        social_unrest=Deployment.Answer.UNKNOWN,
        staff_recognisable=Deployment.Answer.NO,
    )
    fair = d.at(
        6,
        briefings.deployment_check,
        actor="manager2",
        title="Open dag kazerne Noord",
        held_on=d.day(-9),
        team=teams["Brandweer Noord"],
        location="Kazerne Noord",
        public_attention=Deployment.Answer.YES,
        filming_expected=Deployment.Answer.YES,
        earlier_incidents=Deployment.Answer.NO,
        social_unrest=Deployment.Answer.NO,
        staff_recognisable=Deployment.Answer.YES,
    )
    d.at(5, briefings.deployment_mark_discussed, actor="manager2", deployment=fair)

    # The exposure audit: what makes staff findable, each with an owner and a review day.
    for days_ago, title, kind, location, owner, review_in, decision, note in (
        (
            40,
            "Teamfoto's op de pagina Handhaving",
            ExposureItem.Kind.STAFF_PAGE,
            "https://www.havenstad.example/handhaving/team",
            "comms",
            20,
            ExposureItem.Decision.BLUR,
            "Gezichten vervagen, voornamen weghalen.",
        ),
        (
            90,
            "Jaarverslag brandweer met namen bij foto's",
            ExposureItem.Kind.PUBLICATION,
            "https://www.havenstad.example/jaarverslag-brandweer.pdf",
            "coordinator",
            2,
            ExposureItem.Decision.UNDECIDED,
            "",
        ),
        (
            15,
            "Smoelenboek op intranet",
            ExposureItem.Kind.FACE_BOOK,
            "Intranet > Organisatie > Wie is wie",
            "coordinator",
            165,
            ExposureItem.Decision.KEEP,
            "Alleen intern bereikbaar; achternamen van handhavers staan er niet in.",
        ),
    ):
        d.at(
            days_ago,
            exposure.exposure_item_add,
            actor="coordinator",
            title=title,
            kind=kind,
            location=location,
            owner=d.users[owner],
            review_on=d.day(days_ago - review_in),
            decision=decision,
            note=note,
        )

    # Debriefs after tense days: only the topics and a short lesson, never names.
    for days_ago, actor, team, topics, note in (
        (
            12,
            "manager",
            "Handhaving Centrum",
            [Debrief.Topic.FILMED, Debrief.Topic.ONLINE, Debrief.Topic.SUPPORT],
            "Bij filmen rustig blijven en de collega met de bodycam het gesprek laten voeren.",
        ),
        (
            45,
            "manager2",
            "Brandweer Noord",
            [Debrief.Topic.AGGRESSION, Debrief.Topic.WHERE_THE_LINE_IS],
            "Scheldpartij na de inzet: iedereen weet weer waar hij het meldt.",
        ),
    ):
        d.at(
            days_ago,
            debriefs.debrief_record,
            actor=actor,
            team=teams[team],
            held_on=d.day(days_ago),
            topics=topics,
            note=note,
        )

    # An employee's self-scan: done three weeks ago, two follow-ups open, one done.
    scan = d.at(21, self_scan.self_scan_start, actor="employee2")
    d.at(
        21,
        self_scan.self_scan_choose,
        actor="employee2",
        scan=scan,
        follow_ups=["search_removal", "social_private", "brp_rdw_shield"],
    )
    d.at(21, self_scan.self_scan_complete, actor="employee2", scan=scan, remind=True)
    d.at(10, self_scan.self_scan_follow_up_done, actor="employee2", scan=scan, key="social_private")
    return True


def exports(d: Demo) -> bool:
    """HR may export Sanne's case for a month: her coordinator granted it for
    the conversation about adjusted work. Made once; False when it exists."""
    if HrExportGrant.objects.exists():
        return False
    case = Case.objects.filter(subject=d.users["employee"]).first()
    if case is None:
        return False
    d.at(
        1,
        case_reports.hr_export_grant,
        actor="coordinator",
        case=case,
        hr_user=d.users["hr"],
        valid_until=d.day(-29),
        reason="Gesprek over aangepast werk en roosters.",
    )
    return True


class Command(BaseCommand):
    help = "Load the demo organisation, users for every role and cases showing every part (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Also when DEBUG is off (never on a real installation)."
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is refused when DEBUG is off. Use --force only on a test installation.")
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            users = self._people()
            self._two_step_devices()
            demo = Demo(users, timezone.now())
            created = sum(build(demo) is not None for build in DEMO_CASES)
            prevention(demo)
            exports(demo)
        self.stdout.write(f"Demo data ready ({created} new cases).")
        self._print_logins()

    def _people(self) -> dict[str, User]:
        organisation, _created = Organisation.objects.get_or_create(
            name=ORGANISATION, defaults={"support_phone": SUPPORT_PHONE, "address": ADDRESS}
        )
        teams = {
            name: Team.objects.get_or_create(organisation=organisation, name=name)[0]
            for name in sorted({team for *_names, team, _roles in PEOPLE})
        }
        groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
        users: dict[str, User] = {}
        for username, first, last, team, roles in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@havenstad.example",
                    "team": teams[team],
                    # Long enough ago to count in the training coverage (no grace period).
                    "date_joined": timezone.now() - timedelta(days=1000),
                },
            )
            if created:
                user.set_password(settings.HANDVAT_DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(*(groups[role.value] for role in roles))
            users[username] = user
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "first_name": "Beheer",
                "email": "admin@havenstad.example",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(settings.HANDVAT_DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        for team_name, usernames in MANAGERS.items():
            people_services.team_set_managers(
                actor=admin, team=teams[team_name], managers=[users[name] for name in usernames]
            )
        return users

    def _two_step_devices(self) -> None:
        """Every demo login that must use two-step login gets a confirmed TOTP
        device with a fixed secret (otp.demo_secret), printed below and shown in
        README.md, so a person can log in with an authenticator app. Demo only."""
        for username in LOGINS:
            user = User.objects.get(username=username)
            if access.must_use_second_factor(user):
                TOTPDevice.objects.update_or_create(
                    user=user, name="Demo", defaults={"key": otp.demo_key(username), "confirmed": True}
                )

    def _print_logins(self) -> None:
        width = max(len(name) for name in LOGINS)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {settings.HANDVAT_DEMO_PASSWORD})")
        for username in LOGINS:
            user = User.objects.prefetch_related("groups").get(username=username)
            with translation.override("en"):
                roles = ", ".join(
                    sorted(str(Role(group.name).label) for group in user.groups.all() if group.name != Role.EMPLOYEE)
                )
                roles = "administrator (no case access)" if user.is_superuser else roles or str(Role.EMPLOYEE.label)
            self.stdout.write(f"  {username.ljust(width)}  {user.display_name:<22} {roles}")
        self.stdout.write("")
        self.stdout.write("Two-step login (demo only): add the key to an authenticator app, then type its code")
        for username in LOGINS:
            if TOTPDevice.objects.filter(user__username=username, name="Demo", confirmed=True).exists():
                self.stdout.write(f"  {username.ljust(width)}  {otp.demo_secret(username)}")
