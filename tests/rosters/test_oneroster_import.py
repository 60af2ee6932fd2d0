"""Importing a OneRoster 1.2 CSV roster: what lands in the directory, and re-imports."""

from tandem.accounts.models import Membership, User
from tandem.audit.models import AuditEvent
from tandem.directory.models import Caregiver, ContactPoint, Household, School, StaffMember, Student
from tandem.rosters.models import RosterImport
from tests.rosters.conftest import directory_counts, messages
from tests.rosters.files import (
    oneroster_files,
    role,
    small_district,
    user,
    write_files,
    write_oneroster,
    zip_bytes,
)


def caregiver(sourced_id: str) -> Caregiver:
    return Caregiver.objects.get(sourced_id=sourced_id)


def contacts_of(sourced_id: str) -> list[tuple]:
    return sorted(
        ContactPoint.objects.filter(caregiver__sourced_id=sourced_id).values_list(
            "kind", "value", "consent", "is_preferred"
        )
    )


def test_a_clean_roster_imports_schools_households_caregivers_students_and_staff(
    tmp_path, district, run_import
):
    roster_import, roster = run_import(write_oneroster(tmp_path / "roster"))

    assert roster_import.status == RosterImport.Status.DONE
    assert messages(roster) == []
    schools = dict(School.objects.filter(organization=district).values_list("name", "grade_band"))
    assert schools == {"Oak Elementary": "elementary", "Riverside Middle": "middle"}
    households = Household.objects.filter(organization=district)
    assert sorted(households.values_list("name", flat=True)) == ["García", "Hassan", "Nguyen"]
    garcia = households.get(name="García")
    assert sorted(garcia.caregivers.values_list("given_name", flat=True)) == ["José", "María"]
    assert sorted(garcia.students.values_list("given_name", flat=True)) == ["Lucía", "Mateo"]
    assert caregiver("par-2").preferred_language == "es"  # “spa” in the file
    assert caregiver("par-4").relationship == Caregiver.Relationship.OTHER
    assert Student.objects.get(sourced_id="stu-2").school.name == "Riverside Middle"
    assert Student.objects.get(sourced_id="stu-2").grade == "07"
    district.refresh_from_db()
    assert district.sourced_id == "d1"


def test_only_a_number_in_the_sms_column_is_imported_with_consent_to_text(
    tmp_path, district, run_import
):
    run_import(write_oneroster(tmp_path / "roster"))

    assert contacts_of("par-1") == [
        ("email", "maria@example.com", True, False),
        ("phone", "+13125550101", True, True),
    ]
    assert contacts_of("par-2") == [("phone", "+13125550199", False, True)]


def test_guardians_demographics_are_kept_and_students_demographics_are_not(
    tmp_path, district, run_import
):
    run_import(write_oneroster(tmp_path / "roster"))

    assert caregiver("par-1").self_described == {
        "gender": ["woman"],
        "race_ethnicity": ["hispanic_latino"],
    }
    assert not hasattr(Student, "self_described")


def test_staff_with_an_email_get_an_account_without_password_and_their_school_role(
    tmp_path, district, run_import
):
    run_import(write_oneroster(tmp_path / "roster"))

    teacher = StaffMember.objects.get(sourced_id="tea-1")
    assert teacher.role == StaffMember.Role.TEACHER
    assert teacher.school.name == "Oak Elementary"
    account = User.objects.get(email="tess@riverside.test")
    assert teacher.user == account
    assert not account.has_usable_password()
    membership = Membership.objects.get(user=account)
    assert (membership.role, membership.school) == ("teacher", teacher.school)


def test_a_district_administrator_gets_no_organization_wide_role_from_a_roster(
    tmp_path, district, run_import
):
    data = small_district()
    data["users"].append(user("adm-1", "Dana", "Admin", email="dana@riverside.test"))
    data["roles"].append(role("adm-1", "districtAdministrator", "d1"))
    run_import(write_oneroster(tmp_path / "roster", data))

    admin = StaffMember.objects.get(sourced_id="adm-1")
    assert (admin.role, admin.school) == (StaffMember.Role.DISTRICT_FACE, None)
    assert not Membership.objects.filter(user__email="dana@riverside.test").exists()


def test_the_import_is_audited_with_counts_only(tmp_path, district, run_import):
    roster_import, _roster = run_import(write_oneroster(tmp_path / "roster"))

    event = AuditEvent.objects.get(action="roster.import")
    assert event.object_id == str(roster_import.pk)
    assert event.detail["caregivers"] == {"created": 4, "updated": 0, "unchanged": 0}
    assert "María" not in str(event.detail)


