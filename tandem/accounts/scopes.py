"""Which objects may this user see? Querysets filtered by the user's Scope for an action.

Views and selectors start from these functions, never from `Model.objects`, for
anything that holds personal data. An object outside them is answered with 404.
"""

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from tandem.accounts.permissions import Action, Scope, scope_for
from tandem.directory.models import (
    Caregiver,
    Household,
    Organization,
    School,
    StaffMember,
    Student,
)


def _household_q(scope: Scope, household_field: str = "id") -> Q:
    """Households in the scope: whole organizations, a student at a school, or one's own.

    `household_field` names the household's id on the model filtered: "id" for
    Household itself, "household_id" for the rows that belong to one (they all carry
    the household's organization_id too).
    """
    q = Q()
    if scope.organization_ids:
        q |= Q(organization_id__in=scope.organization_ids)
    if scope.household_ids:
        q |= Q(**{f"{household_field}__in": scope.household_ids})
    if scope.school_ids:
        q |= Q(
            Exists(
                Student.objects.filter(
                    household_id=OuterRef(household_field), school_id__in=scope.school_ids
                )
            )
        )
    return q


def visible_households(user, action: Action = Action.VIEW_HOUSEHOLD) -> QuerySet[Household]:
    scope = scope_for(user, action)
    if not scope:
        return Household.objects.none()
    return Household.objects.filter(_household_q(scope))


def visible_caregivers(user, action: Action = Action.VIEW_HOUSEHOLD) -> QuerySet[Caregiver]:
    scope = scope_for(user, action)
    if not scope:
        return Caregiver.objects.none()
    return Caregiver.objects.filter(_household_q(scope, "household_id"))


def visible_students(user, action: Action = Action.VIEW_HOUSEHOLD) -> QuerySet[Student]:
    """Students of households the user may see; school staff see only their school's."""
    scope = scope_for(user, action)
    if not scope:
        return Student.objects.none()
    q = Q(organization_id__in=scope.organization_ids) | Q(household_id__in=scope.household_ids)
    if scope.school_ids:
        q |= Q(school_id__in=scope.school_ids)
    return Student.objects.filter(q)


def visible_schools(user, action: Action = Action.VIEW_DIRECTORY) -> QuerySet[School]:
    scope = scope_for(user, action)
    if not scope:
        return School.objects.none()
    q = Q(organization_id__in=scope.organization_ids) | Q(id__in=scope.school_ids)
    if scope.household_ids:
        q |= Q(students__household_id__in=scope.household_ids)
    return School.objects.filter(q).distinct()


def visible_organizations(user, action: Action) -> QuerySet[Organization]:
    scope = scope_for(user, action)
    if not scope:
        return Organization.objects.none()
    q = Q(id__in=scope.organization_ids) | Q(schools__id__in=scope.school_ids)
    return Organization.objects.filter(q).distinct()


def visible_staff(user, action: Action = Action.VIEW_DIRECTORY) -> QuerySet[StaffMember]:
    scope = scope_for(user, action)
    if not scope:
        return StaffMember.objects.none()
    q = Q(organization_id__in=scope.organization_ids) | Q(school_id__in=scope.school_ids)
    return StaffMember.objects.filter(q)


def contains(scope: Scope, obj: Model) -> bool:
    """Is `obj` inside `scope`? Decided without a query where the ids say it already."""
    if isinstance(obj, Household):
        if obj.organization_id in scope.organization_ids or obj.pk in scope.household_ids:
            return True
        return (
            bool(scope.school_ids)
            and Student.objects.filter(household_id=obj.pk, school_id__in=scope.school_ids).exists()
        )
    if isinstance(obj, Caregiver | Student):
        return contains(scope, obj.household)
    if isinstance(obj, School):
        return obj.organization_id in scope.organization_ids or obj.pk in scope.school_ids
    if isinstance(obj, Organization):
        return obj.pk in scope.organization_ids
    if isinstance(obj, StaffMember):
        return obj.organization_id in scope.organization_ids or obj.school_id in scope.school_ids
    raise TypeError(f"No permission rule for {type(obj).__name__}")
