"""Permission-matrix rows for the strengths-and-needs report (page, PDF, data walk):
readers of reports at the campaign's school, as well as those who run listening."""

from tests.web.listening_cases import RUNNERS, make_campaign, object_cases

READERS = ["teacher", *RUNNERS]  # the funder reads only its own organization's reports


def _report_cases(url_name: str) -> list:
    return object_cases(url_name, make_campaign, allowed_here=READERS, lacking=["family"])


CASES = [
    *_report_cases("listening:report"),
    *_report_cases("listening:report-pdf"),
    *_report_cases("listening:data-walk"),
]
