"""The action plan and closing the loop: turning a need into an action, the plan per
school, moving an action (which tells participants "you said, we did"), and writing to
participants what was heard and what the school will do. Only those who run listening."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.access import staff
from tandem.accounts.scopes import visible_schools
from tandem.listening.actions import (
    MAX_TITLE_CHARS,
    follow_up_draft,
    reachable_participants,
    send_follow_up,
    set_action_status,
    turn_into_action,
)
from tandem.listening.models import ActionItem, Theme
from tandem.listening.selectors import RUN, access_campaign, may, visible_action_items
from tandem.messaging.compose import MAX_BODY_CHARS


class ActionForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("What will the school do?"), max_length=MAX_TITLE_CHARS
    )
    description = forms.CharField(
        label=gettext_lazy("Details"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionItem.Status.choices)


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Write it in your language: each family receives it in theirs, through the "
            "translation workflow."
        ),
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in errors.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def _theme(request, pk: int) -> Theme:
    theme = Theme.objects.select_related("campaign__school", "campaign__organization")
    theme = theme.filter(pk=pk).first()
    if theme is None or not may(request.user, RUN, theme.campaign):
        raise Http404
    return theme


@staff(RUN)
def theme_act(request, pk: int):
    theme = _theme(request, pk)
    form = ActionForm(request.POST or None, initial={"title": theme.label})
    if request.method == "POST" and form.is_valid():
        try:
            action = turn_into_action(actor=request.user, theme=theme, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Added “%(title)s” to the action plan.") % {"title": action.title}
            )
            return redirect(reverse("listening:report", args=[theme.campaign_id]) + "#needs")
    return render(
        request,
        "listening/actions/act.html",
        {"theme": theme, "campaign": theme.campaign, "form": form},
        status=400 if form.errors else 200,
    )


@staff(RUN)
def action_plan(request):
    schools = list(visible_schools(request.user, RUN).order_by("name", "id"))
    chosen = next((s for s in schools if str(s.pk) == request.GET.get("school")), None)
    items = visible_action_items(request.user).select_related("school", "theme__campaign")
    if chosen is not None:
        items = items.filter(school=chosen)
    items = items.order_by("school__name", "school_id", "status", "-created_at", "-id")
    return render(
        request,
        "listening/actions/plan.html",
        {"items": items, "schools": schools, "chosen": chosen},
    )


@staff(RUN)
def action_detail(request, pk: int):
    action = (
        visible_action_items(request.user)
        .select_related("school", "organization", "theme__campaign")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    form = StatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        follow_up = set_action_status(
            actor=request.user, action=action, status=form.cleaned_data["status"]
        )
        if follow_up is not None:
            messages.success(
                request,
                _(
                    "Saved. The families who took part will hear “you said, we did” "
                    "in their language."
                ),
            )
        else:
            messages.success(request, _("Saved."))
        return redirect("listening:action", pk=action.pk)
    return render(
        request,
        "listening/actions/action.html",
        {
            "action": action,
            "form": form,
            "follow_ups": action.follow_ups.select_related("message").order_by("-created_at"),
        },
        status=400 if form.errors else 200,
    )


@staff(RUN)
def follow_up(request, pk: int):
    campaign = access_campaign(request.user, pk, RUN)
    language = request.user.language or campaign.language
    initial = {"body": follow_up_draft(campaign, language)} if request.method == "GET" else {}
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sent = send_follow_up(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your message to the families who took part is on its way.")
            )
            return redirect("messaging:message", pk=sent.message_id)
    return render(
        request,
        "listening/actions/follow_up.html",
        {
            "campaign": campaign,
            "form": form,
            "households": reachable_participants(request.user, campaign),
            "follow_ups": campaign.follow_ups.select_related("message", "action"),
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("themes/<int:pk>/act/", theme_act, name="theme-act"),
    path("actions/", action_plan, name="actions"),
    path("actions/<int:pk>/", action_detail, name="action"),
    path("<int:pk>/follow-up/", follow_up, name="follow-up"),
]
