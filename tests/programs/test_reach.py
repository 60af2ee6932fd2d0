"""The scheduling assistant's rule (tandem.programs.reach), checked against a plain loop
written from the rule's words: exhaustively on small cases, and on random populations."""

from collections import Counter
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.programs import reach as rule
from tandem.programs.reach import Candidate, best, census, compare, reach

SATURDAY, TUESDAY = 5, 1


def at(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


def person(pk, language="en", school=None, childcare=False, transportation=False, came=False):
    return (pk, language, school, childcare, transportation, came)


def population(rows, windows):
    """The rule's population from rows that say whether each came before."""
    return rule.population([row[:5] for row in rows], windows, [row[0] for row in rows if row[5]])


# The rule in plain Python: a slot [15k, 15k + 15) is covered when one window on the day
# holds all of it (a window ending at 23:59 runs to midnight); a candidate needs every
# slot it touches.


def slot_covered(windows, day: int, slot: int) -> bool:
    start, end = slot * 15, slot * 15 + 15
    return any(d == day and ws <= start and (we >= end or we >= 1439) for d, ws, we in windows)


def oracle_available(windows, candidate: Candidate) -> bool:
    first = candidate.start // 15
    last = (candidate.start + candidate.minutes + 14) // 15
    return bool(windows) and all(
        slot_covered(windows, candidate.weekday, slot) for slot in range(first, last)
    )


def oracle_fits(row, candidate: Candidate) -> bool:
    _pk, language, _school, childcare, transportation, _came = row
    offered = {tag.split("-")[0].lower() for tag in candidate.languages}
    if language.split("-")[0].lower() not in offered:
        return False
    if candidate.modality in ("virtual", "hybrid"):
        return True
    return (candidate.childcare or not childcare) and (
        candidate.transportation or not transportation
    )


def oracle(rows, windows_of, candidate):
    reachable = [
        row
        for row in rows
        if windows_of.get(row[0])
        and oracle_fits(row, candidate)
        and oracle_available(windows_of[row[0]], candidate)
    ]
    return {
        "total": len(reachable),
        "by_language": dict(Counter(row[1].split("-")[0].lower() for row in reachable)),
        "by_school": dict(Counter(row[2] for row in reachable)),
        "never_reached": sum(1 for row in reachable if not row[5]),
        "unknown": sum(
            1 for row in rows if not windows_of.get(row[0]) and oracle_fits(row, candidate)
        ),
    }


def as_dict(result):
    return {
        "total": result.total,
        "by_language": result.by_language,
        "by_school": result.by_school,
        "never_reached": result.never_reached,
        "unknown": result.unknown,
    }


def flat(windows_of):
    return [(pk, *window) for pk, windows in windows_of.items() for window in windows]


def test_availability_matches_the_rule_for_every_pair_of_windows_in_a_morning():
    # Every set of at most two half-hour-aligned windows between 8:00 and 11:00 on
    # Saturday (and one on Tuesday that must not count), against every candidate
    # starting on a quarter hour in that morning.
    marks = [at(8) + 30 * n for n in range(7)]
    intervals = list(combinations(marks, 2))
    window_sets = [()] + [(i,) for i in intervals] + list(combinations(intervals, 2))
    windows_of = {}
    for pk, chosen in enumerate(window_sets, start=1):
        windows_of[pk] = [(SATURDAY, start, end) for start, end in chosen] + [
            (TUESDAY, at(8), at(11))
        ] * (pk % 2)
    rows = [person(pk) for pk in windows_of]
    people = population(rows, flat(windows_of))
    for start, minutes in product(range(at(7, 45), at(11), 15), (15, 30, 45, 60, 90, 180)):
        candidate = Candidate(SATURDAY, start, minutes, languages=("en",))
        assert as_dict(reach(people, candidate)) == oracle(rows, windows_of, candidate), (
            start,
            minutes,
        )


def test_needs_and_modality_for_every_combination():
    windows_of = {}
    rows = []
    for pk, (childcare, transportation) in enumerate(product([False, True], repeat=2), 1):
        rows.append(person(pk, "es", childcare=childcare, transportation=transportation))
        windows_of[pk] = [(SATURDAY, at(9), at(13))]
    people = population(rows, flat(windows_of))
    for modality, childcare, transportation in product(
        ("in_person", "virtual", "hybrid"), [False, True], [False, True]
    ):
        candidate = Candidate(
            SATURDAY, at(10), 120, modality, childcare, transportation, languages=("es",)
        )
        assert as_dict(reach(people, candidate)) == oracle(rows, windows_of, candidate)


def test_in_person_without_childcare_leaves_out_who_needs_it_but_online_does_not():
    rows = [person(1, "es", childcare=True), person(2, "es")]
    windows = [(1, SATURDAY, at(9), at(13)), (2, SATURDAY, at(9), at(13))]
    people = population(rows, windows)
    in_person = Candidate(SATURDAY, at(10), 60, "in_person", languages=("es",))
    online = Candidate(SATURDAY, at(10), 60, "virtual", languages=("es",))
    with_childcare = Candidate(SATURDAY, at(10), 60, "in_person", True, languages=("es",))
    assert reach(people, in_person).total == 1
    assert reach(people, online).total == 2
    assert reach(people, with_childcare).total == 2


def test_languages_match_by_primary_subtag():
    rows = [
        person(1, "es-MX"),
        person(2, "es"),
        person(3, "zh-Hant"),
        person(4, "so"),
        person(5, "en-US"),
    ]
    windows = [(pk, TUESDAY, at(17), at(21)) for pk in range(1, 6)]
    people = population(rows, windows)
    result = reach(people, Candidate(TUESDAY, at(18), 60, "virtual", languages=("es", "zh")))
    assert result.by_language == {"es": 2, "zh": 1}
    result = reach(people, Candidate(TUESDAY, at(18), 60, "virtual", languages=("ES-us", "en")))
    assert result.by_language == {"es": 2, "en": 1}


def test_windows_join_up_and_partial_quarters_do_not_count():
    rows = [person(1), person(2), person(3)]
    windows = [
        (1, SATURDAY, at(9), at(10)),
        (1, SATURDAY, at(10), at(11)),  # touches the first: 9:00–11:00
        (2, SATURDAY, at(9, 10), at(10, 50)),  # covers 9:15–10:45 only
        (3, SATURDAY, at(20), at(23, 59)),  # until midnight
    ]
    people = population(rows, windows)

    def who(start, minutes):
        candidate = Candidate(SATURDAY, start, minutes, languages=("en",))
        return set(people.ids[reach_mask(people, candidate)].tolist())

    assert who(at(9, 30), 60) == {1, 2}
    assert who(at(9), 30) == {1}  # 9:00–9:15 is not covered for the second
    assert who(at(9, 15), 90) == {1, 2}
    assert who(at(9, 20), 90) == {1}  # touches the 10:45 quarter
    assert who(at(22), 120) == {3}


def reach_mask(people, candidate):
    from tandem.programs.reach import available, eligible

    return available(people, candidate) & eligible(people, candidate) & people.known


def test_without_windows_availability_is_unknown_and_never_reachable():
    rows = [person(1, "es"), person(2, "es", childcare=True), person(3, "vi"), person(4, "es")]
    people = population(rows, [(4, SATURDAY, at(9), at(12))])
    result = reach(people, Candidate(SATURDAY, at(10), 60, languages=("es",)))
    assert result.total == 1
    assert result.unknown == 1  # the first: the second needs childcare, the third speaks vi
    assert census(people).unknown == 3


def test_counts_by_school_and_never_reached():
    rows = [
        person(1, "es", school=10, came=True),
        person(2, "es", school=10),
        person(3, "en", school=20),
        person(4, "en", school=None),
    ]
    people = population(rows, [(pk, SATURDAY, at(9), at(12)) for pk in range(1, 5)])
    result = reach(people, Candidate(SATURDAY, at(10), 60, languages=("en", "es")))
    assert result.by_school == {10: 2, 20: 1, None: 1}
    assert result.never_reached == 3
    everyone = census(people)
    assert (everyone.total, everyone.never_reached, everyone.unknown) == (4, 3, 0)


def test_windows_of_people_not_listed_are_ignored():
    people = population([person(1)], [(2, SATURDAY, at(9), at(12))])
    assert reach(people, Candidate(SATURDAY, at(10), 60, languages=("en",))).total == 0
    assert people.known.tolist() == [False]


def test_attendance_of_people_not_listed_is_ignored():
    people = rule.population([person(1)[:5]], [(1, SATURDAY, at(9), at(12))], attended=[2, 3])
    assert reach(people, Candidate(SATURDAY, at(10), 60, languages=("en",))).never_reached == 1


def test_an_empty_population_reaches_no_one():
    people = population([], [])
    result = reach(people, Candidate(SATURDAY, at(10), 60, languages=("en",)))
    assert (result.total, result.by_language, result.unknown) == (0, {}, 0)


def test_best_reaches_most_then_most_never_reached_then_comes_first():
    rows = [person(1, came=True), person(2), person(3)]
    windows = [
        (1, SATURDAY, at(9), at(12)),
        (2, TUESDAY, at(18), at(20)),
        (3, TUESDAY, at(18), at(20)),
        (1, 0, at(9), at(12)),
        (2, 0, at(9), at(12)),
    ]
    people = population(rows, windows)
    saturday = Candidate(SATURDAY, at(10), 60, languages=("en",))
    tuesday = Candidate(TUESDAY, at(18), 60, languages=("en",))
    monday = Candidate(0, at(10), 60, languages=("en",))
    nobody = Candidate(6, at(10), 60, languages=("en",))
    assert best(compare(people, [saturday, tuesday])) == 1
    assert best(compare(people, [monday, tuesday])) == 1  # 2 each; tuesday: 2 never came
    assert best(compare(people, [tuesday, tuesday])) == 0
    assert best(compare(people, [nobody])) is None
    assert best([]) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"weekday": 7},
        {"start": -1},
        {"start": at(24)},
        {"minutes": 0},
        {"start": at(23), "minutes": 61},
        {"modality": "by carrier pigeon"},
    ],
)
def test_nonsense_candidates_are_refused(fields):
    values = {"weekday": SATURDAY, "start": at(10), "minutes": 60, **fields}
    with pytest.raises(ValueError):
        Candidate(**values)


