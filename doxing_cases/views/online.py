"""Pages for the online part of a case: the exposed-data inventory, evidence
with its chain of custody, takedown requests and their text, and the
suspected doxer's accounts (recommendations 6, 10, 20 and 25)."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from doxing_cases import takedown_text, uploads
from doxing_cases.forms import add_service_errors
from doxing_cases.forms.online import (
    EvidenceForm,
    ExposedItemForm,
    IdentifierForm,
    TakedownAnswerForm,
    TakedownForm,
    TakedownSendForm,
    initial_for_item,
)
from doxing_cases.models import Case, ExposedItem, TakedownRequest
from doxing_cases.selectors import online as selectors
from doxing_cases.services import online as services
from people import access
from people.models import AccessLog
from people.services import access_log_record

logger = logging.getLogger(__name__)

GET_POST = require_http_methods(["GET", "POST"])
#: How many rows of a long list the case page shows; the list page shows all.
SECTION_ROWS = 5


def section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page shows of this part; only what ``case.can`` allows."""
    can = case.can
    context: dict[str, Any] = {}
    if can["view_inventory"]:
        context["online_items"] = list(selectors.exposed_items(case))
    if can["view_evidence"]:
        context["online_evidence"] = selectors.evidence_list(case, request.user, limit=SECTION_ROWS)
        context["online_evidence_count"] = selectors.evidence_for(case, request.user).count()
    if can["view_takedowns"]:
        takedowns = list(selectors.takedowns(case))
        # What still needs work, the overdue first; the settled ones only counted.
        context["online_takedowns"] = sorted((t for t in takedowns if not t.is_settled), key=lambda t: not t.is_overdue)
        context["online_takedowns_settled"] = sum(1 for t in takedowns if t.is_settled)
    if can["view_identifiers"]:
        context["online_identifiers"] = list(selectors.identifiers(case))
    if can["view_related_cases"]:
        context["related_cases"] = selectors.related_cases(case, request.user)
    return context


def own_section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the employee's own case page shows of this part; only what ``case.can`` allows."""
    if not case.can["own_evidence"]:
        return {}
    return {"own_evidence": selectors.evidence_list(case, request.user)}


def _item_or_404(case: Case, item_id: int) -> ExposedItem:
    item = case.exposed_items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _takedown_or_404(case: Case, takedown_id: int) -> TakedownRequest:
    takedown = selectors.takedowns(case).filter(pk=takedown_id).first()
    if takedown is None:
        raise Http404
    takedown.case = case
    return takedown


def _items_to_choose(case: Case) -> Any:
    return case.exposed_items.order_by("-risk", "found_at", "pk")


# --- The exposed-data inventory ------------------------------------------------------------


@login_required
@require_GET
def exposed_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_inventory"))
    access_log_record(
        user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="exposed_items"
    )
    context = {"case": case, "items": selectors.exposed_items(case)}
    return render(request, "doxing_cases/online/exposed_list.html", context)


@login_required
@GET_POST
def exposed_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_inventory"))
    form = ExposedItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exposed_item_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The exposed data is added to the list."))
            return redirect("cases:exposed", case_id=case.pk)
    return render(request, "doxing_cases/online/exposed_form.html", {"case": case, "form": form})


