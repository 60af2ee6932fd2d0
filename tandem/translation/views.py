"""Translation pages: the review queue and one draft's review (for reviewers), and the
glossary, translation memory and sending policy (for those who manage translation).

Views are thin: rows come from `selectors`, changes from `services`. An object of
another organization answers 404, like one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import staff
from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.translation import selectors, services
from tandem.translation.forms import (
    GlossaryTermForm,
    LanguageFilterForm,
    MemorySearchForm,
    PolicyForm,
    ReviewForm,
    ReviewLanguagesForm,
    error_for_form,
)
from tandem.translation.models import GlossaryTerm
from tandem.translation.segments import normalize

PAGE_SIZE = 50


@staff(Action.REVIEW_TRANSLATIONS)
def queue(request):
    user = request.user
    form = LanguageFilterForm(request.GET or None, languages=selectors.queue_languages(user))
    status = 200
    language = ""
    if form.is_bound:
        if form.is_valid():
            language = form.cleaned_data["language"]
        else:
            status = 400
    requests = selectors.review_queue(user, language=language)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    languages_form = ReviewLanguagesForm(
        initial={"languages": ", ".join(user.review_languages or [])}
    )
    return render(
        request,
        "translation/queue.html",
        {
            "form": form,
            "page": page,
            "languages_form": languages_form,
            "show_organization": len(selectors.reviewable_organization_ids(user)) > 1,
            "can_manage": can(user, Action.MANAGE_TRANSLATION),
        },
        status=status,
    )


@staff(Action.REVIEW_TRANSLATIONS)
@require_POST
def my_languages(request):
    form = ReviewLanguagesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["languages"]))
        return redirect("translation:queue")
    services.set_review_languages(actor=request.user, languages=form.cleaned_data["languages"])
    messages.success(request, _("Saved the languages you review."))
    return redirect("translation:queue")


@staff(Action.REVIEW_TRANSLATIONS)
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    user = request.user
    translation_request = get_object_or_404(selectors.reviewable_requests(user), pk=pk)
    language = translation_request.target_language
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, language=language)
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if form.cleaned_data["action"] == ReviewForm.APPROVE:
                    services.approve_translation(actor=user, request=translation_request, text=text)
                    messages.success(request, _("Approved. The translation is in the memory."))
                    return redirect("translation:queue")
                services.save_draft(actor=user, request=translation_request, text=text)
            except ValidationError as invalid:
                error_for_form(form, invalid)
            else:
                messages.success(request, _("Saved your edits. The draft still needs approval."))
                return redirect("translation:review", pk=translation_request.pk)
        status = 400
    else:
        form = ReviewForm(language=language, initial={"text": translation_request.draft_text})
        record(actor=user, action="translation.request.view", target=translation_request)
    return render(
        request,
        "translation/review.html",
        {
            "translation_request": translation_request,
            "form": form,
            "hints": selectors.glossary_hints(translation_request),
            "suggestions": selectors.suggestions_for(translation_request),
        },
        status=status,
    )


def _managed_organization(request):
    """The organization a management page is about: the one asked for (?organization=),
    else the first the user manages. One they do not manage answers 404."""
    organizations = list(selectors.managed_organizations(request.user))
    wanted = request.POST.get("organization") or request.GET.get("organization")
    if not wanted:
        return organizations[0], organizations
    for organization in organizations:
        if str(organization.pk) == wanted:
            return organization, organizations
    raise Http404


@staff(Action.MANAGE_TRANSLATION)
@require_http_methods(["GET", "POST"])
def glossary(request):
    user = request.user
    organization, organizations = _managed_organization(request)
    languages = selectors.glossary_languages(organization)
    filter_form = LanguageFilterForm(
        {"language": request.GET.get("language", "")}, languages=languages
    )
    language = filter_form.cleaned_data["language"] if filter_form.is_valid() else ""
    status = 200 if filter_form.is_valid() else 400
    if request.method == "POST":
        form = GlossaryTermForm(request.POST)
        if form.is_valid():
            try:
                term = services.save_glossary_term(
                    actor=user, organization=organization, **form.cleaned_data
                )
            except ValidationError as invalid:
                error_for_form(form, invalid)
            else:
                messages.success(
                    request,
                    _("Saved “%(term)s”: drafts use “%(rendering)s” from now on.")
                    % {"term": term.term, "rendering": term.rendering},
                )
                return redirect(
                    f"{reverse('translation:glossary')}?"
                    + urlencode({"organization": organization.pk, "language": term.target_language})
                )
        status = 400
    else:
        form = GlossaryTermForm(
            initial={
                "target_language": request.GET.get("language", ""),
                "term": request.GET.get("term", ""),
                "rendering": request.GET.get("rendering", ""),
            }
        )
    entries = []
    for tag in [language] if language else languages:
        entries += [
            (tag, entry)
            for entry in selectors.glossary_for(
                organization=organization, source_language="en", target_language=tag
            )
        ]
    return render(
        request,
        "translation/glossary.html",
        {
            "organization": organization,
            "organizations": organizations,
            "filter_form": filter_form,
            "form": form,
            "entries": entries,
        },
        status=status,
    )


@staff(Action.MANAGE_TRANSLATION)
@require_http_methods(["GET", "POST"])
def glossary_term(request, pk: int):
    user = request.user
    term = get_object_or_404(
        GlossaryTerm.objects.filter(organization__in=selectors.managed_organizations(user)),
        pk=pk,
    )
    back = f"{reverse('translation:glossary')}?" + urlencode(
        {"organization": term.organization_id, "language": term.target_language}
    )
    status = 200
    if request.method == "POST":
        if request.POST.get("delete"):
            services.delete_glossary_term(actor=user, term=term)
            messages.success(request, _("Removed the term."))
            return redirect(back)
        form = GlossaryTermForm(request.POST)
        if form.is_valid():
            try:
                services.save_glossary_term(
                    actor=user, organization=term.organization, **form.cleaned_data
                )
            except ValidationError as invalid:
                error_for_form(form, invalid)
            else:
                if normalize(form.cleaned_data["term"]) != term.term_key or (
                    form.cleaned_data["target_language"] != term.target_language
                ):
                    services.delete_glossary_term(actor=user, term=term)
                messages.success(request, _("Saved the term."))
                return redirect(back)
        status = 400
    else:
        form = GlossaryTermForm(
            initial={
                "target_language": term.target_language,
                "term": term.term,
                "rendering": term.rendering,
                "plural_rendering": term.plural_rendering,
                "note": term.note,
            }
        )
    return render(
        request,
        "translation/glossary_term.html",
        {"term": term, "form": form, "back": back},
        status=status,
    )


@staff(Action.MANAGE_TRANSLATION)
def memory(request):
    organization, organizations = _managed_organization(request)
    form = MemorySearchForm(request.GET or None, languages=selectors.memory_languages(organization))
    status = 200
    search, language = "", ""
    if form.is_bound:
        if form.is_valid():
            search, language = form.cleaned_data["q"], form.cleaned_data["language"]
        else:
            status = 400
    segments = selectors.memory_segments(
        organization=organization, search=search, language=language
    )
    page = Paginator(segments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "translation/memory.html",
        {
            "organization": organization,
            "organizations": organizations,
            "form": form,
            "page": page,
            "filtered": bool(search or language),
        },
        status=status,
    )


@staff(Action.MANAGE_TRANSLATION)
@require_http_methods(["GET", "POST"])
def policy(request):
    user = request.user
    organization, organizations = _managed_organization(request)
    current = selectors.sending_policy(organization)
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            services.set_sending_policy(
                actor=user,
                organization=organization,
                send_machine_drafts=form.send_machine_drafts,
            )
            messages.success(request, _("Saved the translation policy."))
            return redirect(
                f"{reverse('translation:policy')}?" + urlencode({"organization": organization.pk})
            )
        status = 400
    else:
        machine = current == selectors.SendingPolicy.MACHINE_DRAFTS_THEN_REVIEW
        form = PolicyForm(
            initial={"policy": PolicyForm.MACHINE_DRAFTS if machine else PolicyForm.REVIEWED_ONLY}
        )
    return render(
        request,
        "translation/policy.html",
        {"organization": organization, "organizations": organizations, "form": form},
        status=status,
    )
