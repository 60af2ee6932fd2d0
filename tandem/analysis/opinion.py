"""Opinion groups in an exchange's agree/disagree/pass votes, by the Pol.is method.

Participants who voted enough are projected onto the first two principal components of
the mean-imputed vote matrix, grouped into up to 100 base clusters, and the base clusters
into 2..max_groups opinion groups chosen by silhouette. Each group then gets the
statements that set it apart (Pol.is "repness"), and the whole conversation gets the
statements every group agrees on (group-informed consensus) and those that divide them.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import count

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.utils.extmath import randomized_svd
from threadpoolctl import threadpool_limits

from tandem.analysis.errors import AnalysisInputError

AGREE, DISAGREE, PASS = 1, -1, 0
BASE_CLUSTERS = 100
# Fewer than this many grouped participants cannot make two groups worth the name.
MIN_PARTICIPANTS = 4
# One-sided z for 90% confidence, the level Pol.is uses for representative statements.
Z_90 = 1.2816
STATEMENTS_SHOWN = 5


@dataclass(frozen=True)
class Vote:
    participant: str
    statement: str
    vote: int  # 1 agree, -1 disagree, 0 pass
    timestamp: float = 0


@dataclass
class OpinionGroups:
    groups: dict[str, int]
    repness: dict[int, list[dict]] = field(default_factory=dict)
    consensus: list[dict] = field(default_factory=list)
    divisive: list[dict] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "groups": dict(self.groups),
            "repness": {str(group): rows for group, rows in self.repness.items()},
            "consensus": self.consensus,
            "divisive": self.divisive,
        }


@dataclass
class _VoteTable:
    """Votes as parallel arrays of participant index, statement index, vote and time."""

    participants: list[str]
    statements: list[str]
    participant: np.ndarray
    statement: np.ndarray
    vote: np.ndarray
    time: np.ndarray


def find_opinion_groups(
    votes: Iterable[Vote],
    *,
    moderated_out: Collection[str] = (),
    min_votes: int = 7,
    max_groups: int = 5,
    seed: int = 0,
) -> OpinionGroups:
    """Group participants by how they voted, with the statements that define each group."""
    table = _vote_table(votes)
    in_conversation = _in_conversation(table, min_votes)
    latest = _latest_votes(table)
    moderated = set(moderated_out)
    kept = np.array([statement not in moderated for statement in table.statements])
    if not kept.any():
        raise AnalysisInputError("Every statement voted on was moderated out.")
    grouped = np.flatnonzero(in_conversation)
    _require_enough(len(grouped), min_votes, len(table.statements))
    projection = _project(latest, kept, seed)
    labels = _cluster(projection[grouped], max_groups, seed)
    counts = _group_counts(latest, kept, grouped, labels)
    ids = [table.statements[index] for index in np.flatnonzero(kept)]
    return OpinionGroups(
        groups={table.participants[p]: int(g) for p, g in zip(grouped, labels, strict=True)},
        repness=_repness(counts, ids),
        consensus=_consensus(counts, ids),
        divisive=_divisive(counts, ids),
        excluded=[table.participants[p] for p in np.flatnonzero(~in_conversation)],
    )


def _vote_table(votes: Iterable[Vote]) -> _VoteTable:
    """Votes as arrays, ordered by participant, statement, time and input order, so that
    a participant's votes on one statement sit together, first and latest at either end."""
    votes = list(votes)
    if not votes:
        raise AnalysisInputError("There are no votes to group.")
    # A dict whose missing keys get the next number gives ids in order of appearance.
    participant_index: defaultdict[str, int] = defaultdict(count().__next__)
    statement_index: defaultdict[str, int] = defaultdict(count().__next__)
    size = len(votes)
    participant = np.fromiter((participant_index[v.participant] for v in votes), np.int64, size)
    statement = np.fromiter((statement_index[v.statement] for v in votes), np.int64, size)
    vote = np.fromiter((v.vote for v in votes), np.int64, size)
    time = np.fromiter((v.timestamp for v in votes), np.float64, size)
    if not np.isin(vote, (AGREE, DISAGREE, PASS)).all():
        raise AnalysisInputError("Votes must be 1 (agree), -1 (disagree) or 0 (pass).")
    order = np.lexsort((np.arange(size), time, statement, participant))
    return _VoteTable(
        participants=list(participant_index),
        statements=list(statement_index),
        participant=participant[order],
        statement=statement[order],
        vote=vote[order].astype(np.int8),
        time=time[order],
    )


