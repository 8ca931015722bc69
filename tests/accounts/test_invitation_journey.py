"""The whole way in for a new person, with two-factor authentication required as in
production: invited, accepts, sets a password, sets up an authenticator app, signs in again
with a code."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from accounts.roles import Role
from tests.accounts.factories import DEMO_PASSWORD, totp_code
from tests.browser import check_accessibility, screenshot, sign_in
from tests.roles import person_with

PASSPHRASE = "copper kettle harbour lantern"


@pytest.fixture
def national(settings, reference_data):
    settings.MFA_REQUIRED = True
    return person_with(Role.NATIONAL, full_name="Nadia National")


def test_an_invited_person_joins_sets_up_two_factor_and_signs_in_with_a_code(
    page, browser, live_server, national
):
    sign_in(page, national.email, DEMO_PASSWORD)
    page.goto("/people/invitations/new/")
    page.fill("input[name=full_name]", "Priya South")
    page.fill("input[name=email]", "priya.south@example.org")
    page.get_by_role("radio", name="HEE regional lead").check()
    page.select_option("select[name=region]", label="South")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation for Priya South")

    link = re.search(r"https?://\S+(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(link)
    invitee.fill("input[name=password1]", PASSPHRASE)
    invitee.fill("input[name=password2]", PASSPHRASE)
    invitee.get_by_role("button", name="Create account").click()

    # Two-factor authentication is required before anything else.
    expect(invitee).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    invitee.goto("/regions/")
    expect(invitee).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = invitee.locator("#authenticator_secret").inner_text().replace(" ", "")
    invitee.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee).to_have_url(re.compile(r"/$"))
    invitee.get_by_role("button", name="Sign out").click()
    invitee.wait_for_load_state()

    invitee.goto("/accounts/login/")
    invitee.fill("input[name=login]", "priya.south@example.org")
    invitee.fill("input[name=password]", PASSPHRASE)
    invitee.get_by_role("button", name="Sign in").click()
    expect(invitee).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    # The code used at set-up is spent; the app's next one is accepted a little early.
    invitee.get_by_label("Security code").fill(totp_code(secret, at=time.time() + 30))
    invitee.get_by_role("button", name="Sign in").click()
    expect(invitee).to_have_url(re.compile(r"/$"))
    invitee.goto("/people/")
    expect(invitee.get_by_role("heading", level=1)).to_have_text("People")
    check_accessibility(invitee)
    screenshot(invitee, "invited-lead-people")
    assert RoleAssignment.objects.get(user__email="priya.south@example.org").role == (
        Role.REGIONAL_LEAD
    )
    invitee.context.close()
