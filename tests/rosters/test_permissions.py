"""Who may use roster import: org admins and district staff, for their own organization."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.rosters.services import start_roster_import

IMPORTERS = {"district_staff", "org_admin"}
REFUSED = ["family", "teacher", "coordinator", "principal", "partner_staff", "funder"]


def outcome(response) -> str:
    if response.status_code in (301, 302):
        return "sign-in" if "/sign-in" in response["Location"] else "ok"
    return "ok" if response.status_code == 200 else str(response.status_code)


@pytest.mark.parametrize(
    "path", ["/directory/import/", "/directory/import/template/", "/directory/import/template.csv"]
)
def test_only_importers_reach_the_import_pages(client, world, path):
    got = {}
    for persona, user in world.personas().items():
        client.logout()
        if user:
            client.force_login(user)
        got[persona] = outcome(client.get(path))

    assert got == {
        "anonymous": "sign-in",
        **{persona: "ok" for persona in [*IMPORTERS, "outsider"]},
        **dict.fromkeys(REFUSED, "403"),
    }


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("post", "import-valid-rows/"), ("post", "cancel/")]
)
def test_an_import_is_reached_only_from_its_own_organization(client, world, method, suffix):
    roster_import = start_roster_import(
        actor=world.org_admin,
        organization=world.district,
        files=[SimpleUploadedFile("users.csv", b"sourcedId,givenName\r\n", "text/csv")],
    )
    got = {}
    for persona, user in world.personas().items():
        client.logout()
        if user:
            client.force_login(user)
        response = getattr(client, method)(f"/directory/import/{roster_import.pk}/{suffix}")
        got[persona] = outcome(response)

    assert got == {
        "anonymous": "sign-in",
        "district_staff": "ok",
        "org_admin": "ok",
        "outsider": "404",
        **dict.fromkeys(REFUSED, "403"),
    }
