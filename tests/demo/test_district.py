"""What the demo district holds once built, that it is reproducible, and that it goes away."""

from collections import Counter
from datetime import time

import phonenumbers
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Membership, User
from tandem.accounts.roles import Role
from tandem.accounts.scopes import visible_households
from tandem.audit.models import AuditEvent
from tandem.directory.demo import (
    DEMO_PASSWORD,
    build_demo_district,
    demo_district,
    demo_sign_ins,
    reset_demo_district,
)
from tandem.directory.demo import district as demo
from tandem.directory.demographics import PREFER_NOT_TO_SAY, clean_self_described
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import (
    AvailabilityWindow,
    Caregiver,
    ContactPoint,
    Household,
    Organization,
    Partnership,
    School,
    StaffMember,
    Student,
)

EIGHT_LANGUAGES = {"en", "es", "vi", "zh", "ar", "ht", "so", "fil"}


def household_languages():
    """The language of each household's first caregiver, Chinese scripts together."""
    first = {}
    for household_id, language in Caregiver.objects.order_by("pk").values_list(
        "household_id", "preferred_language"
    ):
        first.setdefault(household_id, language.split("-")[0])
    return Counter(first.values())


def snapshot():
    return (
        list(Household.objects.order_by("pk").values_list("external_id", "name")),
        list(
            Caregiver.objects.order_by("pk").values_list(
                "given_name", "family_name", "relationship", "preferred_language"
            )
        ),
        list(ContactPoint.objects.order_by("pk").values_list("kind", "value")),
        list(Student.objects.order_by("pk").values_list("given_name", "grade", "school__name")),
    )


def test_it_builds_a_district_and_a_partner_nonprofit_with_six_schools(small_district):
    district = demo_district()
    assert district.name == "Riverside Unified School District"
    assert district.kind == "district"
    assert district.time_zone == "America/Chicago"
    assert Organization.objects.get(slug=demo.PARTNER_SLUG).kind == "nonprofit"
    assert School.objects.filter(organization=district).count() == small_district.schools == 6
    assert Household.objects.filter(organization=district).count() == 200


def test_schools_feed_elementary_to_middle_to_high(small_district):
    schools = School.objects.select_related("feeds_into__feeds_into")
    bands = Counter(school.grade_band for school in schools)
    assert bands == {"elementary": 3, "middle": 2, "high": 1}
    for school in schools:
        if school.grade_band == "elementary":
            assert school.feeds_into.grade_band == "middle"
            assert school.feeds_into.feeds_into.grade_band == "high"
        elif school.grade_band == "middle":
            assert school.feeds_into.grade_band == "high"
        else:
            assert school.feeds_into is None


def test_siblings_attend_schools_linked_by_a_feeder_transition(small_district):
    feeds_into = dict(School.objects.values_list("pk", "feeds_into_id"))
    schools_by_household: dict[int, set[int]] = {}
    for household_id, school_id in Student.objects.values_list("household_id", "school_id"):
        schools_by_household.setdefault(household_id, set()).add(school_id)
    assert any(
        feeds_into[school] in schools
        for schools in schools_by_household.values()
        for school in schools
    )


def test_every_one_of_the_eight_languages_is_spoken_in_a_realistic_mix(small_district):
    languages = household_languages()
    assert set(languages) == EIGHT_LANGUAGES
    assert 0.45 <= languages["en"] / 200 <= 0.65
    assert 0.15 <= languages["es"] / 200 <= 0.35
    assert {"zh-Hans", "zh-Hant"} <= set(
        Caregiver.objects.values_list("preferred_language", flat=True)
    )


def test_every_language_tag_is_a_valid_normalized_bcp_47_tag(small_district):
    for tag in Caregiver.objects.values_list("preferred_language", flat=True).distinct():
        assert normalize_language_tag(tag) == tag


def test_grandparents_guardians_and_foster_parents_are_among_the_caregivers(small_district):
    relationships = Counter(Caregiver.objects.values_list("relationship", flat=True))
    assert {"parent", "grandparent", "guardian", "foster_parent"} <= set(relationships)
    assert 0.04 <= relationships["grandparent"] / relationships.total() <= 0.14


