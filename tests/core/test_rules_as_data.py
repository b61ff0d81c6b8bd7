"""Rules as data: each names facts that exist (checked when saved, by `cairn check`, after
migrating and by the engine), says its limit in words, and names whose list its items go on."""

import ast
import importlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import checks as django_checks
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from cairn import core
from cairn.core import checks, names, timescales
from cairn.core.models import TimescaleRule
from cairn.core.rules import DEFAULT_RULES
from cairn.people.models import CaseNote
from cairn.protection.models import ChildProtectionPlan
from cairn.workforce.models import Role
from support import client_for

pytestmark = pytest.mark.django_db
Unit = TimescaleRule.Unit


def _bad_rule(**changes) -> TimescaleRule:
    """A stored rule naming a fact nothing records (as a typo saved past the admin would)."""
    rule = TimescaleRule.objects.get(code=names.CONTACT_DECISION)
    TimescaleRule.objects.filter(pk=rule.pk).update(**{"finishes": "contact.decidd", **changes})
    return rule


@pytest.mark.parametrize("limit, unit, words", [
    (16, Unit.WEEKS, "16 weeks"), (1, Unit.WORKING_DAYS, "1 working day"),
    (45, Unit.WORKING_DAYS, "45 working days"), (72, Unit.HOURS, "72 hours"),
    (1, Unit.TERMS, "1 school term"), (3, Unit.MONTHS, "3 months")])
def test_a_rule_says_its_limit_in_words(limit, unit, words):
    assert TimescaleRule(first_limit=limit, first_unit=unit).describe() == words


def test_a_rule_naming_an_unknown_fact_is_refused_when_saved():
    rule = TimescaleRule.objects.get(code=names.PRE_PROCEEDINGS)
    rule.finishes, rule.stops = "pre_proceedings.endd", f"{names.CP_PLAN_ENDED}, nothing.here"
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert set(error.value.message_dict) == {"finishes", "stops"}
    assert error.value.message_dict["stops"] == [
        "No fact is called nothing.here: name a fact the record keeps, such as "
        "pre_proceedings.started"]


