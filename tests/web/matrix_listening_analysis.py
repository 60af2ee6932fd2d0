"""Permission-matrix rows for the analysis screens: answers, themes, one theme's review."""

from django.utils import timezone

from tests.personas import World
from tests.web.listening_cases import campaign_cases, make_campaign, object_cases


def _theme(world: World, school_name: str):
    """A theme of the first question, in a campaign at the named school."""
    from tandem.listening.models import Theme

    campaign = make_campaign(world, school_name)
    return Theme.objects.create(
        campaign=campaign,
        organization=campaign.organization,
        question=campaign.protocol.questions.first(),
        label="The school bus",
    )


def _answer(world: World, school_name: str):
    """An answer in that theme (the matrix needs rows, not the answering flow)."""
    from tandem.listening.models import Answer

    theme = _theme(world, school_name)
    text = "The bus comes too early in the morning."
    return Answer.objects.create(
        campaign=theme.campaign,
        organization=theme.organization,
        school=theme.campaign.school,
        question=theme.question,
        theme=theme,
        text=text,
        masked_text=text,
        language="en",
        received_on=timezone.localdate(),
    )


CASES = [
    *campaign_cases("listening:answers"),
    *campaign_cases("listening:themes"),
    *campaign_cases("listening:themes-find", method="post"),
    *object_cases("listening:theme", _theme),
    *object_cases("listening:theme-rename", _theme, method="post"),
    *object_cases("listening:theme-tag", _theme, method="post"),
    *object_cases("listening:theme-merge", _theme, method="post"),
    *object_cases("listening:theme-split", _theme, method="post"),
    *object_cases("listening:theme-move", _theme, method="post"),
    *object_cases("listening:answer-move", _answer),
    *object_cases("listening:answer-move", _answer, method="post"),
]
