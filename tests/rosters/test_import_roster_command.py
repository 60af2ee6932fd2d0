"""`tandem import-roster PATH`: the report it prints and the exit status it ends with."""

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from tandem.directory.models import Caregiver
from tandem.directory.services import create_organization
from tests.rosters.files import small_district, template_row, template_text, write_oneroster


def bad_phone_roster(tmp_path):
    data = small_district()
    data["users"][4]["sms"] = "555-12"
    return write_oneroster(tmp_path / "roster", data)


def test_it_imports_a_clean_roster_and_prints_a_summary(tmp_path, district, capsys):
    call_command("import_roster", str(write_oneroster(tmp_path / "roster")))

    output = capsys.readouterr().out
    assert "31 of 31 rows are valid. Errors: 0; warnings: 0." in output
    assert "Caregivers: 4 created, 0 updated, 0 unchanged." in output
    assert "Sign-in accounts created: 1; school roles granted: 1." in output
    assert "Imported into Riverside Unified." in output
    assert Caregiver.objects.filter(organization=district).count() == 4


def test_it_prints_each_problem_with_file_row_and_column(tmp_path, district, capsys):
    with pytest.raises(CommandError, match="Nothing was imported because of errors"):
        call_command("import_roster", str(bad_phone_roster(tmp_path)))

    output = capsys.readouterr().out
    assert "Error: users.csv, row 6, column sms: “555-12” is not a valid phone number." in output
    assert "30 of 31 rows are valid. Errors: 1; warnings: 0." in output
    assert not Caregiver.objects.exists()


def test_it_exits_with_a_failure_status_when_nothing_was_imported(tmp_path, district, capsys):
    with pytest.raises(SystemExit) as exit:
        execute_from_command_line(["tandem", "import_roster", str(bad_phone_roster(tmp_path))])

    assert exit.value.code == 1
    assert "run again with --import-valid-rows" in capsys.readouterr().err


def test_it_imports_the_valid_rows_when_asked(tmp_path, district, capsys):
    call_command("import_roster", str(bad_phone_roster(tmp_path)), "--import-valid-rows")

    assert Caregiver.objects.filter(organization=district).count() == 3
    assert "Imported into Riverside Unified." in capsys.readouterr().out


def test_it_needs_the_organization_when_there_are_several(tmp_path, district):
    create_organization(name="Bridges for Families", kind="nonprofit", slug="bridges")
    folder = write_oneroster(tmp_path / "roster")

    with pytest.raises(CommandError, match="--organization SLUG"):
        call_command("import_roster", str(folder))
    with pytest.raises(CommandError, match="There is no organization “nowhere”"):
        call_command("import_roster", str(folder), "--organization", "nowhere")

    call_command("import_roster", str(folder), "--organization", "riverside")
    assert Caregiver.objects.filter(organization=district).count() == 4


def test_it_names_a_path_that_does_not_exist(tmp_path, district):
    with pytest.raises(CommandError, match="There is no file or folder at"):
        call_command("import_roster", str(tmp_path / "missing"))


def test_it_imports_a_single_template_csv_file(tmp_path, district, capsys):
    path = tmp_path / "families.csv"
    path.write_text(
        template_text(
            [
                template_row(
                    household_id="H-1",
                    caregiver_first_name="Rosa",
                    caregiver_last_name="Reyes",
                    student_first_name="Ana",
                    student_last_name="Reyes",
                    school="Oak Elementary",
                    grade="K",
                )
            ]
        )
    )

    call_command("import_roster", str(path), "--format", "plain")

    output = capsys.readouterr().out
    assert "Warning: families.csv, row 2, column school: “Oak Elementary” is not a school" in output
    assert Caregiver.objects.get(organization=district).given_name == "Rosa"
