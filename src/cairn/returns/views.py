"""The returns page: a performance analyst produces a return and validates it."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cairn.access import policy
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent

from . import annex_a, cin, ssda903, validators
from .forms import ReturnForm
from .models import ReturnKind, ValidationRun


def _latest_runs() -> list[ValidationRun]:
    out = []
    for kind in ReturnKind.values:
        run = (ValidationRun.objects.filter(kind=kind).select_related("ran_by")
               .order_by("-ran_at", "-id").first())
        if run:
            out.append(run)
    return out


def _page(request, form, status=200, error=""):
    return render(request, "returns/returns.html", {
        "form": form, "runs": _latest_runs(), "validator_error": error,
        "can_check": validators.available(), "not_set_up": validators.NOT_SET_UP},
        status=status)


@login_required
def returns(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.RETURNS)
    return _page(request, ReturnForm(initial={"kind": ReturnKind.CIN}))


@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """The return's file: the census XML, the 903 tables as one zip, Annex A's workbook."""
    policy.require_role(request.user, policy.RETURNS)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
    if kind == ReturnKind.CIN:
        body, name, mime = cin.to_bytes(cin.build(year)), f"cin-{year}.xml", "application/xml"
    elif kind == ReturnKind.SSDA903:
        body, name, mime = _ssda903_zip(year), f"ssda903-{year}.zip", "application/zip"
    else:
        as_of = form.day()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "annex-a.xlsx"
            annex_a.write(annex_a.build(as_of), path)
            body = path.read_bytes()
        name = f"annex-a-{as_of.isoformat()}.xlsx"
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    AuditEvent.objects.create(actor=request.user, kind=AuditEvent.Kind.EXPORTED,
                              action=f"returns.{kind}", object_type="returns.file",
                              object_id=name[:40], page=request.path[:300])
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _ssda903_zip(year: int) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        ssda903.write(ssda903.build(year), year, Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(Path(tmp).iterdir()):
                z.write(path, path.name)
    return buffer.getvalue()


@login_required
@require_POST
def validate(request: HttpRequest) -> HttpResponse:
    """Run the sector's validator now (it takes up to a minute) and show what it found."""
    policy.require_role(request.user, policy.RETURNS)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    kind = form.cleaned_data["kind"]
    try:
        result = validators.validate(kind, year=form.year_for(), by=request.user,
                                     as_of=form.day() if kind == ReturnKind.ANNEX_A else None)
    except RecordError as error:
        return _page(request, form, status=503, error=error.message)
    return redirect("returns_run", run_id=result.run.pk)


@login_required
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Every failure of one validation run, by rule, each with its child where the user may
    see the child. A return includes restricted children (the DfE requires it): a failure about
    a child out of the user's sight is listed as "a restricted record", without the child's
    name or identifier, so that the count of failures agrees with the list."""
    policy.require_role(request.user, policy.RETURNS)
    run = get_object_or_404(ValidationRun, pk=run_id)
    failures = list(run.failures.select_related("child").order_by("rule", "row", "id"))
    visible = set(policy.visible_children(request.user)
                  .filter(pk__in={f.child_id for f in failures if f.child_id})
                  .values_list("pk", flat=True))
    rules: dict[str, list] = defaultdict(list)
    hidden = 0
    for f in failures:
        f.restricted = bool(f.child_id) and f.child_id not in visible
        if f.restricted:
            hidden += 1
            # Nothing of the child reaches the template: not the name, not the LA child ID.
            f.child, f.la_child_id = None, ""
        rules[f.rule].append(f)
    groups = sorted(rules.items(), key=lambda kv: (_rule_order(kv[0]), kv[0]))
    return render(request, "returns/run.html", {
        "run": run, "groups": groups, "hidden": hidden, "total": len(failures),
        "latest": run.pk == (ValidationRun.objects.filter(kind=run.kind)
                             .order_by("-ran_at", "-id").values_list("pk", flat=True).first()),
    })


def _rule_order(rule: str) -> int:
    digits = "".join(ch for ch in rule if ch.isdigit())
    return int(digits) if digits else 0
