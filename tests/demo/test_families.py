"""The synthetic families, before they reach the database: same seed, same families."""

import phonenumbers

from tandem.directory.demo.families import FamilyGenerator, ascii_name, fictional_phone
from tandem.directory.demo.schools import ELEMENTARY_GRADES, MIDDLE_GRADES, SCHOOLS
from tandem.directory.demographics import clean_self_described
from tandem.directory.languages import normalize_language_tag


def households(count=300, seed=2026):
    return list(FamilyGenerator(seed).households(count))


def test_the_same_seed_gives_the_same_households_in_the_same_order():
    assert households() == households()


def test_another_seed_gives_other_households():
    first, second = households(seed=2026), households(seed=7)
    assert [h.name for h in first] != [h.name for h in second]
    # The family persona stays the same whatever the seed.
    assert first[0] == second[0]


def test_a_larger_district_starts_with_the_same_households():
    assert households(500)[:300] == households(300)


def test_the_family_persona_comes_first_with_children_at_feeder_schools():
    persona = households(1)[0]
    assert persona.external_id == "RUSD-H0000001"
    assert persona.caregivers[0].email == "guadalupe.ramirez@example.com"
    assert {student.school for student in persona.students} == {"lincoln_park", "roosevelt"}


def test_every_phone_is_a_distinct_valid_number_in_the_555_exchange():
    phones = [c.phone for h in households(2000) for c in h.caregivers if c.phone]
    assert len(phones) == len(set(phones))
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
        assert phone[5:8] == "555"


def test_phones_start_in_the_range_reserved_for_fiction_then_stay_in_555():
    assert fictional_phone(0) == "+13125550100"
    assert 100 <= int(fictional_phone(5_000)[-4:]) <= 199
    beyond = fictional_phone(200_000)
    assert beyond[5:8] == "555"
    assert phonenumbers.is_valid_number(phonenumbers.parse(beyond))


def test_emails_use_the_domains_reserved_for_examples():
    emails = [c.email for h in households() for c in h.caregivers if c.email]
    assert emails
    assert len(emails) == len(set(emails))
    assert {email.rsplit("@", 1)[1] for email in emails} <= {
        "example.com",
        "example.org",
        "example.net",
    }


def test_names_become_plain_letters_in_email_addresses():
    assert ascii_name("Nguyễn Thị") == "nguyenthi"
    assert ascii_name("Đức") == "duc"
    assert ascii_name("Jean-Baptiste") == "jeanbaptiste"


def test_language_tags_and_demographics_are_stored_in_normalized_form():
    for household in households():
        for caregiver in household.caregivers:
            assert normalize_language_tag(caregiver.language) == caregiver.language
            assert clean_self_described(caregiver.self_described) == caregiver.self_described


def test_students_attend_a_school_teaching_their_grade():
    bands = {school.key: school.grade_band for school in SCHOOLS}
    for household in households():
        for student in household.students:
            if student.grade in ELEMENTARY_GRADES:
                expected = "elementary"
            elif student.grade in MIDDLE_GRADES:
                expected = "middle"
            else:
                expected = "high"
            assert bands[student.school] == expected


def test_availability_windows_end_after_they_start():
    for household in households():
        for caregiver in household.caregivers:
            for _day, starts_at, ends_at in caregiver.availability:
                assert starts_at < ends_at
