"""A program with an upcoming session at the personas' elementary school."""

import pytest

from tests.web.programs_cases import invitation_to, make_program, make_session


@pytest.fixture
def program(world):
    return make_program(world)


@pytest.fixture
def session(world, program):
    """Next Saturday 10:00–12:00 at Oak Elementary: English and Spanish, Somali
    interpretation, childcare, food and bus vouchers."""
    return make_session(world, program=program)


@pytest.fixture
def invite(world):
    """invite(session, caregiver=None, channel="web") → that caregiver's invitation."""
    return lambda session, caregiver=None, channel="web": invitation_to(
        world, session, caregiver, channel
    )


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
