"""Every URL × every persona: who gets the page, who is sent to sign in, who gets 403 or 404.

The matrix below is the specification. A URL that Tandem serves and the matrix does not
name fails `test_every_url_has_a_rule`, so a new page cannot ship without deciding who
may see it. Object URLs are tried with objects of the persona's own household, another
household of the same school, another school and another organization.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tandem.web.checks import is_admin_route, iter_patterns
from tests.personas import World

# OK: the view was reached — the page (200), a redirect elsewhere than sign-in, 405 for the
# other method, or 400/422 for the empty form the matrix posts.
OK = "ok"
SIGN_IN = "sign-in"  # redirected to the sign-in page
DENIED = "403"
HIDDEN = "404"

PERSONAS = [
    "anonymous",
    "family",
    "teacher",
    "coordinator",
    "principal",
    "district_staff",
    "org_admin",
    "partner_staff",
    "funder",
    "outsider",
]
STAFF_PERSONAS = PERSONAS[2:]


def everyone(outcome: str = OK) -> dict[str, str]:
    return dict.fromkeys(PERSONAS, outcome)


def signed_in_only() -> dict[str, str]:
    return {**everyone(OK), "anonymous": SIGN_IN}


def only(allowed: list[str], otherwise: str = DENIED, **overrides: str) -> dict[str, str]:
    """Allowed personas get OK, anonymous is sent to sign in, the rest get `otherwise`."""
    outcome = {persona: (OK if persona in allowed else otherwise) for persona in PERSONAS}
    outcome["anonymous"] = SIGN_IN
    outcome.update(overrides)
    return outcome


def object_case(
    url_name: str,
    kwargs: Callable[[World], dict],
    variant: str,
    allowed: list[str],
    lacking_the_action: list[str],
    method: str = "get",
) -> "Case":
    """An object URL: allowed personas get it, personas whose roles never allow the action
    get 403, everyone else 404 (the object is out of their scope), anonymous signs in."""
    expected = {persona: HIDDEN for persona in PERSONAS}
    expected.update(dict.fromkeys(lacking_the_action, DENIED))
    expected.update(dict.fromkeys(allowed, OK))
    expected["anonymous"] = SIGN_IN
    return Case(url_name, expected, kwargs, method, variant)


FAMILY = ["family"]
NOT_FAMILY = [p for p in PERSONAS if p not in ("anonymous", "family")]
DIRECTORY_READERS = [
    "teacher",
    "coordinator",
    "principal",
    "district_staff",
    "org_admin",
    "partner_staff",
    "outsider",
]
NO_DIRECTORY = ["family", "funder"]
HOUSEHOLD_KEEPERS = ["coordinator", "principal", "district_staff", "org_admin", "outsider"]
NO_KEEPING = ["family", "teacher", "partner_staff", "funder"]
IMPORTERS = ["district_staff", "org_admin", "outsider"]
NO_IMPORTING = [p for p in NOT_FAMILY + FAMILY if p not in IMPORTERS]


@dataclass(frozen=True)
class Case:
    url_name: str
    expected: dict[str, str]
    kwargs: Callable[[World], dict] | None = None
    method: str = "get"
    variant: str = ""

    @property
    def id(self) -> str:
        variant = f"[{self.variant}]" if self.variant else ""
        return f"{self.method.upper()} {self.url_name}{variant}"


def household_cases(url_name: str, *, keepers: bool, method: str = "get") -> list[Case]:
    """A household URL tried on households of the elementary school, the middle school,
    another organization, and one that does not exist."""
    readers = HOUSEHOLD_KEEPERS if keepers else DIRECTORY_READERS
    lacking = NO_KEEPING if keepers else NO_DIRECTORY
    at_elementary = [p for p in readers if p != "outsider"]
    district_wide = ["district_staff", "org_admin"]
    return [
        object_case(
            url_name,
            lambda w: {"pk": w.household.pk},
            "elementary household",
            at_elementary,
            lacking,
            method,
        ),
        object_case(
            url_name,
            lambda w: {"pk": w.middle_household.pk},
            "middle-school household",
            district_wide,
            lacking,
            method,
        ),
        object_case(
            url_name,
            lambda w: {"pk": w.other_household.pk},
            "other organization's household",
            ["outsider"],
            lacking,
            method,
        ),
        object_case(url_name, lambda w: {"pk": 999_999}, "no such household", [], lacking, method),
    ]


def roster_import_of(organization_name: str) -> Callable[[World], dict]:
    """An import started by an administrator of the organization, made when the case runs."""

    def kwargs(world: World) -> dict:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tandem.rosters.services import start_roster_import

        organization = getattr(world, organization_name)
        admin = world.org_admin if organization == world.district else world.outsider
        roster_import = start_roster_import(
            actor=admin,
            organization=organization,
            files=[SimpleUploadedFile("users.csv", b"sourcedId,givenName\r\n", "text/csv")],
        )
        return {"pk": roster_import.pk}

    return kwargs


def roster_import_cases(url_name: str, method: str) -> list[Case]:
    """An import URL tried on an import of the district and one of another organization."""
    return [
        object_case(
            url_name,
            roster_import_of("district"),
            "district import",
            ["district_staff", "org_admin"],
            NO_IMPORTING,
            method,
        ),
        object_case(
            url_name,
            roster_import_of("other_district"),
            "other organization's import",
            ["outsider"],
            NO_IMPORTING,
            method,
        ),
        object_case(
            url_name, lambda w: {"pk": 999_999}, "no such import", [], NO_IMPORTING, method
        ),
    ]


REVIEWERS = ["teacher", "coordinator", "principal", "district_staff", "org_admin", "outsider"]
NO_REVIEWING = ["family", "partner_staff", "funder"]
TRANSLATION_MANAGERS = ["district_staff", "org_admin", "outsider"]
NO_TRANSLATION_MANAGING = [p for p in NOT_FAMILY + FAMILY if p not in TRANSLATION_MANAGERS]


def translation_request_of(organization_name: str) -> Callable[[World], dict]:
    """A request for a Spanish translation in the organization, made when the case runs."""

    def kwargs(world: World) -> dict:
        from tandem.translation.services import request_translation

        request = request_translation(
            organization=getattr(world, organization_name),
            text="Report cards go home on Friday.",
            source_language="en",
            target_language="es",
        )
        return {"pk": request.pk}

    return kwargs


def glossary_term_of(organization_name: str) -> Callable[[World], dict]:
    """An organization's own glossary term, made by one of its administrators."""

    def kwargs(world: World) -> dict:
        from tandem.translation.services import save_glossary_term

        organization = getattr(world, organization_name)
        admin = world.org_admin if organization == world.district else world.outsider
        term = save_glossary_term(
            actor=admin,
            organization=organization,
            target_language="es",
            term="snow day",
            rendering="día de nieve",
        )
        return {"pk": term.pk}

    return kwargs


