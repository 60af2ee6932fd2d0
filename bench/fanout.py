"""Benchmark: a 100,000-household broadcast in 10 languages through the local SMS gateway
with 2 workers, against the same gateway driven by a bare HTTP client loop.

    .venv/bin/python bench/fanout.py [--households 100000] [--postgres]

Everything runs on a fresh database (SQLite in a temporary folder, or with --postgres a
`tandem_bench_fanout` database on TANDEM_BENCH_POSTGRES_URL, created and dropped). The
gateway (`tandem sms-gateway`) and the two workers (`tandem db_worker`) are separate
processes, as in production. Measured:

- enqueue_s: releasing the message: one delivery row per caregiver written with it in
  one transaction, and the sender tasks enqueued (`release_message`);
- rate_per_s: texts the gateway accepted per second, from the workers' start to the last;
- bare_rate_per_s: the gateway driven by one bare keep-alive HTTP client loop, this run;
- lost / duplicates: recipients the gateway never got / extra texts it got.

Prints a summary, then one JSON line.
"""

import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ACCOUNT = "AC" + "b" * 32
TOKEN = "bench-token"  # noqa: S105  (the local gateway's, on loopback)
LANGUAGES = ["en", "es", "vi", "zh", "ar", "ht", "so", "fil", "pt", "ru"]
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "tandem_bench_fanout"


def number(n: int) -> str:
    return f"+1312{n:07d}"


def build_and_release(households: int) -> None:
    """In a child process on the bench database: the district, then the timed release."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()
    from django.core.management import call_command

    from tandem.accounts.roles import Role
    from tandem.accounts.services import create_staff_user, grant_membership
    from tandem.directory.models import Caregiver, ContactPoint, Household, Student
    from tandem.directory.services import create_organization, create_school
    from tandem.messaging.models import Message
    from tandem.messaging.services import release_message

    call_command("migrate", verbosity=0)
    district = create_organization(name="Bench Unified", kind="district")
    school = create_school(organization=district, name="Bench Elementary", grade_band="elementary")
    admin = create_staff_user(email="admin@bench.test", name="Admin")
    grant_membership(user=admin, organization=district, role=Role.ORG_ADMIN)
    chunk = 10_000
    for start in range(0, households, chunk):
        ids = range(start, min(start + chunk, households))
        homes = Household.objects.bulk_create(
            Household(organization=district, name=f"Family {n}") for n in ids
        )
        people = Caregiver.objects.bulk_create(
            Caregiver(
                organization=district,
                household=home,
                given_name="Parent",
                preferred_language=LANGUAGES[n % len(LANGUAGES)],
            )
            for n, home in zip(ids, homes, strict=True)
        )
        ContactPoint.objects.bulk_create(
            ContactPoint(caregiver=person, kind="phone", value=number(n), consent=True)
            for n, person in zip(ids, people, strict=True)
        )
        Student.objects.bulk_create(
            Student(organization=district, household=home, school=school, grade="03")
            for home in homes
        )
    message = Message.objects.create(
        organization=district,
        author=admin,
        audience=Message.Audience.SCHOOL,
        school=school,
        language="en",
        body="School is closed on Monday for the holiday.",
        status=Message.Status.AWAITING_REVIEW,
    )
    versions = {lang: (f"[{lang}] School is closed on Monday.", False) for lang in LANGUAGES}
    started = time.perf_counter()
    recipients = release_message(message=message, versions=versions)
    enqueue_s = time.perf_counter() - started
    print(json.dumps({"enqueue_s": round(enqueue_s, 2), "recipients": recipients}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def remaining(env: dict) -> int:
    """Deliveries not yet sent, read straight from the bench database."""
    query = "SELECT count(*) FROM messaging_delivery WHERE status IN ('pending', 'sending')"
    if env["DATABASE_URL"]:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as connection:
            return connection.execute(query).fetchone()[0]
    with sqlite3.connect(Path(env["TANDEM_VAR_DIR"]) / "tandem.sqlite3", timeout=30) as db:
        return db.execute(query).fetchone()[0]


def recreate_database(url: str, *, create: bool) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DATABASE}"))


def run(options, root: Path) -> dict:
    from tandem.smsgateway.bare import bare_rate
    from tandem.smsgateway.server import GatewayControl

    port = free_port()
    gateway_url = f"http://127.0.0.1:{port}"
    postgres_url = os.environ.get("TANDEM_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(root),
        "DATABASE_URL": recreate_database(postgres_url, create=True) if options.postgres else "",
        "TANDEM_TWILIO_API_BASE": gateway_url,
        "TANDEM_TWILIO_ACCOUNT_SID": ACCOUNT,
        "TANDEM_TWILIO_AUTH_TOKEN": TOKEN,
        "TANDEM_TWILIO_FROM": "+13125550000",
        "TANDEM_QUIET_HOURS": "00:00-00:00",  # the bench runs at any hour
        "TANDEM_SEND_WORKERS": "2",
    }
    tandem = [sys.executable, "-m", "tandem.cli"]
    credentials = ["--auth-token", TOKEN, "--account-sid", ACCOUNT]
    gateway = subprocess.Popen(
        [*tandem, "sms-gateway", "--port", str(port), "--no-status-callbacks", *credentials],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers = []
    try:
        wait_for_port(port)
        control = GatewayControl(gateway_url)
        bare = bare_rate(
            gateway_url, min(options.households, 20_000), account_sid=ACCOUNT, auth_token=TOKEN
        )
        control.reset()
        print(f"Gateway driven by a bare HTTP client loop: {bare:,.0f} texts/s")

        built = subprocess.run(
            [sys.executable, __file__, "--build", str(options.households)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            raise RuntimeError(built.stderr.strip())
        release = json.loads(built.stdout.strip().splitlines()[-1])
        print(
            f"Released to {release['recipients']:,} caregivers in {len(LANGUAGES)} languages "
            f"in {release['enqueue_s']:.2f} s"
        )

        started = time.perf_counter()
        for _ in range(2):
            workers.append(
                subprocess.Popen(
                    [*tandem, "db_worker", "--no-reload", "--interval", "0.2"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        while remaining(env):
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        counts = control.counts()
    finally:
        for process in [*workers, gateway]:
            process.terminate()
        for process in [*workers, gateway]:
            process.wait()
        if options.postgres:
            recreate_database(postgres_url, create=False)

    expected = {number(n) for n in range(options.households)}
    lost = len(expected - set(counts))
    duplicates = sum(count - 1 for count in counts.values() if count > 1)
    rate = sum(counts.values()) / seconds
    print(f"Two workers sent {sum(counts.values()):,} texts in {seconds:.1f} s: {rate:,.0f}/s")
    return {
        "households": options.households,
        "enqueue_s": release["enqueue_s"],
        "rate_per_s": round(rate, 1),
        "bare_rate_per_s": round(bare, 1),
        "lost": lost,
        "duplicates": duplicates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build:
        build_and_release(options.build)
        return
    with tempfile.TemporaryDirectory(prefix="tandem-fanout-") as temporary:
        result = run(options, Path(temporary))
    met = (
        result["enqueue_s"] <= 10
        and result["rate_per_s"] >= result["bare_rate_per_s"] / 2
        and result["lost"] == result["duplicates"] == 0
    )
    print(
        "Targets (enqueue ≤ 10 s, rate ≥ half the bare rate, nothing lost or doubled): "
        + ("met." if met else "NOT met.")
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