windows_strategy = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.integers(0, 1438),
        st.integers(1, 600),
    ).map(lambda w: (w[0], w[1], min(1439, w[1] + w[2]))),
    max_size=4,
)
row_strategy = st.tuples(
    st.sampled_from(["en", "es", "es-MX", "zh-Hant", "so", "vi"]),
    st.sampled_from([None, 1, 2]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    windows_strategy,
)
candidate_strategy = st.builds(
    lambda day, start, minutes, modality, childcare, transportation, languages: Candidate(
        day, start, min(minutes, 1440 - start), modality, childcare, transportation, languages
    ),
    st.integers(0, 6),
    st.integers(0, 1439),
    st.integers(1, 300),
    st.sampled_from(["in_person", "virtual", "hybrid"]),
    st.booleans(),
    st.booleans(),
    st.lists(st.sampled_from(["en", "es", "zh", "so", "vi-VN"]), max_size=3).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(row_strategy, max_size=25), st.lists(candidate_strategy, min_size=1, max_size=4))
def test_random_populations_match_the_rule(drawn, candidates):
    rows = [
        (pk, language, school, childcare, transportation, came)
        for pk, (language, school, childcare, transportation, came, _w) in enumerate(drawn, 1)
    ]
    windows_of = {pk: list(windows) for pk, (*_, windows) in enumerate(drawn, 1) if windows}
    people = population(rows, flat(windows_of))
    for candidate, result in zip(candidates, compare(people, candidates), strict=True):
        assert as_dict(result) == oracle(rows, windows_of, candidate)
