"""Phase 2 and the central Case. Every model here holds case data and keeps
its history; every change goes through ``doxing_cases.services``."""

from doxing_cases.models.case import Case, CaseEvent, CaseGrant
from doxing_cases.models.choices import Behaviour, LeakedData, Level, Part, Platform
from doxing_cases.models.coordination import CommunicationAgreement, Decision, PressEnquiry
from doxing_cases.models.involvement import Involvement
from doxing_cases.models.keys import CaseKey
from doxing_cases.models.online import DoxerIdentifier, Evidence, ExposedItem, TakedownRequest
from doxing_cases.models.report import Report, ReportAttachment
from doxing_cases.models.retention import LegalHold
from doxing_cases.models.security import PoliceReport, PoliceReportDecline, SecurityMeasure, ThreatAssessment
from doxing_cases.models.support import CheckIn, Message, PeerSupportContact, Referral, SupportActivity
from doxing_cases.models.tasks import Task

__all__ = [
    "Behaviour",
    "Case",
    "CaseEvent",
    "CaseGrant",
    "CaseKey",
    "CheckIn",
    "CommunicationAgreement",
    "Decision",
    "DoxerIdentifier",
    "Evidence",
    "ExposedItem",
    "Involvement",
    "LeakedData",
    "LegalHold",
    "Level",
    "Message",
    "Part",
    "PeerSupportContact",
    "Platform",
    "PoliceReport",
    "PoliceReportDecline",
    "PressEnquiry",
    "Referral",
    "Report",
    "ReportAttachment",
    "SecurityMeasure",
    "SupportActivity",
    "TakedownRequest",
    "Task",
    "ThreatAssessment",
]
