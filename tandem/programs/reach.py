"""The scheduling assistant's rule: whom a candidate time, modality and offer would
reach among the caregivers a session is planned for. Pure numpy, no Django;
`tandem.programs.scheduling` loads the caregivers into a `Population`.

A *candidate* is a weekday (0 Monday … 6 Sunday), a start time and a duration in minutes
(local time: the session's time zone, as availability windows are), a modality
(in_person, virtual, hybrid), whether childcare and transportation are offered, and the
languages offered (held in plus interpretation, BCP 47 tags).

A caregiver is *reachable* by a candidate when all three hold:

- **available**: the union of their availability windows on that weekday covers
  [start, start + duration). Time is counted in 15-minute slots: a window covers the
  slots wholly inside it (its start rounded up, its end rounded down, an end at 23:59
  counting as midnight), and a candidate needs every slot it touches (its start rounded
  down, its end rounded up). Windows that touch or overlap join up: 9:00–10:00 and
  10:00–11:00 cover a session from 9:30 to 10:30.
- **language**: their preferred language has the primary subtag of one of the
  languages offered ("es-MX" ~ "es", "zh-Hant" ~ "zh"). A need for interpretation is
  met this way too.
- **needs**: one who needs childcare is reached only where childcare is offered, one
  who needs transportation only where transportation is offered, unless the session
  can be joined from home (virtual or hybrid).

Caregivers with no availability window at all have *unknown availability*: never
counted reachable; per candidate, those of them the language and needs rule would let
in are counted apart (`unknown`), to call and ask.

Per candidate: how many are reachable, by language (primary subtag) and by school; how
many of those were *never reached before* (never checked in to any session of any
program of the organization); and the unknown. The *best* candidate reaches the most
caregivers; a tie goes to the one reaching more never reached before, then to the one
listed first; no candidate is best when none reaches anyone.

Counts are not hidden below the minimum group size: the population is only caregivers
the planner may already see one by one.

Each candidate is a handful of vectorized operations over all caregivers: each
caregiver's week is a 7 × 96 grid of 15-minute slots, kept as bits (two 64-bit words a
day, the union of their windows OR-ed in), so "covers every slot the candidate needs"
is one comparison per word: grid & needed == needed.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from tandem.directory.languages import primary_subtag

SLOT_MINUTES = 15
DAY_MINUTES = 24 * 60
SLOTS = DAY_MINUTES // SLOT_MINUTES  # 96
DAYS = 7
LAST_MINUTE = DAY_MINUTES - 1  # a window ending at 23:59 runs to midnight
WORD_SLOTS = 48  # a day's slots are kept as bits of two 64-bit words
WORDS = SLOTS // WORD_SLOTS
ONE = np.uint64(1)
MODALITIES = ("in_person", "virtual", "hybrid")
FROM_HOME = frozenset({"virtual", "hybrid"})  # childcare and a ride are not needed


@dataclass(frozen=True)
class Candidate:
    """A time and an offer to compare. `start` is minutes after midnight, local time."""

    weekday: int
    start: int
    minutes: int
    modality: str = "in_person"
    childcare: bool = False
    transportation: bool = False
    languages: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.weekday < DAYS:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        if not 0 <= self.start < DAY_MINUTES:
            raise ValueError("start must be minutes after midnight, before midnight")
        if not 0 < self.minutes <= DAY_MINUTES - self.start:
            raise ValueError("the candidate must last at least a minute and end by midnight")
        if self.modality not in MODALITIES:
            raise ValueError(f"modality must be one of {', '.join(MODALITIES)}")
        object.__setattr__(self, "languages", tuple(self.languages))

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def slots(self) -> tuple[int, int]:
        """The slots it needs: [first, last)."""
        return self.start // SLOT_MINUTES, -(-self.end // SLOT_MINUTES)

    @property
    def subtags(self) -> frozenset[str]:
        return frozenset(primary_subtag(tag) for tag in self.languages)


def window_slots(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The slots windows cover wholly, [first, last), from minutes after midnight."""
    first = -(-np.asarray(start, dtype=np.int64) // SLOT_MINUTES)
    end = np.asarray(end, dtype=np.int64)
    last = np.where(end >= LAST_MINUTE, SLOTS, end // SLOT_MINUTES)
    return first, last


@dataclass(frozen=True)
class Population:
    """Caregivers as arrays, one position each. Languages and schools are codes into
    `languages` (primary subtags) and `schools` (school ids, None for no school)."""

    ids: np.ndarray
    language_codes: np.ndarray
    languages: tuple[str, ...]
    school_codes: np.ndarray
    schools: tuple[int | None, ...]
    needs_childcare: np.ndarray
    needs_transportation: np.ndarray
    never_reached: np.ndarray
    known: np.ndarray  # has at least one availability window
    # grid[day, word, i]: caregiver i's available slots of `day` as bits (see `_grid`).
    grid: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.ids)


def population(
    caregivers: Sequence[tuple[int, str, int | None, bool, bool]],
    windows: Iterable[tuple[int, int, int, int]],
    attended: Iterable[int] = (),
) -> Population:
    """From caregiver rows (id, preferred language, school id or None, needs childcare,
    needs transportation), availability windows (caregiver id, weekday, start and end in
    minutes after midnight) and the ids of caregivers who ever attended. Windows and ids
    of caregivers not listed are ignored."""
    if caregivers:
        ids, languages, schools, childcare, transportation = zip(*caregivers, strict=True)
    else:
        ids = languages = schools = childcare = transportation = ()
    ids = np.asarray(ids, dtype=np.int64)
    language_names, language_codes = _coded(languages, primary_subtag)
    school_names, school_codes = _coded(schools, lambda pk: pk)

    windows = list(windows)
    rows = np.fromiter(
        chain.from_iterable(windows), dtype=np.int64, count=4 * len(windows)
    ).reshape(-1, 4)
    owners, days, starts, ends = rows.T
    owner_index, listed = _positions(ids, owners)
    kept = listed & (days >= 0) & (days < DAYS)
    owner_index, days, starts, ends = owner_index[kept], days[kept], starts[kept], ends[kept]
    known = np.zeros(len(ids), dtype=bool)
    known[owner_index] = True

    return Population(
        ids=ids,
        language_codes=language_codes,
        languages=language_names,
        school_codes=school_codes,
        schools=school_names,
        needs_childcare=np.asarray(childcare, dtype=bool),
        needs_transportation=np.asarray(transportation, dtype=bool),
        never_reached=~np.isin(ids, np.fromiter(attended, dtype=np.int64)),
        known=known,
        grid=_grid(len(ids), owner_index, days, *window_slots(starts, ends)),
    )


def _coded(values: Sequence, name: Callable) -> tuple[tuple, np.ndarray]:
    """The distinct names of `values` in order (None last), and each value's position
    among them."""
    names = {value: name(value) for value in set(values)}
    named = set(names.values())
    ordered = (*sorted(named - {None}), *([None] if None in named else []))
    code = {value: ordered.index(names[value]) for value in names}
    return ordered, np.fromiter(map(code.__getitem__, values), dtype=np.int32, count=len(values))


def _positions(ids: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each owner's position in `ids`, and whether it is there at all."""
    if not len(ids):
        return np.zeros(len(owners), dtype=np.int64), np.zeros(len(owners), dtype=bool)
    order = np.argsort(ids)
    positions = order[np.searchsorted(ids, owners, sorter=order).clip(0, len(ids) - 1)]
    return positions, ids[positions] == owners


def slot_bits(first: np.ndarray | int, last: np.ndarray | int) -> np.ndarray:
    """Slots [first, last) of a day as bits of WORDS words of WORD_SLOTS slots each:
    shape (WORDS, …)."""
    first, last = np.asarray(first, dtype=np.int64), np.asarray(last, dtype=np.int64)
    words = []
    for word in range(WORDS):
        low = np.clip(first - word * WORD_SLOTS, 0, WORD_SLOTS).astype(np.uint64)
        high = np.clip(last - word * WORD_SLOTS, 0, WORD_SLOTS).astype(np.uint64)
        words.append(((ONE << high) - ONE) & ~((ONE << low) - ONE))
    return np.stack(words)


def _grid(count: int, owners: np.ndarray, days: np.ndarray, first, last) -> np.ndarray:
    """grid[day, word, i]: the slots caregiver i is available on `day`, as bits; a
    caregiver's windows on a day are OR-ed together (their union)."""
    grid = np.zeros((DAYS, WORDS, count), dtype=np.uint64)
    bits = slot_bits(first, last)
    flat = grid.reshape(-1)
    for word in range(WORDS):
        np.bitwise_or.at(flat, (days * WORDS + word) * count + owners, bits[word])
    return grid


@dataclass(frozen=True)
class Reach:
    """What one candidate would reach. Dicts hold non-zero counts only."""

    candidate: Candidate | None  # None: the whole population (`census`)
    total: int
    by_language: dict[str, int]  # primary subtag → caregivers
    by_school: dict[int | None, int]  # school id (None: no school) → caregivers
    never_reached: int
    unknown: int


def _counts(codes: np.ndarray, names: tuple, chosen: np.ndarray) -> dict:
    counts = np.bincount(codes[chosen], minlength=len(names))
    return {names[code]: int(counts[code]) for code in np.flatnonzero(counts)}


def available(people: Population, candidate: Candidate) -> np.ndarray:
    """Whose windows cover every slot the candidate needs."""
    needed = slot_bits(*candidate.slots)
    day = people.grid[candidate.weekday]
    covered = np.ones(len(people), dtype=bool)
    for word in range(WORDS):
        covered &= (day[word] & needed[word]) == needed[word]
    return covered


def eligible(people: Population, candidate: Candidate) -> np.ndarray:
    """The language and needs rule, without availability."""
    offered = [code for code, name in enumerate(people.languages) if name in candidate.subtags]
    speaks = np.isin(people.language_codes, offered)
    if candidate.modality in FROM_HOME:
        return speaks
    return (
        speaks
        & (candidate.childcare | ~people.needs_childcare)
        & (candidate.transportation | ~people.needs_transportation)
    )


def reach(people: Population, candidate: Candidate) -> Reach:
    meets = eligible(people, candidate)
    reachable = meets & people.known & available(people, candidate)
    return Reach(
        candidate=candidate,
        total=int(reachable.sum()),
        by_language=_counts(people.language_codes, people.languages, reachable),
        by_school=_counts(people.school_codes, people.schools, reachable),
        never_reached=int((reachable & people.never_reached).sum()),
        unknown=int((meets & ~people.known).sum()),
    )


def census(people: Population) -> Reach:
    """Everyone, as a `Reach` without a candidate: the population's size by language and
    school, those never reached before, and (as `unknown`) those with no window."""
    everyone = np.ones(len(people), dtype=bool)
    return Reach(
        candidate=None,
        total=len(people),
        by_language=_counts(people.language_codes, people.languages, everyone),
        by_school=_counts(people.school_codes, people.schools, everyone),
        never_reached=int(people.never_reached.sum()),
        unknown=int((~people.known).sum()),
    )


def compare(people: Population, candidates: Sequence[Candidate]) -> list[Reach]:
    return [reach(people, candidate) for candidate in candidates]


def best(reaches: Sequence[Reach]) -> int | None:
    """The position of the best candidate (see the module's rule), None if none reaches
    anyone."""
    if not reaches or max(r.total for r in reaches) == 0:
        return None
    return max(range(len(reaches)), key=lambda i: (reaches[i].total, reaches[i].never_reached, -i))
