"""Shared by the listening rows of the permission matrix: campaigns made when a case
runs, at the elementary school, the middle school and another organization's school,
and the object cases that try a URL on each of them."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from tests.personas import World

RUNNERS = ["coordinator", "principal", "district_staff", "org_admin", "partner_staff", "outsider"]
NO_RUNNING = ["family", "teacher", "funder"]


def make_campaign(world: World, school_name: str, template: str = "south-dakota"):
    """A campaign at the named school, opened by an administrator of its organization."""
    from tandem.listening.models import Protocol
    from tandem.listening.services import create_campaign, shipped_templates

    school = getattr(world, school_name)
    admin = world.org_admin if school.organization == world.district else world.outsider
    protocol = next(p for p in shipped_templates() if p.template_key == template)
    return create_campaign(
        actor=admin,
        organization=school.organization,
        protocol=Protocol.objects.get(pk=protocol.pk),
        name="Spring listening",
        closes_on=timezone.localdate() + timedelta(days=30),
        school=school,
    )


def campaign_at(school_name: str, template: str = "south-dakota") -> Callable[[World], dict]:
    return lambda world: {"pk": make_campaign(world, school_name, template).pk}


def object_cases(
    url_name: str,
    make: Callable[[World, str], object],
    method: str = "get",
    allowed_here: list[str] | None = None,
    lacking: list[str] | None = None,
) -> list:
    """A URL of an object that belongs to a campaign (`make(world, school_name)` returns
    it), tried on objects at the elementary school, the middle school, another
    organization's school, and one that does not exist."""
    from tests.web.test_permission_matrix import object_case

    allowed = allowed_here or RUNNERS
    lacking = NO_RUNNING if lacking is None else lacking
    return [
        object_case(
            url_name,
            lambda w: {"pk": make(w, "elementary").pk},
            "elementary",
            [p for p in allowed if p != "outsider"],
            lacking,
            method,
        ),
        object_case(
            url_name,
            lambda w: {"pk": make(w, "middle").pk},
            "middle school",
            [p for p in allowed if p in ("district_staff", "org_admin")],
            lacking,
            method,
        ),
        object_case(
            url_name,
            lambda w: {"pk": make(w, "other_school").pk},
            "other organization",
            ["outsider"] if "outsider" in allowed else [],
            lacking,
            method,
        ),
        object_case(url_name, lambda w: {"pk": 999_999}, "none such", [], lacking, method),
    ]


def campaign_cases(url_name: str, method: str = "get", template: str = "south-dakota") -> list:
    return object_cases(url_name, lambda w, school: make_campaign(w, school, template), method)


def invitation_for(world: World, campaign, caregiver=None, channel: str = "web"):
    """The caregiver's invitation to the campaign (the García mother by default)."""
    from tandem.listening.models import Invitation
    from tandem.listening.services import ensure_invitations

    caregiver = caregiver or world.caregiver
    ids = ensure_invitations(campaign, [(caregiver.pk, channel)])
    return Invitation.objects.select_related("campaign").get(pk=ids[caregiver.pk])


def days_from_now(days: int):
    return timezone.localdate() + timedelta(days=days)
