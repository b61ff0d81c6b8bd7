"""Two people editing the same record: which fields the other person changed, what the second
person sees, and what saving again keeps (core.conflicts)."""

import html
import re
from datetime import date

import pytest
from django import forms
from django.http import QueryDict

import support
from cairn.core import conflicts
from cairn.core.audit import AuditEvent
from cairn.core.errors import StaleRecord
from cairn.core.forms import DateInputField, VersionedForm, text, yes_no
from cairn.people.models import Child


class PlanForm(VersionedForm):
    outcome = text("Outcome", area=True)
    owner_name = text("Who is responsible", area=False, required=False)
    due_on = DateInputField(label="Due", required=False)
    met = yes_no("Met?", required=False)
    help = forms.MultipleChoiceField(label="Help", required=False,
                                     choices=[("a", "Advice"), ("b", "Budget"), ("c", "Care")],
                                     widget=forms.CheckboxSelectMultiple)


STARTED = {"version": 3, "outcome": "Attends school", "owner_name": "Sam",
           "due_on": date(2026, 12, 1), "met": "no", "help": ["a"]}


def _posted(initial_at_get: dict, **typed) -> QueryDict:
    """What the browser sends: the form as drawn from `initial_at_get`, with `typed` changes."""
    drawn = PlanForm(initial=initial_at_get)
    data = QueryDict(mutable=True)
    data["version"] = str(initial_at_get["version"])
    data["started"] = drawn["started"].value()
    values = {**initial_at_get, **typed}
    for name in ("outcome", "owner_name", "met"):
        data[name] = values[name]
    due = values["due_on"]
    data.update({"due_on_0": str(due.day), "due_on_1": str(due.month),
                 "due_on_2": str(due.year)})
    data.setlist("help", values["help"])
    return data


def _clash(stored: dict, **typed) -> PlanForm:
    """The second save: typed from STARTED, while the stored record is now `stored`."""
    form = PlanForm(_posted(STARTED, **typed), initial=stored)
    assert form.is_valid(), form.errors
    conflicts.show(form, None, StaleRecord("plan"))
    return form


def test_values_compare_alike_from_the_stored_row_and_from_the_typing():
    form = PlanForm()
    assert conflicts.plain(form.fields["met"], True) == conflicts.plain(form.fields["met"], "yes")
    assert conflicts.plain(form.fields["due_on"], date(2026, 1, 2)) == "2026-01-02"
    assert conflicts.plain(form.fields["help"], ["c", "a"]) == conflicts.plain(
        form.fields["help"], ("a", "c"))
    assert conflicts.plain(form.fields["outcome"], "a\r\nb ") == "a\nb"
    assert conflicts.plain(form.fields["owner_name"], None) == ""
    assert conflicts.shown(form.fields["help"], ["a", "c"]) == "Advice, Care"
    assert conflicts.shown(form.fields["met"], True) == "Yes"
    assert conflicts.shown(form.fields["due_on"], date(2026, 1, 2)) == "2 January 2026"
    assert conflicts.shown(form.fields["owner_name"], "") == "Not given"


def test_only_the_fields_the_other_person_changed_are_offered():
    stored = {**STARTED, "version": 4, "due_on": date(2027, 1, 15), "help": ["a", "b"]}
    form = _clash(stored, outcome="Attends school every day", help=["a", "c"])
    offered = {item.name: (item.theirs, item.mine) for item in form.conflict.fields}
    # The due date: they changed it, the user did not. Help: both changed it, differently.
    # The outcome: only the user changed it, so their typing stands without a question.
    assert offered == {"due_on": ("15 January 2027", "1 December 2026"),
                       "help": ("Advice, Budget", "Advice, Care")}
    assert form.conflict.by == "Someone else" and form.conflict.thing == "plan"
    assert form.data["version"] == "4", "saving again is against what the user has now seen"
    assert form.data["outcome"] == "Attends school every day"
    assert "choose which value to keep" in form.non_field_errors()[0]


