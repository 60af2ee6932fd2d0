"""Themes in open answers, in any language: grouping, labels, an "other" bucket, increments.

Answers are embedded (multilingual by default) and grouped by Ward clustering. The number
of themes is the smallest whose silhouette gain over structureless data of the same shape is
within 5% of the best (a gap rule: prefer fewer themes when more add little), read on the
principal directions. Answers far from their theme's centre, and themes too small to be
one, go to "other".
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from tandem.analysis.embedders import Embedder, UniversalSentenceEncoder, normalise_rows
from tandem.analysis.errors import AnalysisInputError
from tandem.analysis.keywords import label_for, theme_keywords

Translate = Callable[[list[str], str], list[str]]

WARD_SAMPLE = 3500  # Ward is quadratic: above this, themes are found on a sample
SILHOUETTE_SAMPLE = 1500
MAX_THEMES = 200
GAP_SHARE = 0.95
EXAMPLES = 5


@dataclass
class Theme:
    id: int
    label: str
    keywords: list[str]
    size: int
    examples: list[int]
    centroid: np.ndarray
    reviewed: bool = False
    # Answers less similar than this to the centroid do not belong (set from its spread).
    threshold: float = 0.0


@dataclass
class ThemeModel:
    themes: list[Theme] = field(default_factory=list)
    assignments: list[int | None] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    embedder: str = "use"

    def to_dict(self) -> dict:
        return {
            "embedder": self.embedder,
            "themes": [
                {
                    "id": t.id,
                    "label": t.label,
                    "keywords": list(t.keywords),
                    "size": t.size,
                    "examples": list(t.examples),
                    "centroid": [float(x) for x in t.centroid],
                    "reviewed": t.reviewed,
                    "threshold": float(t.threshold),
                }
                for t in self.themes
            ],
            "assignments": list(self.assignments),
            "confidence": [float(c) for c in self.confidence],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ThemeModel":
        themes = [
            Theme(
                id=int(t["id"]),
                label=t["label"],
                keywords=list(t["keywords"]),
                size=int(t["size"]),
                examples=[int(i) for i in t["examples"]],
                centroid=np.asarray(t["centroid"], dtype=np.float32),
                reviewed=bool(t.get("reviewed", False)),
                threshold=float(t.get("threshold", 0.0)),
            )
            for t in data.get("themes", [])
        ]
        return cls(
            themes=themes,
            assignments=[None if a is None else int(a) for a in data.get("assignments", [])],
            confidence=[float(c) for c in data.get("confidence", [])],
            embedder=data.get("embedder", "use"),
        )


def find_themes(
    texts: list[str],
    *,
    embedder: Embedder | None = None,
    k: int | None = None,
    languages: list[str | None] | None = None,
    translate: Translate | None = None,
    analysis_language: str = "en",
    seed: int = 0,
) -> ThemeModel:
    """Themes in `texts`; `k` None chooses their number; same input, same result."""
    embedder = embedder or UniversalSentenceEncoder()
    if not texts:
        return ThemeModel(embedder=embedder.name)
    readable = prepare_texts(texts, embedder, languages, translate, analysis_language)
    vectors = embedder.embed(readable)
    groups = cluster(vectors, k=k, seed=seed)
    themes, assignments, confidence = build_themes(vectors, groups, readable, first_id=0)
    return ThemeModel(themes, assignments, confidence, embedder=embedder.name)


def add_answers(
    model: ThemeModel,
    texts: list[str],
    *,
    embedder: Embedder | None = None,
    languages: list[str | None] | None = None,
    translate: Translate | None = None,
    analysis_language: str = "en",
    seed: int = 0,
) -> ThemeModel:
    """`model` with `texts` appended: existing themes keep their ids, members and labels.

    New answers join the nearest theme they are close enough to; those fitting none form new
    themes when enough of them agree, else go to "other".
    """
    embedder = embedder or UniversalSentenceEncoder()
    if not texts:
        return model
    if model.themes and (embedder.name != model.embedder or embedder.name == "tfidf"):
        # Centres from another embedder, or from a vocabulary learnt on other texts, do not
        # compare with these answers' vectors.
        raise AnalysisInputError(
            f"These themes were found with the {model.embedder!r} embedder; answers can be "
            "added only with the same multilingual model. Find the themes again instead."
        )
    readable = prepare_texts(texts, embedder, languages, translate, analysis_language)
    vectors = embedder.embed(readable)
    joined, joined_confidence = join_existing(model.themes, vectors)
    offset = len(model.assignments)
    themes = [_grown(t, joined) for t in model.themes]
    assignments = [*model.assignments, *joined]
    confidence = [*model.confidence, *joined_confidence]
    left = [i for i, theme_id in enumerate(joined) if theme_id is None]
    if len(left) >= 2 * min_theme_size(len(left)):
        groups = cluster(vectors[left], k=None, seed=seed)
        first_id = max((t.id for t in model.themes), default=-1) + 1
        new, new_assignments, new_confidence = build_themes(
            vectors[left], groups, [readable[i] for i in left], first_id=first_id
        )
        for theme in new:
            theme.examples = [offset + left[i] for i in theme.examples]
        themes.extend(new)
        for i, theme_id, score in zip(left, new_assignments, new_confidence, strict=True):
            assignments[offset + i] = theme_id
            confidence[offset + i] = score
    return ThemeModel(themes, assignments, confidence, embedder=model.embedder)


def themes_json(model: ThemeModel, ids: list[str], texts: list[str]) -> dict:
    """The exchange format: themes with example texts, and each answer id's theme or null."""
    return {
        "themes": [
            {
                "id": t.id,
                "label": t.label,
                "keywords": list(t.keywords),
                "size": t.size,
                "examples": [texts[i] for i in t.examples],
            }
            for t in model.themes
        ],
        "assignments": {
            str(answer_id): theme_id
            for answer_id, theme_id in zip(ids, model.assignments, strict=True)
        },
    }


