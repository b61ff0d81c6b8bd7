"""Actions on the page: the questions every recording form asks of an action (what, who, by
when), and the pages that mark one done, cancel one, or add one to the record that agreed it.

Which records may take actions is said by the stage that owns them (`register_source`, from its
record.py), so casework names no stage's model: a plan's need says it takes no more actions
once its plan has ended. The pages check the access policy (RECORD on the child) before they
call core's action services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from cairn.access import policy
from cairn.core import services as core_services
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.forms import DateInputField, GovukForm, VersionedForm, text
from cairn.core.models import Action

from .recording import add_error, recording_child, render_child, saved, show_conflict

# The parts of an action a form asks for, as the services name them.
PARTS = ("what", "owner", "owner_name", "due_on")


# Which records take actions ----------------------------------------------------------------


@dataclass(frozen=True)
class ActionSource:
    model: type[models.Model]
    describe: Callable[[models.Model], str]  # how the add page names the record
    closed: Callable[[models.Model], str]  # why it takes no more actions; "" while it does


SOURCES: dict[str, ActionSource] = {}


def register_source(model: type[models.Model], *, describe: Callable[[models.Model], str],
                    closed: Callable[[models.Model], str] = lambda obj: "") -> None:
    """Let `model`'s rows (each about one child, through `child`) take actions."""
    SOURCES[model._meta.label_lower] = ActionSource(model, describe, closed)


# The questions ------------------------------------------------------------------------------


def responsible_staff():
    """Members of staff who may own an action: active, able to record, access not lapsed."""
    roles = [role for role, allowed in policy.ROLE_ACTIONS.items() if policy.RECORD in allowed]
    today = timezone.localdate()
    return (get_user_model().objects.filter(is_active=True, role__in=roles)
            .filter(Q(access_until__isnull=True) | Q(access_until__gte=today))
            .select_related("team").order_by("last_name", "first_name", "pk"))


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj}, {obj.team}" if obj.team_id else str(obj)


def action_fields(suffix: str = "", *, what_label: str = "Action",
                  what_help: str = "What will be done") -> dict[str, forms.Field]:
    """The questions of one action, named `what`, `owner`, `owner_name`, `due_on` + `suffix`.

    Each is optional on its own: `check_action` says what a partly answered action lacks, so a
    form can leave a whole action unanswered where the action is optional."""
    return {
        f"what{suffix}": forms.CharField(label=what_label, required=False, help_text=what_help,
                                         widget=forms.Textarea),
        f"owner{suffix}": StaffChoiceField(
            label="Member of staff responsible", queryset=responsible_staff(), required=False,
            empty_label="Not a member of staff",
            help_text="Leave as it is for a parent, a school or another agency"),
        f"owner_name{suffix}": forms.CharField(
            label="Who is responsible, if not a member of staff", required=False, max_length=150,
            help_text="For example, mother, or Oak Primary School",
            error_messages={"max_length": "Who is responsible must be 150 characters or fewer"}),
        f"due_on{suffix}": DateInputField(
            label="Date the action is due", required=False,
            error_messages={"required": "Enter the date the action is due"}),
    }


def action_item(data: dict, suffix: str = "") -> dict:
    """One action's answers from a form's cleaned data, as `services.action_add` takes them."""
    return {part: data.get(f"{part}{suffix}") for part in PARTS} | {
        "what": (data.get(f"what{suffix}") or "").strip(),
        "owner_name": (data.get(f"owner_name{suffix}") or "").strip()}


def answered(form, suffix: str = "") -> bool:
    """Whether anything of one action was typed (a half-typed date counts)."""
    data = form.cleaned_data
    return (any(data.get(f"{part}{suffix}") for part in PARTS)
            or f"due_on{suffix}" in form.errors)


