"""Who may see a child's record: restricting it, naming and removing people, lifting the
restriction, and giving a person access to an unrestricted record. Senior managers' pages
(policy.RESTRICT); anyone else gets the 404 a missing record gives. The decisions themselves are
access.services'."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.access import selectors as access_selectors
from cairn.access import services as access_services
from cairn.core.forms import DateInputField, GovukForm, text

from .recording import record_page, recording_child, render_child


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return access_selectors.staff_label(obj)


class StaffChoicesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return access_selectors.staff_label(obj)


class RestrictForm(GovukForm):
    reason = text("Why is this record being restricted?",
                  "Enter why this record is being restricted",
                  help_text="For example, the child of a member of staff, a case in the news, "
                            "or an adopted child's birth record. The reason is kept with your "
                            "decision.")
    named_staff = StaffChoicesField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Who else may see this record?",
        help_text="People working with the child now. You are named automatically, so you can "
                  "change or lift the restriction; the allocated worker always sees the record.")
    other = StaffChoiceField(queryset=None, required=False, empty_label="Choose a person",
                             label="Someone else (optional)")

    def __init__(self, *args, child, by, **kwargs):
        super().__init__(*args, **kwargs)
        working = access_selectors.working_with(child).exclude(pk=by.pk)
        if working.exists():
            self.fields["named_staff"].queryset = working
        else:  # no one works with the child now: an empty list of checkboxes says nothing
            del self.fields["named_staff"]
        self.fields["other"].queryset = access_selectors.nameable_staff().exclude(pk=by.pk)


class AccessAddForm(GovukForm):
    staff = StaffChoiceField(queryset=None, empty_label="Choose a person", label="Person",
                             error_messages={"required": "Choose the person"})
    until = DateInputField(label="Date access ends",
                           help_text="Access ends at the end of this day. For example, 27 3 2027",
                           error_messages={"required": "Enter the date access ends"})
    reason = text("Why do they need to see this record?",
                  "Enter why this person needs to see the record",
                  help_text="The reason is kept with the record of who may see it.")

    def __init__(self, *args, restricted: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = access_selectors.nameable_staff()
        if restricted:
            del self.fields["until"]  # named staff see a restricted record until removed


class ReasonForm(GovukForm):
    def __init__(self, *args, label: str, message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = text(label, message, help_text="The reason is kept with the "
                                                               "record of who may see it.")


def _access_url(child) -> str:
    return reverse("child_access", args=[child.pk])


@login_required
def child_access(request: HttpRequest, child_id: int) -> HttpResponse:
    """Who may see this record: the restriction and who is named on it, others given access,
    the allocated workers, and every decision made about it."""
    child = recording_child(request, child_id, action=policy.RESTRICT)
    return render_child(request, child, "casework/child_access.html",
                        **access_selectors.access_to(child))


@login_required
def child_restrict(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.RESTRICT)
    if child.restricted and request.method != "POST":
        return redirect(_access_url(child))
    form = RestrictForm(request.POST or None, child=child, by=request.user)

    def save(data):
        named = list(data.get("named_staff", [])) + ([data["other"]] if data["other"] else [])
        return access_services.restrict_record(child=child, reason=data["reason"],
                                               named_staff=named, by=request.user)

    return record_page(
        request, child, form, title="Restrict this record", button="Restrict record",
        save=save, done=_access_url(child), cancel_url=child.get_absolute_url(),
        success="Record restricted. Only the people named and the allocated worker can see it.",
        intro="A restricted record is seen only by the people named on it and the child's "
              "allocated worker. It leaves everyone else's searches, lists and counts, managers' "
              "included.")


@login_required
def child_restriction_lift(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.RESTRICT)
    if not child.restricted and request.method != "POST":
        return redirect(_access_url(child))
    form = ReasonForm(request.POST or None, label="Why is the restriction being lifted?",
                      message="Enter why the restriction is being lifted")
    return record_page(
        request, child, form, title="Lift the restriction", button="Lift restriction",
        save=lambda data: access_services.lift_restriction(child=child, reason=data["reason"],
                                                           by=request.user),
        done=_access_url(child), cancel_url=_access_url(child),
        success="Restriction lifted. The usual rules decide who sees the record.",
        intro="Once lifted, the record is seen by the usual rules again: the child's workers, "
              "their managers, and front door, performance and audit staff. The people named "
              "on the restriction lose the access it gave them.")


@login_required
def child_access_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.RESTRICT)
    form = AccessAddForm(request.POST or None, restricted=child.restricted)
    if child.restricted:
        return record_page(
            request, child, form, title="Name a person on this record", button="Name person",
            save=lambda data: access_services.change_restriction(
                child=child, reason=data["reason"], add=[data["staff"]], by=request.user),
            done=_access_url(child), cancel_url=_access_url(child),
            success="Person named. They can now see this record.")
    return record_page(
        request, child, form, title="Give a person access to this record", button="Give access",
        save=lambda data: access_services.grant_access(
            child=child, staff=data["staff"], until=data["until"], reason=data["reason"],
            by=request.user),
        done=_access_url(child), cancel_url=_access_url(child),
        success="Access given. It ends on the date you chose.",
        intro="For someone outside the child's team who needs to see the record for a time: an "
              "inspector's sampled case, a worker covering from another team.")


@login_required
def child_access_end(request: HttpRequest, child_id: int, grant_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.RESTRICT)
    grant = access_selectors.grant_for(child, grant_id)
    if grant is None:
        raise Http404("No such access")
    named = grant.decision_id is not None
    about = [("Person", access_selectors.staff_label(grant.staff)),
             ("Named by" if named else "Given by", str(grant.granted_by or "Not known")),
             ("On", f"{timezone.localtime(grant.granted_at):%-d %B %Y}"),
             ("Why", grant.reason)]
    if grant.until:
        about.append(("Until", f"{grant.until:%-d %B %Y}"))
    if named:
        form = ReasonForm(request.POST or None, label="Why are they being removed?",
                          message="Enter why this person is being removed")
        return record_page(
            request, child, form, title="Remove a person from this record",
            button="Remove person", about=about,
            save=lambda data: access_services.change_restriction(
                child=child, reason=data["reason"], remove=[grant.staff], by=request.user),
            done=_access_url(child), cancel_url=_access_url(child),
            success="Person removed. They can no longer see this record unless they are its "
                    "allocated worker.")
    form = ReasonForm(request.POST or None, label="Why is their access ending?",
                      message="Enter why this person's access is ending")
    return record_page(
        request, child, form, title="End a person's access", button="End access", about=about,
        save=lambda data: access_services.end_access(grant=grant, reason=data["reason"],
                                                     by=request.user),
        done=_access_url(child), cancel_url=_access_url(child),
        success="Access ended.")
