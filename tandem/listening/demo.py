"""The demo district's listening campaign: the South Dakota questions at its first
school, with fictional answers from its families in their languages (some anonymous),
a facilitated session with attendance, and themes found by the engine, ready for a
coordinator to review, tag and turn into action."""

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.accounts.roles import Role
from tandem.directory.models import Caregiver, Organization
from tandem.listening.answers import finish_answer_set, save_answer, start_answer_set
from tandem.listening.models import AnswerSet, Invitation, Protocol, Theme
from tandem.listening.models import Role as Speaker
from tandem.listening.services import create_campaign, ensure_invitations, shipped_templates
from tandem.listening.sessions import create_session, record_note, set_attendance
from tandem.listening.themes import find_campaign_themes, rename_theme, tag_theme

CAMPAIGN_NAME = "Fall listening: welcome, vision, success"


def install_demo_listening(district: Organization) -> None:
    admin = (
        Membership.objects.filter(organization=district, role=Role.ORG_ADMIN, school=None)
        .select_related("user")
        .first()
        .user
    )
    school = district.schools.order_by("name").first()
    template = next(p for p in shipped_templates() if p.template_key == "south-dakota")
    campaign = create_campaign(
        actor=admin,
        organization=district,
        protocol=Protocol.objects.get(pk=template.pk),
        name=CAMPAIGN_NAME,
        closes_on=timezone.localdate() + timedelta(days=30),
        school=school,
    )
    questions = list(campaign.protocol.questions.all())
    data = json.loads((Path(__file__).parent / "data" / "demo_answers.json").read_text("utf-8"))
    pool = _caregivers_by_language(school)
    used: set[int] = set()
    for number, (language, answers) in enumerate(_respondents(data["answers"])):
        caregiver = _next_caregiver(pool, language, used)
        invitation = Invitation.objects.get(
            pk=ensure_invitations(campaign, [(caregiver, "web")])[caregiver]
        )
        answer_set = start_answer_set(
            invitation=invitation,
            anonymous=number % 3 == 0,
            channel=AnswerSet.Channel.WEB,
            language=language,
        )
        for position, text in answers:
            save_answer(answer_set=answer_set, question=questions[position], text=text)
        finish_answer_set(answer_set=answer_set, invitation=invitation)
    _session(admin, campaign, school, questions)
    find_campaign_themes(actor=admin, campaign=campaign)
    _review(admin, campaign, questions)


def _review(admin, campaign, questions) -> None:
    """What a coordinator would do first: name and tag the largest theme of the welcome
    question a strength, and of the success question a need (the rest is left to try)."""
    for position, label, kind in [
        (0, "Greeted warmly, in our language", Theme.Kind.STRENGTH),
        (2, "Tutoring, homework help and a late bus", Theme.Kind.NEED),
    ]:
        theme = (
            Theme.objects.filter(campaign=campaign, question=questions[position])
            .annotate(size=Count("answers"))
            .order_by("-size", "id")
            .first()
        )
        if theme is not None:
            rename_theme(actor=admin, theme=theme, label=label)
            tag_theme(actor=admin, theme=theme, kind=kind)


def _respondents(answers: list[list[list[str]]]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The sample answers grouped into families: the n-th answer in a language to each
    question comes from the same family, so a family answers in one language."""
    families: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for position, question_answers in enumerate(answers):
        seen: dict[str, int] = {}
        for language, text in question_answers:
            number = seen[language] = seen.get(language, -1) + 1
            families.setdefault((language, number), []).append((position, text))
    return [(language, family) for (language, _number), family in families.items()]


def _caregivers_by_language(school) -> dict[str, list[int]]:
    """The school's caregivers by language, then the district's (a very small demo
    district may have too few at one school)."""
    by_language: dict[str, list[int]] = {}
    for queryset in (
        Caregiver.objects.filter(household__students__school=school),
        Caregiver.objects.filter(organization_id=school.organization_id),
    ):
        for pk, language in queryset.order_by("id").values_list("pk", "preferred_language")[:3000]:
            by_language.setdefault(language.split("-")[0], []).append(pk)
            by_language.setdefault("", []).append(pk)
    return by_language


def _next_caregiver(by_language: dict, language: str, used: set[int]) -> int:
    """A caregiver who speaks `language`, else any, who has not answered yet."""
    for pk in by_language.get(language, []) + by_language[""]:
        if pk not in used:
            used.add(pk)
            return pk
    raise ValueError("The demo district has too few caregivers for its listening answers.")


def _session(admin, campaign, school, questions) -> None:
    zone = ZoneInfo(school.time_zone)
    day = timezone.localdate() - timedelta(days=7)
    session = create_session(
        actor=admin,
        campaign=campaign,
        starts_at=datetime.combine(day, time(10), tzinfo=zone),
        place="Parent Center, room 104",
        languages=["en", "es"],
        interpretation="Spanish–English interpreter",
    )
    set_attendance(
        actor=admin,
        session=session,
        counts={
            (Speaker.FAMILY, "es"): 9,
            (Speaker.FAMILY, "en"): 6,
            (Speaker.EDUCATOR, "en"): 4,
            (Speaker.LEADER, "en"): 1,
        },
    )
    for question, role, text in [
        (0, Speaker.FAMILY, "Cuando la maestra me saluda en la puerta, me siento en casa."),
        (0, Speaker.FAMILY, "The Saturday family breakfast made me feel part of the school."),
        (2, Speaker.FAMILY, "Si hubiera tutoría los sábados, mi hijo podría ir."),
        (2, Speaker.FAMILY, "offered a bus after the homework club; I work until six."),
    ]:
        record_note(
            actor=admin,
            session=session,
            question=questions[question],
            kind="quote",
            role=role,
            text=text,
        )
