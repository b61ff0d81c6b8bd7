"""A refused request is one line in the log with the path and the user's id, not a traceback;
no error page shows a server path, a traceback or a command."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, override_settings
from django.urls import include, path

import support
from cairn.core.logs import RefusalsOnOneLine

pytestmark = pytest.mark.django_db

SECRET_PATH = "/srv/cairn/src/cairn/secret_module.py"


def _refuse(request):
    raise PermissionDenied(f"view not allowed in {SECRET_PATH}")


def _missing(request):
    raise Http404(f"No Child matches the query ({SECRET_PATH})")


def _suspicious(request):
    raise SuspiciousOperation(f"odd request ({SECRET_PATH})")


def _broken(request):
    raise RuntimeError(f"failed running `cairn migrate` in {SECRET_PATH}")


urlpatterns = [
    path("refused/", _refuse), path("missing/", _missing), path("suspicious/", _suspicious),
    path("broken/", _broken), path("", include("cairn.urls")),
]


def _request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("django.request", "django.security"))]


def test_a_refused_child_record_is_one_line_with_the_path_and_user(caplog, social_worker):
    child = support.make_child()
    client = support.client_for(social_worker)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/children/{child.pk}/").status_code == 404
    [record] = _request_records(caplog)
    assert record.getMessage() == f"Not Found: /children/{child.pk}/ (user {social_worker.pk})"
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert child.given_name not in record.getMessage()


@override_settings(ROOT_URLCONF=__name__)
def test_a_permission_denied_is_one_line_not_a_traceback(caplog, social_worker):
    client = support.client_for(social_worker)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/refused/")
    assert response.status_code == 403
    [record] = _request_records(caplog)
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage() == (
        f"Forbidden (Permission denied): /refused/ (user {social_worker.pk})")
    assert "Traceback" not in caplog.text


@override_settings(ROOT_URLCONF=__name__)
def test_a_signed_out_refusal_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get("/missing/")
    [record] = _request_records(caplog)
    assert record.getMessage() == "Not Found: /missing/ (signed out)"


@override_settings(ROOT_URLCONF=__name__)
def test_a_suspicious_request_is_one_line_through_the_console(caplog, social_worker):
    """django.security logs from a logger per exception; the console handler's filter makes it
    one line there."""
    with caplog.at_level(logging.WARNING):
        assert support.client_for(social_worker).get("/suspicious/").status_code == 400
    [record] = [r for r in caplog.records if r.name.startswith("django.security")]
    handler = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, RefusalsOnOneLine) for f in h.filters))
    handler.filter(record)
    assert record.exc_info is None
    assert handler.format(record) == (
        f"odd request ({SECRET_PATH}): /suspicious/ (user {social_worker.pk})")


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_keeps_its_traceback_but_the_page_does_not(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    [record] = _request_records(caplog)
    assert record.exc_info is not None  # for whoever mends it, in the log only
    _assert_says_nothing_of_the_server(response.content.decode())


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url, status", [
    ("/refused/", 403), ("/missing/", 404), ("/suspicious/", 400), ("/broken/", 500)])
def test_error_pages_show_no_path_or_command(url, status, social_worker):
    client = support.client_for(social_worker)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    _assert_says_nothing_of_the_server(response.content.decode())


def test_the_csrf_failure_page_is_plain_english(social_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.post("/sign-out/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form could not be sent" in html and "CSRF" not in html
    _assert_says_nothing_of_the_server(html)


def test_an_unknown_host_gets_the_plain_bad_request_page():
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sorry, Cairn could not understand that request" in html
    assert "ALLOWED_HOSTS" not in html and "evil.example" not in html


def _assert_says_nothing_of_the_server(html: str) -> None:
    for leak in (SECRET_PATH, "/srv/", "/work/", ".py", "Traceback", "cairn migrate",
                 "settings", "DEBUG"):
        assert leak not in html, leak
