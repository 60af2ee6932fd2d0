"""Benchmark: 200 families answer a listening campaign at once through the running web
server, on PostgreSQL; no answer may be lost.

    .venv/bin/python bench/listening_load.py [--families 200] [--threads 8]

A `tandem_bench_listening` database is created on TANDEM_BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/test), migrated, and dropped after. It holds one
school with the families (English, Spanish and Vietnamese speakers) invited to an open
campaign with the South Dakota questions. The site is served by waitress in its own
process, with the same number of threads as `tandem demo`. Then every family, in its own
thread with its own cookies, walks its personal link as a phone would: the welcome page
(CSRF token from the form), named or anonymous (half each), the four questions one page
at a time, the last look, send, thanks. Measured:

- errors: responses other than 2xx/3xx, and requests that failed outright;
- lost: answers the server accepted (redirected onward) that are not in the database;
- p95_ms: the 95th percentile of every request's time, connect to last byte.

Prints a summary, then one JSON line.
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "tandem_bench_listening"
SERVER_THREADS = 8  # as `tandem demo` serves
LANGUAGES = ["en", "es", "vi"]
SAYINGS = {
    "en": "the teachers greet us by name and the office calls back when we ask",
    "es": "los maestros nos saludan por nuestro nombre y la oficina nos devuelve la llamada",
    "vi": "các thầy cô chào chúng tôi bằng tên và văn phòng luôn gọi lại khi chúng tôi hỏi",
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def build(families: int) -> None:
    """In a child process on the bench database: the school, its families, the campaign
    and their invitations; prints each family's link token and language as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from tandem.accounts.roles import Role
    from tandem.accounts.services import create_staff_user, grant_membership
    from tandem.directory.services import (
        add_caregiver,
        add_student,
        create_household,
        create_organization,
        create_school,
    )
    from tandem.listening.services import (
        create_campaign,
        ensure_invitations,
        request_question_translations,
        shipped_templates,
    )
    from tandem.listening.tokens import invitation_token

    call_command("migrate", verbosity=0)
    district = create_organization(name="Bench Unified", kind="district")
    school = create_school(organization=district, name="Bench Elementary", grade_band="elementary")
    admin = create_staff_user(email="admin@bench.test", name="Admin")
    grant_membership(user=admin, organization=district, role=Role.ORG_ADMIN)
    caregivers = []
    for n in range(families):
        household = create_household(organization=district, name=f"Family {n}")
        caregivers.append(
            add_caregiver(
                household=household,
                given_name="Parent",
                family_name=f"Family {n}",
                preferred_language=LANGUAGES[n % len(LANGUAGES)],
                email=f"parent{n}@bench.test",
            )
        )
        add_student(household=household, school=school, given_name="Child", grade="03")
    template = next(p for p in shipped_templates() if p.template_key == "south-dakota")
    campaign = create_campaign(
        actor=admin,
        organization=district,
        protocol=template,
        name="Spring listening",
        closes_on=timezone.localdate() + timedelta(days=30),
        school=school,
    )
    request_question_translations(campaign, LANGUAGES)
    invitations = ensure_invitations(campaign, [(c.pk, "email") for c in caregivers])
    walkers = [
        {"token": invitation_token(invitations[c.pk]), "language": c.preferred_language}
        for c in caregivers
    ]
    print(json.dumps({"campaign": campaign.pk, "families": walkers}))


@dataclass
class Walk:
    """One family's phone: its cookies, what it sent, and how each request went."""

    base: str
    token: str
    language: str
    anonymous: bool
    number: int
    cookies: dict[str, str] = field(default_factory=dict)
    submitted: list[str] = field(default_factory=list)
    timings: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """status, Location, body; a new connection each time, as on a patchy network."""
        parts = urlsplit(self.base)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self.timings.append(time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if not 200 <= response.status < 400:
            raise RuntimeError(f"{method} {path}: {response.status}")
        return response.status, response.headers.get("Location", ""), text

    def post_form(self, path: str, page: str, fields: dict) -> str:
        match = CSRF.search(page)
        if match is None:
            raise RuntimeError(f"no CSRF token on {path}")
        status, location, _body = self.request(
            "POST", path, {"csrfmiddlewaretoken": match.group(1), **fields}
        )
        if status != 302:
            raise RuntimeError(f"POST {path}: {status}, the form was refused")
        return location

    def run(self) -> None:
        start = f"/l/{self.token}/"
        try:
            _status, _location, page = self.request("GET", start)
            choice = "anonymous" if self.anonymous else "named"
            location = self.post_form(start, page, {"choice": choice})
            while re.fullmatch(rf"/l/{re.escape(self.token)}/\d+/", location):
                question = int(location.rstrip("/").rsplit("/", 1)[1])
                _status, _location, page = self.request("GET", location)
                answer = f"{SAYINGS[self.language]} (family {self.number}, question {question})"
                next_location = self.post_form(location, page, {"text": answer, "go": "next"})
                self.submitted.append(answer)
                location = next_location
            _status, _location, page = self.request("GET", location)
            location = self.post_form(location, page, {})
            self.request("GET", location)
        except Exception as error:  # every failure is counted, none stops the others
            self.errors.append(str(error))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_site(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the web server stopped")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the site did not answer on port {port}")


def recreate_database(url: str, *, create: bool) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DATABASE}"))


