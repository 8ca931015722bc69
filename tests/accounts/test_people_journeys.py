import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from accounts.roles import Role
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.roles import person_with


@pytest.fixture
def lead(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.REGIONAL_LEAD, "north", full_name="Nora North")


def test_a_lead_invites_a_fellow_who_accepts_and_is_signed_in(page, browser, live_server, lead):
    sign_in(page, lead.email, DEMO_PASSWORD)
    # Past what the header has room for, People is under its "More" menu.
    people = page.get_by_role("link", name="People", exact=True)
    if not people.is_visible():
        page.locator("#toggle-menu").click()
    people.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    check_accessibility(page)

    # Signed in moments ago, which counts as confirming who they are: no password prompt yet.
    page.get_by_role("link", name="Invite someone").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "invite-errors")

    page.fill("input[name=full_name]", "Finn North")
    page.fill("input[name=email]", "finn.north@example.org")
    page.get_by_role("radio", name="Safety fellow").check()
    page.select_option("select[name=region]", label="North")
    page.select_option("select[name=psc]", label="Health Innovation North East and North Cumbria")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation for Finn North")
    expect(page.locator(".nhsuk-tag")).to_have_text("Pending")
    check_accessibility(page)
    screenshot(page, "invitation")

    link = re.search(r"https?://\S+(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Create your account")
    check_accessibility(invitee)
    invitee.fill("input[name=password1]", "purple tractor meadow")
    invitee.fill("input[name=password2]", "purple tractor meadow")
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee).to_have_url(re.compile(r"/$"))
    expect(invitee.get_by_role("button", name="Sign out")).to_be_visible()
    assert RoleAssignment.objects.get(user__email="finn.north@example.org").role == Role.FELLOW

    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(
        "This invitation has already been used"
    )
    check_accessibility(invitee)
    invitee.context.close()


def test_a_lead_ends_a_fellows_role(page, lead):
    fellow = person_with(Role.FELLOW, "north", full_name="Finn North")
    RoleAssignment.objects.filter(user=fellow).update(starts_on="2025-01-01")
    sign_in(page, lead.email, DEMO_PASSWORD)
    page.goto(f"/people/{fellow.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Finn North")
    check_accessibility(page)
    screenshot(page, "person")

    page.get_by_role("link", name=re.compile("^End")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End Finn North's role?")
    check_accessibility(page)
    page.get_by_role("button", name="End role").click()

    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    expect(page.locator("#roles .nhsuk-tag")).to_have_text("Ended")
    check_accessibility(page)