def translation_object_cases(url_name: str, method: str) -> list[Case]:
    """A review URL tried on a request of the district and one of another organization."""
    return [
        object_case(
            url_name,
            translation_request_of("district"),
            "district request",
            [p for p in REVIEWERS if p != "outsider"],
            NO_REVIEWING,
            method,
        ),
        object_case(
            url_name,
            translation_request_of("other_district"),
            "other organization's request",
            ["outsider"],
            NO_REVIEWING,
            method,
        ),
        object_case(
            url_name, lambda w: {"pk": 999_999}, "no such request", [], NO_REVIEWING, method
        ),
    ]


def glossary_term_cases(method: str) -> list[Case]:
    url_name = "translation:glossary-term"
    return [
        object_case(
            url_name,
            glossary_term_of("district"),
            "district term",
            ["district_staff", "org_admin"],
            NO_TRANSLATION_MANAGING,
            method,
        ),
        object_case(
            url_name,
            glossary_term_of("other_district"),
            "other organization's term",
            ["outsider"],
            NO_TRANSLATION_MANAGING,
            method,
        ),
        object_case(
            url_name,
            lambda w: {"pk": 999_999},
            "no such term",
            [],
            NO_TRANSLATION_MANAGING,
            method,
        ),
    ]


SENDERS = [
    "teacher",
    "coordinator",
    "principal",
    "district_staff",
    "org_admin",
    "partner_staff",
    "outsider",
]
NO_SENDING = ["family", "funder"]


def message_to(audience: str, target_name: str) -> Callable[[World], dict]:
    """A message composed (through the service) when the case runs: to a school, or to
    one household; written by one of the target organization's own staff."""

    def kwargs(world: World) -> dict:
        from tandem.messaging.compose import compose_message

        target = getattr(world, target_name)
        organization = target.organization
        author = world.org_admin if organization == world.district else world.outsider
        message = compose_message(
            actor=author,
            organization=organization,
            audience=audience,
            body="The book fair opens on Monday.",
            language="en",
            school=target if audience == "school" else None,
            household=target if audience == "household" else None,
        )
        return {"pk": message.pk}

    return kwargs