def test_importing_the_same_roster_again_changes_nothing(tmp_path, district, run_import):
    folder = write_oneroster(tmp_path / "roster")
    run_import(folder)
    before = directory_counts(district)
    stamps = dict(Caregiver.objects.values_list("sourced_id", "updated_at"))

    roster_import, _roster = run_import(folder)

    assert directory_counts(district) == before
    assert dict(Caregiver.objects.values_list("sourced_id", "updated_at")) == stamps
    for kind in ["schools", "households", "caregivers", "students", "staff"]:
        assert roster_import.result[kind]["created"] == 0
        assert roster_import.result[kind]["updated"] == 0
    assert roster_import.result["contacts"] == {"added": 0, "removed": 0}
    assert roster_import.result["memberships"] == {"granted": 0}


def test_a_changed_phone_replaces_the_old_one_on_reimport(tmp_path, district, run_import):
    run_import(write_oneroster(tmp_path / "first"))
    data = small_district()
    data["users"][4]["sms"] = "(773) 555-0142"

    roster_import, _roster = run_import(write_oneroster(tmp_path / "second", data))

    assert contacts_of("par-1") == [
        ("email", "maria@example.com", True, False),
        ("phone", "+17735550142", True, True),
    ]
    assert roster_import.result["contacts"] == {"added": 1, "removed": 1}
    assert Caregiver.objects.filter(sourced_id="par-1").count() == 1


def test_changed_names_and_grades_update_the_rows_they_belong_to(tmp_path, district, run_import):
    run_import(write_oneroster(tmp_path / "first"))
    data = small_district()
    data["users"][0]["grades"] = "04"
    data["users"][5]["givenName"] = "Josué"

    roster_import, _roster = run_import(write_oneroster(tmp_path / "second", data))

    assert Student.objects.get(sourced_id="stu-1").grade == "04"
    assert caregiver("par-2").given_name == "Josué"
    assert roster_import.result["students"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert roster_import.result["caregivers"] == {"created": 0, "updated": 1, "unchanged": 3}


def test_a_family_that_opted_out_of_texts_stays_opted_out_after_a_reimport(
    tmp_path, district, run_import
):
    folder = write_oneroster(tmp_path / "roster")
    run_import(folder)
    ContactPoint.objects.filter(value="+13125550101").update(consent=False)

    run_import(folder)

    assert ContactPoint.objects.get(value="+13125550101").consent is False


def test_a_household_keeps_its_id_when_a_guardian_joins_it(tmp_path, district, run_import):
    run_import(write_oneroster(tmp_path / "first"))
    hassan = Household.objects.get(name="Hassan")
    data = small_district()
    data["users"].append(user("par-5", "Yusuf", "Hassan", agentSourcedIds="stu-3"))
    data["roles"].append(role("par-5", "parent", "s-oak"))

    run_import(write_oneroster(tmp_path / "second", data))

    assert caregiver("par-5").household == hassan
    assert Household.objects.filter(organization=district).count() == 3


def test_a_guardian_missing_from_the_file_is_reported_and_the_student_imported_without_them(
    tmp_path, district, run_import
):
    data = small_district()
    data["users"][2]["agentSourcedIds"] = "par-9"

    roster_import, roster = run_import(write_oneroster(tmp_path / "roster", data))

    assert roster_import.status == RosterImport.Status.DONE
    assert messages(roster) == [
        "users.csv 4 agentSourcedIds: The guardian “par-9” is not in the roster; the student "
        "is imported without that link."
    ]
    assert Student.objects.get(sourced_id="stu-3").household.name == "Hassan"


def test_enrollments_give_the_school_of_a_student_that_roles_do_not_place(
    tmp_path, district, run_import
):
    data = small_district()
    data["roles"][3]["orgSourcedId"] = "d1"  # a student role at the district, not a school
    files = oneroster_files(data)
    files["enrollments.csv"] = (
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\r\n"
        "e1,,,c1,s-rms,stu-4,student\r\n"
    )
    roster_import, _roster = run_import(write_files(tmp_path / "roster", files))

    assert roster_import.status == RosterImport.Status.DONE
    assert Student.objects.get(sourced_id="stu-4").school.name == "Riverside Middle"


def test_a_zip_of_the_export_imports_like_the_folder(tmp_path, district, run_import):
    archive = tmp_path / "export.zip"
    archive.write_bytes(zip_bytes(oneroster_files()))

    roster_import, _roster = run_import(archive)

    assert roster_import.status == RosterImport.Status.DONE
    assert Caregiver.objects.filter(organization=district).count() == 4
