"""Free text has limits: every form's text fields have one, and an answer over it is a GOV.UK
error on the field ("Case note must be 20,000 characters or fewer"), never a server error or a
row saved."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import cairn
from cairn.casework import correction, services
from cairn.core import services as core_services
from cairn.core.forms import LONG_TEXT, NAME, REASON, GovukForm, TextLimits, text
from cairn.core.models import Action
from cairn.people.models import CaseNote
from support import client_for, form_data

# Django's own sign-in form (signing in is core.views' and the sign-in hardening's).
NOT_RECORDING = {"SignInForm", "TimescaleRuleForm"}


def cairn_forms() -> list[type[forms.BaseForm]]:
    """Every form class Cairn defines, in any module of any app."""
    found = {}
    for module_info in pkgutil.walk_packages(cairn.__path__, "cairn."):
        name = module_info.name
        if ".migrations" in name or ".management" in name or name.startswith("cairn.synth"):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, forms.BaseForm) and cls.__module__.startswith("cairn.")
                    and cls.__name__ not in NOT_RECORDING):
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return list(found.values())


def test_every_cairn_form_limits_its_free_text():
    found = cairn_forms()
    assert len(found) > 40
    unlimited = [f"{cls.__module__}.{cls.__name__}" for cls in found
                 if not issubclass(cls, TextLimits)]
    assert not unlimited, f"forms without text limits: {unlimited}"


def test_a_field_without_a_limit_gets_its_kinds_and_a_govuk_message():
    class Form(GovukForm):
        notes = text("Notes", required=False)
        reason = text("Why is it cancelled?")
        where = text("Where", area=False)
        given_name = text("Given name", area=False, max_length=NAME)

    form = Form({"notes": "x" * (LONG_TEXT + 1), "reason": "x" * (REASON + 1),
                 "where": "x" * 201, "given_name": "x" * (NAME + 1)})
    assert not form.is_valid()
    assert form.errors == {
        "notes": ["Notes must be 20,000 characters or fewer"],
        "reason": ["The answer to \u201cWhy is it cancelled?\u201d must be 2,000 characters "
                   "or fewer"],
        "where": ["Where must be 200 characters or fewer"],
        "given_name": ["Given name must be 100 characters or fewer"],
    }
    assert Form({"notes": "x" * LONG_TEXT, "reason": "x" * REASON, "where": "x" * 200,
                 "given_name": "x" * NAME}).is_valid()


def test_fields_a_form_adds_as_it_is_made_are_limited_too():
    class Form(GovukForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["note_1"] = forms.CharField(label="Note", widget=forms.Textarea)

    form = Form({"note_1": "x" * (LONG_TEXT + 1)})
    assert form.errors == {"note_1": ["Note must be 20,000 characters or fewer"]}
    assert form["note_1"].field.max_length == LONG_TEXT  # drawn with its character count


@pytest.mark.django_db
def test_an_over_long_case_note_is_an_error_not_a_note(child, social_worker):
    response = client_for(social_worker).post(
        reverse("case_note_add", args=[child.pk]), form_data(
            kind="visit", occurred_on=child.birth_date, subject="Visit",
            body="x" * (LONG_TEXT + 1)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Case note must be 20,000 characters or fewer" in html
    assert html.count("Case note must be 20,000 characters or fewer") == 2  # summary and field
    assert "You can enter up to 20,000 characters" in html  # GOV.UK's character count
    assert not CaseNote.objects.exists()


@pytest.mark.django_db
def test_an_over_long_reason_to_cancel_an_action_is_an_error(child, social_worker):
    action = services.case_note_add(child=child, by=social_worker, kind="visit",
                                    occurred_on=child.birth_date, subject="Visit", body="Seen")
    agreed = core_services.action_add(source=action, what="Call the school", by=social_worker,
                                      owner=social_worker, due_on=child.birth_date)
    response = client_for(social_worker).post(
        reverse("action_cancel", args=[child.pk, agreed.pk]),
        {"reason": "x" * (REASON + 1), "version": agreed.version})
    assert response.status_code == 200
    assert "must be 2,000 characters or fewer" in response.content.decode()
    assert Action.objects.get().status == Action.Status.OPEN


@pytest.mark.django_db
def test_an_over_long_reason_to_remove_an_entry_is_an_error(child, social_worker):
    note = services.case_note_add(child=child, by=social_worker, kind="visit",
                                  occurred_on=child.birth_date, subject="Visit", body="Seen")
    response = client_for(social_worker).post(
        correction.remove_url(child.pk, "case_note.added", note.pk),
        {"reason": "x" * (REASON + 1), "version": note.version})
    assert response.status_code == 200
    assert "must be 2,000 characters or fewer" in response.content.decode()
    note.refresh_from_db()
    assert note.voided_at is None


@pytest.mark.django_db
def test_an_over_long_name_in_the_childs_details_is_an_error(child, social_worker):
    response = client_for(social_worker).post(
        reverse("child_details", args=[child.pk]),
        form_data(version=child.version, given_name="x" * (NAME + 1),
                  family_name=child.family_name, sex="M", ethnicity="WBRI"))
    assert response.status_code == 200
    assert "Given name must be 100 characters or fewer" in response.content.decode()
    child.refresh_from_db()
    assert child.given_name == "Alex"


@pytest.mark.django_db
def test_an_over_long_contact_at_the_front_door_is_an_error(child, front_door_worker):
    response = client_for(front_door_worker).post(
        reverse("frontdoor:contact_new", args=[child.pk]),
        {"concerns": "x" * (LONG_TEXT + 1), "caller_name": "x" * 151})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The answer to \u201cWhat are they worried about?\u201d must be 20,000 characters " \
           "or fewer" in html
    assert "The answer to \u201cWho made the contact?\u201d must be 150 characters or fewer" \
           in html
