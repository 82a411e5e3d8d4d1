"""Train the offline SPIN classifier from corpus/train_*.jsonl and write the artifact.

    .venv/bin/python scripts/train_classifier.py --trained-on 2026-12-01
    .venv/bin/python scripts/train_classifier.py --cv 5        # cross-validate, write nothing
    .venv/bin/python scripts/train_classifier.py --dev corpus/dev_calls.jsonl --out /tmp/m.json

Deterministic: the same corpus files and options give the same bytes. A training line may
carry `context` (the buyer's turn before it), read exactly as `spin-practice eval` reads it.
The temperature that calibrates the confidences is fitted on out-of-fold logits. The
held-out files (corpus/heldout*.jsonl) are never trained on: their texts are read only to
drop any training line that duplicates one (after normalisation), which the header counts
and stderr reports. `--dev` files are for model selection; they must not be held-out files.
"""

import argparse
import hashlib
import json
import math
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]  # scipy ships no stubs
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from app.domain.classifier.evaluation import (
    CallLine,
    EvaluationExample,
    EvaluationReport,
    contexts_in_calls,
    evaluate,
    format_report,
    parse_examples,
)
from app.domain.classifier.features import FeatureOptions, normalise
from app.domain.classifier.model import MODEL_FORMAT, ModelClass, OfflineClassifier, featurise
from app.domain.labels import NO_CONTEXT, Label, Move, MoveContext, SpinLabel
from app.domain.language import Language

ROOT = Path(__file__).resolve().parent.parent
WEIGHT_SCALE = 1000  # weights are stored as integers in thousandths
# Moves from whole conversations and the colloquial patterns are nearer to what trainees type
# than the isolated sentences, and far fewer: they weigh more (chosen on the dev files).
DEFAULT_FILE_WEIGHTS: dict[str, float] = {}


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    c: float = 32.0
    min_df: int = 2
    prune: float = 0.02
    class_weight: str = "balanced"
    max_iter: int = 3000


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    model_class: ModelClass
    language: Language
    context: str = ""
    weight: float = 1.0
    source: str | None = None


def read_corpus(paths: Sequence[Path], weights: Mapping[str, float] | None = None) -> list[Example]:
    """Every file's moves; `weights` (by file stem) weigh some files' moves more in training."""
    examples: list[Example] = []
    for path in paths:
        weight = (weights or {}).get(path.stem, 1.0)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                label = SpinLabel(record["label"])
                move = Move(record.get("move") or "other") if label is SpinLabel.OTHER else None
                examples.append(
                    Example(
                        record["text"],
                        ModelClass(label, move),
                        Language(record["lang"]),
                        record.get("context") or "",
                        weight,
                        record.get("source"),
                    )
                )
            except (ValueError, KeyError) as exc:
                raise SystemExit(f"{path}:{number}: {exc}") from exc
    return examples


def file_record(path: Path) -> dict[str, object]:
    """The header entry of one training file, taken before training: a file edited while
    the model trains must not be recorded as the one it was trained on."""
    data = path.read_bytes()
    return {
        "path": path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "lines": sum(1 for line in data.decode("utf-8").splitlines() if line.strip()),
    }


def feature_sets(examples: Sequence[Example], options: FeatureOptions) -> list[set[str]]:
    contexts = contexts_in_calls([CallLine(e.text, e.context, e.source) for e in examples])
    return [
        featurise(normalise(e.text), e.language, options, context=context)
        for e, context in zip(examples, contexts, strict=True)
    ]


def train(
    examples: Sequence[Example],
    features: Sequence[set[str]],
    options: TrainingOptions,
    feature_options: FeatureOptions,
) -> dict[str, object]:
    """Fit a multinomial logistic regression and return the artifact's model fields."""
    counts: dict[str, int] = {}
    for row in features:
        for feature in row:
            counts[feature] = counts.get(feature, 0) + 1
    vocabulary = sorted(f for f, n in counts.items() if n >= options.min_df)
    index = {f: i for i, f in enumerate(vocabulary)}
    data: list[float] = []
    cols: list[int] = []
    indptr = [0]
    for row in features:
        value = 1.0 / math.sqrt(len(row))  # the same scaling OfflineClassifier applies
        known = sorted(index[f] for f in row if f in index)
        cols.extend(known)
        data.extend([value] * len(known))
        indptr.append(len(cols))
    matrix = csr_matrix((data, cols, indptr), shape=(len(features), len(vocabulary)))
    class_keys = sorted({e.model_class.key for e in examples}, key=_class_order)
    target = np.array([class_keys.index(e.model_class.key) for e in examples])
    model = LogisticRegression(
        C=options.c,
        class_weight=None if options.class_weight == "none" else options.class_weight,
        max_iter=options.max_iter,
        tol=1e-6,
    )
    model.fit(matrix, target, sample_weight=np.array([e.weight for e in examples]))
    coefficients = model.coef_.T  # (features, classes)
    weights: dict[str, list[int]] = {}
    for feature, row in zip(vocabulary, coefficients, strict=True):
        if float(np.max(np.abs(row))) < options.prune:
            continue
        weights[feature] = [round(float(w) * WEIGHT_SCALE) for w in row]
    return {
        "classes": class_keys,
        "intercepts": [round(float(b), 5) for b in model.intercept_],
        "weight_scale": WEIGHT_SCALE,
        "features": asdict(feature_options),
        "weights": dict(sorted(weights.items())),
    }


