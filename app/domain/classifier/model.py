"""The offline bilingual SPIN classifier (DESIGN.md §4): a pruned linear model over n-gram
and cue features, read from the artifact scripts/train_classifier.py writes, plus rules for
kind, open, and the context of earlier turns. Pure standard library; no network."""

import functools
import importlib.resources
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.classifier.cues import (
    PREAMBLE_FEATURE,
    QUESTION_FEATURE,
    any_mentions_problem,
    cue_features,
    has_effect_cue,
    refers_back,
)
from app.domain.classifier.features import (
    FeatureOptions,
    ngram_features,
    normalise,
    tokenise,
)
from app.domain.classifier.question_form import is_open_question, is_question, question_clause
from app.domain.labels import NO_CONTEXT, Label, Move, MoveContext, MoveKind, SpinLabel
from app.domain.language import Language, detect_language

MODEL_RESOURCE = "spin_model.json"
MODEL_FORMAT = 1

# Logit added to `implication` when an earlier turn put a problem on the table and this
# question points back at it with an effect word (SPIN.md §1, P vs I). The corpus has no
# context, so this is a prior, not a learned weight: small enough to only settle close calls.
CONTEXT_IMPLICATION_BOOST = 1.0

# Each feature's per-class integer weights are packed into one Python int, FIELD_BITS per
# class, offset by WEIGHT_BIAS so every field is non-negative: summing the rows of a move is
# then one C-level `sum` over ints instead of a Python loop per class. A field cannot carry
# into the next while rows * 2 * WEIGHT_BIAS < 2**FIELD_BITS, i.e. below 2**19 rows; a model
# has far fewer features than that, and a move's rows are distinct features of the model.
FIELD_BITS = 40
WEIGHT_BIAS = 1 << 20
_FIELD_MASK = (1 << FIELD_BITS) - 1

# A long move whose question follows a preamble is scored twice, whole and question alone,
# and the logits blended: the move's label is usually its question's, but a summary or a
# pitch lives in the preamble. Short moves are scored once (latency).
LONG_MOVE_CHARS = 120
CLAUSE_BLEND = 0.5


@dataclass(frozen=True, slots=True)
class ModelClass:
    """One output of the model: a SPIN label, or `other` with its finer move."""

    label: SpinLabel
    move: Move | None

    @property
    def key(self) -> str:
        return self.label.value if self.move is None else f"{self.label.value}/{self.move.value}"

    @classmethod
    def parse(cls, key: str) -> "ModelClass":
        label, _, move = key.partition("/")
        return cls(SpinLabel(label), Move(move) if move else None)


def featurise(
    normalised: str, language: Language, options: FeatureOptions, *, cue_only: bool = False
) -> set[str]:
    """All features of one normalised move; training and inference both call this."""
    features = cue_features(normalised)
    if not cue_only:
        features |= ngram_features(tokenise(normalised), options)
    features.add("lang:" + language.value)
    return features