def prepare_texts(
    texts: list[str],
    embedder: Embedder,
    languages: list[str | None] | None,
    translate: Translate | None,
    analysis_language: str,
) -> list[str]:
    """Texts ready to embed: those in languages the embedder lacks, translated when possible."""
    readable = [str(text or "").strip() for text in texts]
    if translate is None or languages is None or embedder.languages is None:
        return readable
    by_language: dict[str, list[int]] = {}
    for i, language in enumerate(languages):
        if language and not covers(embedder.languages, language):
            by_language.setdefault(language, []).append(i)
    for language, indexes in sorted(by_language.items()):
        translated = translate([readable[i] for i in indexes], language)
        for i, text in zip(indexes, translated, strict=True):
            readable[i] = text
    return readable


def covers(supported: frozenset[str], language: str) -> bool:
    tag = language.strip().lower().replace("_", "-")
    return tag in supported or tag.split("-")[0] in supported


def min_theme_size(n: int) -> int:
    """Fewest answers a theme needs: two in a handful, three from thirty answers on."""
    return 3 if n >= 30 else 2


def cluster(vectors: np.ndarray, *, k: int | None, seed: int) -> np.ndarray:
    """A theme number per answer (-1: other); themes numbered by size, largest first."""
    n = len(vectors)
    distinct = len(np.unique(np.round(vectors, 5), axis=0))
    if n < 4 or (k is None and distinct <= 2):
        groups = np.zeros(n, dtype=int)
    else:
        groups = _ward_groups(vectors, k, seed, distinct)
    # A handful of answers, or a theme count asked for, keeps every theme whatever its size.
    return _drop_outliers(vectors, groups, min_size=1 if k or n < 4 else min_theme_size(n))


def _ward_groups(vectors: np.ndarray, k: int | None, seed: int, distinct: int) -> np.ndarray:
    n = len(vectors)
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, WARD_SAMPLE, replace=False)) if n > WARD_SAMPLE else None
    points = vectors if sample is None else vectors[sample]
    if k is None:
        # The number of themes is read on the principal directions, where the silhouette
        # is steady; the themes themselves are cut from the tree of the whole embeddings,
        # which separates neighbouring themes better (checked on labelled subsets).
        reduced = _reduce(points)
        k = choose_k(reduced, _ward_tree(reduced), rng)
    tree = _ward_tree(points.astype(np.float64))
    labels = fcluster(tree, max(1, min(k, distinct)), "maxclust") - 1
    if sample is None:
        return labels
    centroids = _centroids(points, labels)
    return np.argmax(vectors @ centroids.T, axis=1)


