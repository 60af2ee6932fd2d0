"""Permission-matrix rows for facilitated sessions: everything about a session is
checked through its campaign, so staff outside its scope find nothing (404)."""

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from tests.personas import World
from tests.web.listening_cases import campaign_cases, make_campaign, object_cases
from tests.web.test_permission_matrix import Case


def make_session(world: World, school_name: str):
    """A session of a new campaign at the named school, planned by its organization's
    administrator."""
    from tandem.listening.sessions import create_session

    campaign = make_campaign(world, school_name)
    admin = world.org_admin if campaign.organization == world.district else world.outsider
    return create_session(
        actor=admin,
        campaign=campaign,
        starts_at=timezone.now() + timedelta(days=7),
        place="Library",
        languages=["en", "es"],
    )


def session_cases(url_name: str, method: str = "get", **extra) -> list[Case]:
    cases = object_cases(url_name, make_session, method)
    return [replace(case, kwargs=lambda w, k=case.kwargs: {**k(w), **extra}) for case in cases]


CASES = [
    *campaign_cases("listening:session-new"),
    *campaign_cases("listening:session-new", method="post"),
    *session_cases("listening:session"),
    *session_cases("listening:session-person-add", method="post"),
    *session_cases("listening:session-person-remove", method="post"),
    *session_cases("listening:session-attendance", method="post"),
    *session_cases("listening:session-notes", number=1),
    *session_cases("listening:session-notes", method="post", number=1),
    *session_cases("listening:session-note-delete", method="post"),
]
