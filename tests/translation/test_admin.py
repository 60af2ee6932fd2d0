"""Translation in the operators' admin: every list and add page loads."""

import pytest
from django.urls import reverse

from tandem.accounts.models import User
from tandem.translation.services import request_translation, save_glossary_term

MODELS = ["translationrequest", "memorysegment", "glossaryterm", "translationpolicy"]


@pytest.mark.parametrize("model", MODELS)
def test_operators_can_list_search_and_add(model, world, client):
    request_translation(
        organization=world.district, text="Hello", source_language="en", target_language="es"
    )
    save_glossary_term(
        actor=world.org_admin,
        organization=world.district,
        target_language="es",
        term="snow day",
        rendering="día de nieve",
    )
    client.force_login(User.objects.create_superuser(email="ops@tandem.test", password="x" * 12))
    changelist = reverse(f"admin:translation_{model}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "snow"}).status_code == 200
    assert client.get(reverse(f"admin:translation_{model}_add")).status_code == 200