def _ward_tree(points: np.ndarray) -> np.ndarray:
    """scipy's Ward linkage, from distances computed by matrix product: the same tree, in
    less than half the time of scipy's own pairwise loop on 512-dimensional embeddings."""
    return linkage(squareform(_distances(points), checks=False), "ward")


def _reduce(points: np.ndarray) -> np.ndarray:
    """The 100 principal directions, which keep the grouping (checked on labelled data).

    From the eigenvectors of the small covariance matrix: exact, deterministic, and far
    faster than a full SVD of the answers.
    """
    dimensions = min(100, points.shape[1], len(points) - 1)
    centred = points.astype(np.float64) - points.mean(axis=0)
    if dimensions < 2:
        return centred
    _, vectors = np.linalg.eigh(centred.T @ centred)
    return normalise_rows(centred @ vectors[:, ::-1][:, :dimensions]).astype(np.float64)


def choose_k(points: np.ndarray, tree: np.ndarray, rng: np.random.Generator) -> int:
    """Smallest k whose silhouette gain over shapeless data is >= 95% of the best gain.

    Silhouette alone keeps rising with k on sentence embeddings; data drawn from one
    Gaussian with the same spread rises too, so the gain between them is what measures
    structure, and taking the smallest k near the best keeps themes few and readable.
    """
    n = len(points)
    top = max(2, min(MAX_THEMES, n // 4))  # themes of four answers on average at most
    candidates = np.unique(np.round(np.geomspace(2, top, 40)).astype(int))
    sample = np.sort(rng.choice(n, min(n, SILHOUETTE_SAMPLE), replace=False))
    distances = _distances(points[sample])
    null = normalise_rows(rng.standard_normal(points[sample].shape) * points.std(axis=0))
    null = null.astype(np.float64)
    null_tree = _ward_tree(null)
    null_distances = _distances(null)
    gains = []
    for k in candidates:
        real = silhouette(distances, fcluster(tree, k, "maxclust")[sample])
        null_k = max(2, round(k * len(sample) / n))
        shapeless = silhouette(null_distances, fcluster(null_tree, null_k, "maxclust"))
        gains.append(real - shapeless)
    # Averaged with neighbours: one lucky cut on a sample should not set the bar.
    gains = np.convolve(np.pad(gains, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    if gains.max() <= 0:
        return 1
    return int(candidates[np.argmax(gains >= GAP_SHARE * gains.max())])


def _distances(points: np.ndarray) -> np.ndarray:
    squared = np.sum(points**2, axis=1)
    return np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * points @ points.T, 0))


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a distance matrix (sklearn's, vectorised for many cuts)."""
    _, labels = np.unique(labels, return_inverse=True)
    count = labels.max() + 1
    if count < 2:
        return 0.0
    members = np.zeros((len(labels), count))
    members[np.arange(len(labels)), labels] = 1
    sizes = members.sum(axis=0)
    sums = distances @ members
    own = sums[np.arange(len(labels)), labels] / np.maximum(sizes[labels] - 1, 1)
    sums[np.arange(len(labels)), labels] = np.inf
    nearest = np.min(sums / sizes, axis=1)
    scores = (nearest - own) / np.maximum(np.maximum(own, nearest), 1e-12)
    return float(np.mean(np.where(sizes[labels] > 1, scores, 0.0)))


def _centroids(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    count = labels.max() + 1
    sums = np.zeros((count, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, labels, vectors)
    return normalise_rows(sums)


def _drop_outliers(vectors: np.ndarray, groups: np.ndarray, min_size: int) -> np.ndarray:
    """Answers far from their theme's centre, and too-small themes, move to -1 (other)."""
    groups = groups.copy()
    centroids = _centroids(vectors, groups)
    similarity = np.einsum("ij,ij->i", vectors, centroids[groups])
    for g in range(len(centroids)):
        members = groups == g
        groups[members & (similarity < cutoff(similarity[members]))] = -1
    sizes = np.bincount(groups[groups >= 0], minlength=len(centroids))
    groups[(groups >= 0) & (sizes[np.maximum(groups, 0)] < min_size)] = -1
    return _renumber(groups)


def cutoff(similarities: np.ndarray) -> float:
    """Least similarity to a centre still inside the theme: a modified z-score of 3.5 below
    typical, Iglewicz and Hoaglin's usual bound for an outlier."""
    if len(similarities) < 8:  # too few to estimate a spread
        return float(similarities.min()) - 0.05
    median = np.median(similarities)
    spread = 1.4826 * np.median(np.abs(similarities - median))
    return float(median - 3.5 * max(spread, 0.05))


def _renumber(groups: np.ndarray) -> np.ndarray:
    # Largest theme first, ties by first answer, so numbering never depends on the algorithm's.
    kept = [g for g in np.unique(groups) if g >= 0]
    order = sorted(kept, key=lambda g: (-np.sum(groups == g), int(np.argmax(groups == g))))
    mapping = {g: i for i, g in enumerate(order)}
    return np.array([mapping.get(g, -1) for g in groups], dtype=int)


def build_themes(
    vectors: np.ndarray, groups: np.ndarray, texts: list[str], first_id: int
) -> tuple[list[Theme], list[int | None], list[float]]:
    """Themes for numbered groups, with keywords, examples, assignments and confidence."""
    count = int(groups.max()) + 1 if len(groups) else 0
    if count == 0:
        return [], [None] * len(groups), [0.0] * len(groups)
    centroids = _centroids(vectors[groups >= 0], groups[groups >= 0])
    similarity = vectors @ centroids.T
    keywords = theme_keywords(texts, [int(g) for g in groups])
    themes = []
    for g in range(count):
        members = np.flatnonzero(groups == g)
        themes.append(
            Theme(
                id=first_id + g,
                label=label_for(keywords.get(g, [])),
                keywords=keywords.get(g, []),
                size=len(members),
                examples=_examples(members, similarity[members, g], texts),
                centroid=centroids[g].astype(np.float32),
                threshold=cutoff(similarity[members, g]),
            )
        )
    assignments = [None if g < 0 else first_id + int(g) for g in groups]
    return themes, assignments, membership_confidence(similarity, groups)


def _examples(members: np.ndarray, similarity: np.ndarray, texts: list[str]) -> list[int]:
    # The answers closest to the centre, each wording once.
    chosen: list[int] = []
    seen: set[str] = set()
    for i in members[np.lexsort((members, -similarity))]:
        if texts[i].lower() not in seen:
            seen.add(texts[i].lower())
            chosen.append(int(i))
        if len(chosen) == EXAMPLES:
            break
    return chosen


def membership_confidence(similarity: np.ndarray, groups: np.ndarray) -> list[float]:
    """How clearly each answer belongs to its theme rather than the next nearest (0 to 1).

    1 at the theme's centre, 0 halfway to another theme; 0 for answers in "other".
    """
    confidence = []
    for row, g in zip(similarity, groups, strict=True):
        if g < 0:
            confidence.append(0.0)
            continue
        own = row[g]
        others = np.delete(row, g)
        runner_up = others.max() if len(others) else 0.0
        margin = (own - runner_up) / max(1.0 - runner_up, 1e-6)
        confidence.append(float(np.clip(margin if len(others) else own, 0.0, 1.0)))
    return confidence


def join_existing(themes: list[Theme], vectors: np.ndarray) -> tuple[list[int | None], list[float]]:
    """Each new answer's existing theme (nearest one it is close enough to), with confidence."""
    if not themes:
        return [None] * len(vectors), [0.0] * len(vectors)
    centroids = normalise_rows(np.vstack([t.centroid for t in themes]))
    similarity = vectors @ centroids.T
    nearest = np.argmax(similarity, axis=1)
    thresholds = np.array([t.threshold for t in themes])
    fits = similarity[np.arange(len(vectors)), nearest] >= thresholds[nearest]
    groups = np.where(fits, nearest, -1)
    confidence = membership_confidence(similarity, groups)
    return [themes[g].id if g >= 0 else None for g in groups], confidence


def _grown(theme: Theme, joined: list[int | None]) -> Theme:
    added = sum(1 for theme_id in joined if theme_id == theme.id)
    return Theme(
        id=theme.id,
        label=theme.label,
        keywords=list(theme.keywords),
        size=theme.size + added,
        examples=list(theme.examples),
        centroid=theme.centroid,
        reviewed=theme.reviewed,
        threshold=theme.threshold,
    )
