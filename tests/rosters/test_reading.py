"""The pure parts of roster reading: cell values, encodings, headers and households."""

import random
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tandem.directory.phones import normalize_phone
from tandem.rosters import fields
from tandem.rosters.problems import Problems
from tandem.rosters.reading import Schema, detect_encoding, open_source
from tandem.rosters.records import (
    CaregiverRecord,
    StudentRecord,
    infer_grade_band,
    infer_households,
)


@pytest.mark.parametrize(
    ("written", "grade"),
    [
        ("K", "KG"),
        ("Kindergarten", "KG"),
        ("0", "KG"),
        ("Pre-K", "PK"),
        ("1", "01"),
        ("1st", "01"),
        ("Grade 3", "03"),
        ("09", "09"),
        ("12th grade", "12"),
        ("UG", "UG"),
    ],
)
def test_grades_are_read_as_exports_write_them(written, grade):
    assert fields.read_grade(written) == grade


@pytest.mark.parametrize("written", ["14", "senior", "3.5", "K-2"])
def test_a_value_that_is_not_a_grade_is_refused(written):
    with pytest.raises(fields.BadValue) as bad:
        fields.read_grade(written)
    assert bad.value.code == "invalid_grade"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2024-08-15", date(2024, 8, 15)),
        ("2024-08-15T00:00:00Z", date(2024, 8, 15)),
        ("8/15/2024", date(2024, 8, 15)),
        ("15/8/2024", date(2024, 8, 15)),
        ("2024/8/15", date(2024, 8, 15)),
        ("8/8/24", date(2024, 8, 8)),
        ("", None),
    ],
)
def test_dates_are_read_from_iso_and_slashed_forms(written, read):
    assert fields.read_date(written) == read


@pytest.mark.parametrize(
    ("written", "code"),
    [("3/4/2024", "ambiguous_date"), ("2/30/2024", "unreadable_date"), ("soon", "unreadable_date")],
)
def test_a_date_that_could_be_two_or_none_is_refused(written, code):
    with pytest.raises(fields.BadValue) as bad:
        fields.read_date(written)
    assert bad.value.code == code


def test_the_short_cut_for_north_american_numbers_agrees_with_phonenumbers():
    forms = ["{a}-{b}-{c}", "({a}) {b}-{c}", "+1 {a} {b} {c}", "1{a}{b}{c}", "{a}.{b}.{c}"]
    rng = random.Random(7)
    for _ in range(3_000):
        area, exchange, line = rng.randint(200, 999), rng.randint(200, 999), rng.randint(0, 9999)
        written = rng.choice(forms).format(a=area, b=exchange, c=f"{line:04d}")
        for region in ("US", "CA"):
            try:
                expected = normalize_phone(written, region)
            except ValidationError:
                expected = None
            try:
                read = fields.read_phone(written, region)
            except fields.BadValue:
                read = None
            assert read == expected, (written, region)


def test_numbers_outside_north_america_are_read_by_phonenumbers():
    assert fields.read_phone("0612345678", "FR") == "+33612345678"
    assert fields.read_phone("+52 55 1234 5678", "US") == "+525512345678"


def test_language_names_and_codes_become_tags():
    assert fields.read_language("Spanish") == "es"
    assert fields.read_language("spa") == "es"
    assert fields.read_language("zh-hant, en") == "zh-Hant"
    with pytest.raises(fields.BadValue):
        fields.read_language("Elvish")


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", "givenName\nJosé\n"),
        ("utf-8-sig", "givenName\nJosé\n"),
        ("cp1252", "givenName\nJosé – “Pepe”\n"),
        ("utf-16", "givenName\nJosé\n"),
    ],
)
def test_common_encodings_are_told_apart_and_read(tmp_path, encoding, text):
    (tmp_path / "users.csv").write_bytes(text.encode(encoding))
    problems = Problems()
    source = open_source(tmp_path, problems, max_unpacked_bytes=10_000)

    rows = list(
        source.read_table(
            "users.csv", Schema({"givenName": ()}, frozenset({"givenName"})), problems
        )
    )

    assert detect_encoding(source.get("users.csv")) in {encoding, "utf-8-sig"}
    assert rows[0][1]["givenName"] == text.splitlines()[1]
    assert problems.items == []


def test_headers_are_matched_whatever_their_case_spacing_or_punctuation(tmp_path):
    (tmp_path / "people.csv").write_text("GIVEN NAME, family_name ,,\nRosa,Reyes,,\n")
    schema = Schema({"givenName": ("firstName",), "familyName": ()}, frozenset({"givenName"}))
    problems = Problems()

    rows = list(
        open_source(tmp_path, problems, max_unpacked_bytes=10_000).read_table(
            "people.csv", schema, problems
        )
    )

    assert rows == [(2, {"givenName": "Rosa", "familyName": "Reyes"})]


def test_a_zip_that_unpacks_to_too_much_is_refused_before_reading(tmp_path):
    with zipfile.ZipFile(tmp_path / "roster.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.csv", "x" * 50_000)
    problems = Problems()

    source = open_source(tmp_path / "roster.zip", problems, max_unpacked_bytes=10_000)

    assert source.files == {}
    assert [problem.code for problem in problems.items] == ["zip_too_large"]


def test_caregivers_and_students_linked_either_way_form_one_household_each():
    caregivers = [
        CaregiverRecord("g1", "María", "García"),
        CaregiverRecord("g2", "José", "Reyes"),
        CaregiverRecord("g3", "Amina", "Hassan"),
    ]
    students = [
        StudentRecord("s1", "Lucía", "García", "oak"),
        StudentRecord("s2", "Mateo", "García", "oak"),
        StudentRecord("s3", "Ayaan", "Hassan", "oak"),
        StudentRecord("s4", "Minh", "Nguyen", "oak"),
    ]
    links = [("g1", "s1"), ("g2", "s2"), ("g1", "s2"), ("g3", "s3")]

    households = infer_households(caregivers, students, links)

    assert [(h.name, h.caregiver_ids, h.student_ids) for h in households] == [
        ("García", ["g1", "g2"], ["s1", "s2"]),
        ("Hassan", ["g3"], ["s3"]),
        ("Nguyen", [], ["s4"]),
    ]


@pytest.mark.parametrize(
    ("name", "grades", "band"),
    [
        ("Lincoln", {"KG", "03", "05"}, "elementary"),
        ("Lincoln", {"06", "08"}, "middle"),
        ("Lincoln", {"09", "12"}, "high"),
        ("Lincoln", {"KG", "08"}, "k8"),
        ("Lincoln", {"PK"}, "early_childhood"),
        ("Lincoln Junior High", set(), "middle"),
        ("Lincoln High School", set(), "high"),
        ("Lincoln Academy", set(), "other"),
    ],
)
def test_a_schools_grade_band_comes_from_its_students_or_its_name(name, grades, band):
    assert infer_grade_band(name, grades) == band
