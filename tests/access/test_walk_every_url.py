"""Every URL pattern, walked as every role: no restricted child's name where the viewer is not
named on the record (issue 11).

The data is a small synthetic authority (synth.Builder) in which some children are restricted:
enough of them that every kind of record a URL names (a contact, a plan, a hearing...) exists on
a restricted child. Each restricted child is renamed to a name nothing else holds, and related as
a sibling to an ordinary child the roles may open. Every URL pattern Django knows is found from
the resolver (so a page added later is walked too), its path parameters filled with the ids of a
restricted child's rows and again with a sibling's, and each URL is fetched (GET) by one member of
staff per role and by one named on the restricted records. A response body (a page or a file)
holding a restricted child's forename, surname or full name fails the test unless the viewer is
named; the named viewer must find each name somewhere, or the test proves nothing.

A pattern whose parameters cannot be filled fails the test: add its parameter to FILL (or its
route to FILL_BY_ROUTE) rather than leaving it out. Only EXCLUDED patterns are not walked.
"""

from __future__ import annotations

import io
import logging
import time
import zipfile
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import support
from cairn.access.models import AccessGrant
from cairn.casework import actions as casework_actions
from cairn.core import facts
from cairn.core import services as core_services
from cairn.frontdoor.models import Contact
from cairn.insight.models import PerformanceReport
from cairn.people.models import Child, Relationship
from cairn.protection.models import CINPlan, PlanNeed
from cairn.returns.models import ReturnJob, ValidationFailure, ValidationRun
from cairn.synth.builder import Builder
from cairn.workforce.models import Allocation, Role, Team

pytestmark = pytest.mark.django_db

# Patterns not walked, by the namespace or name they are reversed by, with why.
EXCLUDED = {
    "admin": "the Django admin: the administrator's configuration, which shows no child's "
             "name (the admin's own tests); its object URLs take any model's ids",
}

# Path parameters: the model whose row (on the child being walked) fills each, by name.
FILL = {
    "contact_id": "frontdoor.Contact",
    "referral_id": "frontdoor.Referral",
    "episode_id": "frontdoor.EarlyHelpEpisode",
    "step_id": "frontdoor.StepDecision",
    "assessment_id": "protection.Assessment",
    "enquiry_id": "protection.Section47Enquiry",
    "safety_plan_id": "protection.SafetyPlan",
    "need_id": "protection.PlanNeed",
    "plo_id": "legal.PreProceedings",
    "order_id": "legal.LegalOrder",
    "proceedings_id": "legal.CareProceedings",
    "hearing_id": "legal.Hearing",
    "direction_id": "legal.CourtDirection",
    "grant_id": "access.AccessGrant",
}
# The same name meaning different rows on different routes: (parameter, part of the route).
FILL_BY_ROUTE = {
    ("plan_id", "early-help/plans/"): "frontdoor.EarlyHelpPlan",
    ("plan_id", "cin-plans/"): "protection.CINPlan",
    ("plan_id", "protection-plans/"): "protection.ChildProtectionPlan",
    ("pk", "/actions/"): "core.Action",
    ("pk", "/case-notes/"): "people.CaseNote",
}
# Parameters naming rows that belong to no child (the authority's inspections and improvement
# plan): filled with the synthetic authority's first such row, the same for every child walked.
NOT_A_CHILDS = {
    "inspection_id": "inspection.Inspection",
    "area_id": "inspection.AreaForImprovement",
    "improvement_action_id": "inspection.ImprovementAction",
    "access_id": "inspection.InspectorAccess",
}
SEED, CHILDREN = 22, 40
SYNTH_AS_OF = date(2026, 11, 20)
SIBLINGS = 3  # ordinary children related to a restricted child, walked as well


def _model_for(name: str, route: str) -> str | None:
    for (param, part), label in FILL_BY_ROUTE.items():
        if param == name and part in route:
            return label
    return FILL.get(name)


def _row(label: str, child: Child, filled: dict[str, Model]):
    """A row of `label` on `child`, belonging to the rows already chosen for the URL where it
    has a key to one of them (a need of the plan chosen, a hearing of the proceedings)."""
    model = apps.get_model(label)
    rows = model._default_manager.filter(child=child)
    for row in filled.values():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is type(row):
                rows = rows.filter(**{field.name: row})
    return rows.order_by("pk").first()


_CHRONOLOGIES: dict[int, list] = {}


def _chronology(child_id: int) -> list:
    if child_id not in _CHRONOLOGIES:
        _CHRONOLOGIES[child_id] = facts.chronology(child_id)
    return _CHRONOLOGIES[child_id]


