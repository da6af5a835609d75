"""Administration of people and teams. Cases are deliberately not here:
running the installation gives no right to read them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from people import services
from people.models import AccessLog, Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "support_phone"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation"]
    filter_horizontal = ["managers"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        managers = list(form.cleaned_data.pop("managers"))
        super().save_related(request, form, formsets, change)
        services.team_set_managers(actor=request.user, team=form.instance, managers=managers)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "team", "is_active"]
    list_filter = ["is_active", "groups", "team"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Organisation"), {"fields": ["team"]}))

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        new_team = obj.team
        if change and "team" in form.changed_data:
            obj.team = User.objects.get(pk=obj.pk).team
            super().save_model(request, obj, form, change)
            services.user_set_team(actor=request.user, user=obj, team=new_team)
        else:
            super().save_model(request, obj, form, change)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "case_id", "object_kind", "object_id"]
    list_filter = ["action"]
    search_fields = ["username", "=case_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
