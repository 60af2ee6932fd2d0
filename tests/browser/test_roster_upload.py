"""A district administrator uploads a OneRoster export with one bad row, reads the report,
and imports the valid rows."""

import pytest
from playwright.sync_api import Page, expect

from tandem.directory.models import Caregiver
from tests.browser.test_staff_directory import sign_in_as_staff
from tests.rosters.files import oneroster_files, small_district, zip_bytes


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_roster_upload_shows_its_report_then_imports_the_valid_rows(
    live_server, live_world, immediate_tasks, media_root, page: Page, tmp_path
):
    data = small_district()
    amina = next(row for row in data["users"] if row["sourcedId"] == "par-3")
    amina["sms"] = "call the office"  # not a phone number: this row is reported, not imported
    export = tmp_path / "riverside-export.zip"
    export.write_bytes(zip_bytes(oneroster_files(data)))

    sign_in_as_staff(page, live_server.url, "admin@riverside.test")
    page.goto(f"{live_server.url}/directory/import/")
    page.get_by_label("Roster files").set_input_files(export)
    page.get_by_role("button", name="Upload and check").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("Nothing has been imported yet")
    report = page.get_by_role("table", name="users.csv")
    problem = report.get_by_role("row").filter(has_text="call the office")
    cells = problem.get_by_role("cell")
    expect(cells.nth(0)).to_contain_text("8")  # the row as a spreadsheet numbers it
    expect(cells.nth(1)).to_contain_text("sms")
    expect(cells.nth(2)).to_contain_text("is not a valid phone number")
    assert not Caregiver.objects.filter(organization=live_world.district, sourced_id="par-1")

    page.get_by_role("button", name="Import the").click()

    expect(status).to_contain_text("The roster was imported.")
    imported = Caregiver.objects.filter(organization=live_world.district, sourced_id__isnull=False)
    assert sorted(imported.values_list("sourced_id", flat=True)) == ["par-1", "par-2", "par-4"]
    page.get_by_role("link", name="See the households").click()
    expect(page.locator("main")).to_contain_text("Nguyen")
