"""Campaigns: the list, a new campaign from a shipped template or one's own protocol,
one campaign's page (its questions, guide, who was invited and how far they got),
inviting a school's families, closing; and the protocols with their facilitator guides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.access import staff
from tandem.accounts.permissions import scope_for
from tandem.accounts.scopes import visible_organizations, visible_schools
from tandem.directory.models import Organization
from tandem.listening import services
from tandem.listening.forms import CampaignForm
from tandem.listening.models import Invitation, Protocol
from tandem.listening.selectors import RUN, access_campaign, visible_campaigns
from tandem.messaging.forms import add_service_errors


@staff(RUN)
def campaign_list(request):
    campaigns = (
        visible_campaigns(request.user)
        .select_related("school", "protocol")
        .annotate(
            invited=Count("invitations", distinct=True),
            finished=Count(
                "invitations",
                filter=Q(invitations__status=Invitation.Status.COMPLETED),
                distinct=True,
            ),
            answers_count=Count("answers", distinct=True),
        )
    )
    return render(request, "listening/campaigns.html", {"campaigns": campaigns})


def _protocol_choices(user):
    organizations = visible_organizations(user, RUN)
    templates = [p.pk for p in services.shipped_templates()]
    return Protocol.objects.filter(
        Q(pk__in=templates) | Q(organization__in=organizations, template_key="")
    ).order_by("organization_id", "name")


@staff(RUN)
def campaign_create(request):
    user = request.user
    schools = visible_schools(user, RUN).select_related("organization").order_by("name")
    # District-wide campaigns are for those who may listen across a whole organization.
    organizations = list(
        Organization.objects.filter(pk__in=scope_for(user, RUN).organization_ids)[:2]
    )
    form_kwargs = {
        "protocols": _protocol_choices(user),
        "schools": schools,
        "district_wide": len(organizations) == 1,
    }
    status = 200
    if request.method == "POST":
        form = CampaignForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            school = data["school"]
            organization = school.organization if school else organizations[0]
            try:
                campaign = services.create_campaign(
                    actor=user,
                    organization=organization,
                    protocol=data["protocol"],
                    name=data["name"],
                    closes_on=data["closes_on"],
                    school=school,
                    language=request.LANGUAGE_CODE,
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("The campaign is open."))
                return redirect("listening:campaign", campaign.pk)
        status = 400
    else:
        form = CampaignForm(**form_kwargs)
    return render(request, "listening/campaign_form.html", {"form": form}, status=status)


@staff(RUN)
def campaign(request, pk: int):
    campaign = access_campaign(request.user, pk)
    by_status = dict(
        campaign.invitations.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    progress = [(label, by_status.get(value, 0)) for value, label in Invitation.Status.choices]
    return render(
        request,
        "listening/campaign.html",
        {
            "campaign": campaign,
            "questions": campaign.protocol.questions.all(),
            "progress": progress,
            "invited": sum(by_status.values()),
            "accepting": services.is_accepting(campaign),
            "sessions": campaign.sessions.select_related("school")[:20],
            "schools": []
            if campaign.school
            else visible_schools(request.user, RUN)
            .filter(organization=campaign.organization)
            .order_by("name"),
        },
    )


@staff(RUN)
@require_POST
def campaign_invite(request, pk: int):
    campaign = access_campaign(request.user, pk)
    school = None
    if campaign.school is None:  # district-wide: one school's families at a time
        school_id = request.POST.get("school", "")
        school = (
            visible_schools(request.user, RUN)
            .filter(organization=campaign.organization, pk=school_id if school_id.isdigit() else -1)
            .first()
        )
    try:
        message = services.invite_families(actor=request.user, campaign=campaign, school=school)
    except ValidationError as invalid:
        for text in invalid.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The invitation is on its way.")
            if message.released_at
            else _(
                "The invitation waits for reviewed translations; it goes out once "
                "they are approved."
            ),
        )
    return redirect("listening:campaign", campaign.pk)


@staff(RUN)
@require_POST
def campaign_close(request, pk: int):
    campaign = access_campaign(request.user, pk)
    services.close_campaign(actor=request.user, campaign=campaign)
    messages.success(request, _("The campaign is closed; no more answers are accepted."))
    return redirect("listening:campaign", campaign.pk)


urlpatterns = [
    path("", campaign_list, name="campaigns"),
    path("new/", campaign_create, name="campaign-create"),
    path("<int:pk>/", campaign, name="campaign"),
    path("<int:pk>/invite/", campaign_invite, name="campaign-invite"),
    path("<int:pk>/close/", campaign_close, name="campaign-close"),
]
