"""A parent coordinator signs in and filters the directory on a phone-sized screen."""

from playwright.sync_api import Page, expect

from tests.personas import PASSWORD


def sign_in_as_staff(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/staff/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_coordinator_filters_households_by_language_and_needs(live_server, live_world, page: Page):
    sign_in_as_staff(page, live_server.url, "coordinator@riverside.test")
    page.get_by_role("link", name="Households").first.click()

    results = page.locator("main")
    expect(results).to_contain_text("García")
    expect(results).to_contain_text("Hassan")
    expect(results).not_to_contain_text("Nguyen")  # a middle-school family: not this school

    page.get_by_label("Preferred language").select_option(label="español (Spanish)")
    page.get_by_role("button", name="Show results").click()
    expect(results).to_contain_text("García")
    expect(results).not_to_contain_text("Hassan")

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_text("More filters").click()
    page.get_by_label("Transportation", exact=True).check()
    page.get_by_role("button", name="Show results").click()
    expect(results).to_contain_text("Hassan")
    expect(results).not_to_contain_text("García")
