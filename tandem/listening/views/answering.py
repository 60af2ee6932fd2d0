"""Families answering with their personal link, no account needed: a welcome page where
they choose to answer with their name or anonymously, one question per page (saved at
each step, so the link resumes where they stopped), a last look, and thanks.

The link's token is the only key. Pages are in the family's language when Tandem has it
(unless they picked another with the switcher); questions always come in their language
from the translation workflow. Nothing here logs or audits what anyone answered.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tandem.accounts.access import public
from tandem.listening.answers import (
    MAX_ANSWER_CHARS,
    ClosedCampaign,
    answer_set_for,
    clean_answer_text,
    finish_answer_set,
    save_answer,
    start_answer_set,
)
from tandem.listening.links import open_link
from tandem.listening.models import Answer, AnswerSet, Invitation
from tandem.listening.questions import questions_in
from tandem.listening.services import is_accepting

NAMED, ANONYMOUS = "named", "anonymous"
BACK = "back"


class ChoiceForm(forms.Form):
    """With their name or anonymously: one button each, so one tap starts."""

    choice = forms.ChoiceField(
        choices=[(NAMED, _("With my name")), (ANONYMOUS, _("Anonymously"))],
        error_messages={
            "required": _("Choose how to answer: with your name or anonymously."),
            "invalid_choice": _("Choose how to answer: with your name or anonymously."),
        },
    )


class AnswerForm(forms.Form):
    """One answer; empty skips the question. The length is checked by the service's own
    rule (no maxlength attribute: a browser cuts pasted text short without a word)."""

    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = gettext(
            "Leave it empty to skip this question. At most %(limit)s characters."
        ) % {"limit": MAX_ANSWER_CHARS}

    def clean_text(self) -> str:
        return clean_answer_text(self.cleaned_data["text"].replace("\r\n", "\n"))


# Resolving the link


def with_invitation(view: Callable) -> Callable:
    """Resolve the token to its invitation (a friendly 404 page when it is not one of
    ours; an exchange's page when it is for one) and speak the family's language; the
    view gets the invitation."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        invitation = open_link(request, token)
        if invitation is None:
            return render(request, "listening/answer/invalid.html", status=404)
        if invitation.campaign.is_exchange:  # the same link, to an exchange's own page
            return redirect("listen:exchange", token=token)
        return view(request, invitation, token=token, **kwargs)

    return wrapped


def family_page(view: Callable) -> Callable:
    """Every page of a personal link: public, GET and POST only, never cached (answers
    are shown on them), opened with its invitation."""
    return public(never_cache(require_http_methods(["GET", "POST"])(with_invitation(view))))


def _refusal(request: HttpRequest, invitation: Invitation) -> HttpResponse | None:
    """The page to show instead when the family has finished or the campaign closed."""
    if invitation.status == Invitation.Status.COMPLETED:
        return _finished(request, invitation, already=True)
    if not is_accepting(invitation.campaign):
        return _closed(request, invitation)
    return None


def _finished(request: HttpRequest, invitation: Invitation, *, already: bool) -> HttpResponse:
    context = {"invitation": invitation, "already": already, **_about(invitation)}
    return render(request, "listening/answer/thanks.html", context)


def _closed(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    context = {"invitation": invitation, **_about(invitation)}
    return render(request, "listening/answer/closed.html", context, status=410)


def _about(invitation: Invitation) -> dict:
    campaign = invitation.campaign
    return {
        "campaign": campaign,
        "asker": campaign.school.name if campaign.school else campaign.organization.name,
    }


# What the family sees of the questions


def _shown(invitation: Invitation, answer_set: AnswerSet | None) -> list[dict]:
    """Each question as the family reads it, the language its text is in, and the
    answer saved so far (if any)."""
    campaign = invitation.campaign
    language = answer_set.language if answer_set else invitation.language
    saved: dict[int, str] = {}
    if answer_set is not None:
        saved = dict(
            Answer.objects.filter(answer_set=answer_set).values_list("question_id", "text")
        )
    return [
        {
            "number": number,
            "question": question,
            "text": text,
            "language": campaign.protocol.language if text == question.text else language,
            "answer": saved.get(question.pk, ""),
        }
        for number, (question, text) in enumerate(questions_in(campaign, language), start=1)
    ]


def _resume(token: str, shown: list[dict]) -> HttpResponse:
    """To the first question not answered yet, or to the last look when all are."""
    for item in shown:
        if not item["answer"]:
            return redirect("listen:question", token=token, number=item["number"])
    return redirect("listen:review", token=token)


# Pages


@family_page
def start(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    if (refused := _refusal(request, invitation)) is not None:
        return refused
    answer_set = answer_set_for(invitation)
    if answer_set is not None:
        return _resume(token, _shown(invitation, answer_set))
    form = ChoiceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            start_answer_set(
                invitation=invitation,
                anonymous=form.cleaned_data["choice"] == ANONYMOUS,
                channel=AnswerSet.Channel.WEB,
            )
        except ClosedCampaign:
            return _closed(request, invitation)
        except ValidationError:  # finished meanwhile, in another tab or by text
            return _finished(request, invitation, already=True)
        return redirect("listen:question", token=token, number=1)
    context = {
        "form": form,
        "token": token,
        "questions": _shown(invitation, None),
        **_about(invitation),
    }
    return render(
        request, "listening/answer/welcome.html", context, status=400 if form.is_bound else 200
    )


@family_page
def question(request: HttpRequest, invitation: Invitation, token: str, number: int) -> HttpResponse:
    if (refused := _refusal(request, invitation)) is not None:
        return refused
    answer_set = answer_set_for(invitation)
    if answer_set is None:
        return redirect("listen:start", token=token)
    # Saving needs only the question; what the page shows is read when it is shown.
    questions = list(invitation.campaign.protocol.questions.all())
    if not 1 <= number <= len(questions):
        raise Http404
    form = AnswerForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            text = form.cleaned_data["text"]
            save_answer(answer_set=answer_set, question=questions[number - 1], text=text)
        except ClosedCampaign:
            return _closed(request, invitation)
        except ValidationError as refused:
            if refused.code == "completed":
                return _finished(request, invitation, already=True)
            form.add_error("text", refused)
        else:
            if request.POST.get("go") == BACK and number > 1:
                return redirect("listen:question", token=token, number=number - 1)
            if number < len(questions):
                return redirect("listen:question", token=token, number=number + 1)
            return redirect("listen:review", token=token)
    item = _shown(invitation, answer_set)[number - 1]
    form = form or AnswerForm(initial={"text": item["answer"]})
    context = {
        "form": form,
        "token": token,
        "item": item,
        "count": len(questions),
        "anonymous": answer_set.anonymous,
        **_about(invitation),
    }
    return render(
        request, "listening/answer/question.html", context, status=400 if form.errors else 200
    )


@family_page
def review(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    if (refused := _refusal(request, invitation)) is not None:
        return refused
    answer_set = answer_set_for(invitation)
    if answer_set is None:
        return redirect("listen:start", token=token)
    error = ""
    if request.method == "POST":
        try:
            finish_answer_set(answer_set=answer_set, invitation=invitation)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            return redirect("listen:thanks", token=token)
    context = {
        "token": token,
        "shown": _shown(invitation, answer_set),
        "anonymous": answer_set.anonymous,
        "error": error,
        **_about(invitation),
    }
    return render(request, "listening/answer/review.html", context, status=400 if error else 200)


@family_page
def thanks(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    if invitation.status != Invitation.Status.COMPLETED:
        return redirect("listen:start", token=token)
    return _finished(request, invitation, already=False)


urlpatterns: list = []
family_urlpatterns = [
    path("<str:token>/", start, name="start"),
    path("<str:token>/<int:number>/", question, name="question"),
    path("<str:token>/review/", review, name="review"),
    path("<str:token>/thanks/", thanks, name="thanks"),
]
