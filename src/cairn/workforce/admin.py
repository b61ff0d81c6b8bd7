"""The administrator's part of the admin site: staff, teams and services.

Case records are deliberately not in the admin site: a child's record is read only through
Cairn's own pages, where the access policy decides and every view is logged.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Service, Staff, Team


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = [*UserAdmin.fieldsets,
                 ("Cairn", {"fields": ["role", "team", "job_title", "sw_id", "fte",
                                      "access_until"]})]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "service", "manager", "caseload_threshold"]
    list_filter = ["kind", "service"]


admin.site.register(Service)