def test_the_admin_site_refuses_an_unknown_fact_in_plain_english(administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client = client_for(administrator)
    response = client.post("/admin/core/timescalerule/add/", {
        "code": "local-visit", "name": "Local visit", "starts": "cp_plan.begun",
        "finishes": names.CP_PLAN_VISITED, "stops": "", "extended_by": "", "first_limit": "5",
        "first_unit": Unit.WORKING_DAYS, "responsible": names.SOCIAL_WORKER, "source": "Local",
        "local": "on", "active": "on"})
    assert response.status_code == 200
    assert "No fact is called cp_plan.begun" in response.content.decode()
    assert not TimescaleRule.objects.filter(code="local-visit").exists()
    # A local rule's facts are read-only once saved: a bad one stored there is said above the
    # form, not lost (and not a crash).
    rule = _bad_rule()
    fields = {f: getattr(rule, f) for f in ("name", "first_limit", "first_unit",
                                            "responsible", "source")}
    response = client.post(f"/admin/core/timescalerule/{rule.pk}/change/",
                           {**fields, "extended_by": "", "local": "on", "active": "on"})
    assert response.status_code == 200
    assert "Finishes: No fact is called contact.decidd" in response.content.decode()


def test_cairn_check_lists_rules_naming_unknown_facts():
    assert not [m for m in checks.rules_name_known_facts() if m.id == "cairn.E001"]
    _bad_rule(stops="nowhere.closed")
    [message] = [m for m in django_checks.run_checks() if m.id == "cairn.E001"]
    assert "'contact-decision'" in message.msg
    assert "finishes contact.decidd" in message.msg and "stops nowhere.closed" in message.msg
    with pytest.raises(SystemCheckError, match="contact.decidd"):
        call_command("check")


def test_the_engine_refuses_a_rule_naming_an_unknown_fact_rather_than_skip_it():
    _bad_rule()
    with pytest.raises(timescales.UnknownFacts, match="contact-decision: contact.decidd"):
        timescales.evaluate()
    with pytest.raises(timescales.UnknownFacts):
        timescales.open_items()


def test_migrating_refuses_rules_left_naming_unknown_facts():
    checks.refuse_after_migrate(sender=None, using="default")  # the defaults are sound
    _bad_rule()
    with pytest.raises(timescales.UnknownFacts):
        checks.refuse_after_migrate(sender=None, using="default")


def test_the_default_rules_migration_is_frozen():
    module = importlib.import_module("cairn.core.migrations.0004_default_timescale_rules")
    source = Path(module.__file__).read_text()
    assert "cairn.core.rules" not in source and "import cairn" not in source
    # Every literal there is a field TimescaleRule had at that migration.
    state = MigrationLoader(connection).project_state(("core", "0004_default_timescale_rules"))
    fields = {f.name for f in state.apps.get_model("core", "TimescaleRule")._meta.fields}
    assert all(set(rule) <= fields for rule in module.DEFAULT_RULES)


def test_the_migrations_leave_the_rules_the_code_starts_with():
    # The test database was built by the migrations: 0004's rules, renamed by 0006.
    stored = {r.code: r for r in TimescaleRule.objects.all()}
    for rule in DEFAULT_RULES:
        got = stored[rule["code"]]
        assert (got.starts, got.finishes, got.stops, got.extended_by, got.responsible) == (
            rule["starts"], rule["finishes"], rule.get("stops", ""),
            rule.get("extended_by", ""), rule["responsible"]), rule["code"]


def test_whose_list_each_rule_goes_on():
    rules = {r.code: r.responsible for r in TimescaleRule.objects.all()}
    assert {code for code, who in rules.items() if who == names.IRO} == {
        names.REVIEW_CONFERENCE, names.CLA_REVIEW}
    assert rules[names.PRE_PROCEEDINGS] == names.TEAM_MANAGER
    assert rules[names.CONTACT_DECISION] == names.FRONT_DOOR
    assert rules[names.PATHWAY_PLAN_REVIEW] == rules[names.PA_CONTACT] == names.PERSONAL_ADVISER
    # Roles are the workforce's own values, so a person's role finds their rules.
    assert {value for value, _ in names.RESPONSIBLE} <= set(Role.values)


def test_open_items_for_one_responsible_person(child, social_worker):
    started = timezone.localdate() - timedelta(days=3)
    ChildProtectionPlan.objects.create(child=child, started_on=started,
                                       initial_category_of_abuse="NEG")
    chair = timescales.open_items([child.pk], responsible=names.IRO)
    worker = timescales.open_items([child.pk], responsible=names.SOCIAL_WORKER)
    assert [d.rule.code for d in chair] == [names.REVIEW_CONFERENCE]
    assert {d.rule.code for d in worker} == {names.CP_VISIT, names.FIRST_CORE_GROUP}
    assert all(d.responsible == names.SOCIAL_WORKER for d in worker)
    assert timescales.open_items([child.pk], responsible=names.PERSONAL_ADVISER) == []


def test_ages_come_from_the_born_fact(child):
    # The engine reads birth dates through core.facts, not from the people app's models.
    child.birth_date = None
    child.save()
    rule = TimescaleRule(code="t-age", name="Age test", starts=names.CASE_NOTE_ADDED,
                         finishes=names.CHILD_SEEN, first_limit=5, first_unit=Unit.DAYS,
                         min_age=1)
    CaseNote.objects.create(child=child, kind="phone", occurred_on=date(2026, 3, 2),
                            subject="Call", body="-")
    assert timescales.evaluate([child.pk], today=date(2026, 4, 1), rules=[rule]) == []
    child.birth_date = date(2020, 1, 1)
    child.save()
    [due] = timescales.evaluate([child.pk], today=date(2026, 4, 1), rules=[rule])
    assert due.due_on == date(2026, 3, 7)


CORE = Path(core.__file__).parent
MINE = ["timescales.py", "facts.py", "rules.py", "names.py", "models.py", "admin.py",
        "checks.py", "apps.py"]


@pytest.mark.parametrize("module", MINE)
def test_core_imports_no_other_cairn_app(module):
    tree = ast.parse((CORE / module).read_text())
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith("cairn.") and not m.startswith("cairn.core")]
