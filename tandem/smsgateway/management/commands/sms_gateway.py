"""`tandem sms-gateway`: the local SMS gateway (Twilio's Messages API) on loopback."""

import os

from django.core.management.base import BaseCommand

from tandem.smsgateway.server import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Gateway


class Command(BaseCommand):
    # The gateway stands apart from Tandem: it needs neither its database nor its URLs.
    requires_system_checks = []
    requires_migrations_checks = False
    help = "Run the local SMS gateway: Twilio's Messages API for development, tests and the demo."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument(
            "--inbound-webhook",
            default=None,
            help="Where simulated texts from families are POSTed (Tandem's inbound SMS URL).",
        )
        parser.add_argument(
            "--auth-token",
            default=os.environ.get("TANDEM_TWILIO_AUTH_TOKEN") or DEFAULT_AUTH_TOKEN,
            help="Checks HTTP basic auth and signs callbacks (default: TANDEM_TWILIO_AUTH_TOKEN).",
        )
        parser.add_argument(
            "--account-sid",
            default=os.environ.get("TANDEM_TWILIO_ACCOUNT_SID") or None,
            help=f"Accept only this account (default: any AC… sid; {DEFAULT_ACCOUNT_SID} "
            "for inbound texts).",
        )
        parser.add_argument(
            "--no-status-callbacks", action="store_true", help="Never POST status callbacks."
        )
        parser.add_argument(
            "--honor-opt-out",
            action="store_true",
            help="Refuse (21610) numbers that texted STOP, as Twilio does by default.",
        )

    def handle(self, *args, **options):
        gateway = Gateway(
            host=options["host"],
            port=options["port"],
            auth_token=options["auth_token"],
            account_sid=options["account_sid"],
            status_callbacks=not options["no_status_callbacks"],
            inbound_webhook=options["inbound_webhook"],
            honor_opt_out=options["honor_opt_out"],
        )
        self.stdout.write(f"SMS gateway on {gateway.url} (control endpoints under /_gateway/)")
        self.stdout.flush()
        try:
            gateway.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            gateway.stop()
