"""Signing in as a person would: repeated failures reach the lockout page, which passes axe, as do
the plain pages for a bad request and a form that could not be sent."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

import support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _try(page, username, password):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_repeated_failures_reach_a_plain_lockout_page(page, live_server, social_worker, axe):
    page.goto(live_server.url + "/sign-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(page, social_worker.username, "not-the-password")
        expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    _try(page, social_worker.username, "not-the-password")
    expect(page.get_by_role("heading", name="You cannot sign in for now")).to_be_visible()
    expect(page.get_by_text("Wait 15 minutes, then try again")).to_be_visible()
    expect(page).to_have_title(re.compile("^You cannot sign in for now"))
    axe(page)
    # The right password does not get past the lock.
    page.goto(live_server.url + "/sign-in/")
    _try(page, social_worker.username, support.PASSWORD)
    expect(page.get_by_role("heading", name="You cannot sign in for now")).to_be_visible()


def test_the_bad_request_and_form_not_sent_pages_pass_axe(page, social_worker, axe):
    bad = Client().get("/", HTTP_HOST="evil.example").content.decode()
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    not_sent = client.post("/sign-out/").content.decode()
    for html, heading in [(bad, "Sorry, Cairn could not understand that request"),
                          (not_sent, "Your form could not be sent")]:
        page.set_content(html)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        axe(page)
