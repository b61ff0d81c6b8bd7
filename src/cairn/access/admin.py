"""Access grants in the admin site (configuration: who is named on which record)."""

from django.contrib import admin

from .models import AccessGrant


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ["child", "staff", "until", "revoked_at"]
    raw_id_fields = ["child", "staff", "granted_by"]
