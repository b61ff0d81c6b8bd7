"""Production settings come from the environment, and `cairn check --deploy` under them is
clean: HSTS, secure cookies, the HTTPS redirect and the proxy's header. The demo's plain http is
an explicit choice (CAIRN_PLAIN_HTTP) that the deploy check does warn about."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.test import RequestFactory, override_settings

from cairn.core import signin
from cairn.synth.management.commands import demo

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "cairn.example.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://cairn.example.gov.uk",
    "CAIRN_BEHIND_PROXY": "1",
}
# What a developer's or CI's shell may hold that production would not.
NOT_IN_PRODUCTION = {"CAIRN_PLAIN_HTTP", "CAIRN_DEBUG", "CAIRN_ALLOW_DEV_KEY", "DATABASE_URL",
                     "DJANGO_ALLOW_ASYNC_UNSAFE",
                     "CAIRN_HSTS_SECONDS", "CAIRN_HSTS_PRELOAD", "CAIRN_HSTS_INCLUDE_SUBDOMAINS",
                     "CAIRN_PROXY_COUNT", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    # SQLite in a folder of the test's own: the check needs no server database.
    return {**env, **PRODUCTION, "CAIRN_VAR_DIR": str(tmp_path), **extra}


def _cairn(tmp_path, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cairn", *args], env=_env(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


def _settings(tmp_path, **extra) -> dict:
    names = ["DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
             "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
             "SECURE_PROXY_SSL_HEADER", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "AXES_ENABLED"]
    script = ("import json, django; from django.conf import settings; django.setup(); "
              f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={**_env(tmp_path, **extra), "DJANGO_SETTINGS_MODULE": "cairn.settings"},
                         timeout=120, check=True)
    return json.loads(out.stdout)


def test_check_deploy_under_production_settings_gives_no_warning(tmp_path):
    result = _cairn(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_are_secure_by_default(tmp_path):
    values = _settings(tmp_path)
    assert values["DEBUG"] is False and values["AXES_ENABLED"] is True
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 365 * 86400
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLOWED_HOSTS"] == ["cairn.example.gov.uk"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://cairn.example.gov.uk"]


def test_without_a_proxy_the_forwarded_header_is_not_believed(tmp_path):
    values = _settings(tmp_path, CAIRN_BEHIND_PROXY="0")
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_plain_http_is_an_explicit_choice_the_deploy_check_warns_about(tmp_path):
    values = _settings(tmp_path, CAIRN_PLAIN_HTTP="1")
    assert not values["SECURE_SSL_REDIRECT"] and not values["SESSION_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 0
    result = _cairn(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                    CAIRN_PLAIN_HTTP="1")
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W012" in result.stderr


def test_the_deploy_check_warns_when_no_secret_key_is_set(tmp_path):
    env = {k: v for k, v in _env(tmp_path).items() if k != "SECRET_KEY"}
    result = subprocess.run([sys.executable, "-m", "cairn", "check", "--deploy"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert "cairn.W001" in result.stderr and "SECRET_KEY is not set" in result.stderr


def test_the_demo_serves_plain_http(monkeypatch):
    """`cairn demo` hands gunicorn the environment that lets it work over http on 127.0.0.1."""
    started = {}

    def execve(path, argv, env):
        started.update(argv=argv, env=env)

    monkeypatch.setattr(os, "execve", execve)
    demo.Command()._serve(8123, 1, "demo-key")
    assert started["env"]["CAIRN_PLAIN_HTTP"] == "1" and started["env"]["CAIRN_DEBUG"] == "0"
    assert "127.0.0.1:8123" in started["argv"]


@pytest.mark.parametrize("forwarded, remote, proxies, expected", [
    ("", "192.0.2.1", 0, "192.0.2.1"),
    ("203.0.113.9", "192.0.2.1", 0, "192.0.2.1"),          # no proxy: the header is the client's
    ("203.0.113.9", "10.0.0.2", 1, "203.0.113.9"),         # the address the proxy saw
    ("6.6.6.6, 203.0.113.9", "10.0.0.2", 1, "203.0.113.9"),  # the client's own entry ignored
    ("", "10.0.0.2", 1, "10.0.0.2"),                       # not through the proxy
    ("203.0.113.9, 10.0.0.7", "10.0.0.2", 2, "203.0.113.9"),
])
def test_the_client_address_behind_the_proxy(forwarded, remote, proxies, expected):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(CAIRN_PROXY_COUNT=proxies):
        assert signin.client_address(RequestFactory().get("/", **meta)) == expected
