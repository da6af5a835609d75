"""The notification centre: the list, opening one, and e-mail preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import selectors, services
from notifications.kinds import message
from notifications.models import Kind, Notification

app_name = "notifications"


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(request.user), 30).get_page(request.GET.get("page"))
    rows = [(item, message(item.kind)) for item in page.object_list]
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go to the thing to do."""
    notification = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
    if notification is None:
        raise Http404
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=gettext_lazy("Send me an e-mail for"),
        help_text=gettext_lazy(
            "The e-mail only says that something is waiting, with a link; never what is in a case. "
            "You always see everything in Handvat itself."
        ),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial={"email": sorted(selectors.email_kinds(request.user))})
    if request.method == "POST" and form.is_valid():
        services.email_preferences_set(user=request.user, enabled=form.cleaned_data["email"])
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form})


urlpatterns = [
    path("", notification_list, name="list"),
    path("<int:notification_id>/open/", notification_open, name="open"),
    path("read-all/", notifications_read_all, name="read_all"),
    path("settings/", preferences, name="preferences"),
]