def _fill(route: str, names: list[str], child: Child, *, assume=frozenset()
          ) -> tuple[dict, str | None]:
    """The path parameters of `route` for `child`'s rows, or (partial, the parameter missing).
    Parameters or models in `assume` count as filled (with 0) when the child has none yet."""
    kwargs, filled = {}, {}
    for name in names:
        if name == "child_id":
            kwargs[name] = child.pk
        elif name == "team_id":
            allocation = Allocation.objects.filter(child=child).order_by("-started_on").first()
            if allocation is None:
                return kwargs, name
            kwargs[name] = allocation.team_id
        elif name in ("run_id", "job_id"):  # a check whose failures name the child
            failure = ValidationFailure.objects.filter(child=child).first()
            job = failure and ReturnJob.objects.filter(run=failure.run_id).first()
            if (job if name == "job_id" else failure) is None and name not in assume:
                return kwargs, name
            kwargs[name] = (job.pk if job else 0) if name == "job_id" else (
                failure.run_id if failure else 0)
        elif name == "fact_name" or (name == "pk" and "fact_name" in names):
            events = _chronology(child.pk)
            if not events:
                return kwargs, name
            kwargs["fact_name"], kwargs["pk"] = events[0].fact, events[0].pk
        elif name == "indicator_id":  # children in need: the restricted children among them
            kwargs[name] = "cin_cin_31mar"
        elif name == "number" and "/versions/" in route:  # an assessment's first version
            kwargs[name] = 1
        elif name == "person_id":  # an adult in the child's network (their own record)
            related = (Relationship.objects.current()
                       .filter(child=child, person__la_child_id__isnull=True).order_by("pk").first())
            if related is None:
                return kwargs, name
            kwargs[name] = related.person_id
        elif name == "staff_id":  # the child's worker: what they opened
            allocation = Allocation.objects.filter(child=child).order_by("-started_on").first()
            if allocation is None:
                return kwargs, name
            kwargs[name] = allocation.worker_id
        elif name == "report_id":  # a performance report: the authority's, no child's
            report = PerformanceReport.objects.order_by("pk").first()
            if report is None:
                return kwargs, name
            kwargs[name] = report.pk
        elif name == "indicator":  # one of its figures
            kwargs[name] = "cin_referrals"
        elif name in NOT_A_CHILDS:
            row = apps.get_model(NOT_A_CHILDS[name])._default_manager.order_by("pk").first()
            if row is None:
                return kwargs, name
            kwargs[name] = row.pk
        elif name in ("source", "source_id"):
            for label, source in casework_actions.SOURCES.items():
                row = source.model._default_manager.filter(child=child).first()
                if row is not None:
                    kwargs["source"], kwargs["source_id"] = label, row.pk
                    break
            else:
                return kwargs, name
        else:
            label = _model_for(name, route)
            if label is None:
                raise AssertionError(
                    f"The walk cannot fill <{name}> in {route!r}: add it to FILL (or "
                    "FILL_BY_ROUTE) with the model whose id it takes")
            row = _row(label, child, filled)
            if row is None and label in assume:
                kwargs[name] = 0
                continue
            if row is None:
                return kwargs, name
            kwargs[name], filled[name] = row.pk, row
    return kwargs, None


def _patterns(resolver=None, route: str = "", namespace: str = ""):
    """(name to reverse, route, parameter names) of every URL pattern, however nested."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXCLUDED or entry.app_name in EXCLUDED:
                continue
            yield from _patterns(entry, route + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            full = route + str(entry.pattern)
            if name in EXCLUDED:
                continue
            assert name, f"{full!r} has no name, so the walk cannot build its URL: name it"
            params = list(entry.pattern.regex.groupindex)
            yield name, full, params


# Rows the fixture adds to each restricted child once chosen: an action, a return's failure
# (from a check an analyst asked for).
# (The synthetic authority records no protection plan's needs: the fixture adds one.)
# (The named viewer's grants are added too.)
ADDED_LATER = {"run_id", "job_id", "core.Action", "protection.PlanNeed", "access.AccessGrant"}


def _restricted_cover() -> list[Child]:
    """Children to restrict: together they fill every URL pattern's parameters (with the rows
    ADDED_LATER), the fewest the greedy choice finds."""
    fills: dict[int, set[str]] = {}
    for child in Child.objects.order_by("pk"):
        fills[child.pk] = {name for name, route, params in _patterns() if params and
                           _fill(route, params, child, assume=ADDED_LATER)[1] is None}
    wanted = set().union(*fills.values())
    chosen: list[int] = []
    while wanted:
        best = max(fills, key=lambda pk: (len(fills[pk] & wanted), -pk))
        chosen.append(best)
        wanted -= fills[best]
    return list(Child.objects.filter(pk__in=chosen).order_by("pk"))


# Names nothing in the synthetic authority holds: letters only, so no escaping changes them.
NAMES = [("Quorra", "Vantablack"), ("Zephyrine", "Oxleymoor"), ("Ismenia", "Thistlewick"),
         ("Corvinus", "Marrowgate"), ("Perpetua", "Wolvercote"), ("Thaddeus", "Quillfeather"),
         ("Oriel", "Blackthorpe"), ("Severin", "Haldenmoss"), ("Lucasta", "Grimsditch"),
         ("Ambrosine", "Fettercairn"), ("Tybalt", "Underhallow"), ("Ottoline", "Pennyquick")]


def _unique_name(n: int) -> tuple[str, str]:
    """The n-th name for a restricted child: the list's, then made up (letters only)."""
    if n < len(NAMES):
        return NAMES[n]
    tail = "".join(chr(ord("a") + int(d)) for d in str(n))
    return f"Xerxia{tail}", f"Vollmarsh{tail}"


