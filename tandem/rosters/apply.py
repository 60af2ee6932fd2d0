"""Writing a roster into the directory: one transaction, bulk upserts keyed by roster id.

What Tandem already holds is read once per kind, each record is compared with it, and
only new or changed rows are written (INSERT … ON CONFLICT on the (organization,
sourced_id) constraints, see bulk.py), so importing the same file twice changes
nothing. An import never deletes a person; what the families themselves said wins over
the roster:
- a contact point already on file keeps its consent (a family that texted STOP stays
  opted out); a roster number new to Tandem replaces the caregiver's unverified numbers
  of that kind, while numbers a family confirmed stay;
- self-described demographics are filled from the roster only when the family has not
  answered.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tandem.accounts.models import Membership, User
from tandem.accounts.roles import Role
from tandem.directory.models import (
    Caregiver,
    ContactPoint,
    Household,
    Organization,
    School,
    StaffMember,
    Student,
)
from tandem.rosters.bulk import write_rows
from tandem.rosters.plain import normalize_school
from tandem.rosters.records import CaregiverRecord, Roster

BATCH = 2_000
IN_BATCH = 500  # ids per `__in` lookup: well under SQLite's variable limit

# The sign-in role a staff member's roster role gives at their school.
MEMBERSHIP_ROLES = {
    StaffMember.Role.TEACHER: Role.TEACHER,
    StaffMember.Role.COUNSELOR: Role.COUNSELOR,
    StaffMember.Role.PRINCIPAL: Role.PRINCIPAL,
    StaffMember.Role.OFFICE_STAFF: Role.OFFICE_STAFF,
}

CAREGIVER_DEFAULTS = {
    "relationship": Caregiver.Relationship.PARENT,
    "preferred_language": "en",
    "needs_childcare": False,
    "needs_transportation": False,
    "needs_interpretation": False,
    "accessibility_note": "",
    "self_described": {},
}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ApplyResult:
    tallies: dict[str, Tally] = field(default_factory=dict)
    contacts_added: int = 0
    contacts_removed: int = 0
    accounts_created: int = 0
    memberships_granted: int = 0

    def as_dict(self) -> dict:
        return {
            **{kind: tally.as_dict() for kind, tally in self.tallies.items()},
            "contacts": {"added": self.contacts_added, "removed": self.contacts_removed},
            "accounts": {"created": self.accounts_created},
            "memberships": {"granted": self.memberships_granted},
        }


def apply_roster(*, organization: Organization, roster: Roster) -> ApplyResult:
    """Write every record of `roster` into `organization`; all or nothing."""
    writer = _Writer(organization)
    with transaction.atomic():
        # Two imports of one organization queue here rather than interleave.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if roster.district_sourced_id and not organization.sourced_id:
            organization.sourced_id = roster.district_sourced_id
            organization.save(update_fields=["sourced_id"])
        writer.schools(roster)
        writer.households_and_people(roster)
        writer.staff(roster)
    return writer.result


def chunks[T](items: list[T], size: int = IN_BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    def __init__(self, organization: Organization) -> None:
        self.organization = organization
        self.result = ApplyResult()
        self.now = timezone.now()
        self.school_ids: dict[str, int] = {}
        self.school_ids_by_name: dict[str, int] = {}

    def existing(self, model: type[Model], fields: list[str]) -> dict[str, dict]:
        """sourced_id → {field: value} for the organization's rows of `model`."""
        rows = model.objects.filter(
            organization=self.organization, sourced_id__isnull=False
        ).values_list("sourced_id", *fields)
        return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in rows.iterator(10_000)}

    def upsert(
        self,
        kind: str,
        model: type[Model],
        records: Iterable[tuple[str, dict]],
        fields: list[str],
        existing: dict[str, dict],
        defaults: dict | None = None,
    ) -> None:
        """Create or update `records` (sourced id, values) that differ from `existing`."""
        tally = self.result.tallies.setdefault(kind, Tally())
        to_write: list[dict] = []
        for sourced_id, values in records:
            before = existing.get(sourced_id)
            merged = {**(defaults or {}), **(before or {}), **values}
            if before is None:
                tally.created += 1
            elif merged != before:
                tally.updated += 1
            else:
                tally.unchanged += 1
                continue
            to_write.append(
                {"organization_id": self.organization.pk, "sourced_id": sourced_id, **merged}
            )
        write_rows(
            model, to_write, unique_fields=["organization", "sourced_id"], update_fields=fields
        )

    def ids(self, model: type[Model]) -> dict[str, int]:
        """sourced_id → pk of the organization's rows of `model`."""
        return dict(
            model.objects.filter(organization=self.organization, sourced_id__isnull=False)
            .values_list("sourced_id", "pk")
            .iterator(chunk_size=10_000)
        )

    def schools(self, roster: Roster) -> None:
        fields = ["name", "grade_band", "time_zone"]
        existing = self.existing(School, fields)
        records = []
        for school in roster.schools:
            values = {"name": school.name}
            # Grade band and time zone are set when a school is created; staff may
            # correct them after, and a later import keeps their corrections.
            if school.sourced_id not in existing:
                values["grade_band"] = school.grade_band
            records.append((school.sourced_id, values))
        defaults = {"time_zone": self.organization.time_zone}
        self.upsert("schools", School, records, fields, existing, defaults)
        for pk, sourced_id, name in School.objects.filter(
            organization=self.organization
        ).values_list("pk", "sourced_id", "name"):
            if sourced_id:
                self.school_ids[sourced_id] = pk
                self.school_ids_by_name.setdefault(normalize_school(sourced_id), pk)
            self.school_ids_by_name.setdefault(normalize_school(name), pk)

    def school_id(self, reference: str) -> int:
        pk = self.school_ids.get(reference) or self.school_ids_by_name.get(
            normalize_school(reference)
        )
        if pk is None:
            raise LookupError(f"school reference {len(reference)} characters long not found")
        return pk

    def households_and_people(self, roster: Roster) -> None:
        caregiver_fields = ["household_id", "given_name", "family_name", *CAREGIVER_DEFAULTS]
        student_fields = ["household_id", "school_id", "given_name", "family_name", "grade"]
        caregivers_before = self.existing(Caregiver, caregiver_fields)
        students_before = self.existing(Student, student_fields)
        household_of = self.households(roster, caregivers_before, students_before)

        self.upsert(
            "caregivers",
            Caregiver,
            (
                (record.sourced_id, self.caregiver_values(record, household_of, caregivers_before))
                for record in roster.caregivers
            ),
            caregiver_fields,
            caregivers_before,
            CAREGIVER_DEFAULTS,
        )
        self.contacts(roster.caregivers, self.ids(Caregiver))
        self.upsert(
            "students",
            Student,
            (
                (
                    record.sourced_id,
                    {
                        "household_id": household_of["s", record.sourced_id],
                        "school_id": self.school_id(record.school_ref),
                        "given_name": record.given_name,
                        "family_name": record.family_name,
                        "grade": record.grade,
                    },
                )
                for record in roster.students
            ),
            student_fields,
            students_before,
        )

    @staticmethod
    def caregiver_values(
        record: CaregiverRecord,
        household_of: dict[tuple[str, str], int],
        before: dict[str, dict],
    ) -> dict:
        values = {
            "household_id": household_of["c", record.sourced_id],
            "given_name": record.given_name,
            "family_name": record.family_name,
            **record.fields,
        }
        existing = before.get(record.sourced_id)
        if existing and existing["self_described"]:
            values.pop("self_described", None)
        return values

    def households(
        self,
        roster: Roster,
        caregivers_before: dict[str, dict],
        students_before: dict[str, dict],
    ) -> dict[tuple[str, str], int]:
        """Each member's household id, creating and renaming households as needed.

        A household inferred from guardian links is the one most of its members are
        already in, so it keeps its id (and all that hangs on it) across imports; one
        given by id in the file is found by that id.
        """
        tally = self.result.tallies.setdefault("households", Tally())
        rows = list(
            Household.objects.filter(organization=self.organization).values_list(
                "pk", "name", "external_id"
            )
        )
        names = {pk: name for pk, name, _external_id in rows}
        by_external_id = {external_id: pk for pk, _name, external_id in rows if external_id}
        taken: set[int] = set()
        chosen: list[int | None] = []
        for record in roster.households:
            pk = None
            if record.inferred:
                votes = Counter(
                    [
                        caregivers_before[c]["household_id"]
                        for c in record.caregiver_ids
                        if c in caregivers_before
                    ]
                    + [
                        students_before[s]["household_id"]
                        for s in record.student_ids
                        if s in students_before
                    ]
                )
                pk = next((pk for pk, _votes in votes.most_common() if pk not in taken), None)
            if pk is None and by_external_id.get(record.key) not in taken:
                pk = by_external_id.get(record.key)
            if pk is not None:
                taken.add(pk)
            chosen.append(pk)

        used_keys = set(by_external_id)
        new = [
            {
                "organization_id": self.organization.pk,
                "name": record.name,
                "external_id": self.unused_key(record.key, used_keys),
            }
            for record, pk in zip(roster.households, chosen, strict=True)
            if pk is None
        ]
        write_rows(Household, new)
        created_ids = dict(
            Household.objects.filter(
                organization=self.organization, external_id__isnull=False
            ).values_list("external_id", "pk")
        )
        created = (created_ids[row["external_id"]] for row in new)
        renamed = []
        household_of: dict[tuple[str, str], int] = {}
        for record, pk in zip(roster.households, chosen, strict=True):
            if pk is None:
                pk = next(created)
                tally.created += 1
            elif names[pk] != record.name:
                renamed.append(Household(pk=pk, name=record.name, updated_at=self.now))
                tally.updated += 1
            else:
                tally.unchanged += 1
            for sourced_id in record.caregiver_ids:
                household_of["c", sourced_id] = pk
            for sourced_id in record.student_ids:
                household_of["s", sourced_id] = pk
        Household.objects.bulk_update(renamed, ["name", "updated_at"], batch_size=BATCH)
        return household_of

    @staticmethod
    def unused_key(key: str, used: set[str]) -> str:
        """The household's key, or a variant of it when a household that went to another
        group already holds it (households merged or split since the last import)."""
        candidate, number = key, 1
        while candidate in used:
            number += 1
            candidate = f"{key}~{number}"
        used.add(candidate)
        return candidate

    def contacts(self, records: list[CaregiverRecord], caregiver_ids: dict[str, int]) -> None:
        on_file: dict[int, list[tuple[int, str, str, bool, bool]]] = {}
        for pk, caregiver_id, kind, value, verified_at, preferred in ContactPoint.objects.filter(
            caregiver__organization=self.organization
        ).values_list("pk", "caregiver_id", "kind", "value", "verified_at", "is_preferred"):
            on_file.setdefault(caregiver_id, []).append(
                (pk, kind, value, verified_at is not None, preferred)
            )
        new: list[dict] = []
        remove: list[int] = []
        prefer: dict[bool, list[int]] = {True: [], False: []}
        for record in records:
            if not record.contacts:
                continue
            caregiver_id = caregiver_ids[record.sourced_id]
            existing = on_file.get(caregiver_id, [])
            wanted = {(contact.kind, contact.value): contact for contact in record.contacts}
            kinds = {contact.kind for contact in record.contacts}
            for pk, kind, value, verified, preferred in existing:
                contact = wanted.pop((kind, value), None)
                should_prefer = contact is not None and contact.preferred
                if contact is None and kind in kinds and not verified:
                    remove.append(pk)
                elif preferred != should_prefer:
                    prefer[should_prefer].append(pk)
            new.extend(
                {
                    "caregiver_id": caregiver_id,
                    "kind": contact.kind,
                    "value": contact.value,
                    "consent": contact.consent,
                    "consent_changed_at": self.now,
                    "is_preferred": contact.preferred,
                }
                for contact in wanted.values()
            )
        for batch in chunks(remove):
            ContactPoint.objects.filter(pk__in=batch).delete()
        for value, pks in prefer.items():
            for batch in chunks(pks):
                ContactPoint.objects.filter(pk__in=batch).update(is_preferred=value)
        write_rows(ContactPoint, new)
        self.result.contacts_added = len(new)
        self.result.contacts_removed = len(remove)

    def staff(self, roster: Roster) -> None:
        """Staff records, and for each with an email a sign-in account (no password yet:
        they set one by resetting it) and their role at their school."""
        user_ids = self.accounts(roster)
        fields = ["school_id", "user_id", "role", "given_name", "family_name", "email", "phone"]
        existing = self.existing(StaffMember, fields)
        records = []
        for record in roster.staff:
            values = {
                "school_id": self.school_ids[record.school_ref] if record.school_ref else None,
                "role": record.role,
                "given_name": record.given_name,
                "family_name": record.family_name,
                "email": record.email,
                "phone": record.phone,
            }
            if user_id := user_ids.get(record.email):
                values["user_id"] = user_id
            records.append((record.sourced_id, values))
        self.upsert("staff", StaffMember, records, fields, existing, {"user_id": None})
        self.memberships(roster, user_ids)

    def accounts(self, roster: Roster) -> dict[str, int]:
        names = {
            record.email: f"{record.given_name} {record.family_name}".strip()
            for record in roster.staff
            if record.email and record.may_sign_in
        }
        user_ids: dict[str, int] = {}
        for batch in chunks(sorted(names)):
            user_ids.update(User.objects.filter(email__in=batch).values_list("email", "pk"))
        new = [
            {"email": email, "name": name, "password": make_password(None)}
            for email, name in names.items()
            if email not in user_ids
        ]
        write_rows(User, new)
        for batch in chunks([row["email"] for row in new]):
            user_ids.update(User.objects.filter(email__in=batch).values_list("email", "pk"))
        self.result.accounts_created = len(new)
        return user_ids

    def memberships(self, roster: Roster, user_ids: dict[str, int]) -> None:
        wanted = {
            (
                user_ids[record.email],
                self.school_ids[record.school_ref],
                MEMBERSHIP_ROLES[record.role],
            )
            for record in roster.staff
            if record.email in user_ids and record.school_ref and record.role in MEMBERSHIP_ROLES
        }
        held = set()
        for batch in chunks(sorted({user_id for user_id, _school, _role in wanted})):
            held.update(
                Membership.objects.filter(
                    organization=self.organization, user_id__in=batch
                ).values_list("user_id", "school_id", "role")
            )
        # The roles come from MEMBERSHIP_ROLES, all held at a school, with the school set:
        # what grant_membership checks row by row, and the table's constraints enforce.
        missing = sorted(wanted - held)
        write_rows(
            Membership,
            [
                {
                    "user_id": user_id,
                    "organization_id": self.organization.pk,
                    "school_id": school_id,
                    "role": role,
                }
                for user_id, school_id, role in missing
            ],
        )
        self.result.memberships_granted = len(missing)