def _class_order(key: str) -> int:
    order = [label.value for label in SpinLabel][:-1] + [f"other/{m.value}" for m in Move]
    return order.index(key)


def _as_evaluation(example: Example) -> EvaluationExample:
    return EvaluationExample(
        example.text,
        example.model_class.label,
        example.language,
        example.model_class.move,
        context=example.context,
        source=example.source,
    )


def out_of_fold(
    examples: Sequence[Example],
    options: TrainingOptions,
    feature_options: FeatureOptions,
    folds: int,
) -> tuple[EvaluationReport, list[tuple[list[float], int]]]:
    """K-fold predictions for every training move: the report, and each move's logits with
    its class index (for fitting the temperature)."""
    features = feature_sets(examples, feature_options)
    contexts = contexts_in_calls([CallLine(e.text, e.context, e.source) for e in examples])
    strata = [f"{e.model_class.key}:{e.language.value}" for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    fold_of_text: dict[str, OfflineClassifier] = {}
    logits: list[tuple[list[float], int]] = []
    for fold, (train_index, test_index) in enumerate(splitter.split(strata, strata)):
        document = train(
            [examples[i] for i in train_index],
            [features[i] for i in train_index],
            options,
            feature_options,
        )
        document["format"] = MODEL_FORMAT
        classifier = OfflineClassifier.from_document(document)
        classes = document["classes"]
        assert isinstance(classes, list)
        keys = [str(key) for key in classes]
        for i in test_index:
            fold_of_text[examples[i].text] = classifier
            example = examples[i]
            scores = classifier.logits(example.text, context=contexts[i], language=example.language)
            logits.append((scores, keys.index(example.model_class.key)))
        print(f"fold {fold + 1}/{folds} trained", file=sys.stderr)

    def classify_in_fold(
        text: str, *, context: MoveContext = NO_CONTEXT, language: Language | None = None
    ) -> Label:
        return fold_of_text[text].classify(text, context=context, language=language)

    held = [_as_evaluation(e) for e in examples]
    return evaluate(held, classify_in_fold, clock=time.perf_counter), logits


def fit_temperature(logits: Sequence[tuple[Sequence[float], int]]) -> float:
    """The temperature that minimises the negative log-likelihood of out-of-fold logits
    (Guo et al. 2017, temperature scaling), by a grid fine enough for two decimals."""

    def nll(temperature: float) -> float:
        total = 0.0
        for scores, gold in logits:
            scaled = [value / temperature for value in scores]
            top = max(scaled)
            log_sum = top + math.log(sum(math.exp(v - top) for v in scaled))
            total += log_sum - scaled[gold]
        return total / len(logits)

    grid = [round(0.3 + 0.05 * step, 2) for step in range(115)]  # 0.30 .. 6.00
    return min(grid, key=nll)


def expected_calibration_error(
    logits: Sequence[tuple[Sequence[float], int]], temperature: float, bins: int = 10
) -> float:
    """ECE of the top class over equal-width confidence bins."""
    counts = [0] * bins
    hits = [0.0] * bins
    confidence = [0.0] * bins
    for scores, gold in logits:
        scaled = [value / temperature for value in scores]
        top = max(scaled)
        exps = [math.exp(v - top) for v in scaled]
        best = max(range(len(exps)), key=exps.__getitem__)
        p = exps[best] / sum(exps)
        b = min(bins - 1, int(p * bins))
        counts[b] += 1
        hits[b] += best == gold
        confidence[b] += p
    total = sum(counts)
    return sum(abs(hits[b] - confidence[b]) for b in range(bins) if counts[b]) / total


def report_dev(classifier: OfflineClassifier, paths: Sequence[Path]) -> None:
    for path in paths:
        examples = parse_examples(path.read_text(encoding="utf-8").splitlines())
        report = evaluate(examples, classifier.classify, clock=time.perf_counter)
        per_label = " ".join(f"{m.label.value[:4]}={m.f1:.3f}" for m in report.per_label)
        languages = " ".join(f"{lr.language.value}={lr.macro_f1:.3f}" for lr in report.by_language)
        print(f"dev {path.name}: macro_f1={report.macro_f1:.3f} {languages} {per_label}")


def held_out_texts(corpus: Path) -> set[str]:
    """Normalised texts of the held-out files, only to keep them out of training."""
    texts: set[str] = set()
    for path in sorted(corpus.glob("heldout*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                texts.add(normalise(json.loads(line)["text"]))
    return texts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "app" / "domain" / "classifier" / "spin_model.json"
    )
    parser.add_argument("--trained-on", help="the training date (YYYY-MM-DD), kept in the header")
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with K folds instead")
    parser.add_argument(
        "--calibration-folds", type=int, default=5, help="folds for the temperature (0: none)"
    )
    parser.add_argument("--dev", type=Path, action="append", default=[], help="dev JSONL file")
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="STEM=W",
        help="weigh one training file's moves (e.g. train_calls=2)",
    )
    parser.add_argument("--c", type=float, default=TrainingOptions().c)
    parser.add_argument("--min-df", type=int, default=TrainingOptions().min_df)
    parser.add_argument("--prune", type=float, default=TrainingOptions().prune)
    parser.add_argument("--class-weight", default=TrainingOptions().class_weight)
    parser.add_argument("--char-min", type=int, default=FeatureOptions().char_min)
    parser.add_argument("--char-max", type=int, default=FeatureOptions().char_max)
    parser.add_argument("--cjk-max", type=int, default=FeatureOptions().cjk_max)
    args = parser.parse_args(argv)

    paths = sorted(args.corpus.glob("train_*.jsonl"))
    if not paths:
        print(f"no training files in {args.corpus}", file=sys.stderr)
        return 1
    if any(path.name.startswith("heldout") for path in args.dev):
        parser.error("held-out files are for reporting, not for model selection")
    options = TrainingOptions(
        c=args.c, min_df=args.min_df, prune=args.prune, class_weight=args.class_weight
    )
    feature_options = FeatureOptions(
        char_min=args.char_min, char_max=args.char_max, cjk_max=args.cjk_max
    )
    file_weights = {**DEFAULT_FILE_WEIGHTS}
    for item in args.weight:
        stem, _, value = item.partition("=")
        file_weights[stem] = float(value)
    records = [file_record(path) for path in paths]
    examples = read_corpus(paths, file_weights)
    heldout = held_out_texts(args.corpus)
    leaked = [e for e in examples if normalise(e.text) in heldout]
    for example in leaked:
        print(f"skipped, also in a held-out file: {example.text}", file=sys.stderr)
    examples = [e for e in examples if normalise(e.text) not in heldout]
    print(f"{len(examples)} training moves from {len(paths)} files", file=sys.stderr)
    if args.cv:
        report, _ = out_of_fold(examples, options, feature_options, args.cv)
        print(format_report(report))
        return 0
    if not args.trained_on:
        parser.error("--trained-on is required when writing the artifact")
    temperature = 1.0
    if args.calibration_folds:
        _, logits = out_of_fold(examples, options, feature_options, args.calibration_folds)
        temperature = fit_temperature(logits)
        print(
            f"temperature {temperature:.2f}: out-of-fold ECE"
            f" {expected_calibration_error(logits, 1.0):.3f} before,"
            f" {expected_calibration_error(logits, temperature):.3f} after",
            file=sys.stderr,
        )
    document: dict[str, object] = {
        "format": MODEL_FORMAT,
        "trained_on": args.trained_on,
        "training_files": records,
        "options": asdict(options),
        "file_weights": file_weights,
        "skipped_heldout_duplicates": len(leaked),
    }
    document.update(
        train(examples, feature_sets(examples, feature_options), options, feature_options)
    )
    document["temperature"] = temperature
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    weights = document["weights"]
    assert isinstance(weights, dict)
    print(f"wrote {args.out} ({len(text) / 1e6:.2f} MB, {len(weights)} features)", file=sys.stderr)
    report_dev(OfflineClassifier.from_document(document), args.dev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
