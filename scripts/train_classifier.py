"""Train the offline SPIN classifier from corpus/train_*.jsonl and write the artifact.

    .venv/bin/python scripts/train_classifier.py --trained-on 2026-11-22
    .venv/bin/python scripts/train_classifier.py --cv 5        # cross-validate, write nothing

Deterministic: the same corpus files and options give the same bytes. The held-out split
(corpus/heldout.jsonl) is never trained on: it is read only to drop any training line that
duplicates a held-out one (after normalisation), which the header counts and stderr reports.
"""

import argparse
import hashlib
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]  # scipy ships no stubs
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from app.domain.classifier.evaluation import EvaluationExample, evaluate, format_report
from app.domain.classifier.features import FeatureOptions, normalise
from app.domain.classifier.model import MODEL_FORMAT, ModelClass, OfflineClassifier, featurise
from app.domain.labels import Label, Move, SpinLabel
from app.domain.language import Language

ROOT = Path(__file__).resolve().parent.parent
WEIGHT_SCALE = 1000  # weights are stored as integers in thousandths


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    c: float = 16.0
    min_df: int = 2
    prune: float = 0.02
    class_weight: str = "balanced"
    max_iter: int = 3000


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    model_class: ModelClass
    language: Language


def read_corpus(paths: Sequence[Path]) -> list[Example]:
    examples: list[Example] = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                label = SpinLabel(record["label"])
                move = Move(record.get("move") or "other") if label is SpinLabel.OTHER else None
                examples.append(
                    Example(record["text"], ModelClass(label, move), Language(record["lang"]))
                )
            except (ValueError, KeyError) as exc:
                raise SystemExit(f"{path}:{number}: {exc}") from exc
    return examples


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def feature_sets(examples: Sequence[Example], options: FeatureOptions) -> list[set[str]]:
    return [featurise(normalise(e.text), e.language, options) for e in examples]


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
    model.fit(matrix, target)
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


def cross_validate(
    examples: Sequence[Example],
    options: TrainingOptions,
    feature_options: FeatureOptions,
    folds: int,
) -> float:
    features = feature_sets(examples, feature_options)
    strata = [f"{e.model_class.key}:{e.language.value}" for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    held: list[EvaluationExample] = []
    fold_of_text: dict[str, OfflineClassifier] = {}
    for fold, (train_index, test_index) in enumerate(splitter.split(strata, strata)):
        document = train(
            [examples[i] for i in train_index],
            [features[i] for i in train_index],
            options,
            feature_options,
        )
        document["format"] = MODEL_FORMAT
        classifier = OfflineClassifier.from_document(document)
        for i in test_index:
            held.append(
                EvaluationExample(
                    examples[i].text,
                    examples[i].model_class.label,
                    examples[i].language,
                    examples[i].model_class.move,
                )
            )
            fold_of_text[examples[i].text] = classifier
        print(f"fold {fold + 1}/{folds} trained", file=sys.stderr)

    def classify_in_fold(text: str, *, language: Language | None = None) -> Label:
        return fold_of_text[text].classify(text, language=language)

    report = evaluate(held, classify_in_fold, clock=time.perf_counter)
    print(format_report(report))
    return report.macro_f1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "app" / "domain" / "classifier" / "spin_model.json"
    )
    parser.add_argument("--trained-on", help="the training date (YYYY-MM-DD), kept in the header")
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with K folds instead")
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
    options = TrainingOptions(
        c=args.c, min_df=args.min_df, prune=args.prune, class_weight=args.class_weight
    )
    feature_options = FeatureOptions(
        char_min=args.char_min, char_max=args.char_max, cjk_max=args.cjk_max
    )
    examples = read_corpus(paths)
    heldout_path = args.corpus / "heldout.jsonl"
    heldout = (
        {
            normalise(json.loads(line)["text"])
            for line in heldout_path.read_text("utf-8").splitlines()
            if line.strip()
        }
        if heldout_path.exists()
        else set()
    )
    leaked = [e for e in examples if normalise(e.text) in heldout]
    for example in leaked:
        print(f"skipped, also in heldout.jsonl: {example.text}", file=sys.stderr)
    examples = [e for e in examples if normalise(e.text) not in heldout]
    print(f"{len(examples)} training moves from {len(paths)} files", file=sys.stderr)
    if args.cv:
        cross_validate(examples, options, feature_options, args.cv)
        return 0
    if not args.trained_on:
        parser.error("--trained-on is required when writing the artifact")
    document: dict[str, object] = {
        "format": MODEL_FORMAT,
        "trained_on": args.trained_on,
        "training_files": [
            {
                "path": path.relative_to(ROOT).as_posix()
                if path.is_relative_to(ROOT)
                else path.name,
                "sha256": sha256_of(path),
                "lines": sum(
                    1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
                ),
            }
            for path in paths
        ],
        "options": asdict(options),
        "skipped_heldout_duplicates": len(leaked),
    }
    document.update(
        train(examples, feature_sets(examples, feature_options), options, feature_options)
    )
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    weights = document["weights"]
    assert isinstance(weights, dict)
    print(f"wrote {args.out} ({len(text) / 1e6:.2f} MB, {len(weights)} features)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
