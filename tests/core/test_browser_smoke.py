"""The browser harness itself: Debian's Chromium under Playwright, live_server, sign-in, axe."""

import pytest
from playwright.sync_api import expect

from support import accessibility_violations, assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ACCESSIBLE = """<!doctype html><html lang="en"><head><title>Cairn</title></head>
<body><main><h1>Children's social care</h1><p>Sign in to continue.</p></main></body></html>"""


def test_chromium_opens_a_live_server_page(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    expect(page).to_have_title("Log in | Django site admin")
    expect(page.get_by_label("Username:")).to_be_visible()


def test_a_browser_signed_in_by_cookie_is_the_member_of_staff(page, live_server, administrator,
                                                              browser_log_in):
    administrator.is_staff = True  # the admin site is the one page every build has
    administrator.save()
    browser_log_in(administrator)
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("link", name="Log out").or_(
        page.get_by_role("button", name="Log out"))).to_be_visible()


def test_axe_passes_an_accessible_page_and_names_what_is_wrong(page, axe):
    page.set_content(ACCESSIBLE)
    axe(page)
    page.set_content(ACCESSIBLE.replace("<p>", '<p><img src="x.png">'))
    assert "image-alt" in {v["id"] for v in accessibility_violations(page)}
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt"):
        assert_accessible(page)
