"""Messy and bad roster files: each problem is named by file, row, column and reason, and
a file with errors changes nothing unless the valid rows are chosen."""

import pytest

from tandem.directory.models import Caregiver, Household, StaffMember, Student
from tandem.rosters.models import RosterImport
from tests.rosters.conftest import directory_counts, messages
from tests.rosters.files import oneroster_files, small_district, write_files, write_oneroster


def test_utf8_with_a_byte_order_mark_reads_like_without(tmp_path, district, run_import):
    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", encoding="utf-8-sig"))

    assert roster_import.status == RosterImport.Status.DONE, messages(roster)
    assert Caregiver.objects.get(sourced_id="par-1").given_name == "María"


def test_a_windows_1252_export_is_read_with_its_accents(tmp_path, district, run_import):
    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", encoding="cp1252"))

    assert roster_import.status == RosterImport.Status.DONE, messages(roster)
    assert sorted(Household.objects.values_list("name", flat=True)) == [
        "García",
        "Hassan",
        "Nguyen",
    ]


def test_a_file_that_is_not_text_is_named_and_nothing_changes(tmp_path, district, run_import):
    files = oneroster_files()
    files["users.csv"] = b"PK\x03\x04\x14\x00\x06\x00spreadsheet\x00\x00"

    roster_import, roster = run_import(write_files(tmp_path / "roster", files))

    assert roster_import.status == RosterImport.Status.FAILED
    assert "users.csv None : This is not a CSV file." in messages(roster)[-1]
    assert sum(directory_counts(district).values()) == 0


def test_a_malformed_csv_is_reported_from_the_row_where_it_breaks(tmp_path, district, run_import):
    files = oneroster_files()
    lines = files["users.csv"].split("\r\n")
    lines[3] = lines[3].replace("Ayaan", '"Ayaan" the second')
    files["users.csv"] = "\r\n".join(lines)

    roster_import, roster = run_import(write_files(tmp_path / "roster", files))

    assert roster_import.status == RosterImport.Status.FAILED
    assert (
        "users.csv 4 : The CSV is malformed from this row on (a quotation mark is not closed or "
        "is misplaced), so the rest of the file cannot be read."
    ) in messages(roster)
    assert sum(directory_counts(district).values()) == 0


def test_duplicate_sourced_ids_report_both_rows_and_change_nothing(tmp_path, district, run_import):
    data = small_district()
    data["users"][5]["sourcedId"] = "par-1"  # José given María's id

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert roster_import.status == RosterImport.Status.FAILED
    assert "users.csv 6 sourcedId: The id “par-1” is used on row 7 too." in messages(roster)
    assert "users.csv 7 sourcedId: The id “par-1” is used on row 6 too." in messages(roster)
    assert sum(directory_counts(district).values()) == 0


def test_an_unknown_language_tag_is_named_and_changes_nothing(tmp_path, district, run_import):
    data = small_district()
    data["users"][6]["preferredLanguages"] = "Klingonese"

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert roster_import.status == RosterImport.Status.FAILED
    assert messages(roster) == [
        "users.csv 8 preferredLanguages: “Klingonese” is not a language tag we recognize "
        "(for example: en, es, vi, so)."
    ]
    assert sum(directory_counts(district).values()) == 0


def test_language_names_are_read_as_their_tags(tmp_path, district, run_import):
    data = small_district()
    data["users"][6]["preferredLanguages"] = "Somali"
    data["users"][7]["preferredLanguages"] = "Vietnamese"

    run_import(write_oneroster(tmp_path / "roster", data))

    assert Caregiver.objects.get(sourced_id="par-3").preferred_language == "so"
    assert Caregiver.objects.get(sourced_id="par-4").preferred_language == "vi"


def test_an_invalid_phone_number_is_named_and_changes_nothing(tmp_path, district, run_import):
    data = small_district()
    data["users"][4]["sms"] = "555-12"

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert roster_import.status == RosterImport.Status.FAILED
    assert messages(roster) == ["users.csv 6 sms: “555-12” is not a valid phone number."]
    assert sum(directory_counts(district).values()) == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("grades", "14", "“14” is not a grade (for example: PK, KG, 1, 01, 12)."),
        ("email", "maria@", "“maria@” is not a valid email address."),
        ("givenName", "", "This value is required."),
    ],
)
def test_other_bad_values_are_named_with_their_column(
    tmp_path, district, run_import, column, value, message
):
    data = small_district()
    target = 4 if column == "email" else 0
    data["users"][target][column] = value

    _import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert messages(roster) == [f"users.csv {target + 2} {column}: {message}"]
    assert sum(directory_counts(district).values()) == 0


def test_importing_the_valid_rows_leaves_out_only_the_rows_with_errors(
    tmp_path, district, run_import
):
    data = small_district()
    data["users"][5]["phone"] = "not a number"  # José

    first, roster = run_import(write_oneroster(tmp_path / "roster", data))
    assert first.status == RosterImport.Status.FAILED
    assert roster.valid_rows == roster.rows_read - 1

    second, roster = run_import(write_oneroster(tmp_path / "roster", data), import_valid_rows=True)

    assert second.status == RosterImport.Status.DONE
    assert sorted(Caregiver.objects.values_list("given_name", flat=True)) == [
        "Amina",
        "María",
        "Thi",
    ]
    assert Student.objects.count() == 4
    assert messages(roster) == ["users.csv 7 phone: “not a number” is not a valid phone number."]