def message_cases() -> list[Case]:
    """A message URL tried on messages to a school, to households of the elementary and
    the middle school, to another organization's school, and on one that does not exist."""
    at_elementary = [p for p in SENDERS if p != "outsider"]
    district_wide = ["district_staff", "org_admin"]
    url_name = "messaging:message"
    return [
        object_case(
            url_name,
            message_to("school", "elementary"),
            "elementary school",
            at_elementary,
            NO_SENDING,
        ),
        object_case(
            url_name,
            message_to("household", "household"),
            "elementary household",
            at_elementary,
            NO_SENDING,
        ),
        object_case(
            url_name,
            message_to("household", "middle_household"),
            "middle-school household",
            district_wide,
            NO_SENDING,
        ),
        object_case(
            url_name,
            message_to("school", "other_school"),
            "other organization's school",
            ["outsider"],
            NO_SENDING,
        ),
        object_case(url_name, lambda w: {"pk": 999_999}, "no such message", [], NO_SENDING),
    ]


def saved_list_at(school_name: str | None) -> Callable[[World], dict]:
    """A list of the García household saved by the district's administrator, for one
    school or (None) the whole district, with a message to it scheduled for next week, so
    that deleting it is refused and every persona tries the same list."""

    def kwargs(world: World) -> dict:
        from datetime import timedelta

        from django.utils import timezone

        from tandem.directory.models import Household
        from tandem.messaging.compose import compose_message
        from tandem.messaging.saved_lists import save_household_list

        school = getattr(world, school_name) if school_name else None
        saved = save_household_list(
            actor=world.org_admin,
            name="Needs a ride",
            households=Household.objects.filter(pk=world.household.pk),
            school=school,
        )
        compose_message(
            actor=world.org_admin,
            organization=world.district,
            audience="list",
            saved_list=saved,
            body="The bus to the family night leaves at 5.",
            language="en",
            send_at=timezone.now() + timedelta(days=7),
        )
        return {"pk": saved.pk}

    return kwargs


def saved_list_cases() -> list[Case]:
    at_elementary = [p for p in SENDERS if p != "outsider"]
    district_wide = ["district_staff", "org_admin"]
    url_name = "messaging:list-delete"
    return [
        object_case(
            url_name,
            saved_list_at("elementary"),
            "elementary list",
            at_elementary,
            NO_SENDING,
            method="post",
        ),
        object_case(
            url_name, saved_list_at(None), "district list", district_wide, NO_SENDING, method="post"
        ),
        object_case(
            url_name, lambda w: {"pk": 999_999}, "no such list", [], NO_SENDING, method="post"
        ),
    ]


REPORT_READERS = [*DIRECTORY_READERS, "funder"]


def school_cases(url_name: str) -> list[Case]:
    """A school URL for directory readers, tried on the elementary school, the middle
    school, another organization's school, and one that does not exist."""
    return [
        object_case(
            url_name,
            lambda w: {"pk": w.elementary.pk},
            "elementary school",
            [p for p in DIRECTORY_READERS if p != "outsider"],
            NO_DIRECTORY,
        ),
        object_case(
            url_name,
            lambda w: {"pk": w.middle.pk},
            "middle school",
            ["district_staff", "org_admin"],
            NO_DIRECTORY,
        ),
        object_case(
            url_name,
            lambda w: {"pk": w.other_school.pk},
            "other organization's school",
            ["outsider"],
            NO_DIRECTORY,
        ),
        object_case(url_name, lambda w: {"pk": 999_999}, "no such school", [], NO_DIRECTORY),
    ]


