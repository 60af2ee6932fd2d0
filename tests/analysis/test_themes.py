"""Theme engine on small fixed inputs: edge cases, languages, increments, exchange format."""

import json

import numpy as np
import pytest

from tandem.analysis.embedders import TfidfEmbedder, UniversalSentenceEncoder
from tandem.analysis.themes import ThemeModel, add_answers, find_themes, themes_json

TOPICS = {
    "transport": [
        "The school bus is always late in the morning",
        "El autobús escolar siempre llega tarde por la mañana",
        "Le bus scolaire est toujours en retard le matin",
        "Der Schulbus kommt morgens immer zu spät",
        "校车每天早上总是迟到",
    ],
    "food": [
        "The cafeteria lunch is cold and tasteless",
        "La comida de la cafetería está fría y no tiene sabor",
        "Le déjeuner de la cantine est froid et sans goût",
        "Das Mittagessen in der Mensa ist kalt und schmeckt nach nichts",
        "食堂的午饭又冷又难吃",
    ],
    "homework": [
        "There is far too much homework every night",
        "Hay demasiada tarea todas las noches",
        "Il y a beaucoup trop de devoirs chaque soir",
        "Es gibt jeden Abend viel zu viele Hausaufgaben",
        "每天晚上的家庭作业太多了",
    ],
}
ALL = [text for texts in TOPICS.values() for text in texts]


@pytest.fixture(scope="module")
def use():
    return UniversalSentenceEncoder(threads=1)


def theme_of(model, texts, text):
    return model.assignments[texts.index(text)]


def test_empty_input_gives_an_empty_model(use):
    model = find_themes([], embedder=use)
    assert model.themes == [] and model.assignments == [] and model.confidence == []


def test_one_answer_gives_one_theme(use):
    model = find_themes(["More tutoring after school"], embedder=use)
    assert len(model.themes) == 1 and model.assignments == [0]


def test_identical_answers_form_one_theme(use):
    model = find_themes(["Smaller classes"] * 6, embedder=use)
    assert len(model.themes) == 1 and model.assignments == [0] * 6


def test_each_topic_is_one_theme_whatever_the_language(use):
    model = find_themes(ALL, embedder=use)
    assert len(model.themes) == 3
    for texts in TOPICS.values():
        assert len({theme_of(model, ALL, text) for text in texts}) == 1


def test_automatic_k_finds_the_obvious_number(use):
    model = find_themes(ALL, embedder=use)
    assert len(model.themes) == 3
    assert all(0.0 <= c <= 1.0 for c in model.confidence)


def test_k_override_is_honoured(use):
    assert len(find_themes(ALL, embedder=use, k=2).themes) == 2


def test_same_input_gives_the_same_result(use):
    first, second = find_themes(ALL, embedder=use), find_themes(ALL, embedder=use)
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


def test_an_answer_that_fits_nowhere_goes_to_other(use):
    texts = [*ALL, "My favourite colour is purple"]
    model = find_themes(texts, embedder=use)
    assert model.assignments[-1] is None
    assert model.confidence[-1] == 0.0


def test_added_answers_join_reviewed_themes_without_reshuffling(use):
    english = [TOPICS[topic][0] for topic in TOPICS]
    base_texts = [*english, *[text + " again" for text in english], *ALL[1:3]]
    model = find_themes(base_texts, embedder=use)
    for theme in model.themes:
        theme.reviewed = True
    before = {t.id: (t.label, t.size) for t in model.themes}
    new = ["The bus was late again today", "Too much homework this week"]
    grown = add_answers(model, new, embedder=use)
    assert grown.assignments[: len(base_texts)] == model.assignments
    for theme in grown.themes:
        assert theme.label == before[theme.id][0]
        assert theme.size >= before[theme.id][1]
    bus_theme = grown.assignments[base_texts.index(english[0])]
    assert grown.assignments[len(base_texts)] == bus_theme


def test_json_round_trip_keeps_the_model(use):
    model = find_themes(ALL, embedder=use)
    data = json.loads(json.dumps(model.to_dict()))
    again = ThemeModel.from_dict(data)
    assert again.to_dict() == model.to_dict()
    assert isinstance(again.themes[0].centroid, np.ndarray)


def test_themes_json_has_the_exchange_shape(use):
    model = find_themes(ALL, embedder=use)
    ids = [f"a{i}" for i in range(len(ALL))]
    data = themes_json(model, ids, ALL)
    assert set(data) == {"themes", "assignments"}
    assert set(data["themes"][0]) == {"id", "label", "keywords", "size", "examples"}
    assert all(isinstance(example, str) for example in data["themes"][0]["examples"])
    assert list(data["assignments"]) == ids


def test_tfidf_embedder_needs_no_model():
    texts = ["bus late", "bus late morning", "bus always late", "lunch cold", "cold lunch food"]
    texts += ["lunch cold again"]
    model = find_themes(texts, embedder=TfidfEmbedder(), k=2)
    assert len({model.assignments[0], model.assignments[1], model.assignments[2]}) == 1
    assert model.assignments[0] != model.assignments[3]


def test_answers_in_uncovered_languages_are_translated_first(use):
    dictionary = {"Xe buýt đến trường luôn trễ": "The school bus is always late"}
    calls = []

    def translate(texts, language):
        calls.append(language)
        return [dictionary.get(text, text) for text in texts]

    texts = [*ALL, "Xe buýt đến trường luôn trễ"]
    languages = ["en"] * len(ALL) + ["vi"]
    model = find_themes(texts, embedder=use, languages=languages, translate=translate)
    assert calls == ["vi"]
    assert model.assignments[-1] == theme_of(model, ALL, TOPICS["transport"][0])


def test_answers_cannot_be_added_to_themes_from_another_embedder(use):
    from tandem.analysis.embedders import TfidfEmbedder
    from tandem.analysis.errors import AnalysisInputError

    texts = ["The bus is late", "Bus comes late", "More homework help", "Help with homework"]
    model = find_themes(texts, embedder=TfidfEmbedder(), k=2)
    with pytest.raises(AnalysisInputError, match="same multilingual model"):
        add_answers(model, ["The bus never comes"], embedder=TfidfEmbedder())
    with pytest.raises(AnalysisInputError, match="'tfidf' embedder"):
        add_answers(model, ["The bus never comes"], embedder=use)