def check_action(form, suffix: str = "", *, which: str = "the action") -> None:
    """Add an error to each question of one action left unanswered; `which` names the action in
    the messages ("action 2")."""
    data = form.cleaned_data
    if not (data.get(f"what{suffix}") or "").strip() and f"what{suffix}" not in form.errors:
        form.add_error(f"what{suffix}", f"Enter what will be done for {which}"
                       if which != "the action" else "Enter what will be done")
    if not data.get(f"owner{suffix}") and not (data.get(f"owner_name{suffix}") or "").strip():
        if f"owner_name{suffix}" not in form.errors:
            form.add_error(f"owner_name{suffix}",
                           "Choose the member of staff responsible, or enter who is responsible"
                           + ("" if which == "the action" else f" for {which}"))
    if data.get(f"due_on{suffix}") is None and f"due_on{suffix}" not in form.errors:
        form.add_error(f"due_on{suffix}", "Enter the date the action is due"
                       if which == "the action" else f"Enter the date {which} is due")


class OneActionMixin:
    """A form that asks for one action (what, who, by when) after its own questions; the
    action must be answered. `action_help` is the hint under "Action"."""

    action_help = "What will be done"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(action_fields(what_help=self.action_help))

    def clean(self):
        data = super().clean()
        check_action(self)
        return data

    def action_questions(self) -> list:
        """The action's bound fields, in the order `core/_action_questions.html` shows them."""
        return [self[part] for part in PARTS]


class ActionRowsMixin:
    """Any number of optional actions on one form (those agreed at a meeting), each asked as
    `action_fields` with the suffix `_0`, `_1`... "Add another action" posts the form back with
    one more, so it works without JavaScript; an action left wholly empty is ignored.

    Templates render `action_groups()`, the hidden `actions` count, and a button named
    `add_action` while `can_add_action`."""

    ADD_ACTION = "add_action"
    MAX_ACTIONS = 10

    def add_action_rows(self) -> None:
        """Call at the end of the form's __init__: adds the actions' fields."""
        count = 1
        if self.is_bound:
            try:
                count = min(max(int(self.data.get("actions", 1)), 1), self.MAX_ACTIONS)
            except (TypeError, ValueError):
                count = 1
            if self.ADD_ACTION in self.data and count < self.MAX_ACTIONS:
                count += 1
                self.data = self.data.copy()
                self.data["actions"] = str(count)
        self.action_count = count
        self.fields["actions"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                    initial=count)
        for place in range(count):
            # Each action is a fieldset whose legend numbers it ("Action 2").
            for name, field in action_fields(f"_{place}", what_label="What will be done",
                                             what_help="").items():
                self.fields[name] = field

    @property
    def adding_action(self) -> bool:
        return self.is_bound and self.ADD_ACTION in self.data

    @property
    def can_add_action(self) -> bool:
        return self.action_count < self.MAX_ACTIONS

    def is_valid(self) -> bool:
        # "Add another action" is not a save: the form comes back with what was typed.
        return not self.adding_action and super().is_valid()

    @property
    def errors(self):
        if self.adding_action:
            return forms.utils.ErrorDict()
        return super().errors

    def action_groups(self) -> list[tuple[int, list]]:
        """Each action's number and its bound fields, in the order the page shows them."""
        return [(place + 1, [self[f"{part}_{place}"] for part in PARTS])
                for place in range(self.action_count)]

    def clean_action_rows(self) -> list[dict]:
        """The actions answered, each with its `place`; errors on each part left out."""
        items = []
        for place in range(self.action_count):
            suffix = f"_{place}"
            if not answered(self, suffix):
                continue
            check_action(self, suffix, which=f"action {place + 1}")
            items.append(action_item(self.cleaned_data, suffix) | {"place": place})
        return items


# The pages ----------------------------------------------------------------------------------