def test_every_phone_is_valid_e164_and_belongs_to_one_caregiver(small_district):
    phones = list(
        ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE).values_list("value", flat=True)
    )
    assert len(phones) == len(set(phones))
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone


def test_most_families_consent_to_texts_and_email(small_district):
    for kind in ContactPoint.Kind:
        points = ContactPoint.objects.filter(kind=kind)
        assert points.filter(consent=True).count() / points.count() > 0.75
        assert points.filter(consent=False).exists()


def test_availability_includes_night_shift_weekend_only_and_evening_workers(small_district):
    days_by_caregiver: dict[int, list] = {}
    for caregiver_id, weekday, starts_at in AvailabilityWindow.objects.values_list(
        "caregiver_id", "weekday", "starts_at"
    ):
        days_by_caregiver.setdefault(caregiver_id, []).append((weekday, starts_at))
    weekend_only = [w for w in days_by_caregiver.values() if all(day >= 5 for day, _ in w)]
    daytime_weekdays = [
        w for w in days_by_caregiver.values() if all(day < 5 and s < time(15) for day, s in w)
    ]
    evenings = [w for w in days_by_caregiver.values() if any(s >= time(18) for _, s in w)]
    assert weekend_only and daytime_weekdays and evenings
    assert Caregiver.objects.filter(availability__isnull=True).exists()


def test_needs_include_childcare_transport_and_interpretation_for_most_non_english_speakers(
    small_district,
):
    caregivers = Caregiver.objects.all()
    assert caregivers.filter(needs_childcare=True).exists()
    assert caregivers.filter(needs_transportation=True).exists()
    assert caregivers.exclude(accessibility_note="").exists()
    non_english = caregivers.exclude(preferred_language="en")
    assert non_english.filter(needs_interpretation=True).count() / non_english.count() > 0.7
    assert not caregivers.filter(preferred_language="en", needs_interpretation=True).exists()


def test_some_caregivers_describe_themselves_and_some_prefer_not_to_say(small_district):
    described = [c for c in Caregiver.objects.values_list("self_described", flat=True) if c]
    assert 0 < len(described) < Caregiver.objects.count()
    assert all(clean_self_described(answers) == answers for answers in described)
    assert any(PREFER_NOT_TO_SAY in answers.get("gender", []) for answers in described) or any(
        PREFER_NOT_TO_SAY in answers.get("race_ethnicity", []) for answers in described
    )


def test_some_households_were_reached_and_some_never(small_district):
    households = Household.objects.all()
    assert households.filter(last_reached_at__isnull=False).exists()
    assert households.filter(last_reached_at__isnull=True).exists()
    assert households.filter(last_heard_at__isnull=False).exists()


def test_students_are_one_to_three_per_household_at_schools_teaching_their_grade(small_district):
    per_household = Counter(Student.objects.values_list("household_id", flat=True))
    assert set(per_household.values()) == {1, 2, 3}
    for grade, band in Student.objects.values_list("grade", "school__grade_band"):
        assert band == (
            "elementary"
            if grade in {"PK", "KG", "01", "02", "03", "04", "05"}
            else "middle"
            if grade in {"06", "07", "08"}
            else "high"
        )


def test_every_role_has_a_sign_in_with_the_demo_password(small_district):
    staff, family = demo_sign_ins()
    assert {entry.role for entry in staff} == set(Role)
    for entry in staff:
        assert User.objects.get(email=entry.email).check_password(DEMO_PASSWORD)
    school_sign_ins = {entry.place for entry in staff if entry.role == Role.TEACHER}
    assert school_sign_ins == {"Lincoln Park Elementary"}
    assert family.name == "Guadalupe Ramírez"
    assert family.phone == "+13125550100"
    assert family.email == "guadalupe.ramirez@example.com"


def test_every_school_has_its_family_engagement_staff_and_some_speak_spanish(small_district):
    for school in School.objects.all():
        roles = set(school.staff.values_list("role", flat=True))
        assert {
            "principal",
            "family_engagement_lead",
            "parent_coordinator",
            "community_representative",
            "teacher",
            "counselor",
            "office_staff",
        } <= roles
        assert Membership.objects.filter(school=school, role=Role.PRINCIPAL).exists()
    spanish_speakers = [s for s in StaffMember.objects.all() if "es" in s.languages]
    assert spanish_speakers


