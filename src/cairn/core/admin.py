"""Configuration in the admin site: timescale rules (local ones editable).

The audit trail is not here: it holds what children's records said, which an administrator
does not see.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .models import TimescaleRule


class TimescaleRuleForm(forms.ModelForm):
    """The rule's own checks (TimescaleRule.clean: facts that exist, limits with units), with
    a problem in a field shown read-only here said above the form rather than lost."""

    class Meta:
        model = TimescaleRule
        fields = "__all__"

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name in [n for n in error.error_dict if n != NON_FIELD_ERRORS
                         and n not in self.fields]:
                label = str(TimescaleRule._meta.get_field(name).verbose_name).capitalize()
                error.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(f"{label}: {message}")
                    for message in ValidationError(error.error_dict.pop(name)).messages)
        super().add_error(field, error)


@admin.register(TimescaleRule)
class TimescaleRuleAdmin(admin.ModelAdmin):
    form = TimescaleRuleForm
    list_display = ["name", "first_limit", "first_unit", "repeat_limit", "repeat_unit",
                    "responsible", "local", "active"]
    list_filter = ["local", "active", "responsible"]
    search_fields = ["name", "code", "source"]

    def get_readonly_fields(self, request, obj=None):
        # National rules follow the law; only local practice is the authority's to change.
        if obj and not obj.local:
            return [f.name for f in obj._meta.fields]
        if obj is None:
            return []  # a new local rule names its own facts (checked when saved)
        return ["code", "starts", "finishes", "stops"]
