"""The administrator's part of the admin site: staff, teams and services.

Case records are deliberately not in the admin site: a child's record is read only through
Cairn's own pages, where the access policy decides and every view is logged. Every change made
here goes into Cairn's audit trail (core.admin.AuditedAdmin); staff are deactivated, never
deleted. An administrator cannot widen their own access: their own role, team, status and
access dates are read-only to them, and they cannot name themselves a team's or service's
manager (another administrator must, and the audit trail shows who did).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from cairn.core import audit
from cairn.core.admin import AuditedAdmin
from cairn.core.models import AuditEvent

from .models import Service, Staff, Team

# Cairn decides access by role (access.policy), not by Django's groups and permissions: the
# admin site offers neither, so no one is given a power the policy does not know about.
admin.site.unregister(Group)

# What an administrator may not change on their own record.
OWN_ACCESS = ["role", "team", "is_active", "is_staff", "is_superuser", "access_until"]


@admin.register(Staff)
class StaffAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal details", {"fields": ["first_name", "last_name", "email"]}),
        ("Cairn", {"fields": ["role", "team", "job_title", "sw_id", "fte", "access_until"]}),
        ("Admin site", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += OWN_ACCESS
        return fields

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # The password itself never enters the audit trail (core.audit.NEVER_AUDITED).
            audit.record(request.user, "admin.staff.password_set", self.get_object(request, id),
                         kind=AuditEvent.Kind.CHANGED)
        return response


class ManagedAdmin(AuditedAdmin):
    """A team or service: its manager sees its children's records, so not the administrator."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        administrator = request.user

        class NotOneself(form):
            def clean_manager(self):
                manager = self.cleaned_data.get("manager")
                if manager is not None and manager.pk == administrator.pk:
                    raise ValidationError(
                        "You cannot name yourself as the manager. A manager can open the "
                        "records of the children in their line: ask another administrator.")
                return manager

        return NotOneself


@admin.register(Team)
class TeamAdmin(ManagedAdmin):
    list_display = ["name", "kind", "service", "manager", "caseload_threshold"]
    list_filter = ["kind", "service"]


@admin.register(Service)
class ServiceAdmin(ManagedAdmin):
    list_display = ["name", "manager"]
