"""The directory admin: every page loads for an operator without a select of every row."""

import pytest
from django.urls import reverse

from tandem.accounts.models import User

MODELS = [
    "organization",
    "school",
    "partnership",
    "household",
    "caregiver",
    "contactpoint",
    "student",
    "staffmember",
]


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(email="ops@tandem.test", password="x" * 12)


@pytest.mark.parametrize("model", MODELS)
def test_operators_can_list_search_and_add(model, operator, world, client):
    client.force_login(operator)
    assert client.get(reverse(f"admin:directory_{model}_changelist")).status_code == 200
    assert (
        client.get(reverse(f"admin:directory_{model}_changelist"), {"q": "García"}).status_code
        == 200
    )
    assert client.get(reverse(f"admin:directory_{model}_add")).status_code == 200


def test_big_foreign_keys_are_raw_ids_not_selects(operator, world, client):
    client.force_login(operator)
    caregiver = world.caregiver
    page = client.get(
        reverse("admin:directory_caregiver_change", args=[caregiver.pk])
    ).content.decode()
    assert f'name="household" value="{caregiver.household_id}"' in page
    assert "vForeignKeyRawIdAdminField" in page
    for field in ("household", "organization", "user"):
        assert f'<select name="{field}"' not in page


def test_household_page_shows_its_caregivers_and_students(operator, world, client):
    client.force_login(operator)
    page = client.get(reverse("admin:directory_household_change", args=[world.household.pk]))
    assert page.status_code == 200
    assert "María" in page.content.decode() and "Lucía" in page.content.decode()