@login_required
@GET_POST
def exposed_edit(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_inventory"))
    item = _item_or_404(case, item_id)
    form = ExposedItemForm(request.POST or None, initial=initial_for_item(item), with_status=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.exposed_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The exposed data is updated."))
            return redirect("cases:exposed", case_id=case.pk)
    return render(request, "doxing_cases/online/exposed_form.html", {"case": case, "form": form, "item": item})


# --- Evidence -------------------------------------------------------------------------------


@login_required
@require_GET
def evidence_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_evidence"))
    access_log_record(
        user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="evidence_list"
    )
    context = {"case": case, "evidence": selectors.evidence_list(case, request.user)}
    return render(request, "doxing_cases/online/evidence_list.html", context)


@login_required
@GET_POST
def evidence_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """For the coordinator and the specialist; and for the employee on their
    own case, who is told they need not do this themself."""
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("add_evidence"))
    staff = case.can["view_evidence"]
    items = _items_to_choose(case) if staff and case.can["view_inventory"] else None
    form = EvidenceForm(request.POST or None, request.FILES or None, items=items)
    if items is not None:
        form.fields["exposed_item"].label_from_instance = _item_label
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_add(actor=request.user, case=case, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not staff:
                messages.success(request, _("Thank you. The evidence is saved and your coordinator can see it."))
                return redirect("cases:my_case", case_id=case.pk)
            messages.success(request, _("The evidence is saved."))
            return redirect("cases:evidence", case_id=case.pk, evidence_id=evidence.pk)
    context = {"case": case, "form": form, "for_employee": not staff}
    return render(request, "doxing_cases/online/evidence_new.html", context)


def _item_label(item: ExposedItem) -> str:
    label = str(item.get_kind_display())
    return f"{label}: {item.detail[:60]}" if item.detail else label


@login_required
@require_GET
def evidence_detail(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_evidence"))
    evidence = selectors.evidence_for(case, request.user).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    evidence.case = case
    access_log_record(
        user=request.user,
        action=AccessLog.Action.VIEW_EVIDENCE,
        case_id=case.pk,
        object_kind=selectors.EVIDENCE_LOG_KIND,
        object_id=evidence.pk,
    )
    context = {"case": case, "evidence": evidence, "custody": selectors.chain_of_custody(evidence)}
    return render(request, "doxing_cases/online/evidence_detail.html", context)


@login_required
@require_GET
def evidence_download(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponse:
    perm = (*access.ability("view_evidence"), *access.ability("own_evidence"))
    case = access.get_case_for_user(request.user, case_id, perm=perm)
    evidence = selectors.evidence_for(case, request.user).filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404
    content = uploads.stored_intact(evidence.file.name, case_id=case.pk, sha256=evidence.sha256)
    if content is None:
        # A file that changed on disk, or does not open with its case's key, is never handed out.
        logger.error("stored file hash mismatch evidence=%s case=%s", evidence.pk, case.pk)
        raise Http404
    access_log_record(
        user=request.user,
        action=AccessLog.Action.DOWNLOAD_FILE,
        case_id=case.pk,
        object_kind=selectors.EVIDENCE_LOG_KIND,
        object_id=evidence.pk,
    )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{case.reference}-evidence-{evidence.pk}.{uploads.EXTENSIONS[evidence.content_type]}",
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Takedown requests -------------------------------------------------------------------------


@login_required
@require_GET
def takedown_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_takedowns"))
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="takedowns")
    context = {"case": case, "takedowns": selectors.takedowns(case)}
    return render(request, "doxing_cases/online/takedown_list.html", context)


@login_required
@GET_POST
def takedown_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_takedowns"))
    items = _items_to_choose(case)
    form = TakedownForm(request.POST or None, items=items, initial=_takedown_initial(request, case))
    form.fields["exposed_item"].label_from_instance = _item_label
    if request.method == "POST" and form.is_valid():
        try:
            takedown = services.takedown_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request is saved as a draft. Copy the text, send it, then record that."))
            return redirect("cases:takedown_text", case_id=case.pk, takedown_id=takedown.pk)
    return render(request, "doxing_cases/online/takedown_new.html", {"case": case, "form": form})


def _takedown_initial(request: HttpRequest, case: Case) -> dict[str, Any]:
    """A request started from evidence or from a row of the inventory comes
    with its link and the exposed data it is about."""
    evidence_id, item_id = request.GET.get("evidence", ""), request.GET.get("item", "")
    if evidence_id.isdigit():
        evidence = case.evidence.filter(pk=int(evidence_id)).first()
        if evidence is not None:
            return {"url": evidence.url, "exposed_item": evidence.exposed_item_id}
    if item_id.isdigit():
        item = case.exposed_items.filter(pk=int(item_id)).first()
        if item is not None:
            return {"url": item.urls[0] if item.urls else "", "exposed_item": item.pk}
    return {}


@login_required
@GET_POST
def takedown_send(request: HttpRequest, case_id: int, takedown_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_takedowns"))
    takedown = _takedown_or_404(case, takedown_id)
    if takedown.status != TakedownRequest.Status.DRAFT:
        messages.info(request, _("The sending of this request is already recorded."))
        return redirect("cases:takedowns", case_id=case.pk)
    senders = selectors.takedown_senders(case)
    initial = {"recipient": takedown.recipient, "sent_on": timezone.localdate()}
    if senders.filter(pk=request.user.pk).exists():
        initial["sent_by"] = request.user.pk
    form = TakedownSendForm(request.POST or None, senders=senders, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.takedown_record_sending(actor=request.user, takedown=takedown, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The sending is recorded."))
            return redirect("cases:takedowns", case_id=case.pk)
    context = {"case": case, "form": form, "takedown": takedown}
    return render(request, "doxing_cases/online/takedown_send.html", context)


@login_required
@GET_POST
def takedown_answer(request: HttpRequest, case_id: int, takedown_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_takedowns"))
    takedown = _takedown_or_404(case, takedown_id)
    if takedown.status != TakedownRequest.Status.PENDING:
        messages.info(request, _("This request is not waiting for an answer."))
        return redirect("cases:takedowns", case_id=case.pk)
    form = TakedownAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.takedown_record_answer(actor=request.user, takedown=takedown, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("cases:takedowns", case_id=case.pk)
    context = {"case": case, "form": form, "takedown": takedown}
    return render(request, "doxing_cases/online/takedown_answer.html", context)


@login_required
@require_GET
def takedown_text_page(request: HttpRequest, case_id: int, takedown_id: int) -> HttpResponse:
    """The request written out, ready to copy, in Dutch or English."""
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_takedowns"))
    takedown = _takedown_or_404(case, takedown_id)
    access_log_record(
        user=request.user,
        action=AccessLog.Action.VIEW_CASE,
        case_id=case.pk,
        object_kind="takedown_text",
        object_id=takedown.pk,
    )
    languages = dict(settings.LANGUAGES)
    lang = request.GET.get("lang", "")
    if lang not in languages:
        lang = translation.get_language() if translation.get_language() in languages else settings.LANGUAGE_CODE
    text = takedown_text.draft(takedown, organisation=selectors.sender_organisation(case), lang=lang)
    context = {"case": case, "takedown": takedown, "text": text, "lang": lang, "languages": settings.LANGUAGES}
    return render(request, "doxing_cases/online/takedown_text.html", context)


# --- The suspected doxer -----------------------------------------------------------------------------


@login_required
@require_GET
def identifier_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_identifiers"))
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="identifiers")
    context = {
        "case": case,
        "identifiers": selectors.identifiers(case),
        "related_cases": selectors.related_cases(case, request.user) if case.can["view_related_cases"] else [],
    }
    return render(request, "doxing_cases/online/identifier_list.html", context)


@login_required
@GET_POST
def identifier_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_identifiers"))
    form = IdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.identifier_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The account is recorded."))
            return redirect("cases:doxer", case_id=case.pk)
    return render(request, "doxing_cases/online/identifier_new.html", {"case": case, "form": form})


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/exposed/", exposed_list, name="exposed"),
    path("cases/<int:case_id>/exposed/new/", exposed_new, name="exposed_new"),
    path("cases/<int:case_id>/exposed/<int:item_id>/edit/", exposed_edit, name="exposed_edit"),
    path("cases/<int:case_id>/evidence/", evidence_list, name="evidence_list"),
    path("cases/<int:case_id>/evidence/new/", evidence_new, name="evidence_new"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/", evidence_detail, name="evidence"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/file/", evidence_download, name="evidence_file"),
    path("cases/<int:case_id>/takedowns/", takedown_list, name="takedowns"),
    path("cases/<int:case_id>/takedowns/new/", takedown_new, name="takedown_new"),
    path("cases/<int:case_id>/takedowns/<int:takedown_id>/send/", takedown_send, name="takedown_send"),
    path("cases/<int:case_id>/takedowns/<int:takedown_id>/answer/", takedown_answer, name="takedown_answer"),
    path("cases/<int:case_id>/takedowns/<int:takedown_id>/text/", takedown_text_page, name="takedown_text"),
    path("cases/<int:case_id>/doxer/", identifier_list, name="doxer"),
    path("cases/<int:case_id>/doxer/new/", identifier_new, name="doxer_new"),
]
