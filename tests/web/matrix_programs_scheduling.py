"""Permission-matrix rows for the scheduling assistant (a session's candidate times)
and a program's outreach list (on screen, saved as a list, as CSV): those who run
programs where the session or program is."""

from tests.web.programs_cases import program_cases, session_cases

CASES = [
    *session_cases("programs:session-scheduling"),
    *program_cases("programs:program-outreach"),
    *program_cases("programs:program-outreach", method="post"),
    *program_cases("programs:program-outreach-csv"),
]
