"""A family signs in with a code read from the local outbox, on a phone-sized screen."""

import re

from playwright.sync_api import Page, expect


def test_family_signs_in_by_code_from_the_local_outbox(
    live_server, live_world, immediate_tasks, page: Page
):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Mobile number or email address").fill("(312) 555-0101")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_label("Your 6-digit code")).to_be_visible()
    code_page = page.url

    page.goto(f"{live_server.url}/outbox/?to=%2B13125550101")
    message = page.locator(".outbox__body").first
    expect(message).to_contain_text(re.compile(r"\d{6}"))
    code = re.search(r"\b(\d{6})\b", message.inner_text()).group(1)

    page.goto(code_page)
    page.get_by_label("Your 6-digit code").fill(code)
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("García")
    expect(page.get_by_text("Lucía")).to_be_visible()
    expect(page.get_by_text("Ayaan")).to_have_count(0)  # the neighbours' child
