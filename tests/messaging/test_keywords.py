"""STOP / START / HELP: the whole message only, in English and Spanish, and the replies."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.messaging.keywords import KEYWORDS, Keyword, classify, reply_for
from tandem.messaging.segments import GSM_7, count


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        " Stop. ",
        "STOP!!",
        "StopAll",
        "UNSUBSCRIBE",
        "cancel",
        "End",
        "quit",
        "parar",
        "Alto",
        "DETENER",
        "cancelar",
        "baja",
        "BÁJA",
        "ｓｔｏｐ",
        "stop 🙏",
        "opt-out",
        "stop all",
        "\nSTOP\n",
    ],
)
def test_stop_words_opt_out(body):
    assert classify(body) == Keyword.STOP


@pytest.mark.parametrize("body", ["START", "unstop", "Iniciar", "comenzar", "ALTA", "álta"])
def test_start_words_resubscribe(body):
    assert classify(body) == Keyword.START


@pytest.mark.parametrize("body", ["HELP", "help?", "Info", "ayuda", "¡AYUDA!"])
def test_help_words_ask_for_help(body):
    assert classify(body) == Keyword.HELP


@pytest.mark.parametrize(
    "body",
    [
        "Please stop the bus at 5th street",
        "stop it",
        "Can you help me with the form?",
        "YES",
        "yes",
        "Sí",
        "",
        "   ",
        "STOPPED",
        "helpful",
        "no stop",
        "la clase termina a las 3",
    ],
)
def test_ordinary_replies_are_not_keywords(body):
    assert classify(body) is None


@given(st.sampled_from(sorted(KEYWORDS[Keyword.STOP])), st.sampled_from(["", " ", ".", "!", "\t"]))
def test_any_stop_word_with_any_case_and_edges(word, edge):
    assert classify(edge + word.lower() + edge) == Keyword.STOP
    assert classify(edge + word.title() + edge) == Keyword.STOP


@pytest.mark.parametrize("keyword", list(Keyword))
@pytest.mark.parametrize("language", ["en", "es"])
def test_replies_name_the_organization_in_one_gsm_segment(keyword, language):
    organization = "Lincoln Elementary Family Center PTA"  # 36 characters
    text = reply_for(keyword, organization=organization, language=language)
    assert organization in text
    result = count(text)
    assert (result.encoding, result.segments) == (GSM_7, 1)


def test_stop_and_help_replies_say_how_to_stop_and_start():
    stop = reply_for(Keyword.STOP, organization="Lincoln", language="en")
    help_text = reply_for(Keyword.HELP, organization="Lincoln", language="en")
    assert "START" in stop
    assert "STOP" in help_text and "help" in help_text.lower()