def test_the_same_change_made_by_both_is_no_conflict():
    stored = {**STARTED, "version": 4, "owner_name": "Priya"}
    form = _clash(stored, owner_name="Priya")
    assert form.conflict.fields == []
    assert "save again if yours still applies" in form.non_field_errors()[0]


def test_saving_again_keeps_theirs_unless_the_user_chose_theirs_own():
    stored = {**STARTED, "version": 4, "due_on": date(2027, 1, 15), "help": ["a", "b"],
              "met": "yes"}
    form = _clash(stored, outcome="New outcome", help=["c"], met="no")
    assert {item.name for item in form.conflict.fields} == {"due_on", "help", "met"}
    again = form.data.copy()
    again.update({"conflict-due_on": "theirs", "conflict-met": "theirs",
                  "conflict-help": "mine"})
    second = PlanForm(again, initial=stored)
    assert second.is_valid(), second.errors
    data = second.cleaned_data
    assert data["due_on"] == date(2027, 1, 15) and data["met"] is True  # theirs, kept
    assert data["help"] == ["c"]  # the user chose their own
    assert data["outcome"] == "New outcome"  # they never touched it
    assert data["version"] == 4


def test_a_form_drawn_afresh_after_the_clash_starts_from_their_values():
    stored = {**STARTED, "version": 4, "outcome": "Their outcome"}
    form = _clash(stored, outcome="My outcome")
    assert form.data["started"] == conflicts.fingerprint(PlanForm(initial=stored))


@pytest.mark.django_db
def test_who_and_when_come_from_the_audit_trail(child, team_manager, worker_client):
    url = f"/children/{child.pk}/details/"
    opened = _form_from(worker_client.get(url).content.decode())
    # The manager, who opened the page too, saves a new language first.
    manager = support.client_for(team_manager)
    theirs = _form_from(manager.get(url).content.decode())
    assert manager.post(url, {**theirs, "first_language": "Welsh"}).status_code == 302
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGED).get()
    # The worker, who opened the page before, changes the UPN only.
    response = worker_client.post(url, {**opened, "upn": "A123456789012", "upn_unknown": ""})
    page = response.content.decode()
    when = conflicts._moment(event.at)
    assert f"{team_manager.get_full_name()} changed this on {when}:" in page
    assert ('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">First language'
            in page)
    assert "Use mine: Not given" in page and 'href="#conflict-first_language"' in page
    assert [item.name for item in response.context["form"].conflict.fields] == [
        "first_language"]
    assert 'value="A123456789012"' in page
    # Saving again with theirs kept: the manager's language and the worker's UPN.
    again = _form_from(page)
    assert again["conflict-first_language"] == "theirs"
    assert worker_client.post(url, again).status_code == 302
    child = Child.objects.get(pk=child.pk)
    assert (child.first_language, child.upn, child.version) == ("Welsh", "A123456789012", 3)


@pytest.mark.django_db
def test_choosing_mine_overrides_theirs_for_that_field_only(child, team_manager,
                                                           worker_client):
    url = f"/children/{child.pk}/details/"
    opened = _form_from(worker_client.get(url).content.decode())
    manager = support.client_for(team_manager)
    theirs = _form_from(manager.get(url).content.decode())
    assert manager.post(url, {**theirs, "first_language": "Welsh",
                              "other_names": "Al"}).status_code == 302
    page = worker_client.post(url, {**opened, "first_language": "Polish",
                                    "other_names": "Lexi"}).content.decode()
    again = {**_form_from(page), "conflict-first_language": "mine"}
    assert worker_client.post(url, again).status_code == 302
    child = Child.objects.get(pk=child.pk)
    assert (child.first_language, child.other_names) == ("Polish", "Al")


def _form_from(page: str) -> dict:
    """The fields of the page's form as the browser would send them (text, hidden, checked)."""
    form = next(f for f in re.findall(r'<form method="post".*?</form>', page, re.S)
                if 'name="version"' in f)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or ('type="radio"' in tag and " checked" not in tag):
            continue
        data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>',
                                  form, re.S):
        data[name] = html.unescape(value).lstrip("\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', form,
                                 re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data
