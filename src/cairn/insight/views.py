"""An analyst's lists of children: those with a disability and those who are or were
unaccompanied asylum-seeking children (F22, F31)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cairn.access import policy

from . import selectors

PER_PAGE = 50


@login_required
def characteristics(request: HttpRequest) -> HttpResponse:
    """Children with a disability or unaccompanied asylum-seeking status, for those who
    produce the returns (the CIN census counts the first, the SSDA903 the second)."""
    policy.require_role(request.user, policy.RETURNS)
    show = request.GET.get("show", "")
    if show not in selectors.SHOWS:
        show = ""
    children = selectors.characteristics(viewer=request.user, show=show)
    page = Paginator(children, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "insight/characteristics.html", {
        "page": page, "show": show, "shows": selectors.SHOWS.items()})