class OfflineClassifier:
    """Labels one move in well under a millisecond: sum the weights of the features present,
    scaled by 1/sqrt(feature count) as in training, softmax, then fold the `other/*` classes
    into label `other` (its confidence is their total)."""

    __slots__ = (
        "_classes",
        "_intercepts",
        "_options",
        "_other_indices",
        "_weight_scale",
        "_weights",
    )

    def __init__(
        self,
        *,
        classes: Sequence[ModelClass],
        intercepts: Sequence[float],
        weights: Mapping[str, Sequence[int]],
        options: FeatureOptions,
        weight_scale: float = 1.0,
    ) -> None:
        """`weights` are integers in units of 1/weight_scale, one per class, |w| < 2**20."""
        if len(intercepts) != len(classes):
            raise ValueError("one intercept per class is required")
        if any(len(row) != len(classes) for row in weights.values()):
            raise ValueError("every weight row needs one weight per class")
        if any(abs(w) >= WEIGHT_BIAS for row in weights.values() for w in row):
            raise ValueError("a weight is too large to pack")
        self._classes = tuple(classes)
        self._other_indices = tuple(
            i for i, c in enumerate(self._classes) if c.label is SpinLabel.OTHER
        )
        if not self._other_indices:
            raise ValueError("the model needs at least one `other` class")
        self._intercepts = tuple(intercepts)
        self._weights = {
            feature: sum((int(w) + WEIGHT_BIAS) << (FIELD_BITS * k) for k, w in enumerate(row))
            for feature, row in weights.items()
        }
        self._options = options
        self._weight_scale = weight_scale

    @classmethod
    def from_document(cls, document: Mapping[str, object]) -> "OfflineClassifier":
        """Build from the parsed JSON artifact; raises ValueError if it is malformed."""
        if document.get("format") != MODEL_FORMAT:
            raise ValueError(f"unsupported model format {document.get('format')!r}")
        classes = document.get("classes")
        intercepts = document.get("intercepts")
        weights = document.get("weights")
        options = document.get("features")
        scale = document.get("weight_scale")
        if not (
            isinstance(classes, list)
            and isinstance(intercepts, list)
            and isinstance(weights, dict)
            and isinstance(options, dict)
            and isinstance(scale, int | float)
        ):
            raise ValueError("the model artifact lacks classes, intercepts, weights or features")
        return cls(
            classes=[ModelClass.parse(str(key)) for key in classes],
            intercepts=[float(value) for value in intercepts],
            weights={str(feature): [int(w) for w in row] for feature, row in weights.items()},
            options=FeatureOptions(**{str(k): int(v) for k, v in options.items()}),
            weight_scale=float(scale),
        )

    @property
    def options(self) -> FeatureOptions:
        return self._options

    def probabilities(
        self, text: str, *, context: MoveContext = NO_CONTEXT, language: Language | None = None
    ) -> dict[ModelClass, float]:
        """The model's distribution over its classes; raises ValueError on an empty move."""
        if not text.strip():
            raise ValueError("empty move")
        probabilities = self._distribution(normalise(text), context.previous, language)[0]
        return dict(zip(self._classes, probabilities, strict=True))

    def _distribution(
        self, normalised: str, previous: Sequence[str], language: Language | None
    ) -> tuple[list[float], set[str]]:
        lang = language if language is not None else detect_language(normalised)
        features = featurise(normalised, lang, self._options)
        logits = self._logits(features)
        if CLAUSE_BLEND and len(normalised) > LONG_MOVE_CHARS and PREAMBLE_FEATURE in features:
            clause = self._logits(featurise(question_clause(normalised), lang, self._options))
            logits = [
                (1 - CLAUSE_BLEND) * whole + CLAUSE_BLEND * part
                for whole, part in zip(logits, clause, strict=True)
            ]
        if previous and self._has_problem_context(normalised, previous):
            for index, model_class in enumerate(self._classes):
                if model_class.label is SpinLabel.IMPLICATION:
                    logits[index] += CONTEXT_IMPLICATION_BOOST
        top = max(logits)
        exps = [math.exp(value - top) for value in logits]
        total = sum(exps)
        return [e / total for e in exps], features

    def _logits(self, features: set[str]) -> list[float]:
        # One C-level pass over the features; unknown ones (pruned or unseen) weigh nothing.
        rows = [row for row in map(self._weights.get, features) if row is not None]
        if not rows:
            return list(self._intercepts)
        total = sum(rows)
        offset = len(rows) * WEIGHT_BIAS
        norm = self._weight_scale * math.sqrt(len(features))
        return [
            bias + (((total >> (FIELD_BITS * k)) & _FIELD_MASK) - offset) / norm
            for k, bias in enumerate(self._intercepts)
        ]

    @staticmethod
    def _has_problem_context(normalised: str, previous: Sequence[str]) -> bool:
        if not (is_question(normalised) and refers_back(normalised)):
            return False
        if not has_effect_cue(normalised):
            return False
        return any_mentions_problem([normalise(turn) for turn in previous[-4:]])

    def classify(
        self, text: str, *, context: MoveContext = NO_CONTEXT, language: Language | None = None
    ) -> Label:
        """Label one trainee move in its context (the call's earlier turns tip close P/I
        calls). Raises ValueError("empty move") when the text has nothing but whitespace."""
        if not text.strip():
            raise ValueError("empty move")
        normalised = normalise(text)
        probabilities, features = self._distribution(normalised, context.previous, language)
        by_label: dict[SpinLabel, float] = {}
        for model_class, p in zip(self._classes, probabilities, strict=True):
            by_label[model_class.label] = by_label.get(model_class.label, 0.0) + p
        label = max(by_label, key=by_label.__getitem__)
        confidence = min(1.0, max(0.0, by_label[label]))
        if label is SpinLabel.OTHER:
            best = max(self._other_indices, key=probabilities.__getitem__)
            move = self._classes[best].move
            kind = MoveKind.QUESTION if QUESTION_FEATURE in features else MoveKind.STATEMENT
        else:
            move = None
            # SPIN labels are question types (SPIN.md §1), whatever the punctuation.
            kind = MoveKind.QUESTION
        is_open = is_open_question(normalised) if kind is MoveKind.QUESTION else None
        return Label(
            kind=kind,
            label=label,
            move=move,
            open=is_open,
            confidence=round(confidence, 4),
            source="offline",
            scores={k: round(v, 4) for k, v in by_label.items()},
        )


def load_classifier_document(document: str) -> OfflineClassifier:
    """Parse an artifact's JSON text (the bundled one, or one under evaluation)."""
    parsed = json.loads(document)
    if not isinstance(parsed, dict):
        raise ValueError("the model artifact is not a JSON object")
    return OfflineClassifier.from_document(parsed)


@functools.cache
def load_bundled_classifier() -> OfflineClassifier:
    """The classifier shipped in the package, read once per process."""
    resource = importlib.resources.files("app.domain.classifier").joinpath(MODEL_RESOURCE)
    return load_classifier_document(resource.read_text(encoding="utf-8"))