def stored_answers(database_url: str, campaign: int) -> list[str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT text FROM listening_answer WHERE campaign_id = %s", [campaign]
        ).fetchall()
    return [text for (text,) in rows]


def finished_sets(database_url: str, campaign: int) -> tuple[int, int]:
    """(finished answer sets, of which anonymous ones still holding a person or key)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT count(*) FILTER (WHERE completed), count(*) FILTER (WHERE anonymous AND "
            "(caregiver_id IS NOT NULL OR invitation_id IS NOT NULL OR resume_key IS NOT NULL))"
            " FROM listening_answerset WHERE campaign_id = %s",
            [campaign],
        ).fetchone()


def run(options, root: Path) -> dict:
    postgres_url = os.environ.get("TANDEM_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(root),
        "DATABASE_URL": recreate_database(postgres_url, create=True),
        "TANDEM_PUBLIC_URL": base,
        "TANDEM_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = None
    log = (root / "server.log").open("w")
    try:
        built = subprocess.run(
            [sys.executable, __file__, "--build", str(options.families)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            raise RuntimeError(built.stderr.strip())
        world = json.loads(built.stdout.strip().splitlines()[-1])
        print(f"Built {options.families} families invited to a campaign; serving on {base}")

        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "waitress",
                f"--listen=127.0.0.1:{port}",
                f"--threads={options.threads}",
                "tandem.wsgi:application",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,  # waitress's warnings (queue depth), shown when something failed
        )
        wait_for_site(port, server)

        walks = [
            Walk(base, family["token"], family["language"], anonymous=n % 2 == 1, number=n)
            for n, family in enumerate(world["families"])
        ]
        threads = [threading.Thread(target=walk.run) for walk in walks]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        stored = stored_answers(env["DATABASE_URL"], world["campaign"])
        finished, anonymous_traced = finished_sets(env["DATABASE_URL"], world["campaign"])
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        log.close()
        recreate_database(postgres_url, create=False)

    submitted = [answer for walk in walks for answer in walk.submitted]
    timings = sorted(t for walk in walks for t in walk.timings)
    errors = [error for walk in walks for error in walk.errors]
    lost = len(set(submitted) - set(stored))
    p95 = statistics.quantiles(timings, n=20)[18] * 1000
    print(
        f"{len(walks)} families, {sum(w.anonymous for w in walks)} anonymous, walked their "
        f"links at once in {seconds:.1f} s: {len(timings):,} requests "
        f"({len(timings) / seconds:,.0f}/s), median {statistics.median(timings) * 1000:.0f} ms, "
        f"p95 {p95:.0f} ms, slowest {timings[-1] * 1000:.0f} ms"
    )
    print(
        f"Answers submitted {len(submitted)}, in the database {len(stored)}; "
        f"answer sets finished {finished}; anonymous sets traceable to a person {anonymous_traced}"
    )
    for error in errors[:5]:
        print(f"  error: {error}")
    if errors:
        print((root / "server.log").read_text()[-3000:])
    return {
        "families": len(walks),
        "answers": len(stored),
        "errors": len(errors),
        "lost": lost,
        "p95_ms": round(p95, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=200)
    parser.add_argument("--threads", type=int, default=SERVER_THREADS)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build:
        build(options.build)
        return
    with tempfile.TemporaryDirectory(prefix="tandem-listening-") as temporary:
        result = run(options, Path(temporary))
    met = result["errors"] == result["lost"] == 0
    print("Targets (no errors, no answer lost): " + ("met." if met else "NOT met."))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
