"""The offline bilingual SPIN classifier (DESIGN.md §4): a pruned linear model over n-gram
and cue features, read from the artifact scripts/train_classifier.py writes, plus rules for
kind, open, and the context of earlier turns. Pure standard library; no network."""

import functools
import importlib.resources
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.classifier.context import context_features
from app.domain.classifier.cues import QUESTION_FEATURE, cue_features
from app.domain.classifier.features import (
    FeatureOptions,
    ngram_features,
    normalise,
    tokenise,
)
from app.domain.classifier.question_form import compound_parts, is_brief, is_open_question
from app.domain.labels import NO_CONTEXT, Label, Move, MoveContext, MoveKind, SpinLabel
from app.domain.language import Language, detect_language

MODEL_RESOURCE = "spin_model.json"
MODEL_FORMAT = 1

# Each feature's per-class integer weights are packed into one Python int, FIELD_BITS per
# class, offset by WEIGHT_BIAS so every field is non-negative: summing the rows of a move is
# then one C-level `sum` over ints instead of a Python loop per class. A field cannot carry
# into the next while rows * 2 * WEIGHT_BIAS < 2**FIELD_BITS, i.e. below 2**19 rows; a model
# has far fewer features than that, and a move's rows are distinct features of the model.
FIELD_BITS = 40
WEIGHT_BIAS = 1 << 20
_FIELD_MASK = (1 << FIELD_BITS) - 1

# A compound move (a statement and a question) is scored whole and question alone, and the
# logits blended: the move is labelled by its question (corpus/README.md rule 10), but a
# summary or a proposal ("..., would that be helpful?") lives in the whole, and a brief
# question ("Yes?", "Is that right?") leaves the move to its statement. The statement part
# is scored once more to record it as the move's secondary (a pitch still counts).
CLAUSE_BLEND = 0.7
SECONDARY_MOVES = frozenset({Move.PITCH, Move.RAPPORT, Move.SUMMARY, Move.COMMITMENT})
SECONDARY_MIN_P = 0.5


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
    normalised: str,
    language: Language,
    options: FeatureOptions,
    *,
    context: MoveContext = NO_CONTEXT,
) -> set[str]:
    """All features of one normalised move in its context; training and inference both call
    this."""
    features = cue_features(normalised)
    features |= ngram_features(tokenise(normalised), options)
    features.add("lang:" + language.value)
    if context is not NO_CONTEXT:
        features |= context_features(features, context)
    return features


@dataclass(frozen=True, slots=True)
class Scored:
    """One move's scoring: the distribution over the model's classes, whether the move reads
    as a question, and the statement part of a compound move with its distribution."""

    probabilities: list[float]
    is_question: bool
    rest: list[float] | None