def _latest_votes(table: _VoteTable) -> _VoteTable:
    """Keep each participant's last vote on each statement (by time, then input order)."""
    keep = np.r_[_new_pair(table)[1:], True]
    return _VoteTable(
        participants=table.participants,
        statements=table.statements,
        participant=table.participant[keep],
        statement=table.statement[keep],
        vote=table.vote[keep],
        time=table.time[keep],
    )


def _new_pair(table: _VoteTable) -> np.ndarray:
    """True where a (participant, statement) pair's votes begin in the sorted table."""
    return np.r_[
        True,
        (table.participant[1:] != table.participant[:-1])
        | (table.statement[1:] != table.statement[:-1]),
    ]


def _in_conversation(table: _VoteTable, min_votes: int) -> np.ndarray:
    """Which participants Pol.is would group: those who, at some moment, had voted on
    min(min_votes, statements voted on so far) statements.

    Pol.is re-runs its math as votes arrive and never drops a participant once in, so
    early participants who voted on every statement there was are grouped even with few
    votes. Replaying the vote times reproduces that; without times it is the plain rule.
    Votes on moderated-out statements count, as in Pol.is: the participant did engage.
    """
    person, statement, time = _first_votes(table)
    # How many statements had been voted on, by anyone, when each vote was cast.
    opened = np.full(len(table.statements), np.inf)
    np.minimum.at(opened, statement, time)
    statements_then = np.searchsorted(np.sort(opened), time, side="right")
    # How many statements this participant had voted on by then (ties: the last counts).
    order = np.lexsort((time, person))
    person, statements_then = person[order], statements_then[order]
    starts = np.r_[0, np.flatnonzero(person[1:] != person[:-1]) + 1]
    own_so_far = np.arange(len(person)) + 1 - np.repeat(starts, np.diff(np.r_[starts, len(person)]))
    qualifies = own_so_far >= np.minimum(min_votes, statements_then)
    return np.bincount(person[qualifies], minlength=len(table.participants)) > 0


