"""Permission-matrix rows for listening campaigns."""

from tests.web.listening_cases import RUNNERS, campaign_cases
from tests.web.test_permission_matrix import Case, only

CASES = [
    Case("listening:campaigns", only(RUNNERS)),
    Case("listening:campaign-create", only(RUNNERS)),
    Case("listening:campaign-create", only(RUNNERS), method="post"),
    *campaign_cases("listening:campaign"),
    *campaign_cases("listening:campaign-invite", method="post"),
    *campaign_cases("listening:campaign-close", method="post"),
]
