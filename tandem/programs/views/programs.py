"""Programs and their sessions: the list, a new program or a Parent College year from
its calendar, a program's page (curriculum, facilitators, materials), planning,
changing and cancelling a session, the session's hub, and the topic catalog.

Views are thin: `access_program` / `access_session` first (404 outside the user's
scope), then the services decide and record. Times are typed and shown in the time
zone of the session's school."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import staff
from tandem.accounts.permissions import scope_for
from tandem.accounts.scopes import visible_schools
from tandem.directory.models import Organization
from tandem.messaging.forms import add_service_errors
from tandem.programs import services, topics
from tandem.programs.forms import (
    FacilitatorForm,
    MaterialForm,
    ParentCollegeForm,
    ProgramForm,
    SessionForm,
    session_initial,
)
from tandem.programs.models import Session
from tandem.programs.selectors import (
    RUN,
    access_program,
    access_session,
    curriculum,
    describe,
    facilitator_candidates,
    materials_by_title,
    program_list,
    program_schools_in_scope,
    with_counts,
)


@staff(RUN)
def programs(request):
    return render(request, "programs/programs/list.html", {"programs": program_list(request.user)})


def _whole_organization(user) -> Organization | None:
    """The organization the user may run programs across, when there is exactly one."""
    organizations = list(
        Organization.objects.filter(pk__in=scope_for(user, RUN).organization_ids)[:2]
    )
    return organizations[0] if len(organizations) == 1 else None


@staff(RUN)
@require_http_methods(["GET", "POST"])
def program_create(request):
    user = request.user
    organization = _whole_organization(user)
    form_kwargs = {
        "schools": visible_schools(user, RUN).select_related("organization").order_by("name"),
        "whole_organization": organization is not None,
    }
    status = 200
    if request.method == "POST":
        form = ProgramForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            schools = data["schools"]
            try:
                program = services.create_program(
                    actor=user,
                    organization=schools[0].organization if schools else organization,
                    name=data["name"],
                    kind=data["kind"],
                    audience=data["audience"],
                    schools=schools,
                    languages=data["languages"],
                    description=data["description"],
                    open_to_all_families=data["open_to_all_families"],
                    sessions_to_complete=data["sessions_to_complete"],
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("The program is created. Plan its sessions."))
                return redirect("programs:program", program.pk)
        status = 400
    else:
        form = ProgramForm(**form_kwargs)
    return render(request, "programs/programs/program_form.html", {"form": form}, status=status)


@staff(RUN)
@require_http_methods(["GET", "POST"])
def parent_college_create(request):
    """One school's Parent College year from the calendar template; "Show the dates"
    lists the sessions it will plan before anything is created."""
    user = request.user
    form_kwargs = {
        "schools": visible_schools(user, RUN).order_by("name"),
        "today": timezone.localdate(),
    }
    status = 200
    planned = None
    if request.method == "POST":
        form = ParentCollegeForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                planned = services.parent_college_calendar(data["school_year_starts"])
            else:
                try:
                    program = services.create_parent_college(
                        actor=user,
                        school=data["school"],
                        school_year_starts=data["school_year_starts"],
                        languages=data["languages"],
                        place=data["place"],
                    )
                except ValidationError as invalid:
                    add_service_errors(form, invalid)
                else:
                    messages.success(
                        request,
                        _("The Parent College year is planned: %(count)s sessions.")
                        % {"count": program.sessions.count()},
                    )
                    return redirect("programs:program", program.pk)
        if planned is None:
            status = 400
    else:
        form = ParentCollegeForm(**form_kwargs)
    return render(
        request,
        "programs/programs/parent_college_form.html",
        {
            "form": form,
            "planned": planned,
            "zone": form.cleaned_data["school"].time_zone if planned else "",
            "to_complete": services.PARENT_COLLEGE_TO_COMPLETE,
        },
        status=status,
    )


def _render_program(request, program, *, facilitator_form=None, material_form=None, status=200):
    staff_members, caregivers = facilitator_candidates(request.user, program)
    return render(
        request,
        "programs/programs/program.html",
        {
            "program": program,
            "schools": sorted(program.schools.all(), key=lambda school: school.name),
            "sessions": curriculum(program),
            "facilitators": program.facilitators.select_related("session"),
            "materials": materials_by_title(program),
            "facilitator_form": facilitator_form
            or FacilitatorForm(staff=staff_members, caregivers=caregivers),
            "material_form": material_form or MaterialForm(),
        },
        status=status,
    )


@staff(RUN)
def program(request, pk: int):
    return _render_program(request, access_program(request.user, pk))


@staff(RUN)
@require_POST
def facilitator_add(request, pk: int):
    program = access_program(request.user, pk)
    staff_members, caregivers = facilitator_candidates(request.user, program)
    form = FacilitatorForm(request.POST, staff=staff_members, caregivers=caregivers)
    if form.is_valid():
        data = form.cleaned_data
        member, caregiver = data["staff"], data["caregiver"]
        languages = data["languages"]
        if not languages and member is not None:
            languages = member.languages
        if not languages and caregiver is not None:
            languages = [caregiver.preferred_language]
        try:
            facilitator = services.add_facilitator(
                actor=request.user,
                program=program,
                name=data["name"] or (str(member) if member else ""),
                kind=data["kind"],
                part=data["part"],
                user=member.user if member else None,
                caregiver=caregiver,
                languages=languages,
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": facilitator.name})
            return redirect("programs:program", program.pk)
    return _render_program(request, program, facilitator_form=form, status=400)


@staff(RUN)
@require_POST
def material_add(request, pk: int):
    program = access_program(request.user, pk)
    form = MaterialForm(request.POST)
    if form.is_valid():
        try:
            material = services.add_material(
                actor=request.user, program=program, **form.cleaned_data
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("%(title)s is added.") % {"title": material.title})
            return redirect("programs:program", program.pk)
    return _render_program(request, program, material_form=form, status=400)


def _zone_of(school, program) -> ZoneInfo:
    return ZoneInfo((school or program.organization).time_zone)


def _with_topic_title(values: dict) -> dict:
    if not (values.get("title") or "").strip() and values.get("topic"):
        values["title"] = topics.topic_name(values["topic"])
    return values


@staff(RUN)
@require_http_methods(["GET", "POST"])
def session_create(request, pk: int):
    program = access_program(request.user, pk)
    has_schools = program.schools.exists()
    schools = program_schools_in_scope(request.user, program) if has_schools else None
    zones = sorted({school.time_zone for school in schools} if schools is not None else set())
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST, schools=schools)
        if form.is_valid():
            school = form.cleaned_data.get("school")
            try:
                session = services.add_session(
                    actor=request.user,
                    program=program,
                    school=school,
                    **_with_topic_title(form.values(_zone_of(school, program))),
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("The session is planned."))
                return redirect("programs:session", session.pk)
        status = 400
    else:
        form = SessionForm(schools=schools, initial={"languages": ", ".join(program.languages)})
    return render(
        request,
        "programs/programs/session_form.html",
        {
            "form": form,
            "program": program,
            "session": None,
            "zone": zones[0] if len(zones) == 1 else program.organization.time_zone,
            "zones_differ": len(zones) > 1,
        },
        status=status,
    )


@staff(RUN)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = access_session(request.user, pk)
    if session.status == Session.Status.CANCELLED:
        messages.error(request, _("This session was cancelled."))
        return redirect("programs:session", session.pk)
    zone = services.session_zone(session)
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                services.update_session(
                    actor=request.user,
                    session=session,
                    **_with_topic_title(form.values(zone)),
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("The session is saved."))
                return redirect("programs:session", session.pk)
        status = 400
    else:
        form = SessionForm(initial=session_initial(session, zone))
    return render(
        request,
        "programs/programs/session_form.html",
        {
            "form": form,
            "program": session.program,
            "session": session,
            "zone": str(zone),
            "zones_differ": False,
        },
        status=status,
    )


@staff(RUN)
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk: int):
    session = access_session(request.user, pk)
    if request.method == "POST":
        services.cancel_session(actor=request.user, session=session)
        messages.success(
            request, _("The session is cancelled. Families who were invited are told.")
        )
        return redirect("programs:session", session.pk)
    session = with_counts(Session.objects.filter(pk=session.pk)).select_related(
        "school", "program__organization"
    )[0]
    return render(request, "programs/programs/session_cancel.html", {"session": describe(session)})


@staff(RUN)
def session(request, pk: int):
    session = access_session(request.user, pk)
    session = describe(
        with_counts(Session.objects.filter(pk=session.pk))
        .select_related("school", "program__organization")
        .get()
    )
    return render(
        request,
        "programs/programs/session.html",
        {
            "session": session,
            "program": session.program,
            "topic": topics.topic_name(session.topic),
            "pending": session.invited - session.coming - session.waitlisted - session.declined,
        },
    )


@staff(RUN)
def topic_catalog(request):
    return render(
        request,
        "programs/programs/topics.html",
        {
            "areas": [
                (key, name, [t for t in topics.TOPICS if t.area == key])
                for key, name in topics.AREAS.items()
            ]
        },
    )


urlpatterns = [
    path("", programs, name="programs"),
    path("new/", program_create, name="program-create"),
    path("new/parent-college/", parent_college_create, name="parent-college-create"),
    path("topics/", topic_catalog, name="topics"),
    path("<int:pk>/", program, name="program"),
    path("<int:pk>/facilitators/", facilitator_add, name="facilitator-add"),
    path("<int:pk>/materials/", material_add, name="material-add"),
    path("<int:pk>/sessions/new/", session_create, name="session-create"),
    path("sessions/<int:pk>/", session, name="session"),
    path("sessions/<int:pk>/edit/", session_edit, name="session-edit"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session-cancel"),
]
