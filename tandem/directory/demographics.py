"""Optional self-described demographics, used only for representativeness reports.

Families choose their own categories (any number, or their own words) and may always
say they prefer not to say. Nothing here is required, and there is no question about
immigration or citizenship status, ever.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PREFER_NOT_TO_SAY = "prefer_not_to_say"
SELF_DESCRIBE_MAX_LENGTH = 100


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    options: tuple[tuple[str, str], ...]
    multiple: bool

    @property
    def option_keys(self) -> set[str]:
        return {key for key, _label in self.options} | {PREFER_NOT_TO_SAY}


QUESTIONS: tuple[Question, ...] = (
    Question(
        key="race_ethnicity",
        label=gettext_lazy("How do you describe your race or ethnicity? Choose all that fit."),
        options=(
            ("american_indian_alaska_native", gettext_lazy("American Indian or Alaska Native")),
            ("asian", gettext_lazy("Asian")),
            ("black_african_american", gettext_lazy("Black or African American")),
            ("hispanic_latino", gettext_lazy("Hispanic or Latino/a/e")),
            ("middle_eastern_north_african", gettext_lazy("Middle Eastern or North African")),
            (
                "native_hawaiian_pacific_islander",
                gettext_lazy("Native Hawaiian or Pacific Islander"),
            ),
            ("white", gettext_lazy("White")),
        ),
        multiple=True,
    ),
    Question(
        key="gender",
        label=gettext_lazy("How do you describe your gender?"),
        options=(
            ("woman", gettext_lazy("Woman")),
            ("man", gettext_lazy("Man")),
            ("nonbinary", gettext_lazy("Non-binary")),
        ),
        multiple=False,
    ),
)
QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}


def clean_self_described(data: dict) -> dict:
    """Validate and normalize a caregiver's answers.

    Shape: {"race_ethnicity": ["asian", ...], "race_ethnicity_own_words": "...",
    "gender": ["woman"]}. Unknown questions or options raise ValidationError naming them;
    "prefer not to say" stands alone.
    """
    cleaned: dict = {}
    for key, value in (data or {}).items():
        if key.endswith("_own_words"):
            question_key = key.removesuffix("_own_words")
            if question_key not in QUESTIONS_BY_KEY:
                raise ValidationError(_("Unknown question “%(key)s”."), params={"key": key})
            text = str(value).strip()
            if len(text) > SELF_DESCRIBE_MAX_LENGTH:
                raise ValidationError(
                    _("Please keep your own words under %(n)d characters."),
                    params={"n": SELF_DESCRIBE_MAX_LENGTH},
                )
            if text:
                cleaned[key] = text
            continue
        question = QUESTIONS_BY_KEY.get(key)
        if question is None:
            raise ValidationError(_("Unknown question “%(key)s”."), params={"key": key})
        answers = [value] if isinstance(value, str) else list(value)
        unknown = [answer for answer in answers if answer not in question.option_keys]
        if unknown:
            raise ValidationError(
                _("“%(value)s” is not one of the choices."), params={"value": unknown[0]}
            )
        if not question.multiple and len(answers) > 1:
            raise ValidationError(_("Choose one answer to “%(q)s”."), params={"q": question.label})
        if PREFER_NOT_TO_SAY in answers:
            answers = [PREFER_NOT_TO_SAY]
        if answers:
            cleaned[key] = sorted(set(answers))
    for key in list(cleaned):
        if key.endswith("_own_words") and cleaned.get(key.removesuffix("_own_words")) == [
            PREFER_NOT_TO_SAY
        ]:
            del cleaned[key]
    return cleaned