def test_the_partner_sees_families_only_at_its_roster_partnership_schools(small_district):
    partnership = Partnership.objects.get()
    assert partnership.scope == Partnership.Scope.ROSTER
    partner_schools = set(partnership.schools.values_list("name", flat=True))
    assert partner_schools < set(School.objects.values_list("name", flat=True))
    partner_staff = Membership.objects.filter(role=Role.PARTNER_STAFF).first().user
    visible = visible_households(partner_staff)
    assert visible.exists()
    assert not visible.exclude(students__school__name__in=partner_schools).exists()
    funder = Membership.objects.get(role=Role.FUNDER).user
    assert not visible_households(funder).exists()


def test_a_principal_sees_the_families_of_their_own_school_only(small_district):
    staff, _family = demo_sign_ins()
    principal = User.objects.get(email=next(e.email for e in staff if e.role == Role.PRINCIPAL))
    visible = visible_households(principal)
    assert visible.exists()
    assert visible.count() < Household.objects.count()


def test_building_is_recorded_in_the_audit_log_without_personal_data(small_district):
    event = AuditEvent.objects.get(action="demo.build")
    assert event.detail == {"households": 200, "seed": 2026}


def test_the_same_seed_builds_the_same_district_and_another_seed_another(db):
    build_demo_district(households=60, seed=2026)
    first = snapshot()
    reset_demo_district()
    build_demo_district(households=60, seed=2026)
    assert snapshot() == first
    reset_demo_district()
    build_demo_district(households=60, seed=99)
    assert snapshot() != first


def test_building_writes_in_batches_not_row_by_row(db, monkeypatch):
    # The listening campaign's and the programs' writes follow the languages the
    # families speak and a fixed number of families, not the number of households: left
    # out of this count.
    monkeypatch.setattr("tandem.listening.demo.install_demo_listening", lambda district: None)
    monkeypatch.setattr("tandem.programs.demo.install_demo_programs", lambda district: None)
    with CaptureQueriesContext(connection) as small:
        build_demo_district(households=20)
    reset_demo_district()
    with CaptureQueriesContext(connection) as larger:
        build_demo_district(households=200)
    assert len(larger) == len(small)


def test_a_second_district_is_refused_while_one_exists(small_district):
    with pytest.raises(ValueError, match="already exists"):
        build_demo_district(households=10)


def test_an_interrupted_build_is_started_again_not_reused(db, monkeypatch):
    monkeypatch.setattr(demo, "HOUSEHOLDS_PER_BATCH", 20)

    def interrupt(done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_demo_district(households=60, progress=interrupt)
    assert demo_district() is None
    assert Household.objects.count() == 20

    summary = build_demo_district(households=60)
    assert summary.households == Household.objects.count() == 60
    assert Organization.objects.count() == 2


def test_reset_removes_the_demo_and_its_accounts_but_nothing_else(world):
    build_demo_district(households=30)
    staff, _family = demo_sign_ins()
    kept = User.objects.get(email=staff[0].email)
    Membership.objects.create(user=kept, organization=world.other_district, role=Role.ORG_ADMIN)
    outside = Household.objects.exclude(organization__slug__in=demo.DEMO_SLUGS).count()

    reset_demo_district()

    assert demo_district() is None
    assert not Organization.objects.filter(slug__in=demo.DEMO_SLUGS).exists()
    assert not User.objects.filter(email__endswith="riverside.example.org").exclude(pk=kept.pk)
    assert User.objects.filter(pk=kept.pk).exists()
    assert Household.objects.count() == outside
    assert User.objects.filter(pk=world.teacher.pk).exists()


def test_the_demo_has_a_listening_campaign_ready_to_review(small_district):
    from tandem.listening.models import AnswerSet, Campaign, Theme

    campaign = Campaign.objects.get()
    assert campaign.protocol.template_key == "south-dakota"
    finished = AnswerSet.objects.filter(campaign=campaign, completed=True)
    assert finished.count() >= 10
    assert finished.filter(anonymous=True).exists()
    assert {answer_set.language for answer_set in finished} >= {"en", "es"}
    assert campaign.sessions.get().attendance.exists()
    tagged = set(Theme.objects.filter(campaign=campaign).values_list("kind", flat=True))
    assert {"strength", "need"} <= tagged
