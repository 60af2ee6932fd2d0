"""Exchanges: the family's page (one statement at a time to agree with, disagree with or
pass, and a short statement of their own), and the staff's pages: the moderation queue
and the opinion groups with the statements that bridge them.

The family's page is opened with their personal link and works without JavaScript:
every button is a form POST, answered with a redirect back to the page.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import public, staff
from tandem.listening import exchange
from tandem.listening.links import open_link
from tandem.listening.models import Invitation, Statement, Vote
from tandem.listening.questions import questions_in
from tandem.listening.screening import FLAG_LABELS
from tandem.listening.selectors import RUN, access_campaign
from tandem.listening.services import is_accepting
from tandem.messaging.forms import add_service_errors

APPROVED_SHOWN = 100


class StatementForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your idea"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        error_messages={"required": gettext_lazy("Write your idea first.")},
    )

    def __init__(self, *args, label: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        self.fields["text"].help_text = _("One short idea, at most %(limit)s characters.") % {
            "limit": exchange.MAX_STATEMENT_CHARS
        }


# The family's page


def _invitation(request, token: str) -> Invitation | None:
    """The exchange invitation the link was made for, or None for a link that is not
    ours (or not an exchange's)."""
    invitation = open_link(request, token)
    if invitation is None or not invitation.campaign.is_exchange:
        return None
    return invitation


def _vote(request, invitation: Invitation) -> str:
    """Cast the posted vote; the reason it was refused, or "" when it counted."""
    statement_id = request.POST.get("statement", "")
    statement = Statement.objects.filter(
        pk=int(statement_id) if statement_id.isdigit() else -1,
        campaign_id=invitation.campaign_id,
    ).first()
    if statement is None:
        return _("This idea is not open for votes.")
    try:
        exchange.vote(invitation=invitation, statement=statement, choice=request.POST["choice"])
    except ValidationError as invalid:
        return " ".join(invalid.messages)
    return ""


@public
@never_cache
@require_http_methods(["GET", "POST"])
def family_exchange(request, token: str):
    invitation = _invitation(request, token)
    if invitation is None:
        return render(request, "listening/exchange/invalid.html", status=404)
    campaign = invitation.campaign
    asker = campaign.school.name if campaign.school else campaign.organization.name
    if not is_accepting(campaign):
        return render(request, "listening/exchange/closed.html", {"asker": asker})
    status = 200
    form = StatementForm()
    vote_error = ""
    if request.method == "POST":
        if "choice" in request.POST:
            vote_error = _vote(request, invitation)
            if not vote_error:
                return redirect("listen:exchange", token)
        else:
            form = StatementForm(request.POST)
            if form.is_valid():
                try:
                    exchange.add_statement(invitation=invitation, text=form.cleaned_data["text"])
                except ValidationError as invalid:
                    form.add_error("text", invalid.messages)
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you. Your idea will be shown to others after a "
                            "moderator reads it."
                        ),
                    )
                    return redirect("listen:exchange", token)
        status = 400
    prompt = questions_in(campaign, invitation.language)[:1]
    return render(
        request,
        "listening/exchange/family.html",
        {
            "token": token,
            "asker": asker,
            "prompt": prompt[0][1] if prompt else "",
            "shown": exchange.next_statement_for(invitation),
            "waiting": exchange.waiting_count(invitation),
            "vote_error": vote_error,
            "form": form,
            "choices": [
                (Vote.Choice.AGREE, _("Agree")),
                (Vote.Choice.DISAGREE, _("Disagree")),
                (Vote.Choice.PASS, _("Pass / unsure")),
            ],
        },
        status=status,
    )


# Staff pages


def _flag_labels(flags: list[str]) -> list[str]:
    return [_(FLAG_LABELS[flag]) for flag in flags if flag in FLAG_LABELS]


@staff(RUN)
@require_http_methods(["GET", "POST"])
def statements(request, pk: int):
    """The moderation queue, the statements shown, and a form to seed a statement."""
    campaign = access_campaign(request.user, pk)
    if not campaign.is_exchange:
        raise Http404
    status = 200
    form = StatementForm(request.POST or None, label=_("Statement"))
    if form.is_bound:
        if form.is_valid():
            try:
                exchange.seed_statement(
                    actor=request.user, campaign=campaign, text=form.cleaned_data["text"]
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("The statement is shown to participants."))
                return redirect("listening:statements", campaign.pk)
        status = 400
    rows = Statement.objects.filter(
        campaign=campaign, status__in=[Statement.Status.PENDING, Statement.Status.APPROVED]
    ).order_by("-status", "-id")  # pending before approved
    pending, approved = [], []
    for statement in rows[: APPROVED_SHOWN * 2]:
        entry = (statement, _flag_labels(statement.flags))
        (pending if statement.status == Statement.Status.PENDING else approved).append(entry)
    return render(
        request,
        "listening/exchange/statements.html",
        {"campaign": campaign, "pending": pending, "approved": approved, "form": form},
        status=status,
    )


@staff(RUN)
@require_POST
def statement_moderate(request, pk: int):
    statement = Statement.objects.filter(pk=pk).first()
    if statement is None:
        raise Http404
    statement.campaign = access_campaign(request.user, statement.campaign_id)
    approve = request.POST.get("decision") == "approve"
    exchange.moderate(actor=request.user, statement=statement, approve=approve)
    messages.success(
        request,
        _("The statement is shown to participants.") if approve else _("The statement is hidden."),
    )
    return redirect("listening:statements", statement.campaign_id)


@staff(RUN)
def opinions(request, pk: int):
    campaign = access_campaign(request.user, pk)
    if not campaign.is_exchange:
        raise Http404
    summary = exchange.opinion_groups(campaign, request.LANGUAGE_CODE)
    return render(
        request,
        "listening/exchange/opinions.html",
        {
            "campaign": campaign,
            "summary": summary,
            "min_group_size": settings.TANDEM_MIN_GROUP_SIZE,
        },
    )


urlpatterns = [
    path("<int:pk>/statements/", statements, name="statements"),
    path("statements/<int:pk>/moderate/", statement_moderate, name="statement-moderate"),
    path("<int:pk>/opinions/", opinions, name="opinions"),
]
family_urlpatterns = [path("<str:token>/exchange/", family_exchange, name="exchange")]
