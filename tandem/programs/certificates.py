"""The certificate of completion a caregiver receives for a program they completed (a
Parent College year): a one-page PDF in their language when Tandem's pages exist in it
(English otherwise), with the program, the sessions they came to and the dates written
the way their language writes them. Made by WeasyPrint, imported when needed (it loads
Pango)."""

import re

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.directory.models import Caregiver
from tandem.programs.attendance_report import attended_sessions
from tandem.programs.models import Program
from tandem.programs.services import local
from tandem.programs.topics import BY_KEY

_PARENT_COLLEGE_NAME = re.compile(r"^Parent College (?P<start>\d{4})–(?P<end>\d{4})$")


class NotCompleted(Http404):
    """The caregiver has not (yet) come to enough of the program's sessions."""


def certificate_language(caregiver: Caregiver) -> str:
    try:
        return translation.get_supported_language_variant(caregiver.preferred_language)
    except LookupError:
        return settings.LANGUAGE_CODE


def program_name(program: Program) -> str:
    """The program's name in the active language: a Parent College year named by the
    template reads in the catalog's words; other names as staff wrote them."""
    parts = _PARENT_COLLEGE_NAME.match(program.name)
    if program.kind == Program.Kind.PARENT_COLLEGE and parts:
        return _("Parent College %(start)s–%(end)s") % parts.groupdict()
    return program.name


def _date(session, at) -> str:
    return formats.date_format(local(session, at).date(), "DATE_FORMAT")


def certificate_context(program: Program, caregiver: Caregiver) -> dict:
    """What the certificate says, in the active language; raises NotCompleted."""
    needed = program.sessions_to_complete
    attended = attended_sessions(program, caregiver.pk)
    if needed is None or len(attended) < needed:
        raise NotCompleted
    completed_session, _checked_in = attended[needed - 1]
    schools = [school.name for school in program.schools.all()]
    return {
        "caregiver_name": caregiver.full_name,
        "program_name": program_name(program),
        "count": len(attended),
        "sessions": [
            {
                "title": str(BY_KEY[s.topic].name) if s.topic in BY_KEY else s.title,
                "date": _date(s, s.starts_at),
            }
            for s, _at in attended
        ],
        "completed_on": _date(completed_session, completed_session.starts_at),
        "issuer": ", ".join(schools) or program.organization.name,
        "organization": program.organization.name,
    }


def certificate_pdf(*, program: Program, caregiver: Caregiver, actor=None) -> bytes:
    """The certificate as PDF bytes; raises NotCompleted (a 404 in views)."""
    import weasyprint

    if caregiver.organization_id != program.organization_id:
        raise NotCompleted
    language = certificate_language(caregiver)
    with translation.override(language):
        context = certificate_context(program, caregiver)
        html = render_to_string(
            "programs/certificate.html",
            {
                **context,
                "language": language,
                "bidi": translation.get_language_bidi(),
            },
        )
    pdf = weasyprint.HTML(string=html).write_pdf()
    record(
        actor=actor,
        action="programs.certificate_made",
        target=program,
        caregiver_id=caregiver.pk,
    )
    return pdf
