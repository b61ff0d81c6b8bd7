"""Configuration in the admin site: timescale rules (local ones editable), sign-in locks.

The administrator configures and does not read: the audit trail is not here (it holds what
children's records said), and every change made here goes into it (AuditedAdmin), with the
row before and after, as Cairn's own pages' changes do. Nothing is deleted here: a rule is made
inactive, a member of staff deactivated. The one deletion is lifting a sign-in lock.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from . import audit
from .models import AuditEvent, TimescaleRule


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every change is written to Cairn's audit trail, and which deletes
    nothing (`may_delete` opts a model in, each deletion audited)."""

    may_delete = False

    def _action(self, obj, verb: str) -> str:
        return f"admin.{obj._meta.model_name}.{verb}"

    def save_model(self, request, obj, form, change):
        # The admin's view runs in one transaction: the change and its audit land together.
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = audit.snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        audit.record(request.user, self._action(obj, "changed" if change else "added"), obj,
                     kind=AuditEvent.Kind.CHANGED if change else AuditEvent.Kind.CREATED,
                     before=before)

    def has_delete_permission(self, request, obj=None):
        return self.may_delete and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self._audit_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_deletion(self, request, obj) -> None:
        AuditEvent.objects.create(
            actor=request.user, kind=AuditEvent.Kind.VOIDED, action=self._action(obj, "deleted"),
            object_type=obj._meta.label_lower, object_id=str(obj.pk),
            before=self.deleted_snapshot(obj))

    def deleted_snapshot(self, obj) -> dict:
        return audit.snapshot(obj)


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
class TimescaleRuleAdmin(AuditedAdmin):
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


@admin.register(AccessAttempt)
class SignInLockAdmin(AuditedAdmin, AccessAttemptAdmin):
    """Failed sign-ins counted by django-axes; deleting a row lifts its lock (audited).
    The form data kept is shown to no one: it may hold what was typed as a username."""

    may_delete = True
    fieldsets = ((None, {"fields": ("username", "ip_address", "attempt_time",
                                    "failures_since_start")}),)
    readonly_fields = ["username", "ip_address", "attempt_time", "failures_since_start"]
    list_display = ["attempt_time", "ip_address", "username", "failures_since_start"]
    list_filter = ["attempt_time"]
    search_fields = ["ip_address", "username"]
    actions = []  # not axes' unaudited clean-up; deleting the selected rows remains

    def deleted_snapshot(self, obj) -> dict:
        return {"username": obj.username, "ip_address": obj.ip_address,
                "failures_since_start": obj.failures_since_start}

    def _action(self, obj, verb: str) -> str:
        return "admin.signin_lock.lifted" if verb == "deleted" else super()._action(obj, verb)