def _next(request: HttpRequest, default: str) -> str:
    """Where to go afterwards: the page the user came from, if it is one of Cairn's."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return default


def _about(action: Action) -> list[tuple[str, str]]:
    due = core_services.long_date(action.due_on) if action.due_on else "No date given"
    return [("Action", action.what), ("Who is responsible", action.owner_display or "Not known"),
            ("Due", due), ("Agreed in", action.source_label.capitalize())]


class ActionDoneForm(VersionedForm):
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    outcome = text("What was done, and what came of it?",
                   "Enter what was done and what came of it")


class ActionCancelForm(VersionedForm):
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = text("Why is the action cancelled?", "Enter why the action is cancelled",
                  help_text="For example, no longer needed because the family moved. The reason "
                            "is kept with the record.")


class ActionAddForm(OneActionMixin, GovukForm):
    next = forms.CharField(widget=forms.HiddenInput, required=False)


def _action_page(request: HttpRequest, child, form, *, title: str, button: str, save,
                 back: str, back_label: str, success: str, about, intro: str = "",
                 versioned=None) -> HttpResponse:
    """Show an action's form in the child's record; on a valid POST run `save` and go back."""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save(form.cleaned_data)
        except RecordError as error:
            if isinstance(error, StaleRecord) and versioned is not None:
                show_conflict(form, versioned, error)
            else:
                add_error(form, error)
        else:
            saved(request, success)
            return redirect(back)
    return render_child(request, child, "casework/action_form.html", form=form, title=title,
                        button=button, back=back, back_label=back_label, about=about,
                        intro=intro)


def _action_for(request: HttpRequest, child, pk: int) -> Action:
    return policy.object_for(
        request.user, Action.objects.current().select_related("owner", "source_type"), pk,
        page=request.path, child=child, message="No such action")


@login_required
def action_done_page(request: HttpRequest, child_id: int, pk: int) -> HttpResponse:
    """Mark an action done, asking what was done and what came of it."""
    child = recording_child(request, child_id)
    action = _action_for(request, child, pk)
    back = _next(request, reverse("child", args=[child.pk]))
    form = ActionDoneForm(request.POST or None,
                          initial={"version": action.version, "next": back})
    return _action_page(
        request, child, form, title="Mark an action done", button="Mark done",
        save=lambda data: core_services.action_complete(
            action=action, outcome=data["outcome"], by=request.user,
            expected_version=data["version"]),
        back=back, back_label="Back", success="Action marked done", about=_about(action),
        versioned=action)


@login_required
def action_cancel_page(request: HttpRequest, child_id: int, pk: int) -> HttpResponse:
    """Cancel an action no longer needed, asking why; it stays on the record."""
    child = recording_child(request, child_id)
    action = _action_for(request, child, pk)
    back = _next(request, reverse("child", args=[child.pk]))
    form = ActionCancelForm(request.POST or None,
                            initial={"version": action.version, "next": back})
    return _action_page(
        request, child, form, title="Cancel an action", button="Cancel action",
        save=lambda data: core_services.action_cancel(
            action=action, reason=data["reason"], by=request.user,
            expected_version=data["version"]),
        back=back, back_label="Keep the action", success="Action cancelled",
        about=_about(action), versioned=action)


@login_required
def action_add_page(request: HttpRequest, child_id: int, source: str,
                    source_id: int) -> HttpResponse:
    """Add an action to a record that agreed actions (a plan's need, a strategy discussion)."""
    child = recording_child(request, child_id)
    kind = SOURCES.get(source)
    if kind is None:
        raise Http404("No such kind of record")
    rows = kind.model._default_manager.all()
    if hasattr(kind.model, "voided_at"):
        rows = rows.filter(voided_at__isnull=True)
    row = policy.object_for(request.user, rows, source_id, page=request.path, child=child,
                            message="No such record")
    back = _next(request, reverse("child", args=[child.pk]))
    form = ActionAddForm(request.POST or None, initial={"next": back})

    def save(data):
        closed = kind.closed(row)
        if closed:
            raise RecordError(closed)
        return core_services.action_add(source=row, by=request.user, **action_item(data))

    return _action_page(request, child, form, title="Add an action", button="Save action",
                        save=save, back=back, back_label="Cancel", success="Action added",
                        about=[("Agreed in", kind.describe(row))],
                        intro=kind.closed(row))