def _first_votes(table: _VoteTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Participant, statement and time of each participant's first vote on each statement."""
    first = _new_pair(table)
    return table.participant[first], table.statement[first], table.time[first]


def _project(latest: _VoteTable, kept: np.ndarray, seed: int) -> np.ndarray:
    """Sparsity-aware PCA projection of every participant, as Pol.is computes it.

    Mean imputation then centering leaves missing votes at zero, so the centred matrix
    stays sparse. Pol.is zeroes moderated-out columns rather than dropping them, so they
    count as votes when it scales a participant by sqrt(statements / votes); we do too.
    """
    n_kept, n_moderated = int(kept.sum()), int((~kept).sum())
    column = np.cumsum(kept) - 1
    on_kept = kept[latest.statement]
    rows, cols = latest.participant[on_kept], column[latest.statement[on_kept]]
    values = latest.vote[on_kept].astype(np.float64)
    voted = np.bincount(cols, minlength=n_kept)
    means = np.bincount(cols, weights=values, minlength=n_kept) / np.maximum(voted, 1)
    shape = (len(latest.participants), n_kept)
    centred = sparse.csr_matrix((values - means[cols], (rows, cols)), shape=shape)
    components = _principal_components(centred, seed)
    votes_each = np.bincount(rows, minlength=shape[0])
    scale = np.sqrt((n_kept + n_moderated) / np.maximum(votes_each + n_moderated, 1))
    return np.asarray(centred @ components.T) * scale[:, None]


def _principal_components(centred: sparse.csr_matrix, seed: int) -> np.ndarray:
    n_components = min(2, *centred.shape)
    _, _, components = randomized_svd(centred, n_components, n_iter=10, random_state=seed)
    # Fewer than two statements leave a single axis; the second stays flat.
    padded = np.zeros((2, centred.shape[1]))
    padded[:n_components] = components
    return padded


def _require_enough(n_grouped: int, min_votes: int, n_statements: int) -> None:
    if n_grouped < MIN_PARTICIPANTS:
        threshold = min(min_votes, n_statements)
        raise AnalysisInputError(
            f"Only {n_grouped} participant{'s' if n_grouped != 1 else ''} voted on at least "
            f"{threshold} statement{'s' if threshold != 1 else ''}; "
            f"opinion groups need at least {MIN_PARTICIPANTS}."
        )


def _cluster(points: np.ndarray, max_groups: int, seed: int) -> np.ndarray:
    """Group label per point: base clusters first, then groups of base clusters."""
    # These k-means problems are small (2-D points, at most 100 centres): starting OpenMP
    # threads for each costs more than it saves, and the machine may be shared.
    with threadpool_limits(limits=1, user_api="openmp"):
        base_labels, centres, sizes = _base_clusters(points, seed)
        if len(centres) < 2:
            raise AnalysisInputError(
                "Every participant voted the same way; there are no opinion groups to find."
            )
        group_of_base = _group_base_clusters(centres, sizes, max_groups, seed)
    labels = group_of_base[base_labels]
    # Number groups by size, largest first, so the same split always gets the same ids.
    sizes = np.bincount(labels)
    rank = np.empty_like(sizes)
    rank[np.lexsort((np.arange(len(sizes)), -sizes))] = np.arange(len(sizes))
    return rank[labels]


def _base_clusters(points: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pol.is first summarises participants as up to 100 base clusters, so that groups
    form among opinion positions rather than being swayed by crowds of identical voters."""
    n_distinct = len(np.unique(points.round(9), axis=0))
    k = min(BASE_CLUSTERS, n_distinct)
    if k < 2:
        return np.zeros(len(points), dtype=int), points[:1], np.array([len(points)])
    model = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(points)
    labels = model.labels_
    used, labels = np.unique(labels, return_inverse=True)
    return labels, model.cluster_centers_[used], np.bincount(labels)


def _group_base_clusters(
    centres: np.ndarray, sizes: np.ndarray, max_groups: int, seed: int
) -> np.ndarray:
    """Weighted k-means of the base clusters for each k, keeping the best silhouette.

    Like Pol.is, the largest k tried grows with the number of base clusters (one more
    per dozen), and silhouettes are measured between base clusters.
    """
    largest_k = min(max_groups, 2 + len(centres) // 12, len(centres) - 1)
    if largest_k < 2:
        return np.arange(len(centres))
    best, best_score = None, -np.inf
    for k in range(2, largest_k + 1):
        model = KMeans(n_clusters=k, n_init=10, random_state=seed)
        labels = model.fit_predict(centres, sample_weight=sizes)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(centres, labels)
        if score > best_score:
            best, best_score = labels, score
    return best if best is not None else np.zeros(len(centres), dtype=int)


@dataclass
class _Counts:
    """Per group (rows) and statement (columns): agrees, disagrees and votes."""

    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray


def _group_counts(
    latest: _VoteTable, kept: np.ndarray, grouped: np.ndarray, labels: np.ndarray
) -> _Counts:
    group_of = np.full(len(latest.participants), -1)
    group_of[grouped] = labels
    column = np.cumsum(kept) - 1
    use = (group_of[latest.participant] >= 0) & kept[latest.statement]
    n_groups, n_kept = int(labels.max()) + 1, int(kept.sum())
    cell = group_of[latest.participant[use]] * n_kept + column[latest.statement[use]]
    vote = latest.vote[use]

    def count(weights: np.ndarray | None) -> np.ndarray:
        totals = np.bincount(cell, weights=weights, minlength=n_groups * n_kept)
        return totals.reshape(n_groups, n_kept)

    return _Counts(
        agree=count((vote == AGREE).astype(float)),
        disagree=count((vote == DISAGREE).astype(float)),
        seen=count(None),
    )


def _prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Pol.is's one-proportion z-test against 1/2, with one pseudo-vote added."""
    return 2 * np.sqrt(trials + 1) * ((successes + 1) / (trials + 1) - 0.5)


def _two_prop_test(
    in_successes: np.ndarray,
    out_successes: np.ndarray,
    in_trials: np.ndarray,
    out_trials: np.ndarray,
) -> np.ndarray:
    """Pol.is's two-proportion z-test (group against the rest), with pseudo-counts."""
    s1, s2, n1, n2 = in_successes + 1, out_successes + 1, in_trials + 1, out_trials + 1
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / spread
    return np.where(pooled >= 1, 0.0, z)


def _repness(counts: _Counts, ids: list[str]) -> dict[int, list[dict]]:
    """Per group, the statements it agrees or disagrees on significantly more than the rest."""
    return {group: _group_repness(counts, group, ids) for group in range(counts.seen.shape[0])}


def _group_repness(counts: _Counts, group: int, ids: list[str]) -> list[dict]:
    seen = counts.seen[group]
    seen_rest = counts.seen.sum(axis=0) - seen
    sides = {}
    for side, tally in (("agree", counts.agree), ("disagree", counts.disagree)):
        own, rest = tally[group], tally.sum(axis=0) - tally[group]
        probability = (own + 1) / (seen + 2)
        sides[side] = {
            "n_success": own,
            "p_success": probability,
            "p_test": _prop_test(own, seen),
            "repness": probability / ((rest + 1) / (seen_rest + 2)),
            "repness_test": _two_prop_test(own, rest, seen, seen_rest),
        }
    agree_side = sides["agree"]["repness_test"] > sides["disagree"]["repness_test"]
    passes = {side: (s["repness_test"] > Z_90) & (s["p_test"] > Z_90) for side, s in sides.items()}
    significant = np.flatnonzero((passes["agree"] | passes["disagree"]) & (seen > 0))
    rows = [_repness_row(sides, i, agree_side[i], seen[i], ids) for i in significant]
    if not rows:
        voted = np.flatnonzero(seen > 0)
        if not len(voted):
            return []
        strongest = np.maximum(sides["agree"]["repness_test"], sides["disagree"]["repness_test"])
        i = voted[np.argmax(strongest[voted])]
        return [_repness_row(sides, i, agree_side[i], seen[i], ids)]
    rows.sort(key=lambda row: -_repness_metric(row))
    top = rows[:STATEMENTS_SHOWN]
    return [r for r in top if r["repful_for"] == "agree"] + [
        r for r in top if r["repful_for"] == "disagree"
    ]


def _repness_row(sides: dict, i: int, agree: bool, seen: float, ids: list[str]) -> dict:
    side = "agree" if agree else "disagree"
    stats = sides[side]
    return {
        "statement": ids[i],
        "repful_for": side,
        "n_success": int(stats["n_success"][i]),
        "n_trials": int(seen),
        "p_success": round(float(stats["p_success"][i]), 4),
        "p_test": round(float(stats["p_test"][i]), 4),
        "repness": round(float(stats["repness"][i]), 4),
        "repness_test": round(float(stats["repness_test"][i]), 4),
    }


def _repness_metric(row: dict) -> float:
    return row["repness"] * row["repness_test"] * row["p_success"] * row["p_test"]


def _consensus(counts: _Counts, ids: list[str]) -> list[dict]:
    """Statements every group leans the same way on, ranked by Pol.is's group-informed
    consensus: the product over groups of each group's (smoothed) probability."""
    rows = []
    for side, tally in (("agree", counts.agree), ("disagree", counts.disagree)):
        probability = (tally + 1) / (counts.seen + 2)
        score = probability.prod(axis=0)
        every_group = (probability > 0.5).all(axis=0)
        for i in np.flatnonzero(every_group)[np.argsort(-score[every_group], kind="stable")][
            :STATEMENTS_SHOWN
        ]:
            rows.append(_spread_row(ids[i], side, "consensus", score[i], probability[:, i]))
    return rows


def _divisive(counts: _Counts, ids: list[str]) -> list[dict]:
    """Statements the groups disagree about most: highest variance of the groups'
    (smoothed) agree probabilities, among statements every group voted on."""
    probability = (counts.agree + 1) / (counts.seen + 2)
    variance = probability.var(axis=0)
    candidates = np.flatnonzero((counts.seen > 0).all(axis=0) & (variance > 0))
    ranked = candidates[np.argsort(-variance[candidates], kind="stable")][:STATEMENTS_SHOWN]
    return [
        _spread_row(ids[i], "agree", "variance", variance[i], probability[:, i]) for i in ranked
    ]


def _spread_row(statement: str, side: str, name: str, value: float, by_group: np.ndarray) -> dict:
    return {
        "statement": statement,
        "direction": side,
        name: round(float(value), 4),
        "groups": {str(g): round(float(p), 4) for g, p in enumerate(by_group)},
    }
