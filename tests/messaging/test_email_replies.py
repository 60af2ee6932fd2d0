"""Reading an email reply: what the family wrote above the message it quotes, in the mail
programs and languages families use; and the signed tag that names the delivery."""

import pytest

from tandem.messaging.email_replies import is_automatic, reply_text, tagged_delivery_id


@pytest.mark.parametrize(
    ("body", "wrote"),
    [
        (
            "We'll be there.\n\nOn Mon, Nov 23, 2026 at 12:00 PM Riverside <a@b.org> wrote:\n> Hi",
            "We'll be there.",
        ),
        (
            "Sí, allí estaremos.\n\nEl lun, 23 nov 2026 a las 12:00, Riverside <a@b.org> "
            "escribió:\n> Hola\n> --\n> Puede responder a este correo",
            "Sí, allí estaremos.",
        ),
        ("Sí\n\n-----Mensaje original-----\nDe: Riverside\nAsunto: Hola\n\nHola", "Sí"),
        ("Chúng tôi sẽ đến.\r\n\r\n> Xin chào", "Chúng tôi sẽ đến."),
        (
            "> Only the quote, nothing written above it",
            "> Only the quote, nothing written above it",
        ),
        ("Preguntas:\n1. ¿A qué hora?\n2. ¿Dónde?", "Preguntas:\n1. ¿A qué hora?\n2. ¿Dónde?"),
        ("نعم، سنحضر.\n\n> مرحبا", "نعم، سنحضر."),
    ],
)
def test_the_reply_is_what_the_family_wrote_above_the_quote(body, wrote):
    assert reply_text(text=body, html="", languages=["es"]) == wrote


def test_an_html_only_email_is_read_as_text():
    html = "<div>Sí, gracias<br>Rosa</div><blockquote>> Hola</blockquote>"
    assert reply_text(text="", html=html, languages=["es"]).startswith("Sí, gracias\nRosa")


@pytest.mark.parametrize(
    ("headers", "automatic"),
    [
        ({"Auto-Submitted": "auto-replied"}, True),
        ({"Auto-Submitted": "no"}, False),
        ({"X-Autoreply": "yes"}, True),
        ({"Precedence": "bulk"}, True),
        ({"Subject": "Re: conferencias"}, False),
    ],
)
def test_machine_written_mail_is_told_apart(headers, automatic):
    assert is_automatic(headers) is automatic


def test_a_tag_is_read_whatever_the_case_and_only_with_its_signature(settings, db):
    from types import SimpleNamespace

    from tandem.messaging.email_replies import reply_address

    settings.TANDEM_REPLY_EMAIL = "replies@in.example.org"
    delivery = SimpleNamespace(pk=41, organization=SimpleNamespace(reply_email=""))
    address = reply_address(delivery)
    assert tagged_delivery_id([address.upper()]) == 41
    assert tagged_delivery_id([address.replace("+d41-", "+d42-")]) is None
    assert tagged_delivery_id(["replies@in.example.org"]) is None
