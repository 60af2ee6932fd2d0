"""Benchmark: themes on banking77 test, Tandem against BERTopic given the same embeddings.

    .venv/bin/python bench/themes.py [--data ../shared/data/banking77/test.csv]

Embeds once with the multilingual USE (1 thread), then clusters with Tandem (automatic
number of themes) and with BERTopic (UMAP + HDBSCAN, seeded, after a small warm-up fit so
numba compilation is not counted). NMI and ARI against the labels, where "other" and
BERTopic's outliers count as one cluster each. Also times Tandem's whole pipeline,
embedding included, on the first 10,000 answers of train.csv. Prints a summary, then one
JSON line.
"""

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from tandem.analysis.embedders import UniversalSentenceEncoder
from tandem.analysis.themes import find_themes

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "banking77"


class Precomputed:
    """The embeddings already made, so clustering time excludes embedding."""

    name = "use"
    languages = None

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.vectors[: len(texts)]


def read(path: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    return [row["text"] for row in rows], [row["category"] for row in rows]


def bertopic_clusters(texts: list[str], vectors: np.ndarray) -> tuple[list[int], float]:
    from bertopic import BERTopic
    from umap import UMAP

    def model() -> BERTopic:
        umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=0)
        return BERTopic(embedding_model=None, umap_model=umap)

    model().fit_transform(texts[:300], embeddings=vectors[:300])  # numba compiles here
    started = time.perf_counter()
    topics, _ = model().fit_transform(texts, embeddings=vectors)
    return list(topics), time.perf_counter() - started


def scores(labels: list[str], clusters: list) -> tuple[float, float]:
    flat = [-1 if c is None else c for c in clusters]
    return normalized_mutual_info_score(labels, flat), adjusted_rand_score(labels, flat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA / "test.csv")
    parser.add_argument("--train", type=Path, default=DATA / "train.csv")
    args = parser.parse_args()
    try:
        import bertopic  # noqa: F401
        import hdbscan  # noqa: F401
        import umap  # noqa: F401
    except ImportError as error:
        print(f"BERTopic, umap-learn and hdbscan are needed ({error}): `make bench-tools`.")
        return 2

    texts, labels = read(args.data)
    encoder = UniversalSentenceEncoder(threads=1)
    encoder.embed(["warm up"])
    started = time.perf_counter()
    vectors = encoder.embed(texts)
    embed_seconds = time.perf_counter() - started

    started = time.perf_counter()
    model = find_themes(texts, embedder=Precomputed(vectors))
    seconds = time.perf_counter() - started
    nmi, ari = scores(labels, model.assignments)
    topics, seconds_bertopic = bertopic_clusters(texts, vectors)
    nmi_b, ari_b = scores(labels, topics)

    train_texts, _ = read(args.train, limit=10_000)
    started = time.perf_counter()
    big = find_themes(train_texts, embedder=UniversalSentenceEncoder(threads=1))
    pipeline_seconds = time.perf_counter() - started

    other = model.assignments.count(None)
    print(f"banking77 test: {len(texts)} answers, {len(set(labels))} labels")
    print(f"embedding (USE, 1 thread): {embed_seconds:.1f} s")
    print(
        f"Tandem:   {len(model.themes)} themes + {other} in other, "
        f"NMI {nmi:.3f}, ARI {ari:.3f}, {seconds:.2f} s"
    )
    print(
        f"BERTopic: {len(set(topics)) - (-1 in topics)} topics + {topics.count(-1)} outliers, "
        f"NMI {nmi_b:.3f}, ARI {ari_b:.3f}, {seconds_bertopic:.2f} s"
    )
    print(
        f"Tandem whole pipeline on {len(train_texts)} train answers: {pipeline_seconds:.1f} s "
        f"({len(big.themes)} themes)"
    )
    for theme in model.themes[:5]:
        print(f"  {theme.size:4d}  {theme.label}")
    result = {
        "nmi": round(nmi, 4),
        "ari": round(ari, 4),
        "nmi_bertopic": round(nmi_b, 4),
        "ari_bertopic": round(ari_b, 4),
        "seconds": round(seconds, 2),
        "seconds_bertopic": round(seconds_bertopic, 2),
        "pipeline_10k_seconds": round(pipeline_seconds, 1),
        "themes": len(model.themes),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
