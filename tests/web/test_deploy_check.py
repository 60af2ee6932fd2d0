"""Production settings pass Django's deployment checklist, and every view has a rule."""

import os
import subprocess
import sys

from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from tandem.web.checks import every_view_declares_an_access_rule


def test_check_deploy_reports_no_issue_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "TANDEM_ENV": "production",
        "TANDEM_SECRET_KEY": "a-long-random-secret-" + "x" * 60,
        "TANDEM_ALLOWED_HOSTS": "tandem.example.org",
        "TANDEM_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    # The browser tests set this for the test process only; no deployment ever has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "tandem.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "TANDEM_ENV": "production", "TANDEM_VAR_DIR": str(tmp_path)}
    env.pop("TANDEM_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "tandem.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TANDEM_SECRET_KEY must be set" in result.stderr


def undeclared_view(request):
    return HttpResponse("no rule")


urlpatterns = [path("undeclared/", undeclared_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_url_whose_view_declares_no_rule_stops_tandem():
    errors = every_view_declares_an_access_rule(None)
    assert [error.id for error in errors] == ["tandem.E001"]
    assert "/undeclared/" in errors[0].msg


def test_every_view_of_tandem_declares_a_rule():
    assert every_view_declares_an_access_rule(None) == []
