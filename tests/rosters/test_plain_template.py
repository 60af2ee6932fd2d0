"""Tandem's plain CSV template: download it, fill it in, import it, import it again."""

from tandem.directory.models import Caregiver, ContactPoint, Household, School, Student
from tandem.rosters.models import RosterImport
from tandem.rosters.plain import template_csv
from tests.rosters.conftest import directory_counts, messages
from tests.rosters.files import TEMPLATE_HEADER, template_row, template_text, write_files


def hernandez_rows() -> list[dict]:
    """Two caregivers and two children in three rows: one per caregiver–student pair."""
    return [
        template_row(
            household_id="H-1",
            caregiver_first_name="Rosa",
            caregiver_last_name="Hernández",
            language="Spanish",
            phone="(312) 555-0150",
            sms_consent="yes",
            needs_childcare="yes",
            student_first_name="Ana",
            student_last_name="Hernández",
            school="oak elementary",
            grade="K",
        ),
        template_row(
            household_id="H-1",
            caregiver_first_name="Rosa",
            caregiver_last_name="Hernández",
            student_first_name="Luis",
            student_last_name="Hernández",
            school="Riverside Middle",
            grade="7th",
        ),
        template_row(
            household_id="H-1",
            caregiver_first_name="Abuela",
            caregiver_last_name="Hernández",
            relationship="grandmother",
            language="es",
            email="abuela@example.com",
        ),
    ]


def import_template(tmp_path, run_import, organization, rows, **options):
    folder = write_files(tmp_path / "upload", {"families.csv": template_text(rows)})
    return run_import(folder, organization=organization, **options)


def test_the_template_can_be_downloaded_with_its_documented_columns(client, world):
    client.force_login(world.org_admin)

    response = client.get("/directory/import/template.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="tandem-households-template.csv"'
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(TEMPLATE_HEADER)


def test_the_template_page_explains_every_column(client, world):
    client.force_login(world.district_staff)

    response = client.get("/directory/import/template/")

    assert response.status_code == 200
    for column in TEMPLATE_HEADER:
        assert f"<code>{column}</code>" in response.text


def test_the_downloaded_template_imports_its_example_household(tmp_path, world, run_import):
    folder = write_files(tmp_path / "upload", {"template.csv": "\ufeff" + template_csv()})

    roster_import, roster = run_import(folder, organization=world.district)

    assert roster_import.status == RosterImport.Status.DONE, messages(roster)
    household = Household.objects.get(external_id="H-1001")
    assert household.students.get().school == world.elementary


def test_a_filled_in_template_imports_one_household_per_household_id(tmp_path, world, run_import):
    roster_import, roster = import_template(tmp_path, run_import, world.district, hernandez_rows())

    assert roster_import.status == RosterImport.Status.DONE, messages(roster)
    household = Household.objects.get(organization=world.district, external_id="H-1")
    assert household.name == "Hernández"
    rosa = household.caregivers.get(given_name="Rosa")
    assert (rosa.preferred_language, rosa.needs_childcare) == ("es", True)
    assert list(rosa.contact_points.values_list("kind", "value", "consent")) == [
        ("phone", "+13125550150", True)
    ]
    abuela = household.caregivers.get(given_name="Abuela")
    assert abuela.relationship == Caregiver.Relationship.GRANDPARENT
    students = dict(household.students.values_list("given_name", "school__name"))
    assert students == {"Ana": "Oak Elementary", "Luis": "Riverside Middle"}
    assert household.students.get(given_name="Luis").grade == "07"


def test_importing_the_template_again_duplicates_nothing(tmp_path, world, run_import):
    import_template(tmp_path, run_import, world.district, hernandez_rows())
    before = directory_counts(world.district)

    roster_import, _roster = import_template(tmp_path, run_import, world.district, hernandez_rows())

    assert directory_counts(world.district) == before
    assert roster_import.result["caregivers"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_blank_cells_on_a_later_import_keep_what_tandem_holds(tmp_path, world, run_import):
    import_template(tmp_path, run_import, world.district, hernandez_rows())
    rows = hernandez_rows()
    rows[0].update(language="", needs_childcare="", phone="", sms_consent="")

    import_template(tmp_path, run_import, world.district, rows)

    rosa = Caregiver.objects.get(given_name="Rosa")
    assert (rosa.preferred_language, rosa.needs_childcare) == ("es", True)
    assert ContactPoint.objects.filter(caregiver=rosa, value="+13125550150").exists()


def test_a_school_not_in_tandem_is_announced_and_created(tmp_path, world, run_import):
    rows = hernandez_rows()
    rows[1].update(school="Riverside High School", grade="10th")

    roster_import, roster = import_template(tmp_path, run_import, world.district, rows)

    assert roster_import.status == RosterImport.Status.DONE
    assert messages(roster) == [
        "families.csv 3 school: “Riverside High School” is not a school in Tandem yet; it "
        "will be created."
    ]
    school = School.objects.get(name="Riverside High School")
    assert (school.organization, school.grade_band) == (world.district, "high")


def test_two_values_for_one_person_are_reported_with_both_rows(tmp_path, world, run_import):
    rows = hernandez_rows()
    rows[1]["phone"] = "(312) 555-0151"

    roster_import, roster = import_template(tmp_path, run_import, world.district, rows)

    assert roster_import.status == RosterImport.Status.FAILED
    assert messages(roster) == [
        "families.csv 3 phone: “(312) 555-0151” differs from row 2 for the same person; keep "
        "one value."
    ]
    assert not Household.objects.filter(external_id="H-1").exists()


def test_rows_without_household_or_person_are_named(tmp_path, world, run_import):
    rows = [
        template_row(caregiver_first_name="Rosa", school="Oak Elementary"),
        template_row(household_id="H-2", school="Oak Elementary"),
        template_row(household_id="H-3", student_first_name="Sam", grade="2"),
    ]

    _import, roster = import_template(tmp_path, run_import, world.district, rows)

    assert messages(roster) == [
        "families.csv 2 household_id: This value is required.",
        "families.csv 3 : This row has neither a caregiver nor a student.",
        "families.csv 4 school: This value is required.",
    ]


def test_headers_written_by_people_are_matched_and_unknown_ones_reported(
    tmp_path, world, run_import
):
    header = ["Household ID", "Caregiver First Name", "Caregiver Last Name", "Notes", "Phone"]
    text = "\r\n".join(
        [",".join(header), "H-9,Rosa,Hernández,call after 6,312 555 0150", ",,,,", ""]
    )
    folder = write_files(tmp_path / "upload", {"families.csv": text})

    roster_import, roster = run_import(folder, organization=world.district)

    assert roster_import.status == RosterImport.Status.DONE
    assert messages(roster) == [
        "families.csv 1 Notes: The column “Notes” is not one Tandem knows; it was ignored."
    ]
    assert Caregiver.objects.get(given_name="Rosa").household.external_id == "H-9"


def test_a_school_named_like_another_organizations_is_never_theirs(tmp_path, world, run_import):
    rows = hernandez_rows()
    rows[0]["school"] = "Lakeside Elementary"  # the other district's school

    import_template(tmp_path, run_import, world.district, rows)

    assert Student.objects.get(given_name="Ana").school.organization == world.district
    assert world.other_school.students.count() == 1
