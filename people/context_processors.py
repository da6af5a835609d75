from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people import access
from people.roles import Role

#: Roles that work on cases and so always have a task list in the menu.
TASK_ROLES = frozenset({Role.COORDINATOR, Role.SPECIALIST, Role.SECURITY_OFFICER, Role.PEER_SUPPORTER})


def _has_open_tasks(user: Any) -> bool:
    """A department contact may have tasks without a case role (one small query)."""
    return user.tasks.filter(status="open").exists()


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's menu: only what the user's roles can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if access.must_use_second_factor(user) and not getattr(user, "is_verified", lambda: False)():
        # Until the code of this session is entered every page leads to the
        # code page, so the menu would only promise what is not reachable yet.
        return {"nav_items": []}
    items = [
        ("cases:report_new", _("Report")),
        ("cases:my", _("My reports")),
        ("prevention:hub", _("Prevention")),
    ]
    if user.has_role(Role.MANAGER):
        items.append(("cases:team", _("My team")))
    if user.has_role(Role.COORDINATOR):
        items.append(("cases:dashboard", _("Cases")))
        items.append(("aftercare:calendar", _("Calendar")))
    if user.role_names & TASK_ROLES or _has_open_tasks(user):
        items.append(("cases:my_tasks", _("My tasks")))
    if access.may_read_lessons(user):
        items.append(("aftercare:lessons", _("Lessons")))
    if access.may_see_statistics(user):
        items.append(("exports:statistics", _("Statistics")))
    if access.may_receive_hr_export(user):
        items.append(("exports:hr_cases", _("Case reports")))
    if access.may_make_national_export(user) and not access.may_see_statistics(user):
        items.append(("exports:national_export", _("National export")))
    if access.may_export_subject_access(user):
        items.append(("exports:subject_access", _("Subject access")))
    if access.may_read_access_log(user):
        items.append(("privacy:access_log", _("Access log")))
        items.append(("exports:processing", _("Record of processing")))
    if user.is_staff:
        items.append(("admin:index", _("Administration")))
    nav = []
    for name, label in items:
        url = reverse(name)
        nav.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"nav_items": nav}
