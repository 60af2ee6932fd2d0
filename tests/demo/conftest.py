"""A small demo district (200 households) for the tests of what the demo builds."""

import pytest

from tandem.directory.demo import build_demo_district


@pytest.fixture
def small_district(db):
    return build_demo_district(households=200, seed=2026)