@pytest.fixture
def authority():
    today = timezone.localdate()
    # The date synth's own tests build at, before the suite's clock: this seed holds every
    # kind of row a URL names (care proceedings, hearings, directions) by then.
    Builder(children=CHILDREN, seed=SEED, years=5, as_of=SYNTH_AS_OF, progress=False).build()
    # Those the cover chooses, and any the synthetic authority restricted itself.
    restricted = sorted({*_restricted_cover(), *Child.objects.filter(restricted=True)},
                        key=lambda child: child.pk)
    for n, child in enumerate(restricted):
        given, family = _unique_name(n)
        child.given_name, child.family_name, child.other_names = given, family, ""
        child.restricted, child.restriction_reason = True, "Walk: a staff member's relative"
        child.save()
    first = restricted[0]
    allocation = (Allocation.objects.current().active_on(today).filter(child__in=restricted)
                  .select_related("team").order_by("child_id").first())
    team = allocation.team if allocation else Team.objects.order_by("pk").first()
    # One member of staff per role, in a team holding a restricted child: its manager, its
    # service's manager, its workers. None is allocated to or granted a restricted child.
    viewers = {}
    for role, _ in Role.choices:
        viewers[role] = support.make_staff(f"walk_{role}", role, team, access_until=(
            today + timedelta(days=14) if role == Role.INSPECTOR else None))
    team.manager = viewers[Role.TEAM_MANAGER]
    team.save(update_fields=["manager"])
    team.service.manager = viewers[Role.SERVICE_MANAGER]
    team.service.save(update_fields=["manager"])
    named = support.make_staff("walk_named", Role.SOCIAL_WORKER,
                               Team.objects.exclude(pk=team.pk).order_by("pk").first())
    for child in restricted:
        AccessGrant.objects.create(child=child, staff=named, granted_by=named,
                                   reason="Walk: named on the restricted record")
    # Ordinary children in the same team, each a sibling of a restricted child both ways, and
    # open to every role that holds children (allocated) or samples them (granted).
    ordinary = list(Child.objects.filter(restricted=False, allocations__team=team).distinct()
                    .order_by("pk")[:SIBLINGS])
    kinds = {Role.SOCIAL_WORKER: Allocation.Kind.SOCIAL_WORKER, Role.IRO: Allocation.Kind.IRO,
             Role.PERSONAL_ADVISER: Allocation.Kind.PERSONAL_ADVISER,
             Role.EARLY_HELP: Allocation.Kind.EARLY_HELP,
             Role.FOSTERING: Allocation.Kind.FOSTERING}
    for n, sibling in enumerate(ordinary):
        hidden = restricted[n % len(restricted)]
        Relationship.objects.create(child=sibling, person=hidden, kind="sibling",
                                    recorded_by=named)
        Relationship.objects.create(child=hidden, person=sibling, kind="sibling",
                                    recorded_by=named)
        for role, kind in kinds.items():
            support.allocate(sibling, viewers[role], kind=kind)
        AccessGrant.objects.create(child=sibling, staff=viewers[Role.INSPECTOR],
                                   reason="Walk: the inspection's sample")
    # Work on the restricted records that lists elsewhere might show: an action owned by a
    # worker who is not named, a contact waiting for the front door, a return's failures.
    for plan in CINPlan.objects.filter(child__in=restricted):
        PlanNeed.objects.create(child=plan.child, cin_plan=plan, need="Walk: a safe home",
                                outcome="Walk: settled", recorded_by=named)
    for child in restricted:
        for label, source in casework_actions.SOURCES.items():
            row = source.model._default_manager.filter(child=child).first()
            if row is not None:
                core_services.action_add(source=row, what="Walk: visit the family", by=named,
                                         owner=viewers[Role.SOCIAL_WORKER],
                                         due_on=today - timedelta(days=3))
                break
        Contact.objects.create(child=child, received_at=timezone.now(), source="8",
                               concerns="Walk: a new concern", consent="given",
                               recorded_by=viewers[Role.FRONT_DOOR])
    run = ValidationRun.objects.create(kind="cin", year=today.year, ran_by=named)
    ReturnJob.objects.create(what="check", kind="cin", year=today.year, requested_by=named,
                             status="done", run=run)
    for child in restricted:
        ValidationFailure.objects.create(run=run, child=child, la_child_id=child.la_child_id,
                                         rule="100", message="Walk: a rule failed")
    return {"restricted": restricted, "siblings": ordinary, "viewers": viewers, "named": named,
            "first": first}


