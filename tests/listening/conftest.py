"""A listening campaign at the personas' elementary school, and invitations to it."""

import pytest

from tests.web.listening_cases import invitation_for, make_campaign


@pytest.fixture
def campaign(world):
    """The South Dakota questions at Oak Elementary, open for thirty days."""
    return make_campaign(world, "elementary")


@pytest.fixture
def exchange_campaign(world):
    return make_campaign(world, "elementary", template="share-and-rate")


@pytest.fixture
def invite(world):
    """invite(campaign, caregiver=None, channel="web") → that caregiver's invitation."""
    return lambda campaign, caregiver=None, channel="web": invitation_for(
        world, campaign, caregiver, channel
    )


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
