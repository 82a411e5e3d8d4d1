"""Benchmark of the offline SPIN classifier on both held-out files (issues 4 and 12).

    .venv/bin/python tests/bench/bench_classifier.py [FILE.jsonl ...]

For each file (default: corpus/heldout.jsonl and corpus/heldout_calls.jsonl, the second with
the buyer's previous turn as context) prints overall, per-language and per-source macro-F1,
per-label P/R/F1, the confusion matrix, median and p99 latency per move; then the wall time
of a fresh process that loads the model and classifies 10,000 moves. Targets (issue 12):
macro-F1 >= 0.90 overall and >= 0.88 per language, problem F1 >= 0.85, on wording from a
different source than the training data; median <= 0.3 ms per move; 10,000 moves in < 5 s
including start-up. Figures only: nothing here asserts a time.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

from app.domain.classifier.evaluation import evaluate, format_report, parse_examples
from app.domain.classifier.model import load_bundled_classifier
from app.domain.labels import SpinLabel

ROOT = Path(__file__).resolve().parents[2]
MOVES_FOR_THROUGHPUT = 10_000

# Run in a fresh interpreter so the figure includes imports and loading the artifact.
_THROUGHPUT_PROGRAM = """
import json, sys, time
started = time.perf_counter()
from app.domain.classifier.model import load_bundled_classifier
from app.domain.labels import SpinLabel
texts = json.loads(sys.stdin.read())
classifier = load_bundled_classifier()
loaded = time.perf_counter()
count = int(sys.argv[1])
for i in range(count):
    classifier.classify(texts[i % len(texts)])
done = time.perf_counter()
print(json.dumps({"load_s": loaded - started, "classify_s": done - loaded}))
"""


DEFAULT_FILES = ("heldout.jsonl", "heldout_calls.jsonl")


def bench_file(path: Path) -> tuple[list[str], list[str]]:
    """Prints one file's report; returns its texts and its summary figures."""
    examples = parse_examples(path.read_text(encoding="utf-8").splitlines())
    classifier = load_bundled_classifier()
    for example in examples[:50]:  # warm the caches so the first moves do not skew p99
        classifier.classify(example.text)
    report = evaluate(examples, classifier.classify, clock=time.perf_counter)
    print(f"== held-out file: {path}")
    print(format_report(report))
    # Wall-clock latency includes waiting for a CPU on a shared machine; CPU time does not.
    cpu = evaluate(examples, classifier.classify, clock=time.process_time)
    print(
        f"CPU time per move (process_time): median {cpu.latency_median_ms:.3f} ms,"
        f" p99 {cpu.latency_p99_ms:.3f} ms"
    )
    problem = next(m for m in report.per_label if m.label is SpinLabel.PROBLEM)
    name = path.stem
    figures = [
        f"{name}.macro_f1={report.macro_f1:.3f}",
        *[f"{name}.macro_f1_{lr.language.value}={lr.macro_f1:.3f}" for lr in report.by_language],
        f"{name}.problem_f1={problem.f1:.3f}",
        f"{name}.median_ms={report.latency_median_ms:.3f}",
        f"{name}.cpu_median_ms={cpu.latency_median_ms:.3f}",
    ]
    print()
    return [example.text for example in examples], figures


def main() -> int:
    paths = [Path(a) for a in sys.argv[1:]] or [ROOT / "corpus" / f for f in DEFAULT_FILES]
    all_texts: list[str] = []
    summary: list[str] = []
    for path in paths:
        texts_of_file, figures = bench_file(path)
        all_texts.extend(texts_of_file)
        summary.extend(figures)

    texts = json.dumps(all_texts, ensure_ascii=False)
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", _THROUGHPUT_PROGRAM, str(MOVES_FOR_THROUGHPUT)],
        input=texts,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    total_s = time.perf_counter() - started
    figures = json.loads(completed.stdout)
    print()
    print(
        f"{MOVES_FOR_THROUGHPUT} moves in a fresh process: {total_s:.2f} s wall"
        f" (start-up and model load {figures['load_s']:.2f} s,"
        f" classification {figures['classify_s']:.2f} s)"
    )
    artifact = ROOT / "app" / "domain" / "classifier" / "spin_model.json"
    print(f"artifact: {artifact.stat().st_size / 1e6:.2f} MB")
    print("summary: " + " ".join([*summary, f"throughput_10k_s={total_s:.2f}"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
