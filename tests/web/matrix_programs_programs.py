"""Permission-matrix rows for programs and their sessions: the list and the forms for
whoever may run programs; a program or session outside one's scope is not found (404)."""

from tests.web.programs_cases import RUNNERS, program_cases, session_cases
from tests.web.test_permission_matrix import Case, only

CASES = [
    Case("programs:programs", only(RUNNERS)),
    Case("programs:topics", only(RUNNERS)),
    Case("programs:program-create", only(RUNNERS)),
    Case("programs:program-create", only(RUNNERS), method="post"),
    Case("programs:parent-college-create", only(RUNNERS)),
    Case("programs:parent-college-create", only(RUNNERS), method="post"),
    *program_cases("programs:program"),
    *program_cases("programs:facilitator-add", method="post"),
    *program_cases("programs:material-add", method="post"),
    *program_cases("programs:session-create"),
    *program_cases("programs:session-create", method="post"),
    *session_cases("programs:session"),
    *session_cases("programs:session-edit"),
    *session_cases("programs:session-edit", method="post"),
    *session_cases("programs:session-cancel"),
    *session_cases("programs:session-cancel", method="post"),
]
