"""The roster upload pages: upload, progress, report, the decision, and who may see them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEvent
from tandem.directory.models import Caregiver
from tandem.rosters.models import RosterImport
from tandem.rosters.services import process_roster_import
from tests.rosters.files import oneroster_files, small_district, zip_bytes

IMPORTS = "/directory/import/"


def csv_uploads(files: dict[str, str]) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, text.encode(), content_type="text/csv")
        for name, text in files.items()
    ]


def bad_phone_files() -> dict[str, str]:
    data = small_district()
    data["users"][4]["sms"] = "555-12"
    return oneroster_files(data)


@pytest.fixture
def upload(client, world, immediate_tasks, django_capture_on_commit_callbacks):
    """Post the upload form as the district's org admin; the import runs at once."""

    def post(files, *, user=None, **fields):
        client.force_login(user or world.org_admin)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                IMPORTS, {"organization": world.district.pk, "files": files, **fields}
            )

    return post


def test_an_uploaded_zip_is_checked_imported_and_reported(client, world, upload, media_root):
    archive = SimpleUploadedFile("export.zip", zip_bytes(oneroster_files()), "application/zip")

    response = upload([archive])

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{IMPORTS}{roster_import.pk}/"
    page = client.get(response["Location"])
    assert "The roster was imported." in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert roster_import.status == RosterImport.Status.DONE
    assert (
        Caregiver.objects.filter(organization=world.district, sourced_id__isnull=False).count() == 4
    )
    assert not any((media_root / "rosters").iterdir())  # the files are gone once imported


def test_several_csv_files_can_be_uploaded_together(world, upload):
    upload(csv_uploads(oneroster_files()), format="oneroster")

    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.file_names == [
        "manifest.csv",
        "orgs.csv",
        "users.csv",
        "roles.csv",
        "demographics.csv",
    ]
    assert AuditEvent.objects.filter(action="roster.upload", detail__files=5).exists()


def test_a_roster_with_errors_shows_its_report_and_waits_for_a_decision(client, world, upload):
    response = upload(csv_uploads(bad_phone_files()))

    page = client.get(response["Location"])

    assert RosterImport.objects.get().status == RosterImport.Status.NEEDS_DECISION
    assert "We found 1 problem. Nothing has been imported yet." in page.text
    assert "<caption>users.csv</caption>" in page.text
    assert "“555-12” is not a valid phone number." in page.text
    assert "Import the 30 valid rows" in page.text
    assert ">Cancel<" in page.text
    assert not Caregiver.objects.filter(organization=world.district, sourced_id__isnull=False)


def test_the_valid_rows_are_imported_when_the_user_chooses_so(
    client, world, upload, django_capture_on_commit_callbacks
):
    upload(csv_uploads(bad_phone_files()))
    roster_import = RosterImport.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{IMPORTS}{roster_import.pk}/import-valid-rows/")

    roster_import.refresh_from_db()
    assert response.status_code == 302
    assert roster_import.status == RosterImport.Status.DONE
    imported = Caregiver.objects.filter(organization=world.district, sourced_id__isnull=False)
    assert sorted(imported.values_list("sourced_id", flat=True)) == ["par-2", "par-3", "par-4"]


def test_cancelling_imports_nothing_and_deletes_the_files(client, world, upload, media_root):
    upload(csv_uploads(bad_phone_files()))
    roster_import = RosterImport.objects.get()

    response = client.post(f"{IMPORTS}{roster_import.pk}/cancel/", follow=True)

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.CANCELLED
    assert "The import was cancelled; nothing was imported." in response.text
    assert not any((media_root / "rosters").iterdir())
    assert client.post(f"{IMPORTS}{roster_import.pk}/import-valid-rows/").status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.CANCELLED


def test_an_oversize_upload_is_refused_with_a_message_and_nothing_stored(
    world, upload, settings, media_root
):
    settings.TANDEM_MAX_UPLOAD_BYTES = 1_000
    big = SimpleUploadedFile("users.csv", b"sourcedId\n" + b"x" * 40_000, "text/csv")

    response = upload([big])

    assert response.status_code == 413
    assert "The upload is larger than 1000\xa0bytes, the most Tandem accepts." in response.text
    assert not RosterImport.objects.exists()
    assert not (media_root / "rosters").exists()