def _body(response) -> str:
    """Everything a user receives: the page, or a file (each member of a zip, an xlsx)."""
    raw = (b"".join(response.streaming_content) if response.streaming
           else response.content)
    parts = [raw]
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = [archive.read(name) for name in archive.namelist()]
    return "\n".join(p.decode("utf-8", errors="replace") for p in parts).casefold()


def _urls(restricted, siblings) -> tuple[list[tuple[str, str]], list[str]]:
    """(pattern name, URL) to fetch, and the patterns that could not be filled."""
    urls, unfilled = [], []
    for name, route, params in _patterns():
        if not params:
            urls.append((name, reverse(name)))
            continue
        for group, required in ((restricted, True), (siblings, False)):
            missing = None
            for child in group:
                kwargs, missing = _fill(route, params, child)
                if missing is None:
                    urls.append((name, reverse(name, kwargs=kwargs)))
                    break
            if missing is not None and required:
                unfilled.append(f"{name} ({route}): no restricted child has a row for "
                                f"<{missing}>")
    # Searches for each restricted child: by name misspelt (a search page shows the query
    # typed, so the name itself would be found in every answer), by date of birth and by
    # identifier.
    for child in restricted:
        for query in (f"{child.given_name[:-1]} {child.family_name[:-1]}",
                      f"{child.birth_date:%d/%m/%Y}", child.la_child_id):
            urls.append(("search", reverse("search") + "?" + urlencode({"q": query})))
    return urls, unfilled


@pytest.fixture
def quiet():
    """Each refusal logs a warning: thousands of them would bury the test's own message."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_no_restricted_name_reaches_anyone_not_named(authority, quiet):
    started, cpu = time.monotonic(), time.process_time()
    restricted, siblings = authority["restricted"], authority["siblings"]
    urls, unfilled = _urls(restricted, siblings)
    assert not unfilled, "URL patterns the walk cannot fill:\n" + "\n".join(unfilled)
    tokens = {child.pk: [t.casefold() for t in
                         (child.given_name, child.family_name, child.full_name)]
              for child in restricted}
    viewers = [*authority["viewers"].values(), authority["named"]]
    leaks, seen, errors = [], set(), []
    responses = 0
    for viewer in viewers:
        client = Client(raise_request_exception=False)
        client.force_login(viewer)
        is_named = viewer == authority["named"]
        for name, url in urls:
            response = client.get(url)
            responses += 1
            if response.status_code >= 500:
                errors.append(f"{viewer.role} GET {url}: {response.status_code}")
            body = _body(response)
            for pk, words in tokens.items():
                found = [w for w in words if w in body]
                if not found:
                    continue
                if is_named:
                    seen.add(pk)
                else:
                    leaks.append(f"{viewer.role} GET {url} ({name}): {', '.join(found)}")
    patterns = len({name for name, _ in urls})
    print(f"\nwalk: {patterns} URL patterns, {len(urls)} URLs, {len(viewers)} viewers "
          f"({len(viewers) - 1} roles and one named), {responses} responses checked for "
          f"{len(restricted)} restricted children, in {time.monotonic() - started:.1f} s "
          f"({time.process_time() - cpu:.1f} s of CPU)")
    assert not errors, "Server errors:\n" + "\n".join(errors)
    assert not leaks, f"{len(leaks)} responses name a restricted child:\n" + "\n".join(leaks)
    assert seen == set(tokens), "The named member of staff never saw some restricted names"
