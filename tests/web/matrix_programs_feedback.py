"""Permission-matrix rows for feedback: a session's and a program's results (and asking
for feedback) for whoever runs programs there, and the family's questions on a
personal link."""

from tests.personas import World
from tests.web.matrix_programs_assignments import came, link_cases, past_session, token_for
from tests.web.programs_cases import program_cases, session_cases


def feedback_link(world: World) -> dict:
    session = past_session(world)
    came(world, session)
    return {"token": token_for(session, world.caregiver)}


CASES = [
    *session_cases("programs:session-feedback"),
    *session_cases("programs:session-feedback", method="post"),
    *program_cases("programs:program-feedback"),
    *link_cases("join:feedback", feedback_link, {"token": "1-not-a-real-token"}),
]
