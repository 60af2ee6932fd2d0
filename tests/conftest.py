"""Shared fixtures: the personas' world, fast hashing, and markers for real services.

Tests marked `browser` run only with TANDEM_BROWSER_TESTS=1 (CI sets it); tests marked
`postgres` run only when the suite runs on PostgreSQL (DATABASE_URL).
"""

import os

import pytest
from django.db import connection

from tests.personas import build_world


def pytest_collection_modifyitems(config, items):
    browsers_on = os.environ.get("TANDEM_BROWSER_TESTS") == "1"
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
        if "browser" in item.keywords and not browsers_on:
            item.add_marker(pytest.mark.skip(reason="browser tests need TANDEM_BROWSER_TESTS=1"))


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff personas have passwords; real hashing would make every test slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each request activates its page language for the rest of the thread (as Django's
    LocaleMiddleware does); each test starts from the default, whatever ran before."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def live_world(transactional_db):
    """The personas' world, committed so a live server's thread sees it."""
    return build_world()


@pytest.fixture
def sms_gateway(live_server, settings):
    """The local Twilio gateway wired to a live server: texts go out to it, and what it
    is told families send comes back through Tandem's signed webhook."""
    from tests.gateway import gateway_for

    with gateway_for(live_server, settings, token="gateway-token", account="AC" + "5" * 32) as g:
        yield g
