"""Configuration in the admin site: timescale rules (local ones editable).

The audit trail is not here: it holds what children's records said, which an administrator
does not see.
"""

from django.contrib import admin

from .models import TimescaleRule


@admin.register(TimescaleRule)
class TimescaleRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "first_limit", "first_unit", "repeat_limit", "repeat_unit", "local",
                    "active"]
    list_filter = ["local", "active"]
    search_fields = ["name", "code", "source"]

    def get_readonly_fields(self, request, obj=None):
        # National rules follow the law; only local practice is the authority's to change.
        if obj and not obj.local:
            return [f.name for f in obj._meta.fields]
        return ["code", "starts", "finishes", "stops"]
