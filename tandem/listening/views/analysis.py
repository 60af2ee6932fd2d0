"""Analysis screens: every answer per question in the reader's language, the themes
the engine found, and one theme's review (rename, tag, merge, split, move answers).

Views are thin: the campaign, theme or answer comes from an `access_…` helper (404 out
of scope), rows from `analysis` and `themes`, changes from the `themes` services. A
form that does not validate shows its errors next to its fields, with status 400.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.accounts.access import staff
from tandem.listening import analysis, themes
from tandem.listening.analysis_forms import (
    AnswerFilterForm,
    FindThemesForm,
    MergeForm,
    MoveAnswerForm,
    MoveForm,
    RenameForm,
    SplitForm,
    TagForm,
)
from tandem.listening.models import Theme
from tandem.listening.selectors import RUN, access_campaign
from tandem.messaging.forms import add_service_errors

ANSWERS_PAGE_SIZE = 50
THEME_PAGE_SIZE = 100


def _reader_language() -> str:
    return get_language() or "en"


# Answers.


@staff(RUN)
@require_GET
def answers(request, pk: int):
    campaign = access_campaign(request.user, pk)
    questions = campaign.protocol.questions.all()
    form = AnswerFilterForm(
        request.GET, questions=questions, choices=analysis.filter_choices(campaign)
    )
    page = question = None
    status = 200
    if form.is_valid():
        question = form.cleaned_data["question"] or questions.first()
    else:
        status = 400
    if question is not None:
        rows = analysis.answers_to(campaign, question, form.filters())
        page = Paginator(rows, ANSWERS_PAGE_SIZE).get_page(request.GET.get("page"))
        page.readable = analysis.in_reader_language(
            campaign, list(page.object_list), _reader_language()
        )
    return render(
        request,
        "listening/analysis/answers.html",
        {
            "campaign": campaign,
            "form": form,
            "question": question,
            "page": page,
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "question")),
        },
        status=status,
    )


@staff(RUN)
@require_http_methods(["GET", "POST"])
def answer_move(request, pk: int):
    answer = analysis.access_answer(request.user, pk)
    targets = Theme.objects.filter(campaign=answer.campaign, question=answer.question)
    form = MoveAnswerForm(
        request.POST if request.method == "POST" else None,
        targets=targets,
        initial={"target": answer.theme_id},
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                themes.move_answer(actor=request.user, answer=answer, theme=target)
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("The answer was moved."))
                if target is not None:
                    return redirect("listening:theme", pk=target.pk)
                return redirect("listening:themes", pk=answer.campaign_id)
        status = 400
    [readable] = analysis.in_reader_language(answer.campaign, [answer], _reader_language())
    return render(
        request,
        "listening/analysis/answer_move.html",
        {"campaign": answer.campaign, "item": readable, "form": form},
        status=status,
    )


# Themes of a campaign.


@staff(RUN)
@require_GET
def theme_list(request, pk: int):
    campaign = access_campaign(request.user, pk)
    return _themes_page(request, campaign, FindThemesForm(questions=_questions(campaign)))


@staff(RUN)
@require_POST
def themes_find(request, pk: int):
    campaign = access_campaign(request.user, pk)
    form = FindThemesForm(request.POST, questions=_questions(campaign))
    if form.is_valid():
        try:
            themes.request_themes(
                actor=request.user, campaign=campaign, question=form.cleaned_data["question"]
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(
                request, _("Finding themes. This takes a minute or two; this page will update.")
            )
            return redirect("listening:themes", pk=campaign.pk)
    return _themes_page(request, campaign, form, status=400)


def _questions(campaign):
    return campaign.protocol.questions.all()


def _themes_page(request, campaign, form, status: int = 200):
    summaries = themes.theme_summaries(campaign)
    counts = analysis.answer_counts(campaign)
    sections = []
    for question in _questions(campaign):
        total, themed = counts.get(question.pk, (0, 0))
        sections.append(
            {
                "question": question,
                "themes": [s for s in summaries if s.theme.question_id == question.pk],
                "answers": total,
                "unthemed": total - themed,
            }
        )
    return render(
        request,
        "listening/analysis/themes.html",
        {
            "campaign": campaign,
            "sections": sections,
            "form": form,
            "under_way": themes.run_under_way(campaign),
            "min_answers": themes.MIN_ANSWERS,
        },
        status=status,
    )


# One theme.


@staff(RUN)
@require_GET
def theme(request, pk: int):
    return _theme_page(request, themes.access_theme(request.user, pk))


def _theme_page(request, theme: Theme, status: int = 200, **bound):
    """The theme's page; `bound` holds the form that did not validate, by name."""
    others = _other_themes(theme)
    members = theme.answers.order_by("id")
    page = Paginator(members.select_related("school", "session"), THEME_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    forms = {
        "rename": RenameForm(prefix="rename", initial={"label": theme.label}),
        "tag": TagForm(initial={"kind": theme.kind}),
        "merge": MergeForm(others=others),
        "split": SplitForm(answers=members),
        "move": MoveForm(answers=members, targets=others),
        **bound,
    }
    return render(
        request,
        "listening/analysis/theme.html",
        {
            "campaign": theme.campaign,
            "theme": theme,
            "page": page,
            "items": analysis.in_reader_language(
                theme.campaign, list(page.object_list), _reader_language()
            ),
            "others": others,
            "chosen": {str(v) for v in request.POST.getlist("answers")},
            **forms,
        },
        status=status,
    )


def _other_themes(theme: Theme):
    return Theme.objects.filter(campaign=theme.campaign, question=theme.question).exclude(
        pk=theme.pk
    )


def _review(request, pk: int, name: str, make_form, act, done: str):
    """The POST of one review form: act, confirm and go back to the theme; or show the
    theme's page with that form's errors."""
    theme = themes.access_theme(request.user, pk)
    form = make_form(theme)
    if form.is_valid():
        try:
            result = act(theme, form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, done)
            return redirect("listening:theme", pk=(result or theme).pk)
    return _theme_page(request, theme, status=400, **{name: form})


@staff(RUN)
@require_POST
def theme_rename(request, pk: int):
    return _review(
        request,
        pk,
        "rename",
        lambda theme: RenameForm(request.POST, prefix="rename"),
        lambda theme, data: themes.rename_theme(
            actor=request.user, theme=theme, label=data["label"]
        ),
        _("The theme was renamed."),
    )


@staff(RUN)
@require_POST
def theme_tag(request, pk: int):
    return _review(
        request,
        pk,
        "tag",
        lambda theme: TagForm(request.POST),
        lambda theme, data: themes.tag_theme(actor=request.user, theme=theme, kind=data["kind"]),
        _("Saved."),
    )


@staff(RUN)
@require_POST
def theme_merge(request, pk: int):
    return _review(
        request,
        pk,
        "merge",
        lambda theme: MergeForm(request.POST, others=_other_themes(theme)),
        lambda theme, data: themes.merge_themes(
            actor=request.user, into=theme, others=list(data["others"])
        ),
        _("The themes were merged."),
    )


@staff(RUN)
@require_POST
def theme_split(request, pk: int):
    return _review(
        request,
        pk,
        "split",
        lambda theme: SplitForm(request.POST, answers=theme.answers.all()),
        lambda theme, data: themes.split_theme(
            actor=request.user, theme=theme, answers=list(data["answers"]), label=data["label"]
        ),
        _("A new theme was made from the answers you chose."),
    )


@staff(RUN)
@require_POST
def theme_move(request, pk: int):
    def move(theme, data):
        answers = list(data["answers"].select_related("campaign__school", "campaign__organization"))
        themes.move_answers(actor=request.user, answers=answers, theme=data["target"])
        return theme

    return _review(
        request,
        pk,
        "move",
        lambda theme: MoveForm(
            request.POST, answers=theme.answers.all(), targets=_other_themes(theme)
        ),
        move,
        _("The answers were moved."),
    )


urlpatterns = [
    path("<int:pk>/answers/", answers, name="answers"),
    path("<int:pk>/themes/", theme_list, name="themes"),
    path("<int:pk>/themes/find/", themes_find, name="themes-find"),
    path("themes/<int:pk>/", theme, name="theme"),
    path("themes/<int:pk>/rename/", theme_rename, name="theme-rename"),
    path("themes/<int:pk>/tag/", theme_tag, name="theme-tag"),
    path("themes/<int:pk>/merge/", theme_merge, name="theme-merge"),
    path("themes/<int:pk>/split/", theme_split, name="theme-split"),
    path("themes/<int:pk>/move/", theme_move, name="theme-move"),
    path("answers/<int:pk>/move/", answer_move, name="answer-move"),
]
