"""The register in a real browser, with the demo accounts and data: the north fellow records a
recommendation from a demo investigation addressed to a trust, records the trust's response,
links a learning item that answers it, records two adoptions of that learning in two regions
and opens the thread; every page of the way is checked for WCAG 2.2 AA."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from register.models import Recommendation
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in

INVESTIGATION = "Prevention of Future Deaths report: falls at night"
LEARNING = "A structured handover tool cut missed escalations"


@pytest.fixture
def demo(reference_data, settings):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    call_command("seed_demo", stdout=io.StringIO())


def test_a_fellow_follows_a_recommendation_from_an_investigation_to_where_it_spread(page, demo):
    sign_in(page, "fellow.north@example.org", DEMO_PASSWORD, totp_secret=None)

    # The register, and a recommendation recorded from a demo investigation.
    page.get_by_role("link", name="Recommendations", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendations")
    check_accessibility(page)
    page.get_by_role("link", name="Investigations").first.click()
    page.get_by_role("link", name=INVESTIGATION).click()
    page.get_by_role("link", name="Record a recommendation from this investigation").click()
    check_accessibility(page)
    page.get_by_label("Prevention of Future Deaths concern").check()
    page.get_by_label("Reference").fill("PFD-N-2026-11")
    page.get_by_label("Recommendation", exact=True).fill(
        "The trust should check bed rails and call bells every night on wards for older people."
    )
    # The organisation box searches as it is typed into; the full name chooses the trust.
    page.get_by_label("Addressed to", exact=True).fill(
        "Northern Demo Hospitals NHS Foundation Trust"
    )
    page.get_by_label("Addressed to", exact=True).press("Escape")
    page.get_by_role("button", name="Save recommendation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PFD-N-2026-11")
    recommendation = Recommendation.objects.get(reference="PFD-N-2026-11")
    assert recommendation.due_on == recommendation.issued_on + datetime.timedelta(days=56)
    expect(page.locator("#details")).to_contain_text(f"{recommendation.due_on:%-d %B %Y}")
    check_accessibility(page)

    # The trust's response.
    page.get_by_role("link", name="Record a response").click()
    page.get_by_label("Response received: accepted").check()
    page.get_by_label("What the response says").fill("Accepted: night checks start next month.")
    check_accessibility(page)
    page.get_by_role("button", name="Save response").click()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Response received: accepted")

    # The learning that answers it.
    page.get_by_role("link", name="Link learning or an initiative that answers it").click()
    page.get_by_label("Find learning or an initiative by its title").fill("handover tool")
    page.get_by_role("button", name="Find").click()
    check_accessibility(page)
    page.get_by_role("button", name=f"Link {LEARNING}, North").click()
    expect(page.locator("#answer-list")).to_contain_text(LEARNING)

    # Two adoptions of that learning, in two regions.
    page.locator("#answer-list").get_by_role("link", name=LEARNING).click()
    expect(page.locator("#recommendations-answered")).to_be_visible()
    for organisation, region, stage in [
        ("London Demo Community Health NHS Trust", "London and South East", "Piloting"),
        ("Southern Demo Children's Hospital NHS Foundation Trust", "South", "Considering"),
    ]:
        page.get_by_role("link", name="Record an adoption").click()
        page.get_by_label("Adopting organisation").fill(organisation)
        page.get_by_label("Adopting organisation").press("Escape")
        page.get_by_label("Region", exact=True).select_option(label=region)
        page.get_by_label(stage, exact=True).check()
        check_accessibility(page)
        page.get_by_role("button", name="Save adoption").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(organisation)
        page.get_by_role("link", name=LEARNING).click()
    expect(page.locator("#adoptions")).to_contain_text("London Demo Community Health NHS Trust")
    expect(page.locator("#adoptions")).to_contain_text("Southern Demo Children's Hospital")
    check_accessibility(page)

    # The spread page and the response rates.
    page.get_by_role("link", name="Spread", exact=True).first.click()
    expect(page.locator("#adoptions")).to_contain_text("London Demo Community Health NHS Trust")
    check_accessibility(page)
    page.get_by_role("link", name="Recommendations", exact=True).first.click()
    page.get_by_role("link", name="Response rates by organisation and region").click()
    expect(page.locator("#response-rates")).to_contain_text("Northern Demo Hospitals")
    check_accessibility(page)

    # The thread from the investigation, one step at a time.
    page.get_by_role("link", name="Investigations").first.click()
    page.get_by_role("link", name=INVESTIGATION).click()
    page.get_by_role("link", name="See the whole thread").click()
    expect(page.locator("#thread-summary")).to_contain_text(
        "2 recommendations, 1 answered; 2 learning items; 0 initiatives; adopted by 4 "
        "organisations in 3 regions;"
    )
    expect(page.locator("#recommendation-thread")).to_contain_text("PFD-N-2026-11")
    expect(page.locator("#adoption-thread")).to_contain_text("Southern Demo Children's Hospital")
    check_accessibility(page)
    screenshot(page, f"register-thread-{timezone.localdate():%Y%m%d}")