CASES: list[Case] = [
    # Public pages.
    Case("web:home", everyone()),
    Case("web:healthz", everyone()),
    Case("web:set-language", everyone(), method="post"),
    # Signing in and out.
    Case("accounts:sign-in", everyone()),
    Case("accounts:sign-in-code", everyone(SIGN_IN)),  # no sign-in under way: back to start
    Case("accounts:staff-sign-in", everyone()),
    Case("accounts:staff-verify", everyone(SIGN_IN)),
    Case("accounts:sign-out", everyone(), method="post"),
    Case("accounts:security", signed_in_only()),
    # The family's own pages.
    Case("family:home", only(FAMILY)),
    Case("family:contact-preferences", only(FAMILY)),
    Case("family:contact-preferences", only(FAMILY), method="post"),
    Case("family:export", only(FAMILY)),
    # The staff directory.
    Case("directory:households", only(DIRECTORY_READERS)),
    Case("directory:caregivers", only(DIRECTORY_READERS)),
    Case("directory:schools", only(DIRECTORY_READERS)),
    Case("directory:style-guide", everyone()),
    *household_cases("directory:household", keepers=False),
    *household_cases("directory:household-edit", keepers=True),
    *household_cases("directory:household-edit", keepers=True, method="post"),
    # Roster import.
    Case("rosters:imports", only(IMPORTERS)),
    Case("rosters:imports", only(IMPORTERS), method="post"),
    Case("rosters:template", only(IMPORTERS)),
    Case("rosters:template-csv", only(IMPORTERS)),
    *roster_import_cases("rosters:job", "get"),
    *roster_import_cases("rosters:import-valid-rows", "post"),
    *roster_import_cases("rosters:cancel", "post"),
    # Translation: the review queue for reviewers, glossary, memory and policy for managers.
    Case("translation:queue", only(REVIEWERS)),
    Case("translation:my-languages", only(REVIEWERS), method="post"),
    *translation_object_cases("translation:review", "get"),
    *translation_object_cases("translation:review", "post"),
    Case("translation:glossary", only(TRANSLATION_MANAGERS)),
    Case("translation:glossary", only(TRANSLATION_MANAGERS), method="post"),
    *glossary_term_cases("get"),
    *glossary_term_cases("post"),
    Case("translation:memory", only(TRANSLATION_MANAGERS)),
    Case("translation:policy", only(TRANSLATION_MANAGERS)),
    Case("translation:policy", only(TRANSLATION_MANAGERS), method="post"),
    # Messaging: staff who may write to families; a family's own inbox.
    Case("messaging:messages", only(SENDERS)),
    Case("messaging:compose", only(SENDERS)),
    Case("messaging:compose", only(SENDERS), method="post"),
    *message_cases(),
    *household_cases("messaging:thread", keepers=False),
    *household_cases("messaging:thread", keepers=False, method="post"),
    Case("messaging:unmatched", only(SENDERS)),
    Case("messaging:lists", only(SENDERS)),
    Case("messaging:list-create", only(SENDERS), method="post"),
    *saved_list_cases(),
    Case("messaging:family-inbox", only(FAMILY)),
    Case("messaging:family-inbox", only(FAMILY), method="post"),
    # Reach: aggregates for report readers; the list to call for directory readers.
    Case("messaging:reach", only(REPORT_READERS)),
    *school_cases("messaging:not-reached"),
    *school_cases("messaging:not-reached-csv"),
    # Twilio's webhooks: only a request signed with our token gets through.
    Case("sms:inbound", everyone(DENIED), method="post"),
    Case("sms:status", everyone(DENIED), lambda w: {"pk": 1}, method="post"),
    # The email provider's webhooks (Anymail): only a call with the webhook secret.
    Case("email_hooks:inbound", everyone(DENIED), method="post"),
    Case("email_hooks:tracking", everyone(DENIED), method="post"),
    # The local outbox exists in the demo and tests only (see test_outbox_is_off_in_production).
    Case("outbox:index", everyone()),
]

# Routes the matrix covers; the test below fails for any served route not listed here.


def _app_cases() -> list[Case]:
    """Listening's and programs' URLs are many; each part keeps its rows in
    tests/web/matrix_<app>_<part>.py (they import Case and the helpers above from here)."""
    import importlib
    from pathlib import Path

    cases = []
    for module in sorted(Path(__file__).parent.glob("matrix_*_*.py")):
        cases += importlib.import_module(f"tests.web.{module.stem}").CASES
    return cases


CASES += _app_cases()
COVERED = {case.url_name for case in CASES}


def _login(client, user):
    if user is not None:
        client.force_login(user)


def _outcome(response) -> str:
    if response.status_code in (200, 204, 400, 405, 422) or (
        response.status_code in (301, 302, 303) and "/sign-in" not in response.get("Location", "")
    ):
        return OK
    if response.status_code in (301, 302, 303):
        return SIGN_IN
    return str(response.status_code)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_persona_gets_what_the_matrix_says(case: Case, world, client):
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    got = {}
    for persona, user in world.personas().items():
        client.logout()
        _login(client, user)
        response = getattr(client, case.method)(url)
        got[persona] = _outcome(response)
    assert got == case.expected


def test_every_url_has_a_rule():
    from django.urls import get_resolver

    served = {
        f"{namespace}:{pattern.name}"
        for route, pattern, namespace in iter_patterns(get_resolver())
        if not is_admin_route(route)
    }
    missing = sorted(served - COVERED)
    assert not missing, f"URLs with no rule in the permission matrix: {missing}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_operators_reach_the_admin_site(persona, world, client):
    _login(client, world.personas()[persona])
    for url in ["/admin/", "/admin/directory/household/", "/admin/accounts/user/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_outbox_is_off_in_production(world, client, settings):
    settings.TANDEM_LOCAL_OUTBOX = False
    for user in world.personas().values():
        client.logout()
        _login(client, user)
        assert client.get(reverse("outbox:index")).status_code == 404
