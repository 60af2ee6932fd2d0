"""Messaging pages: compose (with a preview), one message, the list, a household's thread,
the unmatched inbox, and a family's own inbox.

Views are thin: rows come from `selectors`, messages are stored by
`compose.compose_message`, family replies by `web_replies`. Anything out of the user's
scope answers 404, like something that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tandem.accounts import selectors as account_selectors
from tandem.accounts.access import access_object, family, staff
from tandem.accounts.permissions import Action
from tandem.audit.services import record
from tandem.messaging import segments, selectors
from tandem.messaging.compose import MAX_BODY_CHARS, compose_message
from tandem.messaging.forms import ComposeForm, FamilyReplyForm, ThreadReplyForm, add_service_errors
from tandem.messaging.models import Message, Thread, compose_text
from tandem.messaging.saved_lists import lists_to_message
from tandem.messaging.web_replies import mark_web_deliveries_read, receive_web_reply
from tandem.translation.selectors import reviewable_organization_ids

SEND = Action.SEND_MESSAGES
PAGE_SIZE = 25
INBOX_PAGE_SIZE = 20


def _writing_language(user) -> str:
    return user.language or get_language() or "en"


@staff(SEND)
@require_http_methods(["GET", "POST"])
def compose(request):
    user = request.user
    household = None
    household_pk = request.POST.get("household") or request.GET.get("household")
    if household_pk:
        household = access_object(
            selectors.households_to_message(user), user, SEND, pk=household_pk
        )
    saved_list = None
    list_pk = request.POST.get("list") or request.GET.get("list")
    if list_pk and household is None:
        saved_list = get_object_or_404(lists_to_message(user), pk=_int_or_404(list_pk))
    schools = selectors.schools_to_message(user)
    zone = ""
    if household:
        zone = selectors.household_time_zone(household)
    elif saved_list:
        zone = (saved_list.school or saved_list.organization).time_zone
    form = ComposeForm(
        request.POST if request.method == "POST" else None,
        schools=schools,
        household=household,
        saved_list=saved_list,
        time_zone=zone,
        initial={"language": _writing_language(user)},
    )
    preview = counter = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            fields = form.message_fields()
            organization = (
                household.organization
                if household
                else saved_list.organization
                if saved_list
                else fields["school"].organization
            )
            if request.POST.get("preview"):
                preview = selectors.preview_recipients(_draft(user, organization, fields))
                counter = segments.count(
                    compose_text(
                        fields["body"],
                        fields["learning_subject"],
                        fields["learning_unit"],
                        fields["learning_tip"],
                    )
                )
            else:
                try:
                    message = compose_message(actor=user, organization=organization, **fields)
                except ValidationError as invalid:
                    add_service_errors(form, invalid)
                else:
                    messages.success(request, _sent_note(message))
                    return redirect("messaging:message", pk=message.pk)
        if not form.is_valid():
            status = 400
    return render(
        request,
        "messaging/compose.html",
        {
            "form": form,
            "household": household,
            "saved_list": saved_list,
            "has_schools": household is not None or saved_list is not None or schools.exists(),
            "preview": preview,
            "counter": counter,
            "max_chars": MAX_BODY_CHARS,
        },
        status=status,
    )


def _draft(user, organization, fields: dict) -> Message:
    """The message as it would be stored, unsaved, to preview its recipients."""
    household = fields["household"]
    return Message(
        organization=organization,
        author=user,
        audience=fields["audience"],
        school=fields["school"],
        grade=fields["grade"],
        thread=Thread(organization=organization, household=household) if household else None,
        saved_list=fields["saved_list"],
        language=fields["language"],
        body=fields["body"],
    )


def _int_or_404(value: str) -> int:
    if not value.isdigit():
        raise Http404
    return int(value)


def _sent_note(message: Message) -> str:
    if message.status == Message.Status.AWAITING_REVIEW:
        return _("Saved. It goes out as soon as its translations are reviewed.")
    if message.status == Message.Status.SCHEDULED:
        return _("Saved. It goes out at the time you chose.")
    return _("Sent. Families get it in their languages now.")


@staff(SEND)
def message_list(request):
    page = Paginator(selectors.messages_for_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "messaging/messages.html", {"page": page})


@staff(SEND)
def message(request, pk: int):
    user = request.user
    message = get_object_or_404(selectors.message_for_page(user), pk=pk)
    zone = message.school.time_zone if message.school else message.organization.time_zone
    return render(
        request,
        "messaging/message.html",
        {
            "message": message,
            "zone": zone,
            "versions": selectors.language_versions(message),
            "counts": selectors.delivery_counts(message),
            "can_review": message.organization_id in reviewable_organization_ids(user),
        },
    )


@staff(SEND)
@require_http_methods(["GET", "POST"])
def thread(request, pk: int):
    user = request.user
    household = access_object(selectors.households_to_message(user), user, SEND, pk=pk)
    status = 200
    if request.method == "POST":
        form = ThreadReplyForm(request.POST)
        if form.is_valid():
            try:
                sent = compose_message(
                    actor=user,
                    organization=household.organization,
                    audience=Message.Audience.HOUSEHOLD,
                    household=household,
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _sent_note(sent))
                return redirect("messaging:thread", pk=household.pk)
        status = 400
    else:
        form = ThreadReplyForm(initial={"language": _writing_language(user)})
        record(actor=user, action="messaging.thread_viewed", target=household)
    return render(
        request,
        "messaging/thread.html",
        {
            "household": household,
            "items": selectors.household_conversation(
                household, reader_language=get_language() or "en"
            ),
            "form": form,
            "zone": selectors.household_time_zone(household),
        },
        status=status,
    )


@staff(SEND)
def unmatched(request):
    user = request.user
    page = Paginator(selectors.unmatched_messages(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    organization_ids = {inbound.organization_id for inbound in page.object_list}
    record(
        actor=user,
        action="messaging.unmatched_viewed",
        organization_id=organization_ids.pop() if len(organization_ids) == 1 else None,
        shown=len(page.object_list),
    )
    return render(request, "messaging/unmatched.html", {"page": page})


@family
@never_cache
@require_http_methods(["GET", "POST"])
def family_inbox(request):
    user = request.user
    caregiver = account_selectors.own_caregiver(user)
    status = 200
    if request.method == "POST":
        form = FamilyReplyForm(request.POST)
        if form.is_valid():
            try:
                receive_web_reply(user=user, body=form.cleaned_data["body"])
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("Sent. Your school will read it soon."))
                return redirect("messaging:family-inbox")
        status = 400
    else:
        form = FamilyReplyForm()
    page = Paginator(selectors.family_inbox(caregiver), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = selectors.inbox_messages(list(page.object_list), caregiver)
    if request.method == "GET":
        mark_web_deliveries_read(caregiver=caregiver, message_ids=[m.message.pk for m in shown])
        record(actor=user, action="family.messages_viewed", target=caregiver.household)
    return render(
        request,
        "messaging/family_inbox.html",
        {
            "page": page,
            "shown": shown,
            "form": form,
            "organization": caregiver.household.organization,
        },
        status=status,
    )