def test_an_upload_just_over_the_limit_is_stopped_while_it_streams(world, upload, settings):
    settings.TANDEM_MAX_UPLOAD_BYTES = 30_000
    big = SimpleUploadedFile("users.csv", b"sourcedId\n" + b"x" * 40_000, "text/csv")

    response = upload([big])

    assert response.status_code == 413
    assert "the most Tandem accepts" in response.text
    assert not RosterImport.objects.exists()


def test_a_file_that_is_neither_csv_nor_zip_is_refused(world, upload):
    response = upload([SimpleUploadedFile("roster.xlsx", b"PK\x03\x04", "application/zip")])

    assert response.status_code == 400
    assert "“roster.xlsx” is not a .csv or .zip file." in response.text
    assert not RosterImport.objects.exists()


def test_the_job_page_refreshes_itself_while_the_import_waits_or_runs(client, world, upload):
    client.force_login(world.org_admin)
    response = client.post(
        IMPORTS,
        {"organization": world.district.pk, "files": csv_uploads(oneroster_files())},
    )  # no worker runs here: the import stays queued

    page = client.get(response["Location"])

    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert '<progress id="import-progress" max="100" value="0">' in page.text
    assert "unsafe-inline" not in page["Content-Security-Policy"]


def test_a_queued_import_is_processed_by_one_worker_only(client, world):
    client.force_login(world.org_admin)
    client.post(
        IMPORTS, {"organization": world.district.pk, "files": csv_uploads(oneroster_files())}
    )
    roster_import = RosterImport.objects.get()

    process_roster_import(roster_import_id=roster_import.pk)
    process_roster_import(roster_import_id=roster_import.pk)

    assert AuditEvent.objects.filter(action="roster.import").count() == 1


def test_the_imports_page_lists_past_imports_with_a_flat_query_count(
    client, world, upload, django_assert_max_num_queries
):
    upload(csv_uploads(oneroster_files()))
    client.get(IMPORTS)
    with django_assert_max_num_queries(12) as one_import:
        client.get(IMPORTS)
    baseline = len(one_import.captured_queries)
    for _ in range(4):
        upload(csv_uploads(bad_phone_files()))

    with django_assert_max_num_queries(baseline):
        response = client.get(IMPORTS)

    assert len(re.findall(rf'href="{IMPORTS}\d+/"', response.text)) == 5


def test_a_teacher_may_not_import_rosters(client, world):
    client.force_login(world.teacher)

    assert client.get(IMPORTS).status_code == 403
    assert client.get(f"{IMPORTS}template/").status_code == 403


def test_another_organizations_import_is_not_found(client, world, upload):
    upload(csv_uploads(bad_phone_files()))
    roster_import = RosterImport.objects.get()
    client.force_login(world.outsider)

    assert client.get(IMPORTS).status_code == 200
    assert client.get(f"{IMPORTS}{roster_import.pk}/").status_code == 404
    assert client.post(f"{IMPORTS}{roster_import.pk}/import-valid-rows/").status_code == 404
    assert client.post(f"{IMPORTS}{roster_import.pk}/cancel/").status_code == 404
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.NEEDS_DECISION


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(IMPORTS)

    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_viewing_a_report_is_audited(client, world, upload):
    upload(csv_uploads(bad_phone_files()))
    roster_import = RosterImport.objects.get()

    client.get(f"{IMPORTS}{roster_import.pk}/")

    event = AuditEvent.objects.get(action="roster.report_view")
    assert event.detail == {"problems": 1}


def test_an_import_that_fails_midway_changes_nothing_and_says_so(
    client, world, upload, monkeypatch
):
    def fail(self, roster):
        raise RuntimeError("the worker lost its database connection")

    # Fault injection: the last step fails after households and people were written.
    monkeypatch.setattr("tandem.rosters.apply._Writer.staff", fail)

    response = upload(csv_uploads(oneroster_files()))

    assert RosterImport.objects.get().status == RosterImport.Status.FAILED
    assert not Caregiver.objects.filter(sourced_id__isnull=False).exists()
    assert (
        "Something went wrong on our side while importing" in client.get(response["Location"]).text
    )
