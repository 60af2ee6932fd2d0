"""A campaign's strengths-and-needs report: a page, a printable PDF and a full-screen
data walk, all from `listening.report`. Readers of reports (teachers, funders, partner
staff) see it, aggregated only; those who run listening also get "Turn into action"
beside each need."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path

from tandem.accounts.access import staff
from tandem.accounts.permissions import Action
from tandem.directory.models import School
from tandem.listening.models import Campaign
from tandem.listening.report import strengths_and_needs
from tandem.listening.selectors import RUN, access_campaign, may

READ = Action.VIEW_REPORTS


def _school(request, campaign: Campaign) -> School | None:
    """The school a district-wide campaign's report is narrowed to (?school=<id>)."""
    value = request.GET.get("school", "")
    if campaign.school_id or not value:
        return None
    school = School.objects.filter(
        pk=value if value.isdigit() else -1, organization_id=campaign.organization_id
    ).first()
    if school is None:
        raise Http404
    return school


def _context(request, pk: int) -> dict:
    campaign = access_campaign(request.user, pk, READ)
    school = _school(request, campaign)
    district_schools = []
    if campaign.school_id is None:
        district_schools = list(
            School.objects.filter(organization_id=campaign.organization_id).order_by("name", "id")
        )
    return {
        "campaign": campaign,
        "report": strengths_and_needs(campaign, school),
        "chosen_school": school,
        "district_schools": district_schools,
        "can_act": may(request.user, RUN, campaign),
        "min_group_size": settings.TANDEM_MIN_GROUP_SIZE,
        "query": f"?school={school.pk}" if school else "",
    }


@staff(READ)
def report_page(request, pk: int):
    return render(request, "listening/report/report.html", _context(request, pk))


@staff(READ)
def report_pdf(request, pk: int):
    """The report laid out for paper by WeasyPrint (imported here: it loads Pango)."""
    import weasyprint

    context = _context(request, pk)
    html = render_to_string("listening/report/print.html", context, request=request)
    pdf = weasyprint.HTML(string=html).write_pdf()
    school = context["chosen_school"]
    filename = f"strengths-and-needs-{pk}{f'-school-{school.pk}' if school else ''}.pdf"
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@staff(READ)
def data_walk(request, pk: int):
    return render(request, "listening/report/data_walk.html", _context(request, pk))


urlpatterns = [
    path("<int:pk>/report/", report_page, name="report"),
    path("<int:pk>/report.pdf", report_pdf, name="report-pdf"),
    path("<int:pk>/data-walk/", data_walk, name="data-walk"),
]
