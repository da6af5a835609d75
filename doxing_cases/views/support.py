"""Pages for psychosocial support (recommendations 15–18): the support page of
a case, logging peer support, check-ins, team support and referrals, and the
conversation between the coordinator and the employee."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from doxing_cases.forms import add_service_errors
from doxing_cases.forms.support import (
    CheckInForm,
    MessageForm,
    PeerContactForm,
    ReferralForm,
    RhythmForm,
    SupportActivityForm,
)
from doxing_cases.models import Case
from doxing_cases.selectors import support as selectors
from doxing_cases.services import support as services
from people import access
from people.models import AccessLog
from people.services import access_log_record

GET_POST = require_http_methods(["GET", "POST"])


def section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page shows of support; only what ``case.can`` allows."""
    if not case.can["view_support"]:
        return {}
    context: dict[str, Any] = {"peer_contacts": list(selectors.peer_contacts(case)[:3]), "now": timezone.now()}
    if case.can["view_check_ins"]:
        context["check_ins"] = list(selectors.check_ins(case)[:3])
    return context


def own_section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The employee's page: the conversation with the coordinator."""
    return {"unread_messages": selectors.unread_messages(case, request.user.pk)}


@login_required
@require_GET
def support_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_support"))
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="support")
    context = {
        "case": case,
        "peer_contacts": selectors.peer_contacts(case),
        "peer_offer": selectors.peer_offer_due(case),
        "check_ins": selectors.check_ins(case) if case.can["view_check_ins"] else [],
        "check_in_people": services.check_in_people(case) if case.can["view_check_ins"] else [],
        "activities": selectors.support_activities(case),
        "referrals": selectors.referrals(case) if case.can["view_referrals"] else [],
        "now": timezone.now(),
    }
    return render(request, "doxing_cases/support/page.html", context)


def _support_form(
    request: HttpRequest,
    case_id: int,
    *,
    ability: str,
    form_class: type,
    service: Callable[..., Any],
    template: str,
    success: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """One small support task: a form, a service, back to the support page."""
    case = access.get_case_for_user(request.user, case_id, perm=access.ability(ability))
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("cases:support", case_id=case.pk)
    return render(request, template, {"case": case, "form": form})


@login_required
@GET_POST
def peer_contact_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _support_form(
        request,
        case_id,
        ability="log_peer_contact",
        form_class=PeerContactForm,
        service=services.peer_contact_log,
        template="doxing_cases/support/peer_contact_new.html",
        success=_("The peer-support contact is recorded."),
        initial={"offered_at": timezone.localtime().replace(second=0, microsecond=0)},
    )


@login_required
@GET_POST
def check_in_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _support_form(
        request,
        case_id,
        ability="log_check_in",
        form_class=CheckInForm,
        service=services.check_in_log,
        template="doxing_cases/support/check_in_new.html",
        success=_("The check-in is recorded. The next reminder counts from today."),
        initial={"at": timezone.localtime().replace(second=0, microsecond=0)},
    )


@login_required
@GET_POST
def activity_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _support_form(
        request,
        case_id,
        ability="log_support_activity",
        form_class=SupportActivityForm,
        service=services.support_activity_log,
        template="doxing_cases/support/activity_new.html",
        success=_("The support is recorded."),
        initial={"held_on": timezone.localdate()},
    )


@login_required
@GET_POST
def referral_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _support_form(
        request,
        case_id,
        ability="edit_referrals",
        form_class=ReferralForm,
        service=services.referral_record,
        template="doxing_cases/support/referral_new.html",
        success=_("The referral is recorded."),
        initial={"referred_on": timezone.localdate()},
    )


@login_required
@GET_POST
def rhythm(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("set_check_in_rhythm"))
    form = RhythmForm(request.POST or None, initial={"every_days": case.check_in_every_days})
    if request.method == "POST" and form.is_valid():
        services.check_in_rhythm_set(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, _("The check-in rhythm is saved."))
        return redirect("cases:support", case_id=case.pk)
    return render(request, "doxing_cases/support/rhythm.html", {"case": case, "form": form})


def _conversation(request: HttpRequest, case: Case, *, template: str, back: str) -> HttpResponse:
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(actor=request.user, case=case, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(back, case_id=case.pk)
    services.messages_mark_read(actor=request.user, case=case)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="messages")
    context = {"case": case, "form": form, "conversation": selectors.conversation(case)}
    return render(request, template, context)


@login_required
@GET_POST
def conversation_staff(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.FULL)
    return _conversation(request, case, template="doxing_cases/support/messages.html", back="cases:messages")


@login_required
@GET_POST
def conversation_own(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.OWN)
    return _conversation(request, case, template="doxing_cases/support/my_messages.html", back="cases:my_messages")


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/support/", support_page, name="support"),
    path("cases/<int:case_id>/support/peer/new/", peer_contact_new, name="peer_contact_new"),
    path("cases/<int:case_id>/support/check-in/new/", check_in_new, name="check_in_new"),
    path("cases/<int:case_id>/support/activity/new/", activity_new, name="support_activity_new"),
    path("cases/<int:case_id>/support/referral/new/", referral_new, name="referral_new"),
    path("cases/<int:case_id>/support/rhythm/", rhythm, name="check_in_rhythm"),
    path("cases/<int:case_id>/messages/", conversation_staff, name="messages"),
    path("my/cases/<int:case_id>/messages/", conversation_own, name="my_messages"),
]
