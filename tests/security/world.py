"""One world for the authorization matrix: two cases filled through the
services, the cast of every role, and canary texts in the places that must
stay need-to-know.

Case ``own`` is the employee's: taken by ``coordinator``, in ``manager``'s team
(the employee agreed the manager may know), with ``peer``, ``specialist`` and
``security`` involved and an HR export granted to ``hr``. Case ``other`` is a
colleague's in another team, held by ``coordinator2``, with none of the cast
involved (only a department contact) and HR's grant to someone else: every
actor who is "involved / assigned / granted / own team" on the first is "not"
on the second.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftercare.models import CalendarFeed
from aftercare.services import evaluation as evaluation_services
from aftercare.services import flare_ups as flare_up_services
from aftercare.services import follow_ups as follow_up_services
from doxing_cases import services, uploads
from doxing_cases.models import (
    Case,
    CommunicationAgreement,
    DoxerIdentifier,
    ExposedItem,
    Involvement,
    PoliceReport,
    SecurityMeasure,
    TakedownRequest,
)
from doxing_cases.services import coordination, involvement, online, security, support, tasks
from exports.services import case_reports
from notifications import services as notification_services
from people import services as people_services
from people.models import User
from prevention.self_scan_steps import FOLLOW_UPS, STEP_KEYS
from tests.factories import TeamFactory, UserFactory, report_details

#: Canary texts: each may show only to the roles that may see that kind of data.
CANARY_CHECK_IN = "CANARY-CHECKIN-NOTE-7Q2X"
CANARY_SUPPORT = "CANARY-SUPPORT-NOTE-4K9M"
CANARY_SECURITY = "CANARY-SECURITY-DETAIL-8H3P"
CANARY_ADDRESS = "CANARY-HOME-ADDRESS-5T1Z"


@dataclass
class World:
    users: dict[str, User]
    cases: dict[str, Case]
    #: context ("own" / "other") -> URL parameter name -> value
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (pattern name, parameter) -> context -> value, where one name means several things
    special: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


def _png(label: str) -> uploads.CheckedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "PNG")
    return uploads.check_upload(SimpleUploadedFile(f"{label}.png", out.getvalue(), content_type="image/png"))


def _fill_case(
    case: Case, *, coordinator: User, manager: User, subject: User, helpers: dict[str, User] | None, marker: str
) -> dict[str, Any]:
    """Every kind of row a case can hold, made through the services; returns their ids."""
    ids: dict[str, Any] = {}
    today = timezone.localdate()
    if helpers:
        for kind, user in helpers.items():
            involvement.involvement_start(actor=coordinator, case=case, user=user, kind=kind, note="help")
    ids["involvement_id"] = case.involvements.first().pk if case.involvements.exists() else None
    if ids["involvement_id"] is None:
        # The other case needs a real involvement row to end, too: a department contact.
        contact = UserFactory(username=f"contact-{marker}")
        ids["involvement_id"] = involvement.involvement_start(
            actor=coordinator, case=case, user=contact, kind=Involvement.Kind.DEPARTMENT, department="Comms"
        ).pk
    address = online.exposed_item_create(
        actor=coordinator,
        case=case,
        kind=ExposedItem.Kind.HOME_ADDRESS,
        detail=f"Dorpsstraat 1 {CANARY_ADDRESS} {marker}",
        platform="telegram",
        urls=["https://t.me/example/1"],
    )
    ids["item_id"] = address.pk
    ids["evidence_id"] = online.evidence_add(
        actor=coordinator,
        case=case,
        url="https://t.me/example/1",
        platform="telegram",
        captured_at=timezone.now() - dt.timedelta(hours=2),
        exposed_item=address,
        description="capture",
        file=_png(f"evidence-{marker}"),
    ).pk
    ids["takedown_id"] = online.takedown_create(
        actor=coordinator,
        case=case,
        url="https://t.me/example/1",
        route=TakedownRequest.Route.DSA,
        recipient="Telegram",
        exposed_item=address,
    ).pk
    online.identifier_add(
        actor=coordinator, case=case, kind=DoxerIdentifier.Kind.ACCOUNT, platform="telegram", value=f"@doxer_{marker}"
    )
    security.threat_assess(actor=coordinator, case=case, level=2, basis="basis")
    ids["measure_id"] = security.security_measure_create(
        actor=coordinator,
        case=case,
        kind=SecurityMeasure.Kind.CAMERA,
        responsible_department="Facilities",
        description=f"Camera at the back door {CANARY_SECURITY} {marker}",
        employee_view="fine",
    ).pk
    ids["police_report_id"] = security.police_report_create(
        actor=coordinator,
        case=case,
        kind=PoliceReport.Kind.AANGIFTE,
        offences=["doxing"],
        police_reference="PL-1",
        filed_on=today,
        status=PoliceReport.Status.FILED,
        notes="notes",
    ).pk
    ids["decision_id"] = coordination.decision_record(
        actor=coordinator,
        case=case,
        question="Talk?",
        options="yes; no",
        decision="No",
        decided_by="Coordinator",
        employee_heard=True,
        employee_view="agrees",
    ).pk
    coordination.communication_agreement_save(
        actor=coordinator, case=case, strategy=CommunicationAgreement.Strategy.REACTIVE, spokesperson="Comms"
    )
    ids["enquiry_id"] = coordination.press_enquiry_log(
        actor=coordinator, case=case, outlet="Daily", question="Q?", response="A.", handled_by=coordinator
    ).pk
    support.check_in_log(
        actor=coordinator,
        case=case,
        wellbeing="okay",
        relatives="fine",
        needs=f"Fewer evening shifts {CANARY_CHECK_IN} {marker}",
    )
    support.support_activity_log(
        actor=coordinator, case=case, kind="team_talk", note=f"Team talk {CANARY_SUPPORT} {marker}"
    )
    support.message_send(actor=subject, case=case, body=f"hello {marker}")
    ids["task_id"] = tasks.task_create(
        actor=coordinator, case=case, title="Call back", owner=coordinator, due_at=timezone.now() + dt.timedelta(days=1)
    ).pk
    ids["moment_id"] = flare_up_services.flare_up_plan(
        actor=coordinator, case=case, kind="court_case", on=today + dt.timedelta(days=30), description="Court"
    ).pk
    ids["follow_up_id"] = follow_up_services.follow_up_add(
        actor=coordinator, case=case, planned_on=today + dt.timedelta(days=20), owner=coordinator, reason="r"
    ).pk
    evaluation_services.evaluation_record(
        actor=coordinator, case=case, held_with="employee", held_on=today, went_well="w", can_be_better="b"
    )
    from doxing_cases.services import retention

    ids["hold_id"] = retention.legal_hold_place(actor=coordinator, case=case, reason="court").pk
    return ids


def _make_case(subject: User, coordinator: User, marker: str) -> Case:
    report = services.report_file(
        actor=subject,
        subject=subject,
        details=report_details(description=f"They posted my address {CANARY_ADDRESS} {marker}"),
        files=[_png(f"attachment-{marker}")],
    )
    case = services.case_take(actor=coordinator, case=report.case)
    return services.case_set_status(actor=coordinator, case=case, status=Case.Status.ACTIVE, note="matrix")


def build_world() -> World:
    team = TeamFactory(name="Handhaving Centrum")
    other_team = TeamFactory(name="Brandweer Noord")
    support_team = TeamFactory(name="Veiligheid en Welzijn")
    u: dict[str, User] = {}
    u["employee"] = UserFactory(username="employee", team=team)
    u["colleague"] = UserFactory(username="employee2", team=other_team)
    u["manager"] = UserFactory(username="manager", team=team, roles=["manager"])
    u["manager2"] = UserFactory(username="manager2", team=other_team, roles=["manager"])
    people_services.team_set_managers(actor=None, team=team, managers=[u["manager"]])
    people_services.team_set_managers(actor=None, team=other_team, managers=[u["manager2"]])
    for name, role in (
        ("coordinator", "coordinator"),
        ("coordinator2", "coordinator"),
        ("peer", "peer_supporter"),
        ("specialist", "specialist"),
        ("security", "security_officer"),
        ("hr", "hr"),
        ("privacy", "privacy_officer"),
    ):
        u[name] = UserFactory(username=name, team=support_team, roles=[role])
    u["admin"] = UserFactory(username="admin", team=support_team, is_staff=True, is_superuser=True)

    own = _make_case(u["employee"], u["coordinator"], "own")
    other = _make_case(u["colleague"], u["coordinator2"], "other")
    own_ids = _fill_case(
        own,
        coordinator=u["coordinator"],
        manager=u["manager"],
        subject=u["employee"],
        helpers={
            Involvement.Kind.PEER: u["peer"],
            Involvement.Kind.SPECIALIST: u["specialist"],
            Involvement.Kind.SECURITY: u["security"],
        },
        marker="own",
    )
    other_ids = _fill_case(
        other,
        coordinator=u["coordinator2"],
        manager=u["manager2"],
        subject=u["colleague"],
        helpers=None,
        marker="other",
    )
    own_grant = case_reports.hr_export_grant(
        actor=u["coordinator"], case=own, hr_user=u["hr"], valid_until=timezone.localdate() + dt.timedelta(days=20)
    )
    # The other case has a grant too (to someone else in HR), so its id is real.
    hr2 = UserFactory(username="hr2", team=support_team, roles=["hr"])
    other_grant = case_reports.hr_export_grant(
        actor=u["coordinator2"], case=other, hr_user=hr2, valid_until=timezone.localdate() + dt.timedelta(days=20)
    )
    own.refresh_from_db()
    other.refresh_from_db()

    world = World(users=u, cases={"own": own, "other": other})
    for context, case, ids, grant, person in (
        ("own", own, own_ids, own_grant, u["employee"]),
        ("other", other, other_ids, other_grant, u["colleague"]),
    ):
        report = case.reports.first()
        notification_services.notify_now(kind="new_case", recipient=person, key=f"matrix-{context}", label="x")
        notification_services.dispatch_due()
        scan = _self_scan(person)
        world.params[context] = {
            **ids,
            "case_id": case.pk,
            "report_id": report.pk,
            "attachment_id": report.attachments.first().pk,
            "grant_id": grant.pk,
            "notification_id": person.notifications.first().pk,
            "token": CalendarFeed.objects.get_or_create(user=person)[0].token,
            "scan_id": scan.pk,
            "step_key": STEP_KEYS[0],
            "key": next(iter(FOLLOW_UPS)),
            "user_id": person.pk,
            "kind": "specialist",
            "fmt": "csv",
        }
    world.special[("cases:police_report_update", "report_id")] = {
        c: world.params[c]["police_report_id"] for c in ("own", "other")
    }
    # The art. 15 export of anyone is the privacy officer's to make: checking it once (a ZIP with a PDF,
    # the slowest request of the matrix) is enough.
    world.special[("exports:subject_access_download", "user_id")] = dict.fromkeys(
        ("own", "other"), world.params["own"]["user_id"]
    )
    world.special[("exports:police_pack", "report_id")] = world.special[("cases:police_report_update", "report_id")]
    _prevention(world)
    return world


def _self_scan(person: User) -> Any:
    from prevention.services import self_scan

    return self_scan.self_scan_start(actor=person)


def _prevention(world: World) -> None:
    """Organisational rows (not case data): the same ids in both contexts."""
    from prevention.models import Article, ExposureItem, ReadinessItem, TrainingModule
    from prevention.services import briefings, exposure, knowledge, readiness, training

    u = world.users
    today = timezone.localdate()
    # A transactional test elsewhere in the run may have emptied the shipped articles.
    article = Article.objects.first() or knowledge.article_create(
        actor=u["coordinator"],
        slug="matrix-article",
        topic=Article.Topic.choices[0][0],
        published=True,
        **dict.fromkeys(("title_nl", "summary_nl", "body_nl", "title_en", "summary_en", "body_en"), "Text"),
    )
    module = training.training_module_create(actor=u["hr"], title="Doxing", kind=TrainingModule.Kind.choices[0][0])
    session = training.training_session_create(actor=u["hr"], module=module, held_on=today, trainer="Tr")
    attendance = training.training_attendance_record(actor=u["hr"], session=session, people=[u["employee"]])[0]
    deployment = briefings.deployment_check(
        actor=u["manager"],
        title="Market",
        held_on=today,
        team=u["employee"].team,
        **dict.fromkeys(briefings.QUESTIONS, "no"),
    )
    item = exposure.exposure_item_add(
        actor=u["coordinator"],
        title="Photo",
        kind=ExposureItem.Kind.choices[0][0],
        location="web",
        owner=u["coordinator"],
        review_on=today + dt.timedelta(days=10),
    )
    readiness.roster_set(actor=u["coordinator"], user=u["peer"], available=True)
    shared = {
        "slug": article.slug,
        "module_id": module.pk,
        "session_id": session.pk,
        "attendance_id": attendance.pk,
        "deployment_id": deployment.pk,
        "readiness_key": ReadinessItem.Key.values[0],
        "exposure_id": item.pk,
        "roster_user_id": u["peer"].pk,
    }
    for context in ("own", "other"):
        world.params[context].update(shared)
    for name in ("prevention:exposure_edit", "prevention:exposure_reviewed"):
        world.special[(name, "item_id")] = {"own": item.pk, "other": item.pk}
    world.special[("prevention:readiness_item", "key")] = dict.fromkeys(("own", "other"), shared["readiness_key"])
    world.special[("prevention:roster_remove", "user_id")] = dict.fromkeys(("own", "other"), u["peer"].pk)