def test_messy_headers_blank_lines_and_trailing_columns_are_read(tmp_path, district, run_import):
    files = oneroster_files()
    users = files["users.csv"].split("\r\n")
    users[0] = (
        users[0]
        .replace("sourcedId", "SourcedID")
        .replace("givenName", "Given Name")
        .replace("familyName", "family_name")
        .replace("preferredLanguages", "Preferred Languages")
        + ",,"
    )
    users.insert(3, "")
    users.insert(4, ",,,")
    files["users.csv"] = "\r\n".join(line + ",," if line else line for line in users)

    roster_import, roster = run_import(write_files(tmp_path / "roster", files))

    assert roster_import.status == RosterImport.Status.DONE, messages(roster)
    assert Caregiver.objects.get(sourced_id="par-1").given_name == "María"


def test_a_misspelt_column_is_read_and_the_reading_is_reported(tmp_path, district, run_import):
    files = oneroster_files()
    files["users.csv"] = files["users.csv"].replace("familyName", "famliyName", 1)

    roster_import, roster = run_import(write_files(tmp_path / "roster", files))

    assert roster_import.status == RosterImport.Status.DONE
    assert messages(roster) == [
        "users.csv 1 famliyName: The column “famliyName” was read as “familyName”."
    ]
    assert Caregiver.objects.get(sourced_id="par-1").family_name == "García"


def test_a_missing_required_column_is_named(tmp_path, district, run_import):
    files = oneroster_files()
    files["roles.csv"] = files["roles.csv"].replace("userSourcedId", "person", 1)

    roster_import, roster = run_import(write_files(tmp_path / "roster", files))

    assert roster_import.status == RosterImport.Status.FAILED
    assert "roles.csv 1 userSourcedId: The required column “userSourcedId” is missing." in (
        messages(roster)
    )


def test_roles_with_dates_written_the_american_way_are_read(tmp_path, district, run_import):
    data = small_district()
    data["roles"][0].update(beginDate="8/15/2020", endDate="6/30/2099")
    data["roles"][8].update(endDate="1/31/2020")  # the teacher left

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert roster_import.status == RosterImport.Status.DONE
    assert Student.objects.get(sourced_id="stu-1").school.name == "Oak Elementary"
    assert messages(roster) == [
        "users.csv 10 role: This person's roles in roles.csv have ended or not begun yet; "
        "they were not imported."
    ]
    assert not StaffMember.objects.exists()


def test_an_ambiguous_date_is_reported_and_ignored(tmp_path, district, run_import):
    data = small_district()
    data["roles"][0].update(beginDate="3/4/2020")

    _import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert messages(roster) == [
        "roles.csv 2 beginDate: “3/4/2020” could be two different dates; write it as "
        "YYYY-MM-DD. It was ignored."
    ]
    assert Student.objects.filter(sourced_id="stu-1").exists()


def test_rows_marked_to_be_deleted_are_ignored_with_a_warning(tmp_path, district, run_import):
    data = small_district()
    data["users"][3]["status"] = "tobedeleted"
    data["users"][7]["status"] = "tobedeleted"

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert roster_import.status == RosterImport.Status.DONE
    assert len(messages(roster)) == 2
    assert not Student.objects.filter(sourced_id="stu-4").exists()


def test_another_organizations_roster_is_refused_even_for_its_valid_rows(
    tmp_path, district, run_import
):
    district.sourced_id = "lakeside-district"
    district.save()

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster"), import_valid_rows=True)

    assert roster_import.status == RosterImport.Status.FAILED
    assert messages(roster) == [
        "orgs.csv 2 sourcedId: This roster is for the district “d1”, and this organization's "
        "roster id is “lakeside-district”: it looks like another organization's roster."
    ]
    assert sum(directory_counts(district).values()) == 0


def test_a_folder_without_a_roster_says_what_was_expected(tmp_path, district, run_import):
    folder = write_files(tmp_path / "roster", {"notes.txt": "hello", "a.csv": "x\n", "b.csv": ""})

    roster_import, roster = run_import(folder)

    assert roster_import.status == RosterImport.Status.FAILED
    assert messages(roster) == [
        " None : No roster was found: expected OneRoster files (users.csv, orgs.csv, "
        "roles.csv…) or one CSV file made from Tandem's template."
    ]


def test_values_longer_than_tandem_keeps_are_named_not_cut(tmp_path, district, run_import):
    data = small_district()
    data["users"][3]["sourcedId"] = "x" * 300
    # A well-formed address (labels under 64 characters) that is still too long to keep.
    data["users"][4]["email"] = "maria" * 12 + "@" + ("a" * 60 + ".") * 4 + "com"

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert roster_import.status == RosterImport.Status.FAILED
    assert "users.csv 5 sourcedId: This value is longer than 255 characters." in messages(roster)
    assert "users.csv 6 email: This value is longer than 254 characters." in messages(roster)
    assert sum(directory_counts(district).values()) == 0
