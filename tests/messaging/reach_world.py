"""A school's families for the reach tests, built through services: households in four
languages, a school-wide message sent to those Tandem can reach (one number bouncing),
a reply, a STOP, and families added after the message who were never reached."""

from dataclasses import dataclass
from datetime import time

from tandem.directory.models import Household
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.channels.base import SendResult
from tandem.messaging.delivery import Sender, send_due
from tandem.messaging.inbound import receive_sms
from tests.clock import next_noon
from tests.messaging.page_data import compose

BOUNCING = "+13125559999"
TRANSLATIONS = {
    "es": "La feria del libro abre el lunes.",
    "so": "Bandhigga buugaagta wuxuu furmayaa Isniinta.",
    "vi": "Hội chợ sách mở cửa vào thứ Hai.",
}


class BounceOne(Sender):
    """Accepts every text but one number's, which the carrier says does not exist."""

    def send(self, delivery, text):
        if delivery.address == BOUNCING:
            return SendResult.permanent("21211", "Invalid 'To' phone number")
        return SendResult.accepted(f"test-{delivery.pk}", segments=1)


@dataclass
class ReachWorld:
    spanish: list[Household]  # 7 with García, reached
    vietnamese: list[Household]  # 3, reached: a group too small to show
    english: list[Household]  # 5 by email, reached
    unreachable: list[Household]  # 5 English, no consented contact, never reached
    bounced: Household  # Spanish, its number does not exist
    replied: Household
    stopped: Household


def family(world, name: str, language: str, *, phone=None, email=None, **caregiver) -> Household:
    household = create_household(organization=world.district, name=name)
    add_caregiver(
        household=household,
        given_name=caregiver.pop("given_name", "Ana"),
        family_name=name,
        preferred_language=language,
        phone=phone,
        email=email,
        **caregiver,
    )
    add_student(household=household, school=world.elementary, given_name="Kid", family_name=name)
    return household


def build_reach_world(world) -> ReachWorld:
    spanish = [world.household] + [
        family(world, f"Spanish {n}", "es", phone=f"+1312555{1100 + n}") for n in range(5)
    ]
    bounced = family(world, "Bounced", "es", phone=BOUNCING)
    spanish.append(bounced)
    vietnamese = [family(world, f"Viet {n}", "vi", phone=f"+1312555{1200 + n}") for n in range(3)]
    english = [
        family(world, f"English {n}", "en", email=f"english{n}@example.com") for n in range(5)
    ]
    message = compose(
        world, body="The book fair opens on Monday.", translations=TRANSLATIONS, sent=False
    )
    noon = next_noon(world.district.time_zone)
    send_due(message.pk, sender=BounceOne(), clock=lambda: noon)
    unreachable = [
        family(
            world,
            f"Unreachable {n}",
            "en",
            phone=f"+1312555{1300 + n}",
            sms_consent=False,
            availability=[(1, time(18), time(20))],
            needs_interpretation=True,
        )
        for n in range(5)
    ]
    replied = spanish[1]
    receive_sms(
        provider_id="SM-reply",
        from_number="+13125551100",
        to_number="+15550000000",
        body="Gracias, allí estaremos.",
    )
    stopped = spanish[2]
    receive_sms(
        provider_id="SM-stop", from_number="+13125551101", to_number="+15550000000", body="STOP"
    )
    return ReachWorld(spanish, vietnamese, english, unreachable, bounced, replied, stopped)
