"""`tandem demo`: prepare the database, build the demo district once, print a sign-in for
every role, then run the background worker and serve the site until Ctrl-C."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.urls import reverse

from tandem.directory.demo import (
    DEMO_PASSWORD,
    build_demo_district,
    demo_district,
    demo_sign_ins,
    reset_demo_district,
)
from tandem.directory.demo.district import MAX_HOUSEHOLDS
from tandem.directory.models import Household
from tandem.directory.phones import display_phone

WORKER_COMMAND = [sys.executable, "-m", "tandem.cli", "db_worker", "--no-reload"]
GATEWAY_PORT = 8025
# A worker that is finishing a task gets this long before it is killed.
WORKER_STOP_SECONDS = 20
SERVER_THREADS = 8


class Command(BaseCommand):
    help = (
        "Build the demo district (once; --reset builds it again), print demo sign-ins, "
        "then run the background worker and serve Tandem at http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=3000,
            help="How many households the district has when it is built (default 3000).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="The same seed builds the same district (default 2026).",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Build and print the sign-ins, then stop (for benchmarks).",
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Default 127.0.0.1. Another address must also be in TANDEM_ALLOWED_HOSTS.",
        )
        parser.add_argument("--port", type=int, default=8000, help="Default 8000.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo district and its accounts, and build it again.",
        )

    def handle(self, *, households, seed, no_serve, host, port, reset, verbosity, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "tandem demo fills the database with a synthetic district; it does not run "
                "with TANDEM_ENV=production."
            )
        if not 1 <= households <= MAX_HOUSEHOLDS:
            raise CommandError(f"--households must be between 1 and {MAX_HOUSEHOLDS:,}.")
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535.")
        # Claim the port before the build, so a taken port is reported at once; browsers
        # that connect meanwhile wait in the queue until the site is served.
        server = None if no_serve else self._bind(host=host, port=port)
        try:
            try:
                self._prepare(households=households, seed=seed, reset=reset, verbosity=verbosity)
            except KeyboardInterrupt:
                raise CommandError(
                    "Interrupted. The next `tandem demo` finishes preparing the demo district.",
                    returncode=130,
                ) from None
            self._print_sign_ins(base_url=f"http://{host}:{port}")
            if server is not None:
                self._serve(server, url=f"http://{host}:{port}/")
        finally:
            if server is not None:
                server.close()

    def _prepare(self, *, households: int, seed: int, reset: bool, verbosity: int) -> None:
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        if reset and demo_district() is not None:
            self.stdout.write("Removing the demo district…")
            reset_demo_district()
        district = demo_district()
        if district is None:
            self._build(households=households, seed=seed)
        else:
            count = Household.objects.filter(organization=district).count()
            self.stdout.write(
                f"Reusing the demo district ({count:,} households); --reset builds it again."
            )

    def _build(self, *, households: int, seed: int) -> None:
        self.stdout.write(f"Building the demo district: {households:,} households (seed {seed})…")
        every = max(households // 10, 1)
        reported = 0

        def progress(done: int) -> None:
            nonlocal reported
            if done - reported >= every or done == households:
                self.stdout.write(f"  {done:,} households")
                self.stdout.flush()
                reported = done

        summary = build_demo_district(households=households, seed=seed, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {summary.households:,} households, {summary.caregivers:,} caregivers, "
                f"{summary.students:,} students, {summary.schools} schools and "
                f"{summary.staff_accounts} staff accounts in {summary.seconds:.1f} s."
            )
        )

    def _print_sign_ins(self, *, base_url: str) -> None:
        staff, family = demo_sign_ins()
        rows = [("Role", "Where", "Email", "Password")] + [
            (str(entry.role.label), entry.place, entry.email, DEMO_PASSWORD) for entry in staff
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                f"Demo sign-ins: staff sign in at {base_url}{reverse('accounts:staff-sign-in')}"
            )
        )
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
        if family is not None:
            contacts = " or ".join(filter(None, [display_phone(family.phone), family.email]))
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    f"Family: {family.name} signs in with a one-time code, no password"
                )
            )
            self.stdout.write(f"  1. Open {base_url}{reverse('accounts:sign-in')}")
            self.stdout.write(f"     and enter {contacts}.")
            self.stdout.write(f"  2. Open {base_url}{reverse('outbox:index')} to read the code.")
        self.stdout.write("")

    def _bind(self, *, host: str, port: int):
        """A waitress server listening on host:port, or a clear error if it is taken."""
        from django.core.wsgi import get_wsgi_application
        from waitress import create_server

        try:
            return create_server(
                get_wsgi_application(), host=host, port=port, threads=SERVER_THREADS
            )
        except OSError as error:
            raise CommandError(
                f"Cannot serve on {host}:{port}: {error.strerror or error}. Another program "
                f"(perhaps another `tandem demo`) is using it; stop it, or choose another "
                f"port with --port."
            ) from error

    def _start_gateway(self, url: str):
        """The local SMS gateway that stands in for Twilio, when the settings point at it
        (they do outside production unless TANDEM_TWILIO_API_BASE says otherwise)."""
        if settings.TANDEM_TWILIO_API_BASE.rstrip("/") != f"http://127.0.0.1:{GATEWAY_PORT}":
            return None
        gateway = subprocess.Popen(_gateway_command(url), start_new_session=True)  # noqa: S603
        self.stdout.write(
            f"Texts go to the local SMS gateway at http://127.0.0.1:{GATEWAY_PORT}/_gateway/messages"
        )
        return gateway

    def _serve(self, server, *, url: str) -> None:
        """Run the background worker and serve until Ctrl-C (or SIGTERM), then stop both."""
        # The server's threads open their own connections; the worker is another process.
        connections.close_all()
        stop_signals = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
        previous = {signum: signal.signal(signum, _interrupt) for signum in stop_signals}
        worker = gateway = None
        try:
            gateway = self._start_gateway(url)
            # Its own session, so Ctrl-C reaches only this process, which then stops the
            # worker once and lets it finish the task in hand.
            worker = subprocess.Popen(WORKER_COMMAND, start_new_session=True)  # noqa: S603
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tandem is running at {url} with its background worker "
                    f"(process {worker.pid}). Press Ctrl-C to stop both."
                )
            )
            server.run()
        finally:
            if worker is not None:
                self.stdout.write("Stopping the background worker…")
                _stop(worker)
            if gateway is not None:
                _stop(gateway)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self.stdout.write("Stopped.")


def _gateway_command(site_url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tandem.cli",
        "sms-gateway",
        "--port",
        str(GATEWAY_PORT),
        "--auth-token",
        settings.TANDEM_TWILIO_AUTH_TOKEN,
        "--account-sid",
        settings.TANDEM_TWILIO_ACCOUNT_SID,
        "--inbound-webhook",
        site_url.rstrip("/") + reverse("sms:inbound"),
    ]


def _interrupt(signum, frame):
    """Stop on SIGTERM or SIGHUP the way Ctrl-C stops: waitress returns from run()."""
    raise KeyboardInterrupt


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        # Still busy after the grace period, or a second Ctrl-C: no orphan either way.
        worker.kill()
        worker.wait()
