"""The little world permission tests run in: two districts, a partner, every role.

Built through services, as users would build it. `World` names each persona; the
permission-matrix test and the page tests use the same ones.
"""

from dataclasses import dataclass
from datetime import date, time

from tandem.accounts.models import User
from tandem.accounts.roles import Role
from tandem.accounts.services import create_staff_user, family_account_for, grant_membership
from tandem.directory.models import Caregiver, Household, Organization, Partnership, School
from tandem.directory.services import (
    add_caregiver,
    add_student,
    create_household,
    create_organization,
    create_partnership,
    create_school,
)

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    district: Organization
    other_district: Organization
    nonprofit: Organization
    elementary: School
    middle: School
    other_school: School
    partnership: Partnership
    household: Household  # a student at the elementary school; the family persona's own
    middle_household: Household  # a student at the middle school only
    neighbour_household: Household  # same school as `household`, another family
    other_household: Household  # another district
    caregiver: Caregiver
    family: User
    teacher: User
    coordinator: User
    principal: User
    district_staff: User
    org_admin: User
    partner_staff: User
    funder: User
    outsider: User

    def personas(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "family": self.family,
            "teacher": self.teacher,
            "coordinator": self.coordinator,
            "principal": self.principal,
            "district_staff": self.district_staff,
            "org_admin": self.org_admin,
            "partner_staff": self.partner_staff,
            "funder": self.funder,
            "outsider": self.outsider,
        }


def _staff(email: str, name: str, organization, role: str, school=None) -> User:
    user = create_staff_user(email=email, name=name, password=PASSWORD)
    grant_membership(user=user, organization=organization, role=role, school=school)
    return user


def build_world() -> World:
    district = create_organization(name="Riverside Unified", kind="district")
    other_district = create_organization(name="Lakeside Schools", kind="district")
    nonprofit = create_organization(name="Bridges for Families", kind="nonprofit")
    middle = create_school(organization=district, name="Riverside Middle", grade_band="middle")
    elementary = create_school(
        organization=district, name="Oak Elementary", grade_band="elementary", feeds_into=middle
    )
    other_school = create_school(
        organization=other_district, name="Lakeside Elementary", grade_band="elementary"
    )
    partnership = create_partnership(
        organization=district,
        partner=nonprofit,
        schools=[elementary],
        scope=Partnership.Scope.ROSTER,
        starts_on=date(2020, 8, 1),
    )

    household = create_household(organization=district, name="García")
    caregiver = add_caregiver(
        household=household,
        given_name="María",
        family_name="García",
        relationship="parent",
        preferred_language="es",
        phone="+1 312 555 0101",
        email="maria.garcia@example.com",
        needs_childcare=True,
        availability=[(5, time(9), time(13))],
    )
    add_student(
        household=household, school=elementary, given_name="Lucía", family_name="García", grade="03"
    )

    middle_household = create_household(organization=district, name="Nguyen")
    add_caregiver(
        household=middle_household,
        given_name="Thi",
        family_name="Nguyen",
        relationship="grandparent",
        preferred_language="vi",
        phone="+1 312 555 0102",
    )
    add_student(
        household=middle_household,
        school=middle,
        given_name="Minh",
        family_name="Nguyen",
        grade="07",
    )

    neighbour_household = create_household(organization=district, name="Hassan")
    add_caregiver(
        household=neighbour_household,
        given_name="Amina",
        family_name="Hassan",
        preferred_language="so",
        phone="+1 312 555 0103",
        needs_transportation=True,
    )
    add_student(
        household=neighbour_household,
        school=elementary,
        given_name="Ayaan",
        family_name="Hassan",
        grade="01",
    )

    other_household = create_household(organization=other_district, name="Smith")
    add_caregiver(
        household=other_household, given_name="Jo", family_name="Smith", email="jo@example.com"
    )
    add_student(
        household=other_household,
        school=other_school,
        given_name="Sam",
        family_name="Smith",
        grade="02",
    )

    return World(
        district=district,
        other_district=other_district,
        nonprofit=nonprofit,
        elementary=elementary,
        middle=middle,
        other_school=other_school,
        partnership=partnership,
        household=household,
        middle_household=middle_household,
        neighbour_household=neighbour_household,
        other_household=other_household,
        caregiver=caregiver,
        family=family_account_for(caregiver),
        teacher=_staff(
            "teacher@riverside.test", "Tess Teacher", district, Role.TEACHER, elementary
        ),
        coordinator=_staff(
            "coordinator@riverside.test",
            "Cora Coordinator",
            district,
            Role.PARENT_COORDINATOR,
            elementary,
        ),
        principal=_staff(
            "principal@riverside.test", "Pat Principal", district, Role.PRINCIPAL, elementary
        ),
        district_staff=_staff("face@riverside.test", "Dee District", district, Role.DISTRICT_FACE),
        org_admin=_staff("admin@riverside.test", "Ada Admin", district, Role.ORG_ADMIN),
        partner_staff=_staff("staff@bridges.test", "Pia Partner", nonprofit, Role.PARTNER_STAFF),
        funder=_staff("funder@bridges.test", "Fay Funder", nonprofit, Role.FUNDER),
        outsider=_staff("admin@lakeside.test", "Otto Outsider", other_district, Role.ORG_ADMIN),
    )
