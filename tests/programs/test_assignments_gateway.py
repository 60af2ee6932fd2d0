"""The whole way: an assignment leaves through the messaging worker to the local SMS
gateway, and María's story comes back through it to a live server, thanked in Spanish."""

from django.core.management import call_command
from django.utils import translation

# Imported first: loading the matrix loads every matrix_* module, whose helpers these are.
import tests.web.test_permission_matrix  # noqa: F401
from tandem.programs.assignments import give_assignment, progress, send_assignment
from tandem.programs.models import AssignmentReport
from tandem.smsgateway.server import GatewayControl
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation
from tests.gateway import SCHOOL_NUMBER
from tests.web.matrix_programs_assignments import came, past_session, token_for

MARIA = "+13125550101"
AFFIRM = "Say one affirming thing to your child each day and notice the reaction."
SPANISH = (
    "Su tarea de “Reading report cards”:\n\n"
    "Diga cada día algo positivo a su hijo y observe su reacción.\n\n"
    "Responda por mensaje de texto con lo que pasó, o use su enlace:"
)
STORY = "Le dije a Lucía que estaba orgullosa de su lectura. Sonrió y me leyó un cuento."


def test_a_spanish_family_reports_an_assignment_by_text_through_the_gateway(
    live_server, live_world, sms_gateway
):
    world = live_world
    session = past_session(world)
    came(world, session)
    assignment = give_assignment(
        actor=world.coordinator, session=session, text=AFFIRM, language="en"
    )
    message = send_assignment(actor=world.coordinator, assignment=assignment)
    request = TranslationRequest.objects.get(object_id=str(message.pk), target_language="es")
    approve_translation(actor=world.coordinator, request=request, text=SPANISH)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker

    [sent] = [m["body"] for m in sms_gateway.messages(to=MARIA)]
    assert "Diga cada día algo positivo" in sent
    link = f"{live_server.url}/p/{token_for(session, world.caregiver)}/assignment/{assignment.pk}/"
    assert sent.endswith(link)

    phone = GatewayControl(sms_gateway.url)
    assert phone.send_inbound(sender=MARIA, to=SCHOOL_NUMBER, body=STORY).status == 200

    [thanks] = [m["body"] for m in sms_gateway.messages(to=MARIA)][1:]
    with translation.override("es"):
        assert thanks == translation.gettext(
            "Thank you for telling us what happened! The session's facilitators will read it."
        )
    report = AssignmentReport.objects.get(assignment=assignment)
    assert (report.caregiver_id, report.done, report.story) == (world.caregiver.pk, True, STORY)
    assert report.channel == AssignmentReport.Channel.SMS
    [item] = progress(session)
    assert (item.attendees, item.reported, item.done_share) == (1, 1, 100)