class OfflineClassifier:
    """Labels one move in well under a millisecond: sum the weights of the features present,
    scaled by 1/sqrt(feature count) as in training, softmax, then fold the `other/*` classes
    into label `other` (its confidence is their total)."""

    __slots__ = (
        "_classes",
        "_intercepts",
        "_options",
        "_other_indices",
        "_temperature",
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
        temperature: float = 1.0,
    ) -> None:
        """`weights` are integers in units of 1/weight_scale, one per class, |w| < 2**20.
        `temperature` divides the logits (fitted on held-out folds so that confidences are
        calibrated)."""
        if temperature <= 0:
            raise ValueError("the temperature must be positive")
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
        self._temperature = temperature

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
        temperature = document.get("temperature", 1.0)
        if not (
            isinstance(classes, list)
            and isinstance(intercepts, list)
            and isinstance(weights, dict)
            and isinstance(options, dict)
            and isinstance(scale, int | float)
            and isinstance(temperature, int | float)
        ):
            raise ValueError("the model artifact lacks classes, intercepts, weights or features")
        return cls(
            classes=[ModelClass.parse(str(key)) for key in classes],
            intercepts=[float(value) for value in intercepts],
            weights={str(feature): [int(w) for w in row] for feature, row in weights.items()},
            options=FeatureOptions(**{str(k): int(v) for k, v in options.items()}),
            weight_scale=float(scale),
            temperature=float(temperature),
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
        scored = self._score(normalise(text), context, language)
        return dict(zip(self._classes, scored.probabilities, strict=True))

    def logits(
        self, text: str, *, context: MoveContext = NO_CONTEXT, language: Language | None = None
    ) -> list[float]:
        """Uncalibrated logits (temperature 1), for fitting the temperature in training."""
        normalised = normalise(text)
        lang = language if language is not None else detect_language(normalised)
        return self._move_logits(normalised, lang, context)[0]

    def _move_logits(
        self, normalised: str, lang: Language, context: MoveContext
    ) -> tuple[list[float], set[str], tuple[str, str] | None]:
        features = featurise(normalised, lang, self._options, context=context)
        logits = self._logits(features)
        parts = compound_parts(normalised)
        if parts is not None and not is_brief(parts[0]):
            clause = self._logits(featurise(parts[0], lang, self._options, context=context))
            logits = [
                (1 - CLAUSE_BLEND) * whole + CLAUSE_BLEND * part
                for whole, part in zip(logits, clause, strict=True)
            ]
        return logits, features, parts

    def _score(self, normalised: str, context: MoveContext, language: Language | None) -> Scored:
        lang = language if language is not None else detect_language(normalised)
        logits, features, parts = self._move_logits(normalised, lang, context)
        rest = None
        if parts is not None:
            rest = self._softmax(self._logits(featurise(parts[1], lang, self._options)))
        return Scored(self._softmax(logits), QUESTION_FEATURE in features, rest)

    def _softmax(self, logits: Sequence[float]) -> list[float]:
        scaled = [value / self._temperature for value in logits]
        top = max(scaled)
        exps = [math.exp(value - top) for value in scaled]
        total = sum(exps)
        return [e / total for e in exps]

    def _logits(self, features: set[str]) -> list[float]:
        # C-level set intersection and sum; unknown features (pruned or unseen) weigh nothing.
        known = self._weights.keys() & features
        if not known:
            return list(self._intercepts)
        total = sum(map(self._weights.__getitem__, known))
        offset = len(known) * WEIGHT_BIAS
        norm = self._weight_scale * math.sqrt(len(features))
        return [
            bias + (((total >> (FIELD_BITS * k)) & _FIELD_MASK) - offset) / norm
            for k, bias in enumerate(self._intercepts)
        ]

    def classify(
        self, text: str, *, context: MoveContext = NO_CONTEXT, language: Language | None = None
    ) -> Label:
        """Label one trainee move in its context (the buyer's last turn and whether a
        difficulty is on the table tip close S/P/I calls). A compound move is labelled by its
        question, with the statement part as `secondary`. Raises ValueError("empty move")
        when the text has nothing but whitespace."""
        if not text.strip():
            raise ValueError("empty move")
        normalised = normalise(text)
        scored = self._score(normalised, context, language)
        by_label = self._by_label(scored.probabilities)
        label = max(by_label, key=by_label.__getitem__)
        move = None
        kind = MoveKind.QUESTION  # SPIN labels are question types (SPIN.md §1)
        if label is SpinLabel.OTHER:
            move = self._best_other(scored.probabilities)
            kind = MoveKind.QUESTION if scored.is_question else MoveKind.STATEMENT
        return Label(
            kind=kind,
            label=label,
            move=move,
            open=is_open_question(normalised) if kind is MoveKind.QUESTION else None,
            confidence=round(min(1.0, max(0.0, by_label[label])), 4),
            source="offline",
            scores={k: round(v, 4) for k, v in by_label.items()},
            secondary=self._secondary(scored.rest, move),
        )

    def _by_label(self, probabilities: Sequence[float]) -> dict[SpinLabel, float]:
        by_label = dict.fromkeys(SpinLabel, 0.0)
        for model_class, p in zip(self._classes, probabilities, strict=True):
            by_label[model_class.label] += p
        return by_label

    def _best_other(self, probabilities: Sequence[float]) -> Move | None:
        """The most likely finer move among the `other/*` classes."""
        return self._classes[max(self._other_indices, key=probabilities.__getitem__)].move

    def _secondary(self, rest: Sequence[float] | None, move: Move | None) -> Move | None:
        """The statement part's move, when one non-question move clearly owns it and differs
        from the main move ("Our tool does Y." beside "How many users?" is a pitch)."""
        if rest is None:
            return None
        best = max(self._other_indices, key=rest.__getitem__)
        secondary = self._classes[best].move
        if rest[best] < SECONDARY_MIN_P or secondary not in SECONDARY_MOVES:
            return None
        return secondary if secondary is not move else None


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
