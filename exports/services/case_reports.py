"""HR export grants, and the record every case report and police pack leaves.

An export writes two rows in one transaction: an access-log line (who read
the case, and how) and a ``CaseExport`` row on the case with its history.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doxing_cases.models import Case, PoliceReport
from exports.models import CaseExport, HrExportGrant
from people import access
from people.history import records_actor
from people.models import AccessLog, User
from people.services import access_log_record

#: The longest a coordinator may grant HR an export in one go.
MAX_GRANT_DAYS = 90


def _require_grantor(actor: User, case: Case) -> None:
    if not access.may_grant_hr_export(actor, case):
        raise ValidationError(_("Only the coordinator of the case can give HR access to its report."))


@transaction.atomic
@records_actor
def hr_export_grant(*, actor: User, case: Case, hr_user: User, valid_until: dt.date, reason: str = "") -> HrExportGrant:
    """Let ``hr_user`` export the case until ``valid_until`` (inclusive); a
    running grant for the same person gets the new end date instead."""
    _require_grantor(actor, case)
    if not access.may_receive_hr_export(hr_user):
        raise ValidationError({"hr_user": _("Choose someone who works in HR.")})
    today = timezone.localdate()
    if not today <= valid_until <= today + dt.timedelta(days=MAX_GRANT_DAYS):
        raise ValidationError(
            {"valid_until": _("Choose a date from today up to %(days)d days ahead.") % {"days": MAX_GRANT_DAYS}}
        )
    running = access.active_hr_export_grants().filter(case=case, hr_user=hr_user).first()
    if running is not None:
        running.valid_until = valid_until
        running.reason = reason.strip() or running.reason
        running.full_clean()
        running.save(update_fields=["valid_until", "reason"])
        return running
    grant = HrExportGrant(case=case, hr_user=hr_user, valid_until=valid_until, reason=reason.strip(), granted_by=actor)
    grant.full_clean()
    grant.save()
    return grant


@transaction.atomic
@records_actor
def hr_export_revoke(*, actor: User, grant: HrExportGrant) -> HrExportGrant:
    _require_grantor(actor, grant.case)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant


@transaction.atomic
@records_actor
def case_export_record(
    *,
    actor: User,
    case: Case,
    document: str,
    profile: str,
    pages: int,
    police_report: PoliceReport | None = None,
) -> CaseExport:
    """The export's row on the case, and the access-log line of the read."""
    export = CaseExport(
        case=case, document=document, profile=profile, pages=pages, police_report=police_report, exported_by=actor
    )
    export.full_clean()
    export.save()
    access_log_record(
        user=actor, action=AccessLog.Action.EXPORT, case_id=case.pk, object_kind=document, object_id=export.pk
    )
    return export
